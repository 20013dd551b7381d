"""Synthetic samples: determinism, joint limits, camera facing, and the
batched preprocessor (projection, crop, heatmaps) against independent
computations."""
import math

import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.conventions.smpl import SMPL_24
from hmrzoo.utils.rotations import axis_angle_to_rotmat
from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.synthetic.sources.pose_sampler import (JOINT_LIMITS_DEG,
                                                  ProceduralPoseSampler,
                                                  euler_xyz_to_rotmat)
from hmrzoo.models.data_preprocessors import SyntheticKeypointPreprocessor


def test_euler_matches_composed_axis_angles():
    a = np.array([0.3, -0.7, 1.1])
    R = euler_xyz_to_rotmat(a)
    rx, ry, rz = (axis_angle_to_rotmat(torch.tensor(v, dtype=torch.float64))
                  for v in ([a[0], 0, 0], [0, a[1], 0], [0, 0, a[2]]))
    assert np.allclose(R, (rz @ ry @ rx).numpy())


def test_deterministic_per_seed_and_index():
    ds = SyntheticPoseDataset(num_samples=10, seed=3, keypoint_jitter=0.01,
                              keypoint_dropout=0.2)
    a, b = ds[4]['data_samples'], ds[4]['data_samples']
    for k in ('gt_body_pose', 'gt_betas', 'gt_transl', 'keypoint_jitter'):
        assert torch.equal(getattr(a, k), getattr(b, k))
    other = SyntheticPoseDataset(num_samples=10, seed=4)[4]['data_samples']
    assert not torch.equal(a.gt_body_pose, other.gt_body_pose)
    test = SyntheticPoseDataset(num_samples=10, seed=3, keypoint_jitter=0.01,
                                test_mode=True)[4]['data_samples']
    assert torch.equal(test.gt_body_pose, a.gt_body_pose)
    assert test.keypoint_jitter.abs().sum() == 0 and test.keypoint_keep.all()
    with pytest.raises(IndexError):
        ds[10]


def test_joint_limits_respected_and_mirrored():
    sampler = ProceduralPoseSampler()
    rng = np.random.default_rng(0)
    knee_l, knee_r = SMPL_24.index('left_knee') - 1, \
        SMPL_24.index('right_knee') - 1
    lo, hi = JOINT_LIMITS_DEG['left_knee'][0]
    for _ in range(200):
        pose = sampler.sample_body_pose(rng)
        for j in (knee_l, knee_r):  # pure rotation about x
            R = pose[j]
            ang = math.degrees(math.atan2(R[2, 1], R[2, 2]))
            assert lo - 1e-6 <= ang <= hi + 1e-6
            assert np.allclose(R[0], [1, 0, 0], atol=1e-9)
    # right-side limits mirror the left ones (x kept, y and z negated)
    lim = sampler.limits
    l, r = SMPL_24.index('left_shoulder') - 1, \
        SMPL_24.index('right_shoulder') - 1
    assert np.allclose(lim[r, 0], lim[l, 0])
    assert np.allclose(lim[r, 1:], -lim[l, 1:, ::-1])


def test_global_orient_faces_the_camera():
    sampler = ProceduralPoseSampler(yaw_range=(0, 0), pitch_range=(0, 0),
                                    roll_range=(0, 0))
    R = sampler.sample_global_orient(np.random.default_rng(0))
    # body up (+y) -> image up (-y); body front (+z) -> towards camera (-z)
    assert np.allclose(R @ [0, 1, 0], [0, -1, 0])
    assert np.allclose(R @ [0, 0, 1], [0, 0, -1])


def test_preprocessor_projection_crop_and_heatmaps():
    ds = SyntheticPoseDataset(num_samples=4, seed=0, num_keypoints=17)
    pre = SyntheticKeypointPreprocessor(dict(type='Anny'), heatmap_size=64,
                                        sigma=2.0, crop_scale=1.2)
    data = pre(pseudo_collate([ds[i] for i in range(4)]))
    heat, samples = data['inputs'], data['data_samples']
    assert heat.shape == (4, 17, 64, 64)
    from hmrzoo.body_models import convert_kps
    for b, s in enumerate(samples):
        # independent pinhole projection of the camera-frame keypoints
        X = s.gt_keypoints3d
        f, c = s.focal_length, s.img_size / 2
        px = f * X[:, :2] / X[:, 2:] + c
        norm = (px - s.crop_center) / (s.crop_size / 2)
        assert torch.allclose(norm, s.gt_keypoints2d, atol=1e-4)
        coco, _ = convert_kps(s.gt_keypoints2d, 'anny', 'coco')
        # the crop is 1.2x the keypoint box: extent exactly 2 / 1.2
        ext = (coco.amax(0) - coco.amin(0)).max()
        assert abs(float(ext) - 2 / 1.2) < 1e-4
        # clean test data: heatmap peaks at the keypoints (pixel centres)
        hm_px = (coco + 1) / 2 * 64 - 0.5
        for k in range(17):
            idx = int(heat[b, k].argmax())
            y, x = divmod(idx, 64)
            assert abs(x - hm_px[k, 0]) <= 0.5 + 1e-4
            assert abs(y - hm_px[k, 1]) <= 0.5 + 1e-4


def test_worker_safe_under_multiprocess_loading():
    from torch.utils.data import DataLoader
    ds = SyntheticPoseDataset(num_samples=12, seed=9, keypoint_jitter=0.02,
                              keypoint_dropout=0.2)
    def load(workers):
        loader = DataLoader(ds, batch_size=4, num_workers=workers,
                            collate_fn=pseudo_collate)
        return [s for b in loader for s in b['data_samples']]
    single, multi = load(0), load(2)
    for a, b in zip(single, multi):
        assert a.sample_idx == b.sample_idx
        for k in ('gt_body_pose', 'gt_betas', 'gt_transl', 'keypoint_jitter',
                  'keypoint_keep'):
            assert torch.equal(getattr(a, k), getattr(b, k))
