"""Mirroring SMPL parameters (the body seen in a horizontally flipped
image).

Mirroring is the reflection ``P = diag(-1, 1, 1)`` of the camera x axis.
A rotation ``R`` becomes ``P R P``, and for an axis-angle ``(x, y, z)``
that is the axis-angle ``(x, -y, -z)`` (a reflection reverses the sense of
rotation and maps the axis to ``P`` of it, ``-P (x, y, z)``).  Left and
right joints swap, so joint ``j`` takes the mirrored rotation of its
mirror joint.  SPIN's ``flip_pose`` and mmhuman3d's ``_flip_smpl_pose``
(public code) do the same with a hard-coded 72-index permutation; here the
permutation is derived from the joint names of ``smpl_24``.

With a mirror-symmetric body model (template, blend shapes, regressor and
skinning weights symmetric under ``P`` with a vertex permutation) the mesh
of the mirrored pose is exactly the mirrored mesh; the tests check this on
a fabricated symmetric SMPL (:mod:`hmrzoo.testing.symmetric_smpl`).
"""
import numpy as np

from ...conventions import get_flip_indices

#: permutation of SMPL's 24 joints under mirroring (an involution).
SMPL_JOINT_FLIP_PERM = tuple(get_flip_indices('smpl_24'))
#: sign of each axis-angle component under mirroring.
AXIS_ANGLE_FLIP_SIGN = (1., -1., -1.)


def flip_axis_angle(aa: np.ndarray) -> np.ndarray:
    """Mirror axis-angle rotations (..., 3): negate y and z."""
    aa = np.asarray(aa)
    return aa * np.asarray(AXIS_ANGLE_FLIP_SIGN, aa.dtype if aa.dtype.kind
                           == 'f' else np.float64)


def flip_smpl_pose(pose: np.ndarray) -> np.ndarray:
    """Mirror SMPL poses.

    Args:
        pose: (..., 72) axis-angles of the 24 SMPL joints (global orient
            first), radians.

    Returns:
        np.ndarray: (..., 72) a new array: joints swapped left <-> right
        and every axis-angle's y and z negated.  Applying it twice gives
        the input back.

    Raises:
        ValueError: when the last dimension is not 72.
    """
    pose = np.asarray(pose)
    if pose.shape[-1:] != (72, ):
        raise ValueError('flip_smpl_pose expects (..., 72) axis-angles of '
                         f'the 24 SMPL joints, got shape {pose.shape}')
    joints = pose.reshape(*pose.shape[:-1], 24, 3)
    flipped = flip_axis_angle(joints[..., list(SMPL_JOINT_FLIP_PERM), :])
    return flipped.reshape(pose.shape)
