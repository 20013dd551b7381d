from .roi_fusion import BoxPositionalEncoding, RoIAwareFusion

__all__ = ['BoxPositionalEncoding', 'RoIAwareFusion']
