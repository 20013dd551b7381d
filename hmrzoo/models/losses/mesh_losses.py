"""SPIN-style supervision terms of mesh recovery.

Each loss is a small module with a ``loss_weight`` (mmdet / mmpose style)
returning a scalar; the architecture decides what it is applied to.
"""
from typing import Optional

import torch
from torch import Tensor, nn

from ...registry import MODELS


def _masked_mean(err: Tensor, mask: Optional[Tensor]) -> Tensor:
    """Mean of ``err`` (B, K[, ...]) over entries with mask (B, K) > 0."""
    if mask is None:
        return err.mean()
    while mask.dim() < err.dim():
        mask = mask.unsqueeze(-1)
    mask = mask.expand_as(err).to(err.dtype)
    return (err * mask).sum() / mask.sum().clamp(min=1.0)


@MODELS.register_module()
class KeypointMSELoss(nn.Module):
    """Mean squared error of keypoints, confidence/mask weighted.

    ``forward(pred (B,K,C), target (B,K,C), mask (B,K) or (K,))``; the mean
    runs over valid (batch, keypoint, channel) entries.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, target: Tensor,
                mask: Optional[Tensor] = None) -> Tensor:
        if mask is not None and mask.dim() == 1:
            mask = mask[None].expand(pred.shape[0], -1)
        return self.loss_weight * _masked_mean((pred - target) ** 2, mask)


@MODELS.register_module()
class L1Loss(nn.Module):
    """Mean absolute error (e.g. vertices, (B,V,3), metres)."""

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, target: Tensor,
                mask: Optional[Tensor] = None) -> Tensor:
        return self.loss_weight * _masked_mean((pred - target).abs(), mask)


@MODELS.register_module()
class MSELoss(nn.Module):
    """Mean squared error (e.g. rotation matrices (B,J,3,3), betas (B,S))."""

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, target: Tensor,
                mask: Optional[Tensor] = None) -> Tensor:
        return self.loss_weight * _masked_mean((pred - target) ** 2, mask)


@MODELS.register_module()
class CameraScaleLoss(nn.Module):
    """SPIN's camera regulariser ``mean(exp(-10 s)^2)`` on the scale
    ``s = cam[:, 0]``: keeps the weak-perspective scale positive."""

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, cam: Tensor) -> Tensor:
        return self.loss_weight * torch.exp(-10 * cam[:, 0]).pow(2).mean()
