"""The data-sample table: every field the writers set is in it with the
shape they write, and a wrong field fails naming itself and its writer."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.datasets.human_image_dataset import HumanImageDataset
from hmrzoo.models.data_preprocessors import (SyntheticEvidencePreprocessor,
                                              SyntheticRoIPreprocessor)
from hmrzoo.registry import MODELS
from hmrzoo.structures import (DATA_FIELDS, HMRDataSample,
                               check_data_samples, register_data_field)
from hmrzoo.synthetic import SyntheticPoseDataset

init_default_scope('hmrzoo')


def _fields(samples):
    return {k for s in samples for k in s.keys()}


def _synthetic(n=2):
    ds = SyntheticPoseDataset(num_samples=n, seed=1, test_mode=True)
    return pseudo_collate([ds[i] for i in range(n)])


def test_synthetic_evidence_batch_is_in_the_table():
    pre = SyntheticEvidencePreprocessor(
        body_model=dict(type='Anny'), render_size=32, heatmap_size=32,
        outputs=('heatmaps', 'iuv', 'depth', 'silhouette', 'rgb', 'parts'),
        targets=('iuv', 'depth'))
    samples = pre(_synthetic())['data_samples']
    fields = _fields(samples)
    assert {'gt_iuv', 'gt_depth', 'input_rgb', 'input_keypoints2d',
            'gt_vertices', 'keypoint_jitter'} <= fields
    assert fields <= set(DATA_FIELDS)
    check_data_samples(samples, 'test')


def test_synthetic_roi_batch_is_in_the_table():
    pre = SyntheticRoIPreprocessor(body_model=dict(type='Anny'),
                                   num_rois=3, render_size=32,
                                   targets=dict(iuv=16))
    data = pre(_synthetic())
    samples = data['data_samples']
    assert samples[0].gt_keypoints2d.shape[0] == 3   # (M, K, 2)
    assert _fields(samples) <= set(DATA_FIELDS)
    check_data_samples(samples, 'test')


def test_packed_annotation_sample_is_in_the_table(tmp_path):
    rng = np.random.default_rng(0)
    pts3d = rng.normal(0, 0.3, (17, 3)) + [0.0, 0.0, 4.0]
    uv = 300 * pts3d[:, :2] / pts3d[:, 2:] + [160, 120]
    (tmp_path / 'imgs').mkdir()
    cv2.imwrite(str(tmp_path / 'imgs' / 'a.png'),
                (rng.random((240, 320, 3)) * 255).astype(np.uint8))
    lo, hi = uv.min(0), uv.max(0)
    save_annotations(str(tmp_path / 'ann.npz'), dict(
        image_path=np.array(['imgs/a.png']),
        bbox_xywh=np.concatenate([lo, hi - lo])[None],
        keypoints2d=keypoints_to_superset(uv[None], 'coco'),
        keypoints3d=keypoints_to_superset(pts3d[None], 'coco')),
        dataset='fake', split='test')
    sample = HumanImageDataset(
        str(tmp_path / 'ann.npz'), data_prefix=str(tmp_path),
        crop_size=(64, 64), keypoint_convention='coco',
        test_mode=True)[0]['data_samples']
    assert _fields([sample]) <= set(DATA_FIELDS)
    check_data_samples([sample], 'test')


def test_a_mask_of_the_wrong_length_names_field_and_writer():
    s = HMRDataSample()
    s.gt_keypoints2d = torch.zeros(17, 2)
    s.gt_keypoints2d_mask = torch.ones(16)
    with pytest.raises(ValueError) as err:
        check_data_samples([s], 'MyEstimator input')
    msg = str(err.value)
    # whichever field is read second is the one named as disagreeing
    assert 'K2=16' in msg and 'K2=17' in msg and 'must agree' in msg
    assert 'gt_keypoints2d_mask' in msg and "'gt_keypoints2d" in msg
    assert 'PackHMRInputs' in msg and 'MyEstimator input' in msg


def test_wrong_fixed_dimension_is_refused():
    s = HMRDataSample()
    s.gt_global_orient = torch.zeros(3, 3)   # (1, 3, 3) expected
    with pytest.raises(ValueError, match=r"'gt_global_orient'.*needs 3 "
                                         r"dimensions"):
        check_data_samples([s], 'test')
    s.gt_global_orient = torch.zeros(1, 3, 4)
    with pytest.raises(ValueError, match='dimension 3 expected, got 4'):
        check_data_samples([s], 'test')


def test_undeclared_field_is_refused_until_registered():
    s = HMRDataSample()
    s.gt_contact_labels = torch.zeros(6890)
    with pytest.raises(ValueError, match='register_data_field'):
        check_data_samples([s], 'test')
    register_data_field('gt_contact_labels', ('V', ), '1 on contact',
                        'a plugin')
    try:
        check_data_samples([s], 'test')
        with pytest.raises(ValueError, match='already declared'):
            register_data_field('gt_contact_labels', ('V', 2), '', 'x')
    finally:
        DATA_FIELDS.pop('gt_contact_labels')


def test_estimator_refuses_a_bad_batch_before_its_losses():
    model = MODELS.build(dict(
        type='MeshEstimator', body_model=dict(type='Anny'),
        projection=dict(type='WeakPerspectiveProjection'),
        backbone=dict(type='ResNet', depth=18, in_channels=17),
        head=dict(type='IEFHead', in_channels=512, n_iter=1),
        losses=dict(keypoints3d=dict(type='KeypointMSELoss')),
        data_preprocessor=dict(type='SyntheticKeypointPreprocessor',
                               body_model=dict(type='Anny'),
                               heatmap_size=32)))
    data = model.data_preprocessor(_synthetic(), training=True)
    data['data_samples'][1].gt_keypoints3d_mask = torch.ones(3)
    with pytest.raises(ValueError, match=r"MeshEstimator input: data "
                                         r"sample 1 field 'gt_keypoints3d"
                                         ) as err:
        model(**data, mode='loss')
    assert 'K3=3' in str(err.value) and 'K3=37' in str(err.value)
