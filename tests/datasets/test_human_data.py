"""The annotation format's optional ``keypoints2d_detected``: a detector's
2D keypoints kept beside the ground truth, stored and validated like
``keypoints2d`` and read by HumanImageDataset in the model's convention."""
import numpy as np
import pytest

from hmrzoo.datasets import HumanImageDataset
from hmrzoo.datasets.human_data import (FIELDS, AnnotationError,
                                        keypoints_to_superset,
                                        load_annotations, save_annotations)


def _data(n=2, seed=0):
    """(annotation dict of n rows, their detections (n, 17, 3) in COCO
    order)."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0, 200, (n, 17, 2))
    detected = truth + rng.normal(0, 3, (n, 17, 2))
    conf = rng.uniform(0.2, 1, (n, 17))
    conf[1] = 0      # a row where the detector found nobody
    data = dict(image_path=np.array(['a.jpg', 'b.jpg'][:n]),
                bbox_xywh=np.tile([10., 20., 100., 150.], (n, 1)),
                keypoints2d=keypoints_to_superset(truth, 'coco'),
                keypoints2d_detected=keypoints_to_superset(detected, 'coco',
                                                           conf))
    return data, np.concatenate([detected, conf[..., None]], -1)


def test_detected_keypoints_round_trip(tmp_path):
    data, _ = _data()
    assert FIELDS['keypoints2d_detected'][:2] == FIELDS['keypoints2d'][:2]
    path = str(tmp_path / 'dets.npz')
    assert save_annotations(path, data, dataset='fake') == 2
    back = load_annotations(path, required=('keypoints2d_detected', ))
    assert back['keypoints2d_detected'].shape == (2, 54, 3)
    assert back['keypoints2d_detected'].dtype == np.float32
    np.testing.assert_array_equal(back['keypoints2d_detected'],
                                  data['keypoints2d_detected'])
    np.testing.assert_array_equal(back['keypoints2d'], data['keypoints2d'])
    # the row without a detection stays all-zero confidence
    assert not back['keypoints2d_detected'][1, :, 2].any()


def test_misshaped_detected_keypoints_fail_naming_the_key(tmp_path):
    data, _ = _data()
    data['keypoints2d_detected'] = data['keypoints2d_detected'][:, :17]
    path = str(tmp_path / 'bad.npz')
    with pytest.raises(AnnotationError) as err:
        save_annotations(path, data)
    msg = str(err.value)
    assert "'keypoints2d_detected'" in msg and 'bad.npz' in msg
    assert '(2, 17, 3)' in msg and '(2, 54, 3)' in msg


def test_required_detected_keypoints_missing_names_the_key(tmp_path):
    data, _ = _data()
    del data['keypoints2d_detected']
    path = str(tmp_path / 'truth.npz')
    save_annotations(path, data)
    with pytest.raises(AnnotationError, match="'keypoints2d_detected' is "
                       'missing'):
        load_annotations(path, required=('keypoints2d_detected', ))


def test_dataset_reads_them_in_its_convention(tmp_path):
    data, coco = _data()
    path = str(tmp_path / 'dets.npz')
    save_annotations(path, data)
    ds = HumanImageDataset(path, keypoint_convention='coco', pipeline=[])
    for row in range(2):
        info = ds.get_data_info(row)
        det = info['keypoints2d_detected']
        assert det.shape == (17, 3)
        # stored in smpl_54 by name, back in COCO order
        np.testing.assert_allclose(det, coco[row], rtol=1e-6)
        assert not np.array_equal(det, info['keypoints2d'])
    assert not ds.get_data_info(1)['keypoints2d_detected'][:, 2].any()
    del data['keypoints2d_detected']
    save_annotations(path, data)
    ds = HumanImageDataset(path, keypoint_convention='coco', pipeline=[])
    assert 'keypoints2d_detected' not in ds.get_data_info(0)
