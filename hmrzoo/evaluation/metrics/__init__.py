"""mmengine metrics registered in :data:`hmrzoo.registry.METRICS`."""
from .mesh_metric import SUPPORTED_METRICS, MeshRecoveryMetric
from .pose_prior_metric import PosePriorMetric
from .protocol_metric import ProtocolMetric

__all__ = ['MeshRecoveryMetric', 'ProtocolMetric', 'PosePriorMetric',
           'SUPPORTED_METRICS']
