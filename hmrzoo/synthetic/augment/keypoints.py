"""2D keypoint augmentations: positional noise and removal of named joints
(CRA §4.2 and its Table 5 robustness protocol)."""
from typing import Sequence, Tuple

import torch
from torch import Tensor

from ...conventions import get_keypoint_idx

#: The joints CRA's robustness protocol removes.
LIMB_END_JOINTS = ('left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
                   'left_knee', 'right_knee', 'left_ankle', 'right_ankle')


def perturb_keypoints(keypoints: Tensor, std: float,
                      generator: torch.Generator) -> Tensor:
    """Add Gaussian noise of standard deviation ``std`` (the keypoints'
    units) to (B, K, 2) keypoints."""
    noise = torch.randn(keypoints.shape, generator=generator,
                        device=keypoints.device, dtype=keypoints.dtype)
    return keypoints + std * noise


def drop_named_keypoints(mask: Tensor, convention: str, prob: float,
                         generator: torch.Generator,
                         names: Sequence[str] = LIMB_END_JOINTS) -> Tensor:
    """Remove each of the named joints independently with probability
    ``prob``.

    Args:
        mask: (B, K) keypoint validity in ``convention``.
        convention: keypoint convention of the mask.
        prob: removal probability per joint and sample.
        generator: torch generator.
        names: joints that may be removed (default: elbows, wrists, knees,
            ankles).

    Returns:
        (B, K) mask with the removed joints set to 0.
    """
    idx = torch.tensor([get_keypoint_idx(n, convention) for n in names],
                       device=mask.device)
    drop = torch.rand((mask.shape[0], len(names)), generator=generator,
                      device=mask.device) < prob
    out = mask.clone()
    sub = out[:, idx]
    out[:, idx] = torch.where(drop, torch.zeros_like(sub), sub)
    return out


def random_rectangles(batch: int, size: Tuple[int, int],
                      area_range: Tuple[float, float],
                      generator: torch.Generator,
                      device=None) -> Tensor:
    """(B, H, W) bool masks, each one axis-aligned rectangle whose area is a
    uniform fraction ``area_range`` of the image and whose aspect ratio is
    log-uniform in [1/3, 3], placed uniformly inside the image."""
    height, width = size
    u = torch.rand((batch, 4), generator=generator, device=device)
    area = (area_range[0] + (area_range[1] - area_range[0]) * u[:, 0]) \
        * height * width
    aspect = torch.exp((u[:, 1] * 2 - 1) * torch.log(torch.tensor(3.0)))
    h = (area * aspect).sqrt().clamp(1, height)
    w = (area / aspect).sqrt().clamp(1, width)
    y0 = u[:, 2] * (height - h)
    x0 = u[:, 3] * (width - w)
    ys = torch.arange(height, device=device)[None, :, None]
    xs = torch.arange(width, device=device)[None, None, :]
    return ((ys >= y0[:, None, None]) & (ys < (y0 + h)[:, None, None])
            & (xs >= x0[:, None, None]) & (xs < (x0 + w)[:, None, None]))


def occlude_rectangle(maps: Tensor, prob: float,
                      area_range: Tuple[float, float],
                      generator: torch.Generator,
                      fill: float = 0.0) -> Tensor:
    """With probability ``prob`` per sample, set the pixels of one random
    rectangle of (B, C, H, W) maps to ``fill`` (an occluder)."""
    batch = maps.shape[0]
    rect = random_rectangles(batch, maps.shape[-2:], area_range, generator,
                             maps.device)
    apply = torch.rand(batch, generator=generator,
                       device=maps.device) < prob
    hide = (rect & apply[:, None, None])[:, None]
    return torch.where(hide, torch.full_like(maps, fill), maps)
