"""Pose banks from .npz files in the layouts users bring."""
import numpy as np
import pytest
import torch

from hmrzoo.utils.rotations import axis_angle_to_rotmat
from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.synthetic.sources import PoseBankSampler


def _aa(n, k, seed):
    return np.random.default_rng(seed).normal(0, 0.3, (n, k))


def test_body_pose_layout_and_sampling(tmp_path):
    body = _aa(5, 69, 0)
    path = tmp_path / 'bank.npz'
    np.savez(path, body_pose=body, global_orient=_aa(5, 3, 1))
    bank = PoseBankSampler(str(path))
    assert len(bank) == 5
    rng = np.random.default_rng(3)
    seen = set()
    for _ in range(50):
        s = bank(rng)
        match = [i for i in range(5) if np.allclose(
            s['body_pose'], axis_angle_to_rotmat(torch.from_numpy(
                body[i].reshape(23, 3))).numpy())]
        assert len(match) == 1
        seen.add(match[0])
        # sampled orientation faces the camera: body up -> image up
        assert (s['global_orient'][0] @ [0, 1, 0])[1] < 0
    assert seen == set(range(5))
    kept = PoseBankSampler(str(path), use_bank_orientation=True)
    g = kept(np.random.default_rng(0))['global_orient'][0]
    assert any(np.allclose(g, axis_angle_to_rotmat(torch.from_numpy(
        _aa(5, 3, 1)[i])).numpy()) for i in range(5))


def test_amass_like_poses_keep_body_joints(tmp_path):
    poses = _aa(4, 156, 2)  # SMPL-H: 52 joints
    path = tmp_path / 'amass.npz'
    np.savez(path, poses=poses)
    bank = PoseBankSampler(str(path))
    s = bank(np.random.default_rng(0))
    i = next(i for i in range(4) if np.allclose(
        s['body_pose'][0], axis_angle_to_rotmat(torch.from_numpy(
            poses[i, 3:6])).numpy()))
    # 21 body joints from the file, SMPL's two hand joints at identity
    assert np.allclose(s['body_pose'][20], axis_angle_to_rotmat(
        torch.from_numpy(poses[i, 63:66])).numpy())
    assert np.allclose(s['body_pose'][21:], np.eye(3))


def test_bad_banks_are_named(tmp_path):
    path = tmp_path / 'bad.npz'
    np.savez(path, rotations=np.zeros((3, 72)))
    with pytest.raises(KeyError, match='body_pose, poses or pose'):
        PoseBankSampler(str(path))
    with pytest.raises(FileNotFoundError, match='missing.npz'):
        PoseBankSampler(str(tmp_path / 'missing.npz'))


def test_dataset_uses_the_bank(tmp_path):
    body = _aa(3, 69, 4)
    path = tmp_path / 'bank.npz'
    np.savez(path, body_pose=body)
    ds = SyntheticPoseDataset(num_samples=6, pose_bank=dict(path=str(path)))
    bank_rots = axis_angle_to_rotmat(torch.from_numpy(body.reshape(
        3, 23, 3))).float()
    for i in range(6):
        pose = ds[i]['data_samples'].gt_body_pose
        assert any(torch.allclose(pose, r, atol=1e-6) for r in bank_rots)
