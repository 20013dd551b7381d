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


def add_depth_holes(depth: Tensor, generator: torch.Generator, count: int,
                    radius_range: Tuple[float, float]) -> Tensor:
    """Zero ``count`` discs per map (an estimator's missing values), each
    centred on a random pixel with a radius drawn uniformly in
    ``radius_range`` (fractions of the map's side)."""
    b, h, w = depth.shape
    dev = depth.device
    ys = torch.arange(h, device=dev, dtype=depth.dtype)[:, None]
    xs = torch.arange(w, device=dev, dtype=depth.dtype)[None]
    keep = torch.ones_like(depth, dtype=torch.bool)
    for _ in range(count):
        c = torch.rand(b, 2, generator=generator, device=dev)
        lo, hi = radius_range
        r = (lo + (hi - lo) * torch.rand(b, generator=generator, device=dev)
             ) * max(h, w)
        d2 = (ys[None] - c[:, 0, None, None] * (h - 1)) ** 2 + \
            (xs[None] - c[:, 1, None, None] * (w - 1)) ** 2
        keep &= d2 > (r ** 2)[:, None, None]
    return depth * keep


def scale_offset_depth(depth: Tensor, generator: torch.Generator,
                       scale_std: float, offset_std: float) -> Tensor:
    """A global error per map on its valid values: ``d (1 + e_s) + e_o``,
    ``e_s ~ N(0, scale_std)``, ``e_o ~ N(0, offset_std)`` (depth units)."""
    b = depth.shape[0]
    es = torch.randn(b, 1, 1, generator=generator, device=depth.device)
    eo = torch.randn(b, 1, 1, generator=generator, device=depth.device)
    out = depth * (1 + scale_std * es) + offset_std * eo
    return torch.where(depth != 0, out, depth)


def blur_silhouette_edge(depth: Tensor, edge_px: int,
                         background_gap: float = 0.5) -> Tensor:
    """Smear depth across the silhouette as estimators do: within
    ``edge_px`` pixels of the background, a valid value becomes the mean of
    its (2 edge_px + 1)^2 window in which background pixels count as lying
    ``background_gap`` (depth units) behind the map's farthest value."""
    if edge_px <= 0:
        return depth
    valid = depth != 0
    far = torch.where(valid, depth, torch.zeros_like(depth)).flatten(1).max(
        1).values[:, None, None] + background_gap
    filled = torch.where(valid, depth, far.expand_as(depth))
    k = 2 * edge_px + 1
    blurred = torch.nn.functional.avg_pool2d(
        filled[:, None], k, stride=1, padding=edge_px,
        count_include_pad=False)[:, 0]
    near_bg = torch.nn.functional.max_pool2d(
        (~valid).to(depth.dtype)[:, None], k, stride=1,
        padding=edge_px)[:, 0] > 0
    return torch.where(valid & near_bg, blurred, depth)


def corrupt_depth(depth: Tensor, generator: torch.Generator = None,
                  outliers: float = 0.0,
                  outlier_range: Tuple[float, float] = (0.2, 5.0),
                  holes: int = 0,
                  hole_radius: Tuple[float, float] = (0.02, 0.08),
                  scale_std: float = 0.0, offset_std: float = 0.0,
                  edge_px: int = 0) -> Tensor:
    """A monocular depth estimator's failures, in this order: silhouette
    blur (:func:`blur_silhouette_edge`), holes (:func:`add_depth_holes`),
    a global scale / offset error (:func:`scale_offset_depth`) and extreme
    outliers far in front / behind (:func:`add_depth_outliers`, a share
    ``outliers`` of the valid pixels times ``U(outlier_range)``).  Each
    is off at its default.  depth (B, H, W), 0 = no value."""
    out = blur_silhouette_edge(depth, edge_px)
    if holes:
        out = add_depth_holes(out, generator, holes, hole_radius)
    if scale_std or offset_std:
        out = scale_offset_depth(out, generator, scale_std, offset_std)
    if outliers:
        out = add_depth_outliers(out, generator, outliers, outlier_range)
    return out


def relative_depth(depth: Tensor, scale: float) -> Tensor:
    """A depth map as a unit-free network input: ``(d - median) / scale``
    on valid pixels (median of each map's non-zero values), 0 elsewhere.
    depth (B, ..., H, W)."""
    flat = depth.flatten(1)
    valid = flat != 0
    med = torch.where(valid, flat, flat.new_tensor(float('nan'))).nanmedian(
        1).values.nan_to_num(0.)
    out = (flat - med[:, None]) / scale * valid
    return out.reshape(depth.shape)
