from .mesh_losses import CameraScaleLoss, KeypointMSELoss, L1Loss, MSELoss

__all__ = ['KeypointMSELoss', 'L1Loss', 'MSELoss', 'CameraScaleLoss']
