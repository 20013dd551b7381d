"""tools/detect_keypoints.py writes mediapipe's detections on rendered Anny
bodies as an annotation file that HumanImageDataset and CRA's
DetectedEvidencePreprocessor read; with --ann-file it adds the detections
of each row's person box to a copy of an existing file.

mediapipe is part of the tested stack (tools/install.sh installs it): a
missing mediapipe fails these tests, it does not skip them.
"""
import contextlib
import io
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.apis.keypoint_detectors import crop_window, detect_in_box
from hmrzoo.conventions import convert_kps
from hmrzoo.datasets import HumanImageDataset
from hmrzoo.datasets.human_data import (keypoints_to_superset,
                                        load_annotations, save_annotations)
from hmrzoo.registry import KEYPOINT_DETECTORS, MODELS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import detect_keypoints  # noqa: E402

from hmrzoo.apis import keypoint_detection  # noqa: E402

SIZE = 256
BLANK = np.full((SIZE, SIZE, 3), 128, np.uint8)


@pytest.fixture(scope='module')
def image_root(tmp_path_factory, rendered_people):
    """A folder of 8 seeded Anny renders (``person_<i>.png``) and one blank
    grey image (``blank.png``); yields ``(folder, {name: RGB uint8})``."""
    images = {f'person_{i}.png': im
              for i, im in enumerate(rendered_people[0])}
    images['blank.png'] = BLANK
    root = tmp_path_factory.mktemp('images')
    for name, image in images.items():
        cv2.imwrite(str(root / name), image[..., ::-1])
    return root, images


@pytest.fixture(scope='module')
def expected(image_root):
    """What the detector returns for each image (None: no person)."""
    with KEYPOINT_DETECTORS.build(
            dict(type='MediaPipePoseDetector')) as detector:
        return {name: detector(image)
                for name, image in image_root[1].items()}


def test_annotation_file_holds_the_detections(image_root, expected,
                                              tmp_path, capsys):
    root, images = image_root
    out = tmp_path / 'dets.npz'
    result = detect_keypoints.main([str(root), '--out', str(out)])
    found = sorted(n for n, det in expected.items() if det is not None)
    assert len(found) >= 7 and 'blank.png' not in found
    assert result['missed'] == ['blank.png']
    assert result['detected'] == len(found) and result['images'] == 9
    assert f'{len(found)} of 9 images with a person; 1 without' in \
        capsys.readouterr().out

    data = load_annotations(str(out), required=('keypoints2d',
                                                'image_size'))
    assert list(data['image_path']) == found
    assert str(data['keypoint_convention']) == 'smpl_54'
    assert (data['image_size'] == SIZE).all()
    for row, name in enumerate(data['image_path']):
        det = expected[name]
        coco, _ = convert_kps(data['keypoints2d'][row], 'smpl_54', 'coco')
        sure = det['keypoints'][:, 2] >= 0.5
        np.testing.assert_allclose(coco[sure], det['keypoints'][sure],
                                   atol=1e-5)
        assert (coco[~sure] == 0).all()
        x, y, w, h = data['bbox_xywh'][row]
        # the detector's box, 1.2x about its centre (the files' convention)
        x1, y1, x2, y2 = det['box']
        cx, cy, bw, bh = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
        np.testing.assert_allclose(
            [x, y, w, h], [cx - 0.6 * bw, cy - 0.6 * bh, 1.2 * bw, 1.2 * bh],
            atol=1e-3)
        px = coco[sure, :2]
        assert (px >= [x - 1e-3, y - 1e-3]).all()
        assert (px <= [x + w + 1e-3, y + h + 1e-3]).all()


def test_dataset_and_cra_preprocessor_read_it(image_root, expected,
                                              tmp_path):
    root, _ = image_root
    out = tmp_path / 'dets.npz'
    detect_keypoints.main([str(root), '--out', str(out)])
    init_default_scope('hmrzoo')
    dataset = HumanImageDataset(
        ann_file=str(out), data_prefix=dict(img_path=str(root)),
        crop_size=(SIZE, SIZE), keypoint_convention='coco',
        bbox_scale_factor=1.2, test_mode=True)
    assert len(dataset) == sum(d is not None for d in expected.values())
    pre = MODELS.build(dict(type='DetectedEvidencePreprocessor',
                            heatmap_size=SIZE, sigma=4.0, with_iuv=False))
    batch = pre(pseudo_collate([dataset[i] for i in range(4)]))
    maps = batch['inputs']
    assert maps.shape == (4, 17, SIZE, SIZE)
    for i, sample in enumerate(batch['data_samples']):
        name = Path(sample.img_path).name
        conf = expected[name]['keypoints'][:, 2]
        mask = sample.input_keypoints2d_mask.numpy()
        np.testing.assert_array_equal(mask > 0, conf >= 0.5)
        peaks = maps[i].flatten(1).max(1).values.numpy()
        # a Gaussian of peak ~1 for each detected joint (all lie inside
        # the crop), an empty channel for the others
        assert (peaks[mask > 0] > 0.9).all()
        assert (peaks[mask == 0] == 0).all()


def test_iuv_paths(image_root, tmp_path):
    root, images = image_root
    iuv_root = tmp_path / 'frames'
    iuv_root.mkdir()
    for name, image in images.items():
        cv2.imwrite(str(iuv_root / name), image[..., ::-1])
        cv2.imwrite(str(iuv_root / name.replace('.png', '_IUV.png')),
                    np.zeros((SIZE, SIZE, 3), np.uint8))
    out = tmp_path / 'dets.npz'
    # IUV images beside the frames: never taken for inputs
    result = detect_keypoints.main([str(iuv_root), '--out', str(out),
                                    '--iuv-dir', str(iuv_root)])
    assert result['images'] == 9
    data = load_annotations(str(out), required=('iuv_path', ))
    assert [p.replace('.png', '_IUV.png') for p in data['image_path']] == \
        list(data['iuv_path'])
    dataset = HumanImageDataset(
        ann_file=str(out), data_prefix=dict(img_path=str(iuv_root)),
        crop_size=(SIZE, SIZE), keypoint_convention='coco',
        load_iuv=True, test_mode=True)
    pre = MODELS.build(dict(type='DetectedEvidencePreprocessor',
                            heatmap_size=SIZE, with_iuv=True))
    assert pre(pseudo_collate([dataset[0], dataset[1]]))['inputs'].shape \
        == (2, 17 + 3, SIZE, SIZE)

    (iuv_root / 'person_3_IUV.png').unlink()
    with pytest.raises(SystemExit, match='person_3_IUV.png'):
        detect_keypoints.main([str(iuv_root), '--out', str(out),
                               '--iuv-dir', str(iuv_root)])


def test_image_list_selects_and_orders_the_images(image_root, expected,
                                                  tmp_path, capsys):
    root, _ = image_root
    listing = tmp_path / 'train.txt'
    listing.write_text('# training frames\nperson_3.png\n\nperson_1.png\n')
    out = tmp_path / 'dets.npz'
    result = detect_keypoints.main([str(root), '--out', str(out),
                                    '--image-list', str(listing)])
    assert result['images'] == 2
    data = load_annotations(str(out))
    listed = [n for n in ('person_3.png', 'person_1.png')
              if expected[n] is not None]
    assert list(data['image_path']) == listed
    listing.write_text('person_1.png\nnot_there.png\n')
    with pytest.raises(SystemExit, match='1 of the 2 images listed'):
        detect_keypoints.main([str(root), '--out', str(out),
                               '--image-list', str(listing)])
    with pytest.raises(SystemExit):   # argparse: folder mode only
        detect_keypoints.main([str(root), '--out', str(out), '--ann-file',
                               str(tmp_path / 'a.npz'), '--image-list',
                               str(listing)])
    assert '--image-list applies to the folder mode only' in \
        capsys.readouterr().err


def test_no_person_anywhere_is_an_error(tmp_path):
    root = tmp_path / 'empty'
    root.mkdir()
    for name in ('a.png', 'b.jpg'):
        cv2.imwrite(str(root / name), BLANK)
    out = tmp_path / 'dets.npz'
    with pytest.raises(SystemExit) as err:
        detect_keypoints.main([str(root), '--out', str(out)])
    assert err.value.code != 0
    assert 'found no person in any of the 2 images' in str(err.value.code)
    assert not out.exists()


# ---- annotation mode: detections for the rows of an existing file --------
# A two-person image (render 0 | grey background | render 1) and render 7
# alone; rows in an order that mixes the images: person 0, render 7,
# person 1, a box on the background.  Boxes as the 3DPW converter makes
# them: around the true joints, enlarged 1.2x.
ROW_IMAGES = ['scene/two.png', 'scene/one.png', 'scene/two.png',
              'scene/two.png']
ROW_RENDERS = [0, 7, 1, None]
BACKGROUND_XYXY = (300., 40., 470., 220.)   # in the grey panel


def _box_xywh(joints, scale=1.2):
    lo, hi = joints.min(0), joints.max(0)
    centre, size = (lo + hi) / 2, (hi - lo) * scale
    return np.concatenate([centre - size / 2, size])


@pytest.fixture(scope='module')
def scene(tmp_path_factory, rendered_people):
    """Image root, annotation file (4 rows, ground-truth fields), true
    COCO-17 joints of each row in full-image pixels (None: background)."""
    renders, joints = rendered_people
    root = tmp_path_factory.mktemp('scene_root')
    (root / 'scene').mkdir()
    two = np.concatenate([renders[0], BLANK, renders[1]], axis=1)
    cv2.imwrite(str(root / 'scene/two.png'), two[..., ::-1])
    cv2.imwrite(str(root / 'scene/one.png'), renders[7][..., ::-1])
    truth = [None if r is None else joints[r] + [2 * SIZE * (i == 2), 0]
             for i, r in enumerate(ROW_RENDERS)]
    x1, y1, x2, y2 = BACKGROUND_XYXY
    boxes = [_box_xywh(t) if t is not None else [x1, y1, x2 - x1, y2 - y1]
             for t in truth]
    coco = np.stack([t if t is not None else np.zeros((17, 2))
                     for t in truth])
    conf = np.array([[float(t is not None)] * 17 for t in truth])
    n = len(truth)
    rng = np.random.default_rng(0)
    data = dict(image_path=np.array(ROW_IMAGES),
                bbox_xywh=np.array(boxes, np.float32),
                keypoints2d=keypoints_to_superset(coco, 'coco', conf),
                smpl_global_orient=rng.normal(0, .3, (n, 3)),
                smpl_body_pose=rng.normal(0, .3, (n, 69)),
                smpl_betas=rng.normal(0, 1, (n, 10)),
                smpl_transl=np.zeros((n, 3)), has_smpl=np.ones(n, bool),
                gender=np.array(['male', 'female', 'female', 'male']),
                image_size=np.array([[3 * SIZE, SIZE], [SIZE, SIZE],
                                     [3 * SIZE, SIZE], [3 * SIZE, SIZE]]),
                sample_id=np.array(['two/p0', 'one/p0', 'two/p1',
                                    'two/bg']))
    ann = root / 'test.npz'
    save_annotations(str(ann), data, dataset='scene', split='test',
                     protocol='fabricated')
    return root, ann, truth


@pytest.fixture(scope='module')
def detected(scene, tmp_path_factory):
    """The tool run on the scene: ``(result, output path, printed summary,
    images read)``."""
    root, ann, _ = scene
    out = tmp_path_factory.mktemp('dets') / 'test_detected.npz'
    reads = []
    read_rgb = keypoint_detection.read_rgb
    printed = io.StringIO()    # a module-scoped fixture has no capsys
    with pytest.MonkeyPatch.context() as patch, \
            contextlib.redirect_stdout(printed):
        patch.setattr(keypoint_detection, 'read_rgb',
                      lambda path: reads.append(path) or read_rgb(path))
        result = detect_keypoints.main([str(root), '--ann-file', str(ann),
                                        '--out', str(out)])
    return result, out, printed.getvalue(), reads


def test_ann_file_mode_finds_each_rows_person(scene, detected):
    root, ann, truth = scene
    result, out, printed, reads = detected
    assert result['rows'] == 4 and result['images'] == 2
    assert result['detected'] == 3 and result['missed'] == [3]
    # each distinct image read once, whatever the order of its rows
    assert sorted(Path(p).name for p in reads) == ['one.png', 'two.png']
    assert '3 of 4 rows (2 images)' in printed
    assert '1 row without a detection' in printed
    assert 'row 3 (two/bg)' in printed

    data = load_annotations(str(out), required=('keypoints2d_detected', ))
    det, _ = convert_kps(data['keypoints2d_detected'], 'smpl_54', 'coco')
    for row, joints in enumerate(truth):
        if joints is None:   # background only: nobody, confidence 0
            assert not det[row, :, 2].any() and not det[row].any()
            continue
        sure = det[row, :, 2] > 0
        assert sure.sum() >= 8, f'row {row}: {sure.sum()} joints'
        assert (det[row, sure, 2] >= 0.5).all()
        assert not det[row, ~sure].any()
        error = np.linalg.norm(det[row, sure, :2] - joints[sure], axis=1)
        assert np.median(error) < 10, f'row {row}: {np.median(error)} px'
    # in the two-person image, each row found its own person, not the
    # other one
    other = np.linalg.norm(det[0, :, :2] - truth[2], axis=1)
    assert np.median(other) > 100


def test_ann_file_mode_keeps_every_original_field(scene, detected):
    _, ann, _ = scene
    out = detected[1]
    with np.load(str(ann)) as before, np.load(str(out)) as after:
        assert set(after.files) == set(before.files) | {
            'keypoints2d_detected'}
        for key in before.files:
            assert after[key].dtype == before[key].dtype, key
            np.testing.assert_array_equal(after[key], before[key],
                                          err_msg=key)


def test_dataset_and_preprocessor_read_the_detections(scene, detected):
    root = scene[0]
    init_default_scope('hmrzoo')
    dataset = HumanImageDataset(
        ann_file=str(detected[1]), data_prefix=dict(img_path=str(root)),
        crop_size=(SIZE, SIZE), keypoint_convention='coco',
        bbox_scale_factor=1.2, test_mode=True)
    pre = MODELS.build(dict(type='DetectedEvidencePreprocessor',
                            keypoints_key='det_keypoints2d',
                            heatmap_size=SIZE, sigma=4.0, with_iuv=False))
    batch = pre(pseudo_collate([dataset[i] for i in range(4)]))
    maps = batch['inputs']
    assert maps.shape == (4, 17, SIZE, SIZE)
    for i, sample in enumerate(batch['data_samples']):
        det = sample.det_keypoints2d.numpy()
        mask = sample.det_keypoints2d_mask.numpy()
        np.testing.assert_array_equal(sample.input_keypoints2d.numpy(), det)
        # normalised crop coordinates -> crop pixels (pixel centres)
        pixels = ((det + 1) * SIZE - 1) / 2
        inside = (mask > 0) & (pixels >= 0).all(1) & (pixels <= SIZE - 1
                                                      ).all(1)
        flat = maps[i].flatten(1)
        peaks = flat.max(1).values.numpy()
        where = flat.argmax(1).numpy()
        peak_xy = np.stack([where % SIZE, where // SIZE], 1)
        assert (np.abs(peak_xy[inside] - pixels[inside]) <= 0.5 + 1e-4).all()
        assert (peaks[inside] > 0.9).all()
        assert (peaks[mask == 0] == 0).all()
        if i == 3:      # the background row: no joint, empty heatmaps
            assert not mask.any() and not maps[i].any()
        else:   # the detections, not the ground truth, are drawn
            assert inside.sum() >= 8
            assert not np.array_equal(det, sample.gt_keypoints2d.numpy())


def test_ann_file_mode_errors(scene, tmp_path):
    root, ann, _ = scene
    out = str(tmp_path / 'x.npz')
    with pytest.raises(SystemExit):
        detect_keypoints.main([str(root), '--out', out, '--box-scale', '2'])
    with pytest.raises(SystemExit):
        detect_keypoints.main([str(root), '--ann-file', str(ann), '--out',
                               out, '--box-scale', '0'])
    with pytest.raises(SystemExit, match='two.png of row 0 does not exist; '
                       'IMG_ROOT must be the image root'):
        detect_keypoints.main([str(tmp_path), '--ann-file', str(ann),
                               '--out', out])
    assert not Path(out).exists()


def test_detect_in_box_cuts_the_enlarged_box_and_maps_back():
    seen = []

    def fake(crop):     # a detector that finds a point at crop (2, 3)
        seen.append(crop.copy())
        kps = np.zeros((17, 3), np.float32)
        kps[:, :2], kps[:, 2] = (2., 3.), 0.9
        return dict(keypoints=kps, box=np.array([1, 2, 5, 6], np.float32))

    image = np.arange(40 * 60 * 3, dtype=np.int64).reshape(40, 60, 3)
    image = (image % 251).astype(np.uint8)
    # box 20..30 x 10..20, enlarged 2x: centres 15..35 x 5..25
    assert crop_window((20, 10, 30, 20), 2., 60, 40) == (15, 5, 36, 26)
    found = detect_in_box(fake, image, (20, 10, 30, 20), 2.)
    np.testing.assert_array_equal(seen[0], image[5:26, 15:36])
    np.testing.assert_array_equal(found['keypoints'][0],
                                  np.float32([17., 8., .9]))
    np.testing.assert_array_equal(found['box'], [16, 7, 20, 11])
    np.testing.assert_array_equal(found['window'], [15, 5, 36, 26])
    # clipped to the image; nothing to cut outside it
    assert crop_window((50, 30, 70, 50), 1.2, 60, 40) == (48, 28, 60, 40)
    assert crop_window((70, 50, 90, 60), 1.2, 60, 40) is None
    assert detect_in_box(fake, image, (70, 50, 90, 60)) is None
    assert len(seen) == 1
    with pytest.raises(ValueError, match='box scale must be > 0'):
        crop_window((0, 0, 10, 10), 0., 60, 40)


def test_ann_file_mode_sets_iuv_paths(scene, tmp_path):
    root, ann, _ = scene
    iuv_dir = root / 'iuv'
    for rel in ('scene/two', 'scene/one'):
        (iuv_dir / 'scene').mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(iuv_dir / f'{rel}_IUV.png'),
                    np.zeros((SIZE, SIZE, 3), np.uint8))
    out = tmp_path / 'with_iuv.npz'
    detect_keypoints.main([str(root), '--ann-file', str(ann), '--out',
                           str(out), '--iuv-dir', str(iuv_dir)])
    data = load_annotations(str(out), required=('iuv_path', ))
    assert list(data['iuv_path']) == [
        'iuv/' + p.replace('.png', '_IUV.png') for p in ROW_IMAGES]
