"""IUV maps: the compact and one-hot forms of CRA §3.1, conversions between
them, and pictures of them.

**Compact form** ``M = [M^I, M^U, M^V]``, a tensor (..., 3, H, W):

* ``M^I`` the part index, 0 = background, 1..24 = the DensePose part
  (:data:`~.iuv_parts.DENSEPOSE_PARTS`), stored as a float (or integer)
  value; with ``normalized_index=True`` it is ``I / 24`` in [0, 1] (CRA
  feeds the network this normalised index);
* ``M^U``, ``M^V`` in [0, 1] within the part, **0 on the background** (the
  canonical form; the renderer writes it so).

**One-hot form** ``[I, U, V]``, a tensor (..., 3, 25, H, W) (CRA's
``R^{3 x (P+1) x H x W}``, also DensePose's / PyMAF's 25-channel index, U
and V outputs; ``.flatten(-4, -3)`` gives (..., 75, H, W)):

* ``[..., 0, :, :, :]`` the indicator: channel ``p`` is 1 where the pixel
  belongs to part ``p`` (channel 0: background), 0 elsewhere;
* ``[..., 1, :, :, :]`` U: channel ``p`` holds U where the pixel is in part
  ``p`` and 0 elsewhere; channel 0 (background) is all 0;
* ``[..., 2, :, :, :]`` V likewise.

:func:`compact_to_onehot` and :func:`onehot_to_compact` are exact inverses
on canonical maps.  ``onehot_to_compact`` also takes soft predictions
(indicator logits / probabilities): the index is the arg-max channel and
U, V are read in that channel.
"""
from typing import Sequence, Union

import numpy as np
import torch

from .iuv_parts import NUM_PARTS, PART_TO_COARSE

__all__ = [
    'compact_to_onehot', 'onehot_to_compact', 'index_map', 'coarse_part_map',
    'iuv_to_rgb', 'rgb_to_iuv', 'iuv_to_hsv_image',
]

ArrayLike = Union[torch.Tensor, np.ndarray]


def _as_tensor(x: ArrayLike) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))


def _check_compact(iuv: torch.Tensor) -> None:
    if iuv.dim() < 3 or iuv.shape[-3] != 3:
        raise ValueError('a compact IUV map is (..., 3, H, W) = [I, U, V]; '
                         f'got shape {tuple(iuv.shape)}')


def index_map(iuv: ArrayLike, normalized_index: bool = False
              ) -> torch.Tensor:
    """The part index of a compact map as a long tensor (..., H, W) in
    0..24 (rounded; ``normalized_index``: ``M^I`` is ``I / 24``)."""
    iuv = _as_tensor(iuv)
    _check_compact(iuv)
    index = iuv[..., 0, :, :]
    if normalized_index:
        index = index.double() * NUM_PARTS
    if index.is_floating_point():
        index = torch.round(index)
    return index.long().clamp(0, NUM_PARTS)


def compact_to_onehot(iuv: ArrayLike,
                      normalized_index: bool = False) -> torch.Tensor:
    """Compact ``M = [M^I, M^U, M^V]`` -> one-hot ``[I, U, V]``.

    Args:
        iuv: (..., 3, H, W); ``M^I`` in 0..24 (or ``I / 24`` with
            ``normalized_index``), ``M^U``, ``M^V`` in [0, 1].
        normalized_index: ``M^I`` holds ``I / 24``.

    Returns:
        (..., 3, 25, H, W) float tensor (the input's dtype if floating,
        else float32): indicator, U and V per part (module docstring).
        U and V of background pixels are dropped (the one-hot form has
        none).
    """
    iuv = _as_tensor(iuv)
    _check_compact(iuv)
    dtype = iuv.dtype if iuv.is_floating_point() else torch.float32
    index = index_map(iuv, normalized_index)                  # (..., H, W)
    onehot = torch.nn.functional.one_hot(index, NUM_PARTS + 1)
    onehot = onehot.movedim(-1, -3).to(dtype)                 # (..., 25, H, W)
    fg = onehot.clone()
    fg[..., 0, :, :] = 0
    u = fg * iuv[..., 1:2, :, :].to(dtype)
    v = fg * iuv[..., 2:3, :, :].to(dtype)
    return torch.stack([onehot, u, v], dim=-4)


def onehot_to_compact(onehot: ArrayLike,
                      normalized_index: bool = False) -> torch.Tensor:
    """One-hot ``[I, U, V]`` -> compact ``M = [M^I, M^U, M^V]``.

    Args:
        onehot: (..., 3, 25, H, W): indicator (or part scores: the arg-max
            channel is taken), U and V per part.
        normalized_index: write ``I / 24`` instead of ``I``.

    Returns:
        (..., 3, H, W) float tensor: ``M^I`` (float part index 0..24, or
        ``I / 24``), and U, V read in the winning part's channel (0 on the
        background).
    """
    onehot = _as_tensor(onehot)
    if onehot.dim() < 4 or onehot.shape[-4] != 3 or \
            onehot.shape[-3] != NUM_PARTS + 1:
        raise ValueError('a one-hot IUV map is (..., 3, 25, H, W); got shape '
                         f'{tuple(onehot.shape)}')
    dtype = onehot.dtype if onehot.is_floating_point() else torch.float32
    index = onehot[..., 0, :, :, :].argmax(dim=-3)            # (..., H, W)
    gather = index.unsqueeze(-3)
    u = onehot[..., 1, :, :, :].gather(-3, gather).squeeze(-3).to(dtype)
    v = onehot[..., 2, :, :, :].gather(-3, gather).squeeze(-3).to(dtype)
    bg = index == 0
    u = u.masked_fill(bg, 0)
    v = v.masked_fill(bg, 0)
    i = index.to(dtype)
    if normalized_index:
        i = i / NUM_PARTS
    return torch.stack([i, u, v], dim=-3)


def coarse_part_map(index: ArrayLike,
                    table: Sequence[int] = PART_TO_COARSE) -> torch.Tensor:
    """Part index map (..., H, W) in 0..24 -> coarse part map: 0 background,
    1..6 as :data:`~.iuv_parts.COARSE_PARTS` (head, torso, left arm, right
    arm, left leg, right leg; CRA's part drop) with the default ``table``."""
    index = _as_tensor(index).long()
    lut = torch.as_tensor(list(table), dtype=torch.long, device=index.device)
    return lut[index.clamp(0, NUM_PARTS)]


# --------------------------------------------------------------------------
# pictures
# --------------------------------------------------------------------------
def _channels_last_uint8(x: torch.Tensor) -> np.ndarray:
    x = torch.round(x.clamp(0, 1) * 255).to(torch.uint8)
    return x.movedim(-3, -1).cpu().numpy()


def iuv_to_rgb(iuv: ArrayLike, normalized_index: bool = False) -> np.ndarray:
    """Raw picture of a compact map: R = I * 255 / 24, G = U * 255,
    B = V * 255 (rounded), background black.  :func:`rgb_to_iuv` inverts it
    (I exactly, U and V to 1/255).

    Args:
        iuv: (3, H, W) or (B, 3, H, W) compact map (tensor or array).

    Returns:
        uint8 array (H, W, 3) or (B, H, W, 3).
    """
    iuv = _as_tensor(iuv)
    index = index_map(iuv, normalized_index)
    fg = (index > 0).to(torch.float32)
    rgb = torch.stack([index.to(torch.float32) / NUM_PARTS,
                       iuv[..., 1, :, :].float() * fg,
                       iuv[..., 2, :, :].float() * fg], dim=-3)
    return _channels_last_uint8(rgb)


def rgb_to_iuv(rgb: ArrayLike) -> torch.Tensor:
    """Inverse of :func:`iuv_to_rgb`: uint8 (..., H, W, 3) -> compact
    (..., 3, H, W) float32 map (index 0..24, U, V in [0, 1])."""
    rgb = _as_tensor(rgb).to(torch.float32).movedim(-1, -3)
    index = torch.round(rgb[..., 0, :, :] * NUM_PARTS / 255)
    return torch.stack([index, rgb[..., 1, :, :] / 255,
                        rgb[..., 2, :, :] / 255], dim=-3)


def _hsv_to_rgb(h: torch.Tensor, s: torch.Tensor,
                v: torch.Tensor) -> torch.Tensor:
    """Vectorised HSV -> RGB, all in [0, 1]; returns (..., 3, H, W)."""
    h6 = (h % 1.0) * 6.0
    k = torch.stack([(5.0 + h6) % 6, (3.0 + h6) % 6, (1.0 + h6) % 6],
                    dim=-3)
    s, v = s.unsqueeze(-3), v.unsqueeze(-3)
    return v - v * s * torch.clamp(torch.minimum(k, 4.0 - k), 0.0, 1.0)


def iuv_to_hsv_image(iuv: ArrayLike,
                     normalized_index: bool = False) -> np.ndarray:
    """Picture of a compact map in HSV colour space (as CRA's figures show
    IUV): hue = (I - 1) / 24 (one hue per part), saturation =
    0.35 + 0.65 U, value = 0.35 + 0.65 V; the background is black.

    Args:
        iuv: (3, H, W) or (B, 3, H, W) compact map.

    Returns:
        uint8 RGB array (H, W, 3) or (B, H, W, 3).
    """
    iuv = _as_tensor(iuv)
    index = index_map(iuv, normalized_index)
    fg = (index > 0).to(torch.float32)
    hue = (index.to(torch.float32) - 1).clamp(min=0) / NUM_PARTS
    sat = 0.35 + 0.65 * iuv[..., 1, :, :].float().clamp(0, 1)
    val = 0.35 + 0.65 * iuv[..., 2, :, :].float().clamp(0, 1)
    rgb = _hsv_to_rgb(hue, sat, val) * fg.unsqueeze(-3)
    return _channels_last_uint8(rgb)
