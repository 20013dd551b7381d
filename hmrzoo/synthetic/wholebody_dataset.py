"""On-the-fly whole-body parameter vectors: the STS paper's parameter bank
sampled into complete Θ (§III-D, Fig. 4 a), with a camera.

Like :class:`.dataset.SyntheticPoseDataset` it only draws parameters
(deterministic in ``(seed, index)``); the whole-body data preprocessor
(:class:`hmrzoo.models.data_preprocessors.SyntheticWholeBodyPreprocessor`)
poses the body model batched, projects with the sampled perspective camera
and crops: the paired 2D keypoints and complete 3D targets.

Close and far shots are camera distance ranges (``camera.depth_range``,
metres from the camera to the body's origin): near the body (1.3-2.5 m)
the depth differences between body parts change their image scale a lot
(the foreshortening D2S models), far from it (8-15 m) hardly.
"""
from typing import Optional

import numpy as np
import torch
from torch.utils.data import Dataset

from ..registry import DATASETS
from ..structures import HMRDataSample
from .sources import (GaussianShapeSampler, PerspectiveCameraSampler,
                      PoseBankSampler, ProceduralPoseSampler)
from .sources.part_samplers import (ExpressionSampler, HandPoseSampler,
                                    PartBank)


@DATASETS.register_module()
class SyntheticWholeBodyDataset(Dataset):
    """Synthetic whole-body (body, hands, face, shape, camera) samples.

    Args:
        num_samples (int), seed (int): as :class:`SyntheticPoseDataset`.
        num_betas (int): shape size (6 Anny, 10 SMPL-X).
        num_body_joints (int): body joints posed besides the root (21).
        num_expression_coeffs (int): expression size (52 Anny, 10 SMPL-X).
        expression (dict): :class:`ExpressionSampler` options (``kind``
            'actions' for Anny, 'gaussian' for SMPL-X, ...).
        pose_sampler (dict), pose_bank (dict): body poses, as
            :class:`SyntheticPoseDataset`.
        hand_sampler (dict): :class:`HandPoseSampler` options.
        part_bank (str, optional): ``.npz`` of unpaired hand / face
            parameters (:class:`PartBank`).
        shape_std (float): std of the shape parameters.
        camera (dict): :class:`PerspectiveCameraSampler` options.
        keypoint_jitter (float): std of the 2D input noise, as a fraction
            of each part's half size (so hands get noise at their scale).
        keypoint_dropout (float): probability that an input point is
            removed.
        test_mode (bool): no input noise.
    """

    metainfo = dict(dataset_name='synthetic_wholebody')

    def __init__(self, num_samples: int = 1000000, seed: int = 0,
                 num_betas: int = 6, num_body_joints: int = 21,
                 num_expression_coeffs: int = 52,
                 expression: Optional[dict] = None,
                 pose_sampler: Optional[dict] = None,
                 pose_bank: Optional[dict] = None,
                 hand_sampler: Optional[dict] = None,
                 part_bank: Optional[str] = None, shape_std: float = 1.0,
                 camera: Optional[dict] = None, num_keypoints: int = 133,
                 keypoint_jitter: float = 0.0, keypoint_dropout: float = 0.0,
                 test_mode: bool = False):
        self.num_samples, self.seed = int(num_samples), int(seed)
        self.num_body_joints = int(num_body_joints)
        self.num_keypoints = int(num_keypoints)
        self.pose_sampler = PoseBankSampler(**pose_bank) if pose_bank \
            else ProceduralPoseSampler(**(pose_sampler or {}))
        self.hands = HandPoseSampler(**(hand_sampler or {}))
        self.expression = ExpressionSampler(num_expression_coeffs,
                                            **(expression or {}))
        self.bank = PartBank(part_bank) if part_bank else None
        self.shape_sampler = GaussianShapeSampler(num_betas, std=shape_std)
        self.camera_sampler = PerspectiveCameraSampler(**(camera or {}))
        self.keypoint_jitter = 0.0 if test_mode else float(keypoint_jitter)
        self.keypoint_dropout = 0.0 if test_mode else float(keypoint_dropout)

    def __len__(self) -> int:
        return self.num_samples

    @staticmethod
    def smpl_fraction() -> float:
        """Every sample has its body-model parameters."""
        return 1.0

    def _part(self, rng, key, procedural):
        value = self.bank.draw(rng, key) if self.bank is not None else None
        return procedural() if value is None else value

    def __getitem__(self, idx: int) -> dict:
        if not 0 <= idx < self.num_samples:
            raise IndexError(f'index {idx} out of range [0, {len(self)})')
        rng = np.random.default_rng([self.seed, idx])
        pose = self.pose_sampler(rng)
        face = self.expression(rng)
        params = dict(
            global_orient=pose['global_orient'],
            body_pose=pose['body_pose'][:self.num_body_joints],
            betas=self.shape_sampler(rng)['betas'],
            left_hand_pose=self._part(rng, 'left_hand_pose',
                                      lambda: self.hands(rng, 'left')),
            right_hand_pose=self._part(rng, 'right_hand_pose',
                                       lambda: self.hands(rng, 'right')),
            expression=self._part(rng, 'expression',
                                  lambda: face['expression']))
        if 'jaw_pose' in face or (self.bank is not None
                                  and 'jaw_pose' in self.bank.arrays):
            params['jaw_pose'] = self._part(rng, 'jaw_pose',
                                            lambda: face['jaw_pose'])
        cam = self.camera_sampler(rng)
        f32 = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float32)  # noqa
        sample = HMRDataSample(metainfo=dict(
            sample_idx=idx, focal_length=float(cam['focal_length']),
            img_size=self.camera_sampler.img_size))
        for key, value in params.items():
            setattr(sample, f'gt_{key}', f32(value))
        sample.gt_transl = f32(cam['transl'])
        sample.keypoint_jitter = f32(rng.standard_normal(
            (self.num_keypoints, 2)) * self.keypoint_jitter)
        sample.keypoint_keep = torch.as_tensor(
            rng.random(self.num_keypoints) >= self.keypoint_dropout)
        return dict(data_samples=sample)
