"""Learned priors: the pose prior (adversarial auto-encoder) of the
self-supervised joints+depth method."""
from .pose_aae import PosePriorAAE
from .pose_decoder import PosePriorDecoder

__all__ = ['PosePriorAAE', 'PosePriorDecoder']
