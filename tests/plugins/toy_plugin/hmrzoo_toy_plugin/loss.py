"""Charbonnier (smooth L1-like) keypoint loss."""
from typing import Optional

import torch
from torch import Tensor, nn

from hmrzoo.registry import MODELS


@MODELS.register_module()
class CharbonnierLoss(nn.Module):
    """``mean(sqrt((pred - target)^2 + eps^2) - eps)`` over the entries
    whose mask (B, K) or (K,) is > 0; ``pred``, ``target`` (B, K, C)."""

    def __init__(self, eps: float = 1e-3, loss_weight: float = 1.0):
        super().__init__()
        self.eps = eps
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, target: Tensor,
                mask: Optional[Tensor] = None) -> Tensor:
        err = torch.sqrt((pred - target) ** 2 + self.eps ** 2) - self.eps
        if mask is None:
            return self.loss_weight * err.mean()
        if mask.dim() == 1:
            mask = mask[None].expand(pred.shape[0], -1)
        weight = (mask > 0).to(err.dtype)[..., None].expand_as(err)
        return self.loss_weight * (err * weight).sum() / \
            weight.sum().clamp(min=1.)
