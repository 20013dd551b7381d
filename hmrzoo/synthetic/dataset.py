"""On-the-fly synthetic samples: pose x shape x camera (+ keypoint noise).

The dataset draws *parameters* only (cheap, per sample, deterministic in
``(seed, index)`` and therefore identical in every dataloader worker and
every process).  Posing the body model, projecting and drawing heatmaps is
done batched by the model's data preprocessor
(:class:`hmrzoo.models.data_preprocessors.SyntheticKeypointPreprocessor`),
where one body-model call serves the whole batch (on the GPU when there is
one) instead of one call per sample in each worker.
"""
from typing import Optional

import numpy as np
import torch
from torch.utils.data import Dataset

from ..registry import DATASETS
from ..structures import HMRDataSample
from .sources import (GaussianShapeSampler, PerspectiveCameraSampler,
                      PoseBankSampler, ProceduralPoseSampler)


@DATASETS.register_module()
class SyntheticPoseDataset(Dataset):
    """Synthetic (pose, shape, camera) samples for a body model.

    Args:
        num_samples (int): length of the dataset.
        seed (int): sample ``i`` is drawn from ``default_rng([seed, i])``; a
            held-out test set is a fixed seed different from training's.
        num_betas (int): size of the shape vector (6 for Anny, 10 for SMPL).
        num_keypoints (int): number of input keypoints the noise is drawn
            for (17 for COCO).
        pose_sampler (dict): kwargs of :class:`ProceduralPoseSampler`.
        pose_bank (dict): kwargs of :class:`PoseBankSampler` (``path=...``);
            when given, body poses come from the bank instead of the
            procedural sampler.
        shape_std (float): std of the shape parameters (mean 0).
        camera (dict): kwargs of :class:`PerspectiveCameraSampler`.
        keypoint_jitter (float): std of the 2D keypoint noise, as a fraction
            of the crop size.  0 disables it (the default for test sets).
        keypoint_dropout (float): probability that a keypoint is removed.
        test_mode (bool): no noise, whatever the two arguments above say.
    """

    metainfo = dict(dataset_name='synthetic')

    def __init__(self, num_samples: int = 100000, seed: int = 0,
                 num_betas: int = 6, num_keypoints: int = 17,
                 pose_sampler: Optional[dict] = None,
                 pose_bank: Optional[dict] = None, shape_std: float = 1.0,
                 camera: Optional[dict] = None,
                 keypoint_jitter: float = 0.0, keypoint_dropout: float = 0.0,
                 test_mode: bool = False):
        self.num_samples = int(num_samples)
        self.seed = int(seed)
        self.num_keypoints = num_keypoints
        self.pose_sampler = PoseBankSampler(**pose_bank) if pose_bank \
            else ProceduralPoseSampler(**(pose_sampler or {}))
        self.shape_sampler = GaussianShapeSampler(num_betas, std=shape_std)
        self.camera_sampler = PerspectiveCameraSampler(**(camera or {}))
        self.keypoint_jitter = 0.0 if test_mode else keypoint_jitter
        self.keypoint_dropout = 0.0 if test_mode else keypoint_dropout
        self.test_mode = test_mode

    def __len__(self) -> int:
        return self.num_samples

    @staticmethod
    def smpl_fraction() -> float:
        """Every sample has its body-model parameters."""
        return 1.0

    def __getitem__(self, idx: int) -> dict:
        if not 0 <= idx < self.num_samples:
            raise IndexError(f'index {idx} out of range [0, {len(self)})')
        rng = np.random.default_rng([self.seed, idx])
        pose = self.pose_sampler(rng)
        shape = self.shape_sampler(rng)
        cam = self.camera_sampler(rng)
        jitter = rng.standard_normal((self.num_keypoints, 2)) \
            * self.keypoint_jitter
        keep = rng.random(self.num_keypoints) >= self.keypoint_dropout
        f32 = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float32)  # noqa
        sample = HMRDataSample(metainfo=dict(
            sample_idx=idx, focal_length=float(cam['focal_length']),
            img_size=self.camera_sampler.img_size))
        sample.gt_global_orient = f32(pose['global_orient'])
        sample.gt_body_pose = f32(pose['body_pose'])
        sample.gt_betas = f32(shape['betas'])
        sample.gt_transl = f32(cam['transl'])
        sample.keypoint_jitter = f32(jitter)
        sample.keypoint_keep = torch.as_tensor(keep)
        for key, value in self._appearance(rng).items():
            setattr(sample, key, torch.as_tensor(value) if key.endswith(
                '_seed') else f32(value))
        return dict(data_samples=sample)

    @staticmethod
    def _appearance(rng: np.random.Generator) -> dict:
        """Per-sample look for synthetic RGB: a light from the camera's
        side (direction within about 45 degrees of the optical axis,
        towards the light, camera frame), an ambient share, one colour per
        IUV part (index 0 unused), a background colour, and seeds of the
        procedural texture and background images."""
        light = np.array([*rng.uniform(-1, 1, 2), -1.0])
        return dict(light_dir=light / np.linalg.norm(light),
                    ambient=rng.uniform(0.3, 0.7),
                    part_colors=rng.uniform(0.15, 0.95, (25, 3)),
                    background=rng.uniform(0.0, 1.0, 3),
                    texture_seed=int(rng.integers(2 ** 31)),
                    background_seed=int(rng.integers(2 ** 31)))
