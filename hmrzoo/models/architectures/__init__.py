from .base_estimator import LOSS_TERMS, BaseMeshEstimator
from .cra_estimator import CRAEstimator
from .mesh_estimator import MeshEstimator
from .multiroi_estimator import MultiRoIEstimator
from .pymaf_estimator import PyMAFEstimator
from .selfsup_depth_estimator import SelfSupDepthEstimator
from .sts_estimator import STSWholeBodyEstimator

__all__ = ['BaseMeshEstimator', 'CRAEstimator', 'MeshEstimator',
           'MultiRoIEstimator', 'PyMAFEstimator', 'SelfSupDepthEstimator',
           'STSWholeBodyEstimator',
           'LOSS_TERMS']
