"""HumanImageDataset: annotation rows -> the transforms' results dict."""
import numpy as np
import pytest

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.human_data import (AnnotationError, keypoints_to_superset,
                                        save_annotations)
from hmrzoo.datasets import human_image_dataset
from hmrzoo.datasets.human_image_dataset import HumanImageDataset


def _write(path, with_smpl=True):
    n = 3
    coco = np.zeros((n, 17, 2), np.float32)
    coco[:, 11] = [[10, 20], [11, 21], [12, 22]]       # left hip (COCO)
    conf = np.ones((n, 17), np.float32)
    conf[2, 11] = 0
    data = dict(
        image_path=np.array(['a/1.jpg', 'a/2.jpg', 'b/3.jpg']),
        bbox_xywh=np.array([[0, 0, 100, 100], [10, 20, 60, 0],
                            [50, 50, 40, 80]], np.float32),
        keypoints2d=keypoints_to_superset(coco, 'coco', conf),
        gender=np.array(['male', 'female', 'neutral']),
        sample_id=np.array(['s0', 's1', 's2']))
    if with_smpl:
        data.update(smpl_global_orient=np.full((n, 3), 0.1),
                    smpl_body_pose=np.full((n, 69), 0.2),
                    smpl_betas=np.arange(30.).reshape(n, 10),
                    smpl_transl=np.zeros((n, 3)),
                    has_smpl=np.array([True, True, False]))
    save_annotations(str(path), data, dataset='fake', split='train')
    return str(path)


def test_rows_become_results_dicts(tmp_path, monkeypatch):
    ann = _write(tmp_path / 'fake.npz')
    logged = []
    monkeypatch.setattr(human_image_dataset, 'print_log',
                        lambda msg, **kw: logged.append(msg))
    ds = HumanImageDataset(ann, data_prefix='/data/root',
                           crop_size=(192, 256),
                           keypoint_convention='coco', pipeline=[])
    # the row with a zero-height box is dropped, and counted in the log
    assert len(ds) == 2
    assert any('dropped 1 of 3' in msg for msg in logged)
    first, second = ds.get_data_info(0), ds.get_data_info(1)
    assert first['img_path'] == '/data/root/a/1.jpg'
    assert second['sample_id'] == 's2' and second['gender'] == 'neutral'
    # keypoints converted by name: COCO's left hip is stored as
    # smpl_54's left_hip_extra and comes back at COCO index 11
    assert get_keypoint_idx('left_hip_extra', 'coco') == 11
    np.testing.assert_allclose(first['keypoints2d'][11], [10, 20, 1])
    np.testing.assert_allclose(second['keypoints2d'][11], [12, 22, 0])
    assert first['keypoints2d'].shape == (17, 3)
    assert first['keypoints3d'].shape == (17, 4)
    assert not first['keypoints3d'][:, 3].any()
    # the 100x100 box widened to the 3:4 crop: (100, 133.3) around (50, 50)
    np.testing.assert_allclose(first['bbox_center'], [50, 50])
    np.testing.assert_allclose(first['bbox_scale'], [100, 400 / 3],
                               rtol=1e-6)
    # a tall 40x80 box keeps its height: (60, 80)
    np.testing.assert_allclose(second['bbox_scale'], [60, 80])
    # SMPL: the parameters of a fitted row, zeros for a row without
    np.testing.assert_allclose(first['smpl_pose'][:3], 0.1, rtol=1e-6)
    np.testing.assert_allclose(first['smpl_pose'][3:], 0.2, rtol=1e-6)
    np.testing.assert_allclose(first['smpl_betas'], np.arange(10.))
    assert first['has_smpl'] and not second['has_smpl']
    assert not second['smpl_pose'].any()
    assert first['focal_length'] is None
    assert ds.metainfo['dataset_name'] == 'fake'


def test_bbox_scale_factor_enlarges_the_box(tmp_path):
    ann = _write(tmp_path / 'fake.npz')
    ds = HumanImageDataset(ann, crop_size=(224, 224), bbox_scale_factor=1.2,
                           pipeline=[])
    np.testing.assert_allclose(ds.get_data_info(0)['bbox_scale'], [120, 120],
                               rtol=1e-6)


def test_missing_required_key_names_file_and_key(tmp_path):
    ann = _write(tmp_path / 'fake.npz', with_smpl=False)
    with pytest.raises(AnnotationError) as err:
        HumanImageDataset(ann, required=('keypoints3d',), pipeline=[])
    assert 'fake.npz' in str(err.value) and "'keypoints3d'" in str(err.value)


def test_missing_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match='convert_datasets.py'):
        HumanImageDataset(str(tmp_path / 'nowhere.npz'), pipeline=[])
