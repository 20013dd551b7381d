"""CRA's alignment errors between a prediction and the 2D evidence
(``000_f8ace6beef631e18.txt`` §3.4): the joint discrepancy D_J (eq. 3) and
the IUV discrepancy D_M (eq. 4), and the evidence they compare with (input
joints decoded from heatmaps, the IUV map downsized to the feature grid).

Coordinates are normalised crop coordinates ([-1, 1] at the crop's outer
edges, x right, y down), as hmrzoo's projections and synthetic evidence use;
compact IUV maps are ``[I / P, U, V]`` (P = 24 parts, 0 on the background),
the layout :class:`~hmrzoo.models.data_preprocessors.
SyntheticEvidencePreprocessor` renders and CRA feeds its network.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ...renderers.iuv_parts import NUM_PARTS

#: eq. 4's epsilon in the differentiable indicator
EPS = 1e-5


def joint_discrepancy(pred: Tensor, target: Tensor,
                      mask: Optional[Tensor] = None) -> Tensor:
    """Eq. 3: ``D_J = ĵ - j``, zero for joints the evidence lacks.

    Args:
        pred (Tensor): (B, K, 2) reprojected joints of a prediction.
        target (Tensor): (B, K, 2) input (evidence) joints, same frame.
        mask (Tensor, optional): (B, K) or (K,) 1 where the evidence has
            the joint.

    Returns:
        Tensor: (B, K, 2) discrepancy (normalised crop units).
    """
    diff = pred - target
    if mask is None:
        return diff
    if mask.dim() == 1:
        mask = mask[None]
    return diff * mask[..., None].to(diff)


def snap_index(index: Tensor, num_parts: int = NUM_PARTS) -> Tensor:
    """Normalised part index ``I / P`` snapped to the nearest ``p / P``.

    Straight-through: the value is exact (rasterisation round-off of about
    1e-7 would otherwise read as a mismatch of ``|Δ| / (|Δ| + ε) ≈ 0.01``),
    the gradient is that of the unsnapped map.
    """
    snapped = (index * num_parts).round().clamp(0, num_parts) / num_parts
    return index + (snapped - index).detach()


def iuv_discrepancy(pred: Tensor, target: Tensor, eps: float = EPS,
                    num_parts: int = NUM_PARTS) -> Tensor:
    """The three terms of eq. 4, kept apart: (B, 3, H, W).

    * channel 0: ``|M̂^I - M^I| / (|M̂^I - M^I|_d + ε)``, the
      differentiable indicator of a part mismatch (``_d``: detached);
    * channel 1: ``Σ_p 1(M̂^I = p/P) M̂^U - 1(M^I = p/P) M^U``: at a pixel
      exactly one ``p`` can match each map, so this is ``M̂^U`` where the
      prediction is on the body minus ``M^U`` where the evidence is
      (signed, as eq. 4 writes it);
    * channel 2: the same with V.

    Eq. 4's map ``D_M`` (H, W) is their sum (:func:`iuv_discrepancy_map`);
    §4.2 counts ``3 H0 W0`` values per stream in the fusion input, i.e.
    these three channels.

    Args:
        pred (Tensor): (B, 3, H, W) compact ``[I/P, U, V]`` of the
            prediction (differentiable).
        target (Tensor): (B, 3, H, W) compact evidence at the same size
            (see :func:`downsample_iuv`).
        eps (float): ε (1e-5 in the paper).
        num_parts (int): P.

    Returns:
        Tensor: (B, 3, H, W).
    """
    if pred.shape != target.shape or pred.dim() != 4 or pred.shape[1] != 3:
        raise ValueError('iuv_discrepancy compares two compact IUV maps of '
                         f'one shape (B, 3, H, W); got {tuple(pred.shape)} '
                         f'and {tuple(target.shape)}')
    pred_i, target_i = snap_index(pred[:, 0], num_parts), \
        snap_index(target[:, 0], num_parts)
    diff = (pred_i - target_i).abs()
    indicator = diff / (diff.detach() + eps)
    pred_fg = (pred_i.detach() * num_parts).round() > 0
    target_fg = (target_i.detach() * num_parts).round() > 0
    u = pred[:, 1] * pred_fg - target[:, 1] * target_fg
    v = pred[:, 2] * pred_fg - target[:, 2] * target_fg
    return torch.stack([indicator, u, v], dim=1)


def iuv_discrepancy_map(pred: Tensor, target: Tensor,
                        eps: float = EPS) -> Tensor:
    """Eq. 4's discrepancy map ``D_M`` (B, H, W): the sum of the three
    terms of :func:`iuv_discrepancy`."""
    return iuv_discrepancy(pred, target, eps).sum(dim=1)


def downsample_iuv(iuv: Tensor, size: Tuple[int, int]) -> Tensor:
    """Downsize compact IUV maps (B, 3, H, W) to ``size`` (h, w) by
    reading the pixel nearest to each output pixel's centre
    (``'nearest-exact'``; averaging would mix part indices).  Maps already
    at ``size`` are returned as they are."""
    if tuple(iuv.shape[-2:]) == tuple(size):
        return iuv
    return F.interpolate(iuv, size=tuple(size), mode='nearest-exact')


def heatmap_keypoints(heatmaps: Tensor, threshold: float = 0.1
                      ) -> Tuple[Tensor, Tensor]:
    """Keypoints from Gaussian heatmaps, in normalised crop coordinates.

    The arg-max pixel is refined by a parabola through the logarithms of
    its neighbours along x and y, which is exact for a sampled Gaussian
    (its logarithm is a parabola): the inverse of
    :func:`hmrzoo.utils.heatmaps.render_gaussian_heatmaps` away from the
    border (the arg-max pixel itself is kept on the border).

    Args:
        heatmaps (Tensor): (B, K, H, W), pixel (i, j) centred at x = j,
            y = i.
        threshold (float): a channel whose maximum is below it has no
            keypoint (mask 0).

    Returns:
        tuple[Tensor, Tensor]: keypoints (B, K, 2) in [-1, 1] (x, y), and
        mask (B, K) float.
    """
    batch, k, height, width = heatmaps.shape
    flat = heatmaps.reshape(batch, k, -1)
    peak, idx = flat.max(dim=-1)
    y, x = idx // width, idx % width
    logs = heatmaps.clamp(min=1e-12).log()

    def offset(lo, mid, hi, ok):
        curv = lo - 2 * mid + hi
        step = 0.5 * (lo - hi) / torch.where(curv < 0, curv,
                                             torch.full_like(curv, -1.0))
        return torch.where(ok & (curv < 0), step.clamp(-0.5, 0.5),
                           torch.zeros_like(step))

    def at(dy, dx):
        yy = (y + dy).clamp(0, height - 1)
        xx = (x + dx).clamp(0, width - 1)
        return logs.reshape(batch, k, -1).gather(
            -1, (yy * width + xx)[..., None])[..., 0]
    mid = at(0, 0)
    ox = offset(at(0, -1), mid, at(0, 1), (x > 0) & (x < width - 1))
    oy = offset(at(-1, 0), mid, at(1, 0), (y > 0) & (y < height - 1))
    px = torch.stack([x + ox, y + oy], dim=-1).to(heatmaps.dtype)
    scale = heatmaps.new_tensor([width, height])
    points = (px + 0.5) / scale * 2 - 1
    return points, (peak >= threshold).to(heatmaps.dtype)
