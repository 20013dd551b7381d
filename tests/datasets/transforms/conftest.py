"""A fabricated results dict with every field the dataset gives."""
import numpy as np
import pytest

from hmrzoo.conventions import get_keypoint_num

CONVENTION = 'smpl_54'


def _sample(seed=0, width=64, height=48):
    """Random but consistent sample: the 2D keypoints are the projections of
    the 3D keypoints with the sample's camera."""
    rng = np.random.default_rng(seed)
    k = get_keypoint_num(CONVENTION)
    focal = np.array([70., 75.], np.float32)
    pp = np.array([30.5, 22.], np.float32)
    xyz = np.stack([rng.uniform(-0.8, 0.8, k), rng.uniform(-0.6, 0.6, k),
                    rng.uniform(3., 5., k)], -1)
    uv = xyz[:, :2] / xyz[:, 2:] * focal + pp
    conf2d = rng.integers(0, 2, k).astype(np.float32)
    conf3d = rng.uniform(0., 1., k).astype(np.float32)
    return dict(
        img_path='unused.png', sample_idx=seed, sample_id=f'seq/{seed:04d}',
        img=rng.integers(0, 256, (height, width, 3), dtype=np.uint8),
        img_shape=(height, width), ori_shape=(height, width),
        bbox_center=np.array([33., 20.5], np.float32),
        bbox_scale=np.array([30., 40.], np.float32),
        bbox_rotation=0., flip=False, keypoint_convention=CONVENTION,
        keypoints2d=np.concatenate([uv, conf2d[:, None]], -1).astype(
            np.float32),
        keypoints3d=np.concatenate([xyz, conf3d[:, None]], -1).astype(
            np.float32),
        smpl_pose=rng.normal(0., 0.4, 72).astype(np.float32),
        smpl_betas=rng.normal(0., 1., 10).astype(np.float32),
        smpl_transl=np.array([0.1, -0.2, 4.], np.float32), has_smpl=True,
        gender='neutral', focal_length=focal, principal_point=pp)


@pytest.fixture
def make_sample():
    """``make_sample(seed=0, width=64, height=48) -> dict``: a fresh
    sample (image (H, W, 3) uint8 random)."""
    return _sample
