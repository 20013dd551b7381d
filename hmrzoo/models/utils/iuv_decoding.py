"""Compact IUV maps of IUV predictions (decoded from per-part logits).
Compact IUV maps of bodies are rendered by
:func:`hmrzoo.renderers.render_compact_iuv`."""
from typing import Dict

import torch
from torch import Tensor

from ...renderers.iuv_maps import onehot_to_compact


def predicted_compact_iuv(pred: Dict[str, Tensor]) -> Tensor:
    """Compact ``[I/24, U, V]`` (B, 3, H, W) of an IUV prediction
    (:class:`~hmrzoo.models.heads.IUVPredictor` outputs ``index`` (B, 25,
    H, W) logits, ``u``, ``v`` (B, 25, H, W)): the arg-max part and its
    channel's U, V clamped to [0, 1]; 0 on the background."""
    onehot = torch.stack([pred['index'], pred['u'].clamp(0, 1),
                          pred['v'].clamp(0, 1)], dim=1)
    return onehot_to_compact(onehot, normalized_index=True)
