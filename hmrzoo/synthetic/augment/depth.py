"""Depth-map augmentations and the IQR depth trimming of the self-supervised
joints+depth method (``001_01caa0c91b604013.txt`` §3.2, eq. 1-3)."""
from typing import Tuple

import torch
from torch import Tensor


def _median_of_sorted(values: Tensor, start: Tensor, count: Tensor) -> Tensor:
    """Median of ``values[b, start[b] : start[b] + count[b]]`` (sorted rows).

    values (B, N); start, count (B,) long, count >= 1.
    """
    lo = start + (count - 1) // 2
    hi = start + count // 2
    return (values.gather(1, lo[:, None]) + values.gather(1, hi[:, None]))[
        :, 0] / 2


def iqr_bounds(depth: Tensor) -> Tuple[Tensor, Tensor]:
    """Lower / upper bounds of eq. 1-2 for each depth map.

    With ``n`` the number of valid (non-zero) depth values of a map, Q1 is
    the median of its ``floor(n/2)`` smallest values, Q3 the median of its
    ``floor(n/2)`` largest ones, ``IQR = Q3 - Q1``, and the bounds are
    ``Q1 - 1.5 IQR`` and ``Q3 + 1.5 IQR``.

    Args:
        depth: (B, H, W) depth maps (any unit); 0 marks background.

    Returns:
        (lower, upper), each (B,).  A map with fewer than 2 valid values
        gets bounds (-inf, inf) (nothing to trim).
    """
    flat = depth.reshape(depth.shape[0], -1)
    valid = flat != 0
    n = valid.sum(1)
    inf = torch.tensor(float('inf'), dtype=flat.dtype, device=flat.device)
    ordered = torch.where(valid, flat, inf).sort(dim=1).values
    k = (n // 2).clamp(min=1)
    q1 = _median_of_sorted(ordered, torch.zeros_like(n), k)
    q3 = _median_of_sorted(ordered, (n - k).clamp(min=0), k)
    iqr = q3 - q1
    lower, upper = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    few = n < 2
    lower = torch.where(few, -inf, lower)
    upper = torch.where(few, inf, upper)
    return lower, upper


def iqr_trim(depth: Tensor) -> Tensor:
    """Eq. 3: clamp the valid depth values of each map into its IQR bounds.

    Values above the upper bound become the upper bound; non-zero values
    below the lower bound become the lower bound; zeros (background) stay
    zero.

    Args:
        depth: (B, H, W) or (H, W) depth maps.

    Returns:
        Trimmed maps of the same shape.
    """
    single = depth.dim() == 2
    d = depth[None] if single else depth
    lower, upper = iqr_bounds(d)
    lower, upper = lower[:, None, None], upper[:, None, None]
    out = torch.where(d > upper, upper.expand_as(d), d)
    out = torch.where((d != 0) & (d < lower), lower.expand_as(d), out)
    return out[0] if single else out


def add_depth_outliers(depth: Tensor, generator: torch.Generator,
                       fraction: float = 0.01,
                       scale_range: Tuple[float, float] = (0.2, 5.0)) -> Tensor:
    """Corrupt a fraction of the valid depth values with extreme ones, as a
    monocular depth estimator's failures do (the input that IQR trimming is
    meant for): each chosen value is multiplied by a factor drawn uniformly
    in ``scale_range``.

    Args:
        depth: (B, H, W) depth maps, 0 = background.
        generator: torch generator (determinism per sample / seed).
        fraction: expected share of valid pixels corrupted.
        scale_range: multiplicative factors.
    """
    pick = torch.rand(depth.shape, generator=generator,
                      device=depth.device) < fraction
    lo, hi = scale_range
    factor = lo + (hi - lo) * torch.rand(depth.shape, generator=generator,
                                         device=depth.device)
    return torch.where(pick & (depth != 0), depth * factor, depth)
