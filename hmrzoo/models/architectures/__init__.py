from .mesh_estimator import LOSS_TERMS, MeshEstimator
from .multiroi_estimator import MultiRoIEstimator
from .pymaf_estimator import PyMAFEstimator

__all__ = ['MeshEstimator', 'MultiRoIEstimator', 'PyMAFEstimator',
           'LOSS_TERMS']
