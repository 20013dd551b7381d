"""IUV augmentation: CRA's coarse part drop (§4.2, Table 5)."""
import torch
from torch import Tensor

from ...renderers.iuv_parts import COARSE_PARTS, PART_TO_COARSE


def drop_coarse_part(iuv: Tensor, prob: float, generator: torch.Generator,
                     normalized_index: bool = True) -> Tensor:
    """With probability ``prob`` per sample, erase one of the six coarse
    parts (:data:`COARSE_PARTS`: head, torso, left / right arm, left /
    right leg), chosen uniformly, from compact IUV maps: its pixels become
    background (I = U = V = 0).

    Args:
        iuv: (B, 3, H, W) compact maps [I, U, V]; I is the part index
            (0..24), or the index / 24 when ``normalized_index``.
        prob: probability that a sample loses a part.
        generator: torch generator.

    Returns:
        (B, 3, H, W) maps.
    """
    batch = iuv.shape[0]
    index = iuv[:, 0] * 24 if normalized_index else iuv[:, 0]
    index = index.round().long().clamp(0, 24)
    coarse = torch.tensor(PART_TO_COARSE, device=iuv.device)[index]
    which = torch.randint(1, len(COARSE_PARTS) + 1, (batch, ),
                          generator=generator, device=iuv.device)
    apply = torch.rand(batch, generator=generator, device=iuv.device) < prob
    hide = (coarse == which[:, None, None]) & apply[:, None, None]
    return torch.where(hide[:, None], torch.zeros_like(iuv), iuv)
