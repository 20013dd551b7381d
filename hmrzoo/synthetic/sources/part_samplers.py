"""Samplers of the hand and face parts of a whole-body parameter vector
(the STS paper's parameter bank, §III-D), procedural by default, from
unpaired ``.npz`` banks when the user has them.

**Hands** (:class:`HandPoseSampler`): 15 rotations per hand in SMPL-X's
joint order (index, middle, pinky, ring, thumb; joints 1..3), as rotations
about the axes of the T-pose (the same for SMPL-X and
:class:`hmrzoo.body_models.AnnyWholeBody`; fingers along +x for the left
hand, -x for the right, palms down).  Each finger gets one *curl*
``c ~ U(0, 1) * scale`` shared by its three joints (flexion 0..90, 0..100,
0..80 degrees from the palm out: fingers curl together, as hands do), a
spread of its first joint ``U(-15, 15)`` degrees about the vertical axis,
and the thumb a flexion and opposition of its own.  Flexion bends the
fingers towards the palm (-y): about -z for the left hand, +z for the right.

**Face** (:class:`ExpressionSampler`): ``'actions'`` (Anny's 52 facial
actions): k ~ U{0..max_active} actions, each with weight ~ U(0, 1), the
rest 0; ``'gaussian'`` (SMPL-X / FLAME PCA expression): coefficients ~
N(0, std^2), and a jaw opening ``U(0, jaw_max_deg)`` about x.

**Banks** (:class:`PartBank`): ``.npz`` with any of ``left_hand_pose`` /
``right_hand_pose`` (N, 15, 3) or (N, 45) axis-angle (e.g. MANO fits),
``expression`` (N, E) (e.g. FLAME fits) and ``jaw_pose`` (N, 3); each key
is drawn independently (the bank is *unpaired*: hands, faces and bodies
come from different captures), a key the file lacks falls back to the
procedural sampler.
"""
from typing import Dict, Optional

import numpy as np
import torch

from ...utils.rotations import axis_angle_to_rotmat
from .pose_sampler import euler_xyz_to_rotmat

#: SMPL-X hand-joint order
HAND_FINGERS = ('index', 'middle', 'pinky', 'ring', 'thumb')
_FLEX_DEG = (90., 100., 80.)


class HandPoseSampler:
    """Procedural hand poses (module docstring).

    Args:
        scale (float): multiplies the curl (0 gives the flat hand).
        spread_deg (float): spread range of each finger's first joint.
    """

    def __init__(self, scale: float = 1.0, spread_deg: float = 15.):
        self.scale = scale
        self.spread = np.deg2rad(spread_deg)

    def __call__(self, rng: np.random.Generator, side: str) -> np.ndarray:
        """(15, 3, 3) rotations of one hand (``side`` 'left' / 'right')."""
        sign = -1. if side == 'left' else 1.
        angles = np.zeros((15, 3))
        for f, finger in enumerate(HAND_FINGERS):
            curl = rng.uniform(0, 1) * self.scale
            rows = slice(3 * f, 3 * f + 3)
            if finger == 'thumb':
                angles[rows, 2] = sign * np.deg2rad([30., 40., 50.]) * curl
                angles[3 * f, 0] = np.deg2rad(rng.uniform(-20, 40)) * \
                    self.scale
                continue
            angles[rows, 2] = sign * np.deg2rad(_FLEX_DEG) * curl
            angles[3 * f, 1] = rng.uniform(-self.spread, self.spread) * \
                self.scale
        return euler_xyz_to_rotmat(angles)


class ExpressionSampler:
    """Procedural expressions (module docstring).

    Args:
        num_coeffs (int): size of the expression vector.
        kind (str): ``'actions'`` or ``'gaussian'``.
        max_active (int): most actions on at once (``'actions'``).
        std (float): coefficient std (``'gaussian'``).
        jaw_max_deg (float): largest jaw opening (``'gaussian'``; 0: no
            jaw rotation is drawn).
    """

    def __init__(self, num_coeffs: int, kind: str = 'actions',
                 max_active: int = 4, std: float = 1.0,
                 jaw_max_deg: float = 0.):
        if kind not in ('actions', 'gaussian'):
            raise ValueError(f"expression kind must be 'actions' or "
                             f"'gaussian', got {kind!r}")
        self.num_coeffs, self.kind = int(num_coeffs), kind
        self.max_active, self.std = int(max_active), float(std)
        self.jaw_max = np.deg2rad(jaw_max_deg)

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        """``expression`` (E,) and, with a jaw, ``jaw_pose`` (1, 3, 3)."""
        if self.kind == 'gaussian':
            expr = rng.standard_normal(self.num_coeffs) * self.std
        else:
            expr = np.zeros(self.num_coeffs)
            k = int(rng.integers(self.max_active + 1))
            on = rng.choice(self.num_coeffs, size=k, replace=False)
            expr[on] = rng.uniform(0, 1, size=k)
        out = dict(expression=expr)
        if self.jaw_max:
            out['jaw_pose'] = euler_xyz_to_rotmat(
                np.array([[rng.uniform(0, self.jaw_max), 0., 0.]]))
        return out


class PartBank:
    """Unpaired hand / face parameters from a ``.npz`` file (module
    docstring)."""

    KEYS = ('left_hand_pose', 'right_hand_pose', 'expression', 'jaw_pose')

    def __init__(self, path: str):
        try:
            data = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            raise FileNotFoundError(f'part bank not found: {path}') from None
        self.arrays = {}
        for key in self.KEYS:
            if key not in data.files:
                continue
            value = np.asarray(data[key], np.float64)
            if len(value) == 0:
                raise ValueError(f'{path}: {key} is empty')
            if key.endswith('_pose'):
                value = axis_angle_to_rotmat(torch.from_numpy(
                    value.reshape(len(value), -1, 3))).numpy()
            self.arrays[key] = value
        if not self.arrays:
            raise KeyError(f'{path}: a part bank needs at least one of '
                           f'{list(self.KEYS)}; found {sorted(data.files)}')

    def draw(self, rng: np.random.Generator, key: str) -> Optional[np.ndarray]:
        """One row of ``key`` (None when the bank has no such key)."""
        value = self.arrays.get(key)
        return None if value is None else value[int(rng.integers(len(value)))]
