"""tools/detect_keypoints.py writes mediapipe's detections on rendered Anny
bodies as an annotation file that HumanImageDataset and CRA's
DetectedEvidencePreprocessor read.

mediapipe is part of the tested stack (tools/install.sh installs it): a
missing mediapipe fails these tests, it does not skip them.
"""
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.body_models.conventions import convert_kps
from hmrzoo.datasets import HumanImageDataset
from hmrzoo.datasets.human_data import load_annotations
from hmrzoo.registry import KEYPOINT_DETECTORS, MODELS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import detect_keypoints  # noqa: E402

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
        np.testing.assert_allclose([x, y, x + w, y + h], det['box'],
                                   atol=1e-4)
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
