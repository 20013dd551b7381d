"""Non-finite or empty data is refused naming the file, key, row or
sample: annotation files (human_data.validate, HumanImageDataset) and the
metrics (before Procrustes)."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from hmrzoo.datasets.human_data import (AnnotationError,
                                        keypoints_to_superset,
                                        load_annotations, save_annotations)
from hmrzoo.datasets.human_image_dataset import HumanImageDataset
from hmrzoo.evaluation import MeshRecoveryMetric

init_default_scope('hmrzoo')


def _rows(n, rng):
    kp = rng.uniform(10, 50, (n, 17, 2))
    return dict(image_path=np.array([f'img{i}.jpg' for i in range(n)],
                                    dtype=str),
                bbox_xywh=np.tile([[5., 5., 60., 60.]], (n, 1)),
                keypoints2d=keypoints_to_superset(kp, 'coco'))


def test_nan_keypoints_are_refused_naming_key_and_row(tmp_path):
    data = _rows(6, np.random.default_rng(0))
    data['keypoints2d'][3, 5, 0] = np.nan
    data['keypoints2d'][4, 1, 1] = np.inf
    with pytest.raises(AnnotationError) as err:
        save_annotations(str(tmp_path / 'a.npz'), data)
    msg = str(err.value)
    assert str(tmp_path / 'a.npz') in msg and "key 'keypoints2d'" in msg
    assert 'in 2 of 6 rows, the first at row 3' in msg
    # a file written by other means is refused when read, too
    np.savez(tmp_path / 'b.npz', format_version=np.array(1), **data)
    with pytest.raises(AnnotationError, match=r"b\.npz: key 'keypoints2d'"):
        load_annotations(str(tmp_path / 'b.npz'))


def test_non_finite_box_rows_are_dropped(tmp_path):
    data = _rows(4, np.random.default_rng(1))
    data['bbox_xywh'][2] = np.nan          # the documented policy: drop
    path = str(tmp_path / 'c.npz')
    save_annotations(path, data)
    ds = HumanImageDataset(path, data_prefix=str(tmp_path),
                           crop_size=(32, 32), keypoint_convention='coco',
                           test_mode=True)
    assert len(ds) == 3


@pytest.mark.parametrize('rows', [0, 3])
def test_a_file_without_usable_rows_names_itself(tmp_path, rows):
    data = _rows(rows, np.random.default_rng(2))
    data['bbox_xywh'][:] = 0.                 # no box of positive size
    path = str(tmp_path / 'empty.npz')
    save_annotations(path, data)
    with pytest.raises(AnnotationError) as err:
        HumanImageDataset(path, data_prefix=str(tmp_path),
                          crop_size=(32, 32), keypoint_convention='coco',
                          test_mode=True)
    msg = str(err.value)
    assert path in msg and 'tools/convert_datasets.py' in msg
    assert ('has no rows' if rows == 0 else 'all 3 lack a valid bbox_xywh') \
        in msg


def _sample(idx, pred, gt):
    return dict(sample_idx=idx, pred_keypoints3d=torch.as_tensor(pred),
                gt_keypoints3d=torch.as_tensor(gt),
                gt_keypoints3d_mask=torch.ones(len(gt)))


def test_metric_refuses_nan_predictions_naming_the_sample():
    rng = np.random.default_rng(3)
    gt = rng.normal(size=(14, 3))
    pred = gt.copy()
    pred[2, 1] = np.nan
    metric = MeshRecoveryMetric(metric=('MPJPE', 'PA-MPJPE'))
    metric.process(None, [_sample(0, gt, gt)])
    with pytest.raises(ValueError, match=r'sample 7: the model predicted '
                                         r'NaN / Inf in pred_keypoints3d; '
                                         r'the checkpoint diverged'):
        metric.process(None, [_sample(7, pred, gt)])


def test_metric_ignores_nan_only_in_masked_out_ground_truth():
    rng = np.random.default_rng(4)
    gt = rng.normal(size=(14, 3))
    s = _sample(1, gt + 0.01, gt)
    s['gt_keypoints3d'][5] = float('nan')
    s['gt_keypoints3d_mask'][5] = 0.
    metric = MeshRecoveryMetric(metric=('MPJPE', ))
    metric.process(None, [s])
    assert np.isfinite(metric.compute_metrics(metric.results)['MPJPE'])
    s['gt_keypoints3d_mask'][5] = 1.
    with pytest.raises(ValueError, match='sample 1: the ground truth holds '
                                         'NaN / Inf in gt_keypoints3d'):
        metric.process(None, [s])


def test_truncated_jpeg_is_refused_naming_file_and_sample(tmp_path):
    import cv2
    from hmrzoo.datasets.transforms.loading import LoadImage
    path = tmp_path / 'person.jpg'
    img = (np.random.default_rng(5).random((64, 48, 3)) * 255).astype('u1')
    cv2.imwrite(str(path), img)
    assert LoadImage()(dict(img_path=str(path)))['img'].shape == (64, 48, 3)
    path.write_bytes(path.read_bytes()[:-300])    # cut off
    with pytest.raises(FileNotFoundError, match=rf'image is truncated: '
                                                rf'{path} \(sample s7\)'):
        LoadImage()(dict(img_path=str(path), sample_id='s7'))
