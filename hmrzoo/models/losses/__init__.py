from .alignment_losses import IUVAlignmentLoss
from .ground_truth import BatchGroundTruth
from .homoscedastic import HomoscedasticLoss
from .iuv_losses import DenseCorrespondenceLoss
from .mesh_losses import CameraScaleLoss, KeypointMSELoss, L1Loss, MSELoss
from .mesh_supervision import ESTIMATE_TERMS, MeshLosses
from .multiroi_losses import CameraConsistencyLoss, RoIContrastiveLoss
from .self_consistency import JointReliabilityMLP, SelfConsistencyLoss

__all__ = ['KeypointMSELoss', 'L1Loss', 'MSELoss', 'CameraScaleLoss',
           'CameraConsistencyLoss', 'RoIContrastiveLoss',
           'DenseCorrespondenceLoss', 'HomoscedasticLoss',
           'IUVAlignmentLoss', 'MeshLosses', 'ESTIMATE_TERMS',
           'BatchGroundTruth', 'JointReliabilityMLP', 'SelfConsistencyLoss']
