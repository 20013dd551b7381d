"""Pose banks: SMPL body poses from ``.npz`` files (AMASS / H36M / 3DPW /
UP-3D fits ...), sampled uniformly.

Accepted layouts (arrays with N rows):

* ``body_pose`` (N, 69) or (N, 23, 3) axis-angle, optionally with
  ``global_orient`` (N, 3);
* ``poses`` / ``pose`` (N, 72) or (N, >= 72) axis-angle, SMPL's 24 joints
  first (AMASS keeps SMPL-H's 52 joints: the first 22 are SMPL's body
  joints; joints 22-23, the hands, are then taken as identity).

The bank's *global* orientation is kept with ``use_bank_orientation=True``:
right for fits in a camera frame (SPIN's / EFT's fits of Human3.6M, UP-3D,
3DPW images: the body's orientation towards a real camera, what STRAPS and
CRA sample), wrong for world-frame mocap (AMASS is z-up, in its capture's
world), whose orientation is therefore sampled as for procedural poses
(facing the camera, random yaw) by default.

**Anny.**  hmrzoo's Anny wrapper has SMPL's joint layout and a T-pose rest
(:mod:`hmrzoo.body_models.anny_model`), so SMPL body poses are applied to
Anny as they are: the same local rotations of the same 23 joints.  This is
the retargeting; its approximation is that Anny's bones sit where Anny's
anatomy puts them (limb lengths and joint centres differ from SMPL's).
"""
from typing import Dict, Optional

import numpy as np
import torch

from ...utils.rotations import axis_angle_to_rotmat
from .pose_sampler import ProceduralPoseSampler


def _load_axis_angle(path: str):
    """(N, 23, 3) body and (N, 3) or None global axis-angles from a file."""
    try:
        data = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise FileNotFoundError(f'pose bank not found: {path}') from None
    keys = set(data.files)
    glob = None
    if 'body_pose' in keys:
        body = np.asarray(data['body_pose'], np.float64)
        body = body.reshape(len(body), -1)
        if body.shape[1] < 69:
            raise ValueError(f'{path}: body_pose has {body.shape[1]} values '
                             'per row, expected 69 (23 joints x 3)')
        body = body[:, :69]
        if 'global_orient' in keys:
            glob = np.asarray(data['global_orient'], np.float64).reshape(-1, 3)
    else:
        key = next((k for k in ('poses', 'pose') if k in keys), None)
        if key is None:
            raise KeyError(f'{path}: a pose bank needs a key body_pose, poses '
                           f'or pose; found {sorted(keys)}')
        poses = np.asarray(data[key], np.float64)
        poses = poses.reshape(len(poses), -1)
        if poses.shape[1] < 66:
            raise ValueError(f'{path}: {key} has {poses.shape[1]} values per '
                             'row, expected at least 66 (22 joints x 3)')
        body = np.zeros((len(poses), 69))
        n = min(poses.shape[1], 72) - 3
        if poses.shape[1] > 72:  # SMPL-H / SMPL-X: keep the 21 body joints
            n = 63
        body[:, :n] = poses[:, 3:3 + n]
        glob = poses[:, :3]
    if len(body) == 0:
        raise ValueError(f'pose bank {path} is empty')
    return body.reshape(-1, 23, 3), glob


class PoseBankSampler:
    """Draw body poses uniformly from a pose bank file.

    Args:
        path (str): ``.npz`` file, see the module docstring.
        use_bank_orientation (bool): keep the bank's global orientation
            (needs one in the file) instead of sampling it.
        orientation (dict): kwargs of :class:`ProceduralPoseSampler` for
            the sampled global orientation (yaw / pitch / roll ranges).
    """

    def __init__(self, path: str, use_bank_orientation: bool = False,
                 orientation: Optional[dict] = None):
        body, glob = _load_axis_angle(path)
        if use_bank_orientation and glob is None:
            raise KeyError(f'{path} has no global orientation; set '
                           'use_bank_orientation=False')
        self.body = axis_angle_to_rotmat(torch.from_numpy(body)).numpy()
        self.glob = None if glob is None or not use_bank_orientation else \
            axis_angle_to_rotmat(torch.from_numpy(glob)).numpy()
        self.orientation = ProceduralPoseSampler(**(orientation or {}))

    def __len__(self) -> int:
        return len(self.body)

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        i = int(rng.integers(len(self.body)))
        glob = self.glob[i] if self.glob is not None else \
            self.orientation.sample_global_orient(rng)
        return dict(global_orient=glob[None], body_pose=self.body[i])
