from .mesh_estimator import LOSS_TERMS, MeshEstimator

__all__ = ['MeshEstimator', 'LOSS_TERMS']
