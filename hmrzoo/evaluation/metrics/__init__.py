"""mmengine metrics registered in :data:`hmrzoo.registry.METRICS`."""
from .mesh_metric import SUPPORTED_METRICS, MeshRecoveryMetric
from .protocol_metric import ProtocolMetric

__all__ = ['MeshRecoveryMetric', 'ProtocolMetric', 'SUPPORTED_METRICS']
