"""Gaussian keypoint heatmaps."""
from typing import Optional, Tuple

import torch
from torch import Tensor


def render_gaussian_heatmaps(keypoints: Tensor, mask: Tensor,
                             size: Tuple[int, int], sigma: float,
                             out: Optional[Tensor] = None) -> Tensor:
    """Draw one unnormalised Gaussian (peak 1) per keypoint.

    Args:
        keypoints: (B, K, 2) positions in heatmap pixels, x right, y down;
            pixel ``(i, j)`` has its centre at ``x = j``, ``y = i``.
        mask: (B, K) 1 to draw the keypoint, 0 for an all-zero channel.
        size: (H, W) of the heatmaps.
        sigma: standard deviation in heatmap pixels.
        out: optional (B, K, H, W) tensor (any strides, e.g. a channel
            slice of a network's input) to write the maps into, which saves
            allocating and copying them (570 MB for COCO-17 at 256^2,
            batch 128).

    Returns:
        (B, K, H, W) heatmaps in [0, 1] (``out`` when given).
    """
    height, width = size
    ys = torch.arange(height, dtype=keypoints.dtype, device=keypoints.device)
    xs = torch.arange(width, dtype=keypoints.dtype, device=keypoints.device)
    # separable: exp(-(dx^2 + dy^2) / 2s^2) = gx * gy, so only (B,K,W) and
    # (B,K,H) exponentials are computed and the map is their outer product.
    gx = torch.exp(-(xs[None, None, :] - keypoints[..., 0:1]) ** 2
                   / (2 * sigma ** 2))
    gy = torch.exp(-(ys[None, None, :] - keypoints[..., 1:2]) ** 2
                   / (2 * sigma ** 2))
    # factors below 1e-6 become exact zeros: the Gaussian's far tail is
    # otherwise full of denormal floats, which slow CPU convolutions ~4x.
    gx = torch.where(gx < 1e-6, torch.zeros_like(gx), gx)
    gy = torch.where(gy < 1e-6, torch.zeros_like(gy), gy)
    gy = gy * mask[..., None].to(gy.dtype)
    return torch.mul(gy[..., :, None], gx[..., None, :], out=out)


def normalised_to_heatmap(points: Tensor, size: Tuple[int, int]) -> Tensor:
    """Map normalised crop coordinates in [-1, 1] (corners of the crop) to
    heatmap pixel coordinates (pixel centres at integers)."""
    height, width = size
    scale = points.new_tensor([width, height])
    return (points + 1) / 2 * scale - 0.5
