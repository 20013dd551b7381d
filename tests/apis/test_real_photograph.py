"""The inference API on a real photograph (not a render): a street scene
with two people at full height, read from an installed package
(hmrzoo.testing.street_photograph).  The models are untrained, so the
model's keypoints say nothing about accuracy; what is checked is that
every person is found, that the evidence is detected on the right person,
and that the photograph camera reproduces the model's own 2D output."""
import numpy as np
import pytest

from hmrzoo.apis import inference_mesh, init_model
from hmrzoo.conventions import convert_kps
from hmrzoo.registry import PERSON_DETECTORS
from hmrzoo.testing import STREET_PEOPLE, street_photograph


def _iou(a, b):
    lo, hi = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
    inter = np.prod(np.clip(hi - lo, 0, None))
    area = lambda x: np.prod(x[2:] - x[:2])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


@pytest.fixture(scope='module')
def photo():
    return street_photograph()[0]


def test_both_people_are_found(photo):
    with PERSON_DETECTORS.build(dict(type='MediaPipePersonDetector')) as d:
        boxes, _ = d(np.ascontiguousarray(photo[..., ::-1]))
    assert len(boxes) == len(STREET_PEOPLE), boxes
    for box, true in zip(boxes, STREET_PEOPLE):
        assert _iou(box, true) > 0.6, (box, true)


def pck(pred, detected, box, threshold=0.1):
    """Share of the detector's confident keypoints within ``threshold`` x
    the box's longer side of the model's keypoints."""
    seen = detected[:, 2] > 0
    size = (box[2:] - box[:2]).max()
    dist = np.linalg.norm(pred[seen] - detected[seen, :2], axis=1)
    return float((dist < threshold * size).mean())


@pytest.mark.parametrize('config, own_camera', [
    ('configs/hmr/r18_keypoints_anny.py', False),
    ('configs/cliff/cliff_r50_anny.py', True)])
def test_meshes_of_a_real_photograph(photo, config, own_camera):
    model = init_model(config)
    people = inference_mesh(model, photo)
    assert len(people) == 2
    for person, true in zip(people, STREET_PEOPLE):
        assert _iou(person['bbox'], true) > 0.6
        cam = person['camera']
        proj = person['keypoints3d'][:, :2] / person['keypoints3d'][:, 2:] \
            * cam['focal'] + cam['principal_point']
        err = np.abs(proj - person['keypoints2d']).max()
        size = (true[2:] - true[:2]).max()
        assert err < (1e-2 if own_camera else 0.1 * size), err
        ev = person['evidence']
        if model.inference.keypoints:
            # the keypoints were found on this person, inside the box
            assert ev['keypoints_source'] == 'detector'
            kps = ev['keypoints'][ev['keypoints'][:, 2] > 0]
            assert len(kps) >= 12
            margin = 0.1 * size
            assert (kps[:, 0] > true[0] - margin).all() and \
                (kps[:, 0] < true[2] + margin).all()
            own, _ = convert_kps(person['keypoints2d'],
                                 person['keypoint_convention'],
                                 ev['keypoint_convention'])
            print(f'{config}: PCK@0.1 of the model vs the detector '
                  f'{pck(own, ev["keypoints"], true):.2f}')
