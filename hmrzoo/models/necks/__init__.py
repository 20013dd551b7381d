from .deconv_pyramid import DeconvPyramid
from .roi_attention_fusion import PhasePositionalEncoding, RoIAttentionFusion
from .roi_fusion import BoxPositionalEncoding, RoIAwareFusion

__all__ = ['BoxPositionalEncoding', 'RoIAwareFusion', 'DeconvPyramid',
           'PhasePositionalEncoding', 'RoIAttentionFusion']
