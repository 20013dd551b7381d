from .mesh_estimator import LOSS_TERMS, MeshEstimator
from .multiroi_estimator import MultiRoIEstimator

__all__ = ['MeshEstimator', 'MultiRoIEstimator', 'LOSS_TERMS']
