"""Rotation helpers and projection (camera) models.

Projections are registered in :data:`hmrzoo.registry.CAMERAS`:
``WeakPerspectiveProjection`` (HMR / SPIN / PyMAF crop camera),
``PerspectiveProjection`` (pinhole), ``FocalPerspectiveProjection``
(pinhole with an estimated focal), ``CliffFullFrameProjection`` (CLIFF /
Multi-RoI full-image camera) and ``D2SProjection`` (depth-to-scale).
"""
from .base import BaseProjection
from .cliff import (CliffFullFrameProjection, bbox_info, cam_crop2full,
                    cam_full2crop, default_focal_length)
from .d2s import D2SProjection
from .multiroi import (ROI_OFFSETS, ROI_SCALES, camera_consistency_residuals,
                       full_to_local, local_to_full, roi_boxes)
from .perspective import (FocalPerspectiveProjection, PerspectiveProjection,
                          perspective_project)
from ..utils.rotations import (axis_angle_to_quaternion, axis_angle_to_rot6d,
                        axis_angle_to_rotmat, quaternion_to_axis_angle,
                        quaternion_to_rotmat, rot6d_to_axis_angle,
                        rot6d_to_rotmat, rotmat_to_axis_angle,
                        rotmat_to_quaternion, rotmat_to_rot6d)
from .weak_perspective import WeakPerspectiveProjection

__all__ = [
    'BaseProjection', 'WeakPerspectiveProjection', 'PerspectiveProjection',
    'FocalPerspectiveProjection',
    'CliffFullFrameProjection', 'D2SProjection', 'perspective_project',
    'bbox_info', 'cam_crop2full', 'cam_full2crop', 'default_focal_length',
    'local_to_full', 'full_to_local', 'camera_consistency_residuals',
    'roi_boxes', 'ROI_OFFSETS', 'ROI_SCALES',
    'rot6d_to_rotmat', 'rotmat_to_rot6d', 'axis_angle_to_rotmat',
    'rotmat_to_axis_angle', 'axis_angle_to_quaternion',
    'quaternion_to_axis_angle', 'rotmat_to_quaternion',
    'quaternion_to_rotmat', 'rot6d_to_axis_angle', 'axis_angle_to_rot6d'
]
