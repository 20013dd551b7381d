"""A detector's keypoints (``keypoints2d_detected``) go through flip,
scale / rotation, crop (one RoI or Multi-RoI's five) and packing exactly as
the ground-truth ``keypoints2d``, and come out as ``det_keypoints2d``."""
import copy

import numpy as np
import pytest
import torch
from mmengine.dataset import Compose
from mmengine.registry import DefaultScope

from hmrzoo.conventions import get_flip_indices
from hmrzoo.datasets.transforms import KEYPOINTS2D_FIELDS, KEYPOINTS2D_KEYS

CROP = (32, 48)


def _pipeline(rois, seed):
    with DefaultScope.overwrite_default_scope('hmrzoo'):
        return Compose([
            dict(type='RandomFlip', prob=1.),
            dict(type='RandomScaleRotation', rot_prob=1., rng=seed),
            dict(type='AffineCrop', crop_size=CROP, rois=rois),
            dict(type='PackHMRInputs'),
        ])


def _other_keypoints(sample, seed):
    """Keypoints unlike the sample's ground truth: moved, other
    confidences."""
    rng = np.random.default_rng(seed + 100)
    kp = np.array(sample['keypoints2d'])
    kp[:, :2] += rng.normal(0, 5, (len(kp), 2))
    kp[:, 2] = rng.integers(0, 2, len(kp)) * rng.uniform(.3, 1, len(kp))
    return kp.astype(np.float32)


def test_one_list_of_2d_keys():
    assert KEYPOINTS2D_KEYS == ('keypoints2d', 'keypoints2d_detected')
    assert KEYPOINTS2D_FIELDS['keypoints2d_detected'] == 'det_keypoints2d'


@pytest.mark.parametrize('rois', [None, dict()], ids=['crop', 'multiroi'])
@pytest.mark.parametrize('seed', [0, 1])
def test_same_keypoints_pack_the_same(make_sample, rois, seed):
    sample = make_sample(seed=seed)
    sample['keypoints2d_detected'] = sample['keypoints2d'].copy()
    packed = _pipeline(rois, seed)(sample)['data_samples']
    assert packed.flip and packed.det_keypoints2d.shape == (
        packed.gt_keypoints2d.shape)
    assert packed.gt_keypoints2d.shape[-2:] == (54, 2)
    if rois is not None:
        assert packed.gt_keypoints2d.shape[0] == 5
    assert torch.equal(packed.det_keypoints2d, packed.gt_keypoints2d)
    assert torch.equal(packed.det_keypoints2d_mask,
                       packed.gt_keypoints2d_mask)


@pytest.mark.parametrize('rois', [None, dict()], ids=['crop', 'multiroi'])
@pytest.mark.parametrize('seed', [0, 1])
def test_other_keypoints_move_as_ground_truth_would(make_sample, rois, seed):
    sample = make_sample(seed=seed)
    detected = _other_keypoints(sample, seed)
    as_det = dict(copy.deepcopy(sample), keypoints2d_detected=detected)
    # the same sample with the roles swapped: the detections as ground
    # truth, the ground truth as detections
    swapped = dict(copy.deepcopy(sample), keypoints2d=detected,
                   keypoints2d_detected=sample['keypoints2d'])
    a = _pipeline(rois, seed)(as_det)['data_samples']
    b = _pipeline(rois, seed)(swapped)['data_samples']
    assert torch.equal(a.det_keypoints2d, b.gt_keypoints2d)
    assert torch.equal(a.det_keypoints2d_mask, b.gt_keypoints2d_mask)
    assert torch.equal(a.gt_keypoints2d, b.det_keypoints2d)
    assert not torch.equal(a.det_keypoints2d, a.gt_keypoints2d)
    assert not torch.equal(a.det_keypoints2d_mask, a.gt_keypoints2d_mask)


def test_flip_mirrors_and_permutes_the_detections(make_sample):
    sample = make_sample(seed=3)
    detected = _other_keypoints(sample, 3)
    sample['keypoints2d_detected'] = detected
    with DefaultScope.overwrite_default_scope('hmrzoo'):
        out = Compose([dict(type='RandomFlip', prob=1.)])(sample)
    perm = get_flip_indices('smpl_54')
    width = sample['img'].shape[1]
    expected = detected[perm]
    expected[:, 0] = width - 1 - expected[:, 0]
    np.testing.assert_array_equal(out['keypoints2d_detected'], expected)


def test_without_detections_nothing_is_packed(make_sample):
    packed = _pipeline(None, 0)(make_sample(seed=0))['data_samples']
    assert 'gt_keypoints2d' in packed and 'det_keypoints2d' not in packed
    assert 'det_keypoints2d_mask' not in packed
