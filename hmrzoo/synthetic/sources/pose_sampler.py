"""A procedural anatomical pose sampler with joint limits.

Each of SMPL's 23 body joints gets three Euler angles (rotation about the
x, then y, then z axis of the parent's rest frame: ``R = Rz @ Ry @ Rx``),
each drawn uniformly inside the joint's limits below, multiplied by
``scale``.  Axes are SMPL's (x towards the body's left, y up, z forward)
and the rest pose is the T-pose, so the same angles mean the same motion
on SMPL and on Anny (whose wrapper has a T-pose rest, see
:mod:`hmrzoo.body_models.anny_model`).

Limits (degrees) for the left side; the right side mirrors them (the
x range is kept, the y and z ranges are negated).  Signs, for the left side:

* hip: x<0 flexes the thigh forward, z>0 abducts it; knee: x>0 flexes.
* spine / neck / head: x>0 bends forward, y twists, z bends sideways.
* shoulder (arm along +x at rest): z<0 lowers the arm (-90 = arm down at
  the side), y<0 swings it forward, x twists it.
* elbow: y<0 flexes the forearm forward.

The ranges are a deliberate compromise between coverage and plausibility
(roughly the active ranges of motion in clinical tables, narrowed for the
spine); they are not learned from mocap.  For realistic statistics use a
pose bank of mocap fits instead.

The global orientation is sampled separately: the body faces the camera
(180 degrees about x, since the camera's y axis points down) and is then
yawed about its vertical axis by ``U(yaw_range)`` and tilted by small
pitch / roll angles.
"""
import math
from typing import Dict, Sequence, Tuple

import numpy as np

from ...conventions.smpl import SMPL_24

#: (x, y, z) limits in degrees for left-side and midline joints.
JOINT_LIMITS_DEG: Dict[str, Tuple[Tuple[float, float], ...]] = {
    'left_hip': ((-100, 25), (-30, 30), (-10, 45)),
    'left_knee': ((0, 140), (0, 0), (0, 0)),
    'left_ankle': ((-30, 35), (-10, 10), (-15, 15)),
    'left_foot': ((-15, 25), (0, 0), (0, 0)),
    'spine1': ((-15, 35), (-15, 15), (-15, 15)),
    'spine2': ((-10, 15), (-10, 10), (-10, 10)),
    'spine3': ((-10, 15), (-10, 10), (-10, 10)),
    'neck': ((-20, 30), (-25, 25), (-15, 15)),
    'head': ((-20, 20), (-35, 35), (-15, 15)),
    'left_collar': ((-5, 5), (-10, 15), (-10, 20)),
    'left_shoulder': ((-60, 60), (-100, 30), (-85, 60)),
    'left_elbow': ((-30, 30), (-140, 0), (0, 0)),
    'left_wrist': ((-40, 40), (-20, 20), (-40, 40)),
    'left_hand': ((0, 0), (0, 0), (-30, 10)),
}


def euler_xyz_to_rotmat(angles: np.ndarray) -> np.ndarray:
    """(..., 3) radians (about x, y, z) -> (..., 3, 3) ``Rz @ Ry @ Rx``."""
    cx, cy, cz = np.cos(angles[..., 0]), np.cos(angles[..., 1]), \
        np.cos(angles[..., 2])
    sx, sy, sz = np.sin(angles[..., 0]), np.sin(angles[..., 1]), \
        np.sin(angles[..., 2])
    R = np.empty(angles.shape[:-1] + (3, 3))
    R[..., 0, 0] = cz * cy
    R[..., 0, 1] = cz * sy * sx - sz * cx
    R[..., 0, 2] = cz * sy * cx + sz * sx
    R[..., 1, 0] = sz * cy
    R[..., 1, 1] = sz * sy * sx + cz * cx
    R[..., 1, 2] = sz * sy * cx - cz * sx
    R[..., 2, 0] = -sy
    R[..., 2, 1] = cy * sx
    R[..., 2, 2] = cy * cx
    return R


def _limits_table() -> np.ndarray:
    """(23, 3, 2) limits in degrees for SMPL's body joints 1..23."""
    table = np.zeros((23, 3, 2))
    for j, name in enumerate(SMPL_24[1:]):
        if name in JOINT_LIMITS_DEG:
            table[j] = JOINT_LIMITS_DEG[name]
        elif name.startswith('right_'):
            lim = np.array(JOINT_LIMITS_DEG['left_' + name[6:]], float)
            table[j, 0] = lim[0]
            table[j, 1] = -lim[1, ::-1]
            table[j, 2] = -lim[2, ::-1]
    return table


class ProceduralPoseSampler:
    """Sample SMPL-layout poses (rotation matrices) within joint limits.

    Args:
        scale (float): multiplies every limit (0 gives the rest pose).
        yaw_range (tuple): degrees of rotation about the vertical axis.
        pitch_range, roll_range (tuple): degrees of forward / sideways tilt.
    """

    def __init__(self, scale: float = 1.0,
                 yaw_range: Sequence[float] = (-180., 180.),
                 pitch_range: Sequence[float] = (-15., 15.),
                 roll_range: Sequence[float] = (-10., 10.)):
        self.scale = scale
        self.limits = np.deg2rad(_limits_table()) * scale
        self.yaw_range = np.deg2rad(yaw_range)
        self.pitch_range = np.deg2rad(pitch_range)
        self.roll_range = np.deg2rad(roll_range)

    def sample_body_pose(self, rng: np.random.Generator) -> np.ndarray:
        """(23, 3, 3) body-joint rotations."""
        lo, hi = self.limits[..., 0], self.limits[..., 1]
        return euler_xyz_to_rotmat(lo + (hi - lo) * rng.random(lo.shape))

    def sample_global_orient(self, rng: np.random.Generator) -> np.ndarray:
        """(3, 3): facing the camera (OpenCV axes), then yaw / pitch / roll."""
        yaw = rng.uniform(*self.yaw_range)
        pitch = rng.uniform(*self.pitch_range)
        roll = rng.uniform(*self.roll_range)
        face_camera = euler_xyz_to_rotmat(np.array([math.pi, 0., 0.]))
        tilt = euler_xyz_to_rotmat(np.array([pitch, yaw, roll]))
        return face_camera @ tilt

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        return dict(global_orient=self.sample_global_orient(rng)[None],
                    body_pose=self.sample_body_pose(rng))
