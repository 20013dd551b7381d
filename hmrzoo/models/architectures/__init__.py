from .cra_estimator import CRAEstimator
from .mesh_estimator import LOSS_TERMS, MeshEstimator
from .multiroi_estimator import MultiRoIEstimator
from .pymaf_estimator import PyMAFEstimator

__all__ = ['CRAEstimator', 'MeshEstimator', 'MultiRoIEstimator',
           'PyMAFEstimator', 'LOSS_TERMS']
