"""The inference API on photograph stand-ins with known people: seeded
Anny renders side by side (hmrzoo.testing.render_people), so the people,
their boxes and their joints are known.  Untrained models: these tests
check the plumbing (boxes, crops, evidence, cameras, batching), not
accuracy."""
import numpy as np
import pytest
import torch

from hmrzoo.apis import inference_mesh, init_model
from hmrzoo.engine.checkpoint_coverage import CheckpointMismatchError
from hmrzoo.registry import PERSON_DETECTORS
from hmrzoo.utils.errors import UserInputError

SIZE = 256
PICK = (0, 1, 2)          # renders mediapipe finds on their own


@pytest.fixture(scope='module')
def scene(rendered_people):
    images, joints = rendered_people
    rgb = np.concatenate([images[k] for k in PICK], axis=1)
    kps = np.stack([joints[k] + [SIZE * i, 0] for i, k in enumerate(PICK)])
    boxes = np.concatenate([kps.min(1), kps.max(1)], axis=1)
    return np.ascontiguousarray(rgb[..., ::-1]), kps, boxes


def _iou(a, b):
    lo, hi = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
    inter = np.prod(np.clip(hi - lo, 0, None))
    area = lambda x: np.prod(x[2:] - x[:2])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


def test_every_person_is_found(scene):
    bgr, _, truth = scene
    with PERSON_DETECTORS.build(dict(type='MediaPipePersonDetector')) as d:
        boxes, scores = d(np.ascontiguousarray(bgr[..., ::-1]))
    assert len(boxes) == len(PICK)
    for box, true in zip(boxes, truth):           # both left to right
        assert _iou(box, true) > 0.5, (box, true)
    assert ((scores > 0) & (scores <= 1)).all()


CONFIGS = ['configs/hmr/r18_keypoints_anny.py',
           'configs/cliff/cliff_r50_anny.py',
           'configs/multiroi/r50_cliff_anny.py',
           'configs/pymaf/r50_pymaf_anny.py',
           'configs/cra/r18_cra_anny.py']


def _project(points, camera):
    return points[:, :2] / points[:, 2:] * camera['focal'] + \
        camera['principal_point']


@pytest.mark.parametrize('config', CONFIGS)
def test_people_to_meshes_with_photograph_cameras(scene, config):
    bgr, kps, boxes = scene
    torch.manual_seed(0)
    model = init_model(config)
    evidence = dict(keypoints=np.concatenate(
        [kps, np.ones(kps.shape[:2] + (1, ), np.float32)], -1)) \
        if model.inference.keypoints else None
    people = inference_mesh(model, bgr, bboxes=boxes, evidence=evidence)
    assert len(people) == len(PICK)
    faces = np.asarray(model.body_model.faces)
    for person, box in zip(people, boxes):
        assert np.allclose(person['bbox'], box)
        assert person['vertices'].shape == (model.body_model.num_vertices, 3)
        assert (person['faces'] == faces).all()
        cam = person['camera']
        # the mesh is in front of the camera and the body's origin
        # projects where the model put the person (inside its crop)
        assert (person['vertices'][:, 2] > 0).all()
        origin = _project(cam['translation'][None], cam)[0]
        scale = model.inference.box_scale * (box[2:] - box[:2]).max()
        assert np.abs(origin - (box[:2] + box[2:]) / 2).max() < scale
        # the model's own 2D output vs the photograph camera: identical
        # for CLIFF's full-image camera, the weak-perspective
        # approximation (a few % of the box) for crop cameras
        err = np.abs(_project(person['keypoints3d'], cam)
                     - person['keypoints2d']).max()
        own_camera = 'cliff' in config
        assert err < (1e-2 if own_camera else 0.05 * scale), err
    if evidence is not None:
        assert people[0]['evidence']['keypoints_source'] == 'given'
        assert np.allclose(people[1]['evidence']['keypoints'],
                           evidence['keypoints'][1])
    # deterministic, and a person's result does not depend on the batch
    again = inference_mesh(model, bgr, bboxes=boxes[1:2], evidence=None
                           if evidence is None else dict(
                               keypoints=evidence['keypoints'][1:2]))
    assert np.allclose(again[0]['vertices'], people[1]['vertices'],
                       atol=1e-4)
    assert np.allclose(again[0]['camera']['translation'],
                       people[1]['camera']['translation'], atol=1e-5)


def test_evidence_keypoints_are_detected_in_each_box(scene):
    bgr, kps, boxes = scene
    model = init_model('configs/hmr/r18_keypoints_anny.py')
    people = inference_mesh(model, bgr, bboxes=boxes)
    for person, true in zip(people, kps):
        ev = person['evidence']
        assert ev['keypoints_source'] == 'detector'
        assert ev['keypoint_convention'] == 'coco'
        seen = ev['keypoints'][:, 2] > 0
        assert seen.sum() >= 8
        err = np.linalg.norm(ev['keypoints'][seen, :2] - true[seen], axis=1)
        assert np.median(err) < 10, err


def test_bad_inputs_are_named(scene, tmp_path):
    bgr, _, boxes = scene
    model = init_model('configs/hmr/r18_keypoints_anny.py')
    with pytest.raises(UserInputError, match='bboxes: row.s. .0.'):
        inference_mesh(model, bgr, bboxes=[[10, 10, 5, 40]])
    with pytest.raises(UserInputError, match=r'expected \(3, 17, 3\)'):
        inference_mesh(model, bgr, bboxes=boxes,
                       evidence=dict(keypoints=np.zeros((3, 24, 3))))
    with pytest.raises(UserInputError, match="unknown keys \\['pose'\\]"):
        inference_mesh(model, bgr, bboxes=boxes, evidence=dict(pose=1))
    iuv_only = init_model('configs/cra/ablations/r18_cra_anny_iuv.py')
    assert iuv_only.inference.iuv and not iuv_only.inference.iuv_optional
    with pytest.raises(UserInputError, match='no decoder to make one'):
        inference_mesh(iuv_only, bgr, bboxes=boxes)
    with pytest.raises(UserInputError, match='image not found'):
        inference_mesh(model, str(tmp_path / 'missing.jpg'))
    depth = init_model('configs/selfsup_depth/r18_selfsup_depth_anny.py',
                       cfg_options={'model.head.pose_decoder.checkpoint':
                                    None})
    with pytest.raises(UserInputError, match='evidence=dict.depth='):
        inference_mesh(depth, bgr, bboxes=boxes[:1])


def test_init_model_loads_strictly(tmp_path):
    cfg = 'configs/hmr/r18_keypoints_anny.py'
    model = init_model(cfg, fast_path='off')
    state = {k: v + 0.5 if v.is_floating_point() else v
             for k, v in model.state_dict().items()}
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict=state, meta=dict(iter=1)), path)
    loaded = init_model(cfg, str(path), fast_path='off')
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, state[key]), key
    assert not loaded.training
    # the fast path's folded state dict is refused with the reason
    torch.save(dict(state_dict=init_model(cfg, str(path)).state_dict()),
               tmp_path / 'folded.pth')
    with pytest.raises(CheckpointMismatchError, match="fast path.*fast_path="
                       "'off'"):
        init_model(cfg, str(tmp_path / 'folded.pth'))
    torch.save(dict(state_dict={k: v for k, v in state.items()
                                if not k.startswith('head.')}), path)
    with pytest.raises(CheckpointMismatchError, match='missing'):
        init_model(cfg, str(path))
    partial = init_model(cfg, str(path), strict=False, fast_path='off')
    assert torch.equal(partial.state_dict()['backbone.conv1.weight'],
                       state['backbone.conv1.weight'])
    # a tensor of another shape is left out, not a crash
    bad = dict(state, **{'head.fc1.weight': torch.zeros(3, 3)})
    torch.save(dict(state_dict=bad), path)
    with pytest.raises(CheckpointMismatchError, match='different shapes: '
                       'head.fc1.weight'):
        init_model(cfg, str(path))
    mixed = init_model(cfg, str(path), strict=False, fast_path='off')
    assert torch.equal(mixed.state_dict()['head.fc2.weight'],
                       state['head.fc2.weight'])
    assert not torch.equal(mixed.state_dict()['head.fc1.weight'],
                           state['head.fc1.weight'])
