from .deconv_pyramid import DeconvPyramid
from .roi_fusion import BoxPositionalEncoding, RoIAwareFusion

__all__ = ['BoxPositionalEncoding', 'RoIAwareFusion', 'DeconvPyramid']
