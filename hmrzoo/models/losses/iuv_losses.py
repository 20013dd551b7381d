"""PyMAF's auxiliary loss on dense correspondences (eq. 4)."""
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ...registry import MODELS
from ...renderers.iuv_parts import PART_TO_DENSEPOSE_COARSE


@MODELS.register_module()
class DenseCorrespondenceLoss(nn.Module):
    """Eq. 4: ``λ_pi CE(P, P̂) + λ_uv SmoothL1(P̂⊙U, P̂⊙Û)
    + λ_uv SmoothL1(P̂⊙V, P̂⊙V̂)``.

    * part index: cross-entropy of the 25-way logits against the ground
      truth part (0 = background) at every pixel (mean);
    * U, V: at each foreground pixel the prediction of the ground-truth
      part's channel against its U (V); smooth-L1 (beta 1), by
      ``uv_reduction``: ``'mean'`` over the foreground pixels, or
      ``'sum_per_sample'``, summed over them and divided by the batch size
      as PyMAF's code does (hundreds of times stronger per pixel at 56²);
      0 without a foreground pixel;
    * ``coarse_weight`` adds the cross-entropy of the 15-way coarse
      ("ann") logits against the DensePose-COCO coarse part, a term of
      PyMAF's code that eq. 4 does not write (off by default).

    Args:
        part_weight (float): λ_pi. uv_weight (float): λ_uv (PyMAF's code:
            0.5). coarse_weight (float): see above. loss_weight (float):
            overall factor. uv_reduction (str): see above.

    Forward: ``pred`` dict of :class:`~hmrzoo.models.heads.IUVPredictor`
    (B, 25 | 15, H, W); ``target`` (B, 3, H, W) compact IUV ``[I, U, V]``
    with I the part index 0..24 (or I/24 when ``normalised_index``).
    Returns a scalar.
    """

    def __init__(self, part_weight: float = 1.0, uv_weight: float = 0.5,
                 coarse_weight: float = 0.0, loss_weight: float = 1.0,
                 normalised_index: bool = True,
                 uv_reduction: str = 'mean'):
        super().__init__()
        if uv_reduction not in ('mean', 'sum_per_sample'):
            raise ValueError("DenseCorrespondenceLoss: uv_reduction must be "
                             f"'mean' or 'sum_per_sample', got "
                             f"{uv_reduction!r}")
        self.uv_reduction = uv_reduction
        self.part_weight, self.uv_weight = part_weight, uv_weight
        self.coarse_weight, self.loss_weight = coarse_weight, loss_weight
        self.normalised_index = normalised_index
        self.register_buffer('to_coarse', torch.tensor(
            PART_TO_DENSEPOSE_COARSE, dtype=torch.long), persistent=False)

    def forward(self, pred: Dict[str, Tensor], target: Tensor) -> Tensor:
        index = target[:, 0] * (24 if self.normalised_index else 1)
        index = index.round().long().clamp(0, 24)              # (B, H, W)
        loss = self.part_weight * F.cross_entropy(pred['index'], index)
        if self.coarse_weight:
            loss = loss + self.coarse_weight * F.cross_entropy(
                pred['ann'], self.to_coarse[index])
        fg = index > 0
        if fg.any():
            for k, name in ((1, 'u'), (2, 'v')):
                chosen = pred[name].gather(1, index[:, None])[:, 0]
                if self.uv_reduction == 'mean':
                    uv = F.smooth_l1_loss(chosen[fg], target[:, k][fg])
                else:
                    uv = F.smooth_l1_loss(chosen[fg], target[:, k][fg],
                                          reduction='sum') / index.shape[0]
                loss = loss + self.uv_weight * uv
        return self.loss_weight * loss
