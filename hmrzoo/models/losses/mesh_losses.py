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


#: how :class:`KeypointMSELoss` averages ``mask * error``
KEYPOINT_REDUCTIONS = ('valid', 'all', 'labelled_rows')


@MODELS.register_module()
class KeypointMSELoss(nn.Module):
    """Mean squared error of keypoints, confidence/mask weighted.

    ``forward(pred (B,K,C), target (B,K,C), mask (B,K) or (K,))``.  The sum
    of ``mask * error`` is divided, by ``reduction``, by:

    * ``'valid'`` (default): the mask's sum over the (batch, keypoint,
      channel) entries: every labelled point weighs the same whatever the
      number of labelled points;
    * ``'all'``: every entry, ``B K C``: SPIN's 2D keypoint loss (and
      PyMAF's, Multi-RoI's), ``(conf * mse).mean()``, in which a sample
      with few labelled points weighs less;
    * ``'labelled_rows'``: ``B' K C`` with B' the rows having any labelled
      point: SPIN's 3D keypoint loss, a mean over the samples with 3D
      keypoints only.

    With ``num_joints``, K in those two is that count instead of the
    keypoints given: the official mean runs over the joints of its own
    layout (SPIN: 49 in 2D, its 25 OpenPose slots included though weighted
    0; 24 ground-truth joints in 3D), while hmrzoo's SMPL keypoints are
    ``smpl_54`` (the points a row lacks are masked).

    Raises:
        ValueError: an unknown ``reduction``.
    """

    def __init__(self, loss_weight: float = 1.0, reduction: str = 'valid',
                 num_joints: int = None):
        super().__init__()
        if reduction not in KEYPOINT_REDUCTIONS:
            raise ValueError(f'KeypointMSELoss: reduction must be one of '
                             f'{KEYPOINT_REDUCTIONS}, got {reduction!r}')
        self.loss_weight = loss_weight
        self.reduction = reduction
        self.num_joints = num_joints

    def forward(self, pred: Tensor, target: Tensor,
                mask: Optional[Tensor] = None) -> Tensor:
        if mask is not None and mask.dim() == 1:
            mask = mask[None].expand(pred.shape[0], -1)
        err = (pred - target) ** 2
        if self.reduction == 'valid' or mask is None:
            return self.loss_weight * _masked_mean(err, mask)
        weighted = (err * mask.to(err)[..., None]).sum()
        rows = err.shape[0] if self.reduction == 'all' else \
            int((mask > 0).flatten(1).any(1).sum())
        per_row = err[0].numel() if self.num_joints is None else \
            int(self.num_joints) * err.shape[-1]
        entries = max(rows, 1) * per_row
        return self.loss_weight * weighted / entries


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
