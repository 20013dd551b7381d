"""Local (per-RoI) and full-image cameras of Multi-RoI (eq. 8-15).

A local camera ``C_m = [s_m, tx_m, ty_m]`` is the weak-perspective camera
of the crop cut by the bbox ``B_m = [cx_m, cy_m, b_m]``, where
``(cx_m, cy_m)`` is the bbox centre **relative to the image centre** (full
image pixels, i.e. ``cx - W/2``) and ``b_m`` the bbox size in pixels.
Every RoI of one person sees the same full camera (eq. 12-13):

    ``tx_full = tx_m + 2 cx_m / (b_m s_m)``,
    ``ty_full = ty_m + 2 cy_m / (b_m s_m)``,
    ``tz_full = 2 f / (b_m s_m)``.

Hence the pairwise consistency relations of eq. 14, whose residuals
(eq. 15, before squaring and weighting) :func:`camera_consistency_residuals`
returns.  The loss itself lives with the other losses.
"""
from typing import Dict, Optional, Union

import torch
from torch import Tensor

Focal = Union[float, Tensor]


def _split_bbox(bbox: Tensor):
    return bbox[..., 0], bbox[..., 1], bbox[..., 2]


def local_to_full(local_cam: Tensor,
                  bbox: Tensor,
                  focal_length: Focal,
                  eps: float = 1e-9) -> Tensor:
    """Local camera to the full-image translation (eq. 12).

    Args:
        local_cam (Tensor): (..., 3) ``[s, tx, ty]``.
        bbox (Tensor): (..., 3) ``[cx, cy, b]``; centre relative to the image
            centre and size, pixels.
        focal_length (float | Tensor): focal of the full image, pixels; a
            number or a tensor broadcastable to ``local_cam.shape[:-1]``.
        eps (float): added to ``b s`` (as CLIFF's code). Defaults to 1e-9.

    Returns:
        Tensor: (..., 3) full-image translation ``[tx, ty, tz]``, metres.
    """
    s, tx, ty = local_cam.unbind(-1)
    cx, cy, b = _split_bbox(bbox)
    bs = b * s + eps
    return torch.stack([tx + 2 * cx / bs, ty + 2 * cy / bs,
                        2 * focal_length / bs], dim=-1)


def full_to_local(full_cam: Tensor,
                  bbox: Tensor,
                  focal_length: Focal,
                  eps: float = 1e-9) -> Tensor:
    """Inverse of :func:`local_to_full` (same ``eps``).

    Args:
        full_cam (Tensor): (..., 3) full-image translation ``[tx, ty, tz]``.
        bbox (Tensor): (..., 3) ``[cx, cy, b]`` as in :func:`local_to_full`.
        focal_length (float | Tensor): focal, pixels.
        eps (float): as in :func:`local_to_full`.

    Returns:
        Tensor: (..., 3) local camera ``[s, tx, ty]`` of that RoI.
    """
    tx_full, ty_full, tz = full_cam.unbind(-1)
    cx, cy, b = _split_bbox(bbox)
    bs = 2 * focal_length / tz
    return torch.stack([(bs - eps) / b, tx_full - 2 * cx / bs,
                        ty_full - 2 * cy / bs], dim=-1)


def camera_consistency_residuals(
        local_cams: Tensor,
        bboxes: Tensor,
        focal_length: Optional[Focal] = None,
        eps: float = 1e-9) -> Dict[str, Tensor]:
    """Pairwise residuals of the camera-consistency relations (eq. 14-15).

    With ``X_m = tx_m + 2 cx_m / (b_m s_m)`` (and ``Y_m`` likewise), entry
    ``[i, m, n]`` is the difference between RoIs m and n of sample i:

    * ``x``: ``X_m - X_n``; ``y``: ``Y_m - Y_n`` (metres);
    * ``s``: ``b_m s_m - b_n s_n`` (pixels);
    * ``z`` (only when ``focal_length`` is given): ``tz_m - tz_n`` (metres),
      the depth difference that ``s`` implies.

    All are antisymmetric in (m, n) with a zero diagonal, and all vanish
    when the local cameras come from one full camera.  No squaring,
    weighting or reduction is applied.

    Args:
        local_cams (Tensor): (B, M, 3) local cameras ``[s, tx, ty]``.
        bboxes (Tensor): (B, M, 3) ``[cx, cy, b]``, centres relative to the
            image centre, pixels.
        focal_length (float | Tensor, optional): (B,) or number, pixels;
            only needed for ``z``.
        eps (float): as in :func:`local_to_full`.

    Returns:
        dict[str, Tensor]: ``x``, ``y``, ``s`` (and ``z``), each (B, M, M).
    """
    s, _, _ = local_cams.unbind(-1)
    b = bboxes[..., 2]
    full = local_to_full(local_cams, bboxes, 1., eps)  # tz = 2 / (b s)

    def pairwise(v: Tensor) -> Tensor:
        return v[..., :, None] - v[..., None, :]

    out = dict(x=pairwise(full[..., 0]), y=pairwise(full[..., 1]),
               s=pairwise(b * s))
    if focal_length is not None:
        focal = torch.as_tensor(focal_length, dtype=full.dtype,
                                device=full.device)
        if focal.dim() == 1:  # (B,)
            focal = focal[:, None]
        out['z'] = pairwise(full[..., 2] * focal)
    return out


#: Multi-RoI's fixed RoIs (§3.5): offsets of the centre in units of the
#: bbox size b, and the resizing factors, in the paper's order; RoI 0 is
#: the original bbox.
ROI_OFFSETS = ((0.1, 0.0), (-0.1, 0.0), (0.0, 0.1), (0.0, -0.1))
ROI_SCALES = (1.5, 1.25, 0.8, 0.65)


def roi_boxes(center: Tensor, size: Tensor, num_rois: int = 5,
              offsets=ROI_OFFSETS, scales=ROI_SCALES):
    """The M RoIs of a person from its bbox (Multi-RoI §3.5).

    RoI 0 is the bbox itself; RoI k >= 1 is moved by ``offsets[k-1] * b``
    and resized by ``scales[k-1]`` (both, as the official data pipeline
    does).

    Args:
        center (Tensor): (B, 2) bbox centre, pixels.
        size (Tensor): (B,) bbox size ``b``, pixels.
        num_rois (int): M, 1 .. len(offsets) + 1.
        offsets (sequence): (dx, dy) pairs in units of b.
        scales (sequence): resizing factors.

    Returns:
        tuple[Tensor, Tensor]: centres (B, M, 2) and sizes (B, M), pixels.
    """
    if len(offsets) != len(scales):
        raise ValueError(f'{len(offsets)} offsets but {len(scales)} scales')
    if not 1 <= num_rois <= len(offsets) + 1:
        raise ValueError(f'num_rois must be in 1..{len(offsets) + 1}, got '
                         f'{num_rois}')
    shift = center.new_tensor([(0., 0.)] + [tuple(o) for o in offsets])
    factor = center.new_tensor([1.] + [float(s) for s in scales])
    shift, factor = shift[:num_rois], factor[:num_rois]
    centers = center[:, None] + shift[None] * size[:, None, None]
    return centers, size[:, None] * factor[None]
