"""RandomFlip / flip_smpl_pose: known values, involution, camera
consistency, and the mirrored mesh of a mirror-symmetric SMPL."""
import copy

import numpy as np
import pytest
import torch

from hmrzoo.body_models.smpl import SMPL
from hmrzoo.utils.rotations import axis_angle_to_rotmat
from hmrzoo.datasets.transforms import (RandomFlip, flip_results,
                                        flip_smpl_pose)
from hmrzoo.testing.symmetric_smpl import write_symmetric_smpl

MIRROR = np.array([-1., 1., 1.])
# SMPL joints: pelvis, L/R hip, spine1, L/R knee, spine2, L/R ankle, spine3,
# L/R foot, neck, L/R collar, head, L/R shoulder, L/R elbow, L/R wrist,
# L/R hand: each left joint swaps with the right one next to it.
SMPL_SWAP = [0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13, 15, 17, 16,
             19, 18, 21, 20, 23, 22]


def _project(kp3d, focal, pp):
    return kp3d[:, :2] / kp3d[:, 2:3] * focal + pp


def test_flip_twice_is_identity(make_sample):
    sample = make_sample()
    sample['bbox_rotation'] = 12.5
    original = copy.deepcopy(sample)
    once = flip_results(copy.deepcopy(sample))
    twice = flip_results(copy.deepcopy(once))
    assert once['flip'] is True and twice['flip'] is False
    for key, value in original.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_allclose(twice[key], value, atol=1e-5,
                                       err_msg=key)
            if key not in ('smpl_betas', 'focal_length', 'bbox_scale'):
                assert not np.allclose(once[key], value), key
        else:
            assert twice[key] == value, key
    # the input's arrays were not modified in place
    for key, value in original.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(sample[key], value, err_msg=key)


def test_flip_known_values(make_sample):
    sample = make_sample(width=64)
    kp = sample['keypoints2d']
    kp[1] = (10., 7., 1.)        # left_hip
    kp[2] = (50., 8., 0.)        # right_hip
    sample['keypoints3d'][1] = (0.3, 0.1, 4., 0.5)
    sample['bbox_rotation'] = 10.
    out = flip_results(copy.deepcopy(sample))
    # x -> W - 1 - x = 63 - x, and left <-> right
    assert out['keypoints2d'][2].tolist() == [53., 7., 1.]
    assert out['keypoints2d'][1].tolist() == [13., 8., 0.]
    np.testing.assert_allclose(out['keypoints3d'][2], [-0.3, 0.1, 4., 0.5],
                               rtol=1e-6)
    assert out['bbox_center'].tolist() == [30., 20.5]
    assert out['principal_point'].tolist() == [32.5, 22.]
    assert out['bbox_rotation'] == -10.
    np.testing.assert_array_equal(out['img'], sample['img'][:, ::-1])
    np.testing.assert_allclose(out['smpl_transl'], [-0.1, -0.2, 4.])
    np.testing.assert_array_equal(out['focal_length'],
                                  sample['focal_length'])


def test_flipped_3d_projects_onto_flipped_2d(make_sample):
    """Negating camera x and mapping cx -> W - 1 - cx keeps the 3D and 2D
    keypoints consistent."""
    sample = make_sample()
    f, pp = sample['focal_length'], sample['principal_point']
    np.testing.assert_allclose(_project(sample['keypoints3d'], f, pp),
                               sample['keypoints2d'][:, :2], atol=1e-4)
    out = flip_results(copy.deepcopy(sample))
    np.testing.assert_allclose(
        _project(out['keypoints3d'], out['focal_length'],
                 out['principal_point']),
        out['keypoints2d'][:, :2], atol=1e-4)


def test_flip_smpl_pose_permutation_and_signs():
    pose = np.arange(72, dtype=np.float64).reshape(24, 3) + 1
    flipped = flip_smpl_pose(pose.reshape(72)).reshape(24, 3)
    np.testing.assert_array_equal(flipped, pose[SMPL_SWAP] * [1, -1, -1])
    batch = np.random.default_rng(0).normal(size=(2, 5, 72))
    out = flip_smpl_pose(batch)
    assert out.shape == (2, 5, 72)
    np.testing.assert_array_equal(out[1, 3], flip_smpl_pose(batch[1, 3]))
    np.testing.assert_array_equal(flip_smpl_pose(out), batch)
    with pytest.raises(ValueError, match='72'):
        flip_smpl_pose(np.zeros(69))


@pytest.fixture(scope='module')
def symmetric_smpl(tmp_path_factory):
    path, sigma = write_symmetric_smpl(
        str(tmp_path_factory.mktemp('sym') / 'SMPL_NEUTRAL.npz'))
    return SMPL(model_path=path), sigma


def _mesh(model, pose, betas, transl):
    rot = axis_angle_to_rotmat(torch.as_tensor(pose, dtype=torch.float64)
                               .reshape(1, 24, 3)).float()
    with torch.no_grad():
        out = model(global_orient=rot[:, :1], body_pose=rot[:, 1:],
                    betas=torch.as_tensor(betas, dtype=torch.float32)[None],
                    transl=torch.as_tensor(transl,
                                           dtype=torch.float32)[None])
    return out['vertices'][0].numpy()


def test_flipped_pose_gives_mirrored_mesh(symmetric_smpl, make_sample):
    model, sigma = symmetric_smpl
    sample = make_sample(seed=3)
    sample['smpl_pose'] = np.random.default_rng(1).normal(
        0., 0.6, 72).astype(np.float32)
    out = flip_results(copy.deepcopy(sample))
    mesh = _mesh(model, sample['smpl_pose'], sample['smpl_betas'],
                 sample['smpl_transl'])
    flipped = _mesh(model, out['smpl_pose'], out['smpl_betas'],
                    out['smpl_transl'])
    mirrored = mesh[sigma] * MIRROR
    np.testing.assert_allclose(flipped, mirrored, atol=1e-5)
    # the test has power: the posed body is far from symmetric
    assert np.abs(mesh - mirrored).max() > 0.05


def test_random_flip_decisions_follow_the_generator(make_sample):
    seed, n = 123, 20
    expected = np.random.default_rng(seed).random(n) < 0.5
    flip = RandomFlip(prob=0.5, rng=seed)
    got = [flip(make_sample())['flip'] for _ in range(n)]
    assert got == expected.tolist()
    assert 0 < sum(got) < n
    assert not RandomFlip(prob=0.)(make_sample())['flip']
    out = RandomFlip(prob=1.)(make_sample())
    assert out['flip'] and out['bbox_center'][0] == 30.


def test_convention_mismatch_is_reported(make_sample):
    sample = make_sample()
    sample['keypoint_convention'] = 'coco'
    with pytest.raises(ValueError, match="keypoints2d .* 'coco'"):
        flip_results(sample)
    cropped = dict(make_sample(), crop_trans=np.eye(2, 3))
    with pytest.raises(ValueError, match='before AffineCrop'):
        RandomFlip(prob=1.)(cropped)
