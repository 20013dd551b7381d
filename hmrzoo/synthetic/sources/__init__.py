"""Sources of synthetic samples: poses, shapes and cameras."""
from .camera_sampler import PerspectiveCameraSampler
from .pose_bank import PoseBankSampler
from .pose_sampler import JOINT_LIMITS_DEG, ProceduralPoseSampler
from .shape_sampler import GaussianShapeSampler

__all__ = ['ProceduralPoseSampler', 'PoseBankSampler', 'JOINT_LIMITS_DEG',
           'GaussianShapeSampler', 'PerspectiveCameraSampler']
