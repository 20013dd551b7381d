"""Gaussian keypoint heatmaps."""
from typing import Tuple

import torch
from torch import Tensor


def render_gaussian_heatmaps(keypoints: Tensor, mask: Tensor,
                             size: Tuple[int, int], sigma: float) -> Tensor:
    """Draw one unnormalised Gaussian (peak 1) per keypoint.

    Args:
        keypoints: (B, K, 2) positions in heatmap pixels, x right, y down;
            pixel ``(i, j)`` has its centre at ``x = j``, ``y = i``.
        mask: (B, K) 1 to draw the keypoint, 0 for an all-zero channel.
        size: (H, W) of the heatmaps.
        sigma: standard deviation in heatmap pixels.

    Returns:
        (B, K, H, W) heatmaps in [0, 1].
    """
    height, width = size
    ys = torch.arange(height, dtype=keypoints.dtype, device=keypoints.device)
    xs = torch.arange(width, dtype=keypoints.dtype, device=keypoints.device)
    dx2 = (xs[None, None, :] - keypoints[..., 0:1]) ** 2  # (B,K,W)
    dy2 = (ys[None, None, :] - keypoints[..., 1:2]) ** 2  # (B,K,H)
    heat = torch.exp(-(dy2[..., :, None] + dx2[..., None, :])
                     / (2 * sigma ** 2))
    # values below 1e-6 become exact zeros: the Gaussian's far tail is
    # otherwise full of denormal floats, which slow CPU convolutions ~4x.
    heat = torch.where(heat < 1e-6, torch.zeros_like(heat), heat)
    return heat * mask[..., None, None].to(heat.dtype)


def normalised_to_heatmap(points: Tensor, size: Tuple[int, int]) -> Tensor:
    """Map normalised crop coordinates in [-1, 1] (corners of the crop) to
    heatmap pixel coordinates (pixel centres at integers)."""
    height, width = size
    scale = points.new_tensor([width, height])
    return (points + 1) / 2 * scale - 0.5
