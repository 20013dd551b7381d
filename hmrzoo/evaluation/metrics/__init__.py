"""mmengine metrics registered in :data:`hmrzoo.registry.METRICS`."""
from .mesh_metric import SUPPORTED_METRICS, MeshRecoveryMetric

__all__ = ['MeshRecoveryMetric', 'SUPPORTED_METRICS']
