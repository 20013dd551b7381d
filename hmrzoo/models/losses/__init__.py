from .alignment_losses import IUVAlignmentLoss
from .homoscedastic import HomoscedasticLoss
from .iuv_losses import DenseCorrespondenceLoss
from .mesh_losses import CameraScaleLoss, KeypointMSELoss, L1Loss, MSELoss
from .multiroi_losses import CameraConsistencyLoss, RoIContrastiveLoss

__all__ = ['KeypointMSELoss', 'L1Loss', 'MSELoss', 'CameraScaleLoss',
           'CameraConsistencyLoss', 'RoIContrastiveLoss',
           'DenseCorrespondenceLoss', 'HomoscedasticLoss',
           'IUVAlignmentLoss']
