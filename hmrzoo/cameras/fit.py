"""Cameras fitted to 2D evidence: the translation that puts posed 3D points
onto their 2D keypoints (SPIN's ``estimate_translation``, used by SPIN and
PyMAF to render targets from ground-truth bodies)."""
import torch
from torch import Tensor

from .weak_perspective import WeakPerspectiveProjection


def fit_translation(points: Tensor, keypoints: Tensor, mask: Tensor,
                    focal: float, min_points: int = 4) -> Tensor:
    """Least-squares camera translation for a pinhole camera with principal
    point 0: ``u = focal (X + tx) / (Z + tz)`` (same for v, y).

    Each valid point gives two equations linear in ``t``:
    ``focal tx - u tz = u Z - focal X`` and ``focal ty - v tz = v Z -
    focal Y``; the weighted normal equations are solved per sample.

    Args:
        points (Tensor): (B, K, 3) points, body frame.
        keypoints (Tensor): (B, K, 2) their images, in the units of
            ``focal`` around the principal point.
        mask (Tensor): (B, K) weights (0 = absent).
        focal (float): focal length in those units.
        min_points (int): samples with fewer valid points get NaN.

    Returns:
        Tensor: (B, 3) translation (NaN rows: not enough points).
    """
    x, y, z = points.double().unbind(-1)
    u, v = keypoints.double().unbind(-1)
    w = (mask.double() > 0).double()
    zero = torch.zeros_like(u)
    fx = torch.full_like(u, float(focal))
    rows_x = torch.stack([fx, zero, -u], -1)          # (B, K, 3)
    rows_y = torch.stack([zero, fx, -v], -1)
    a = torch.cat([rows_x, rows_y], 1)                # (B, 2K, 3)
    b = torch.cat([u * z - focal * x, v * z - focal * y], 1)
    ww = torch.cat([w, w], 1)
    ata = torch.einsum('bki,bk,bkj->bij', a, ww, a)
    atb = torch.einsum('bki,bk,bk->bi', a, ww, b)
    enough = w.sum(1) >= min_points
    ata = torch.where(enough[:, None, None], ata,
                      torch.eye(3, dtype=ata.dtype, device=ata.device))
    t = torch.linalg.solve(ata, atb)
    t = torch.where(enough[:, None], t, torch.full_like(t, float('nan')))
    return t.to(points.dtype)


def fit_weak_perspective_camera(projection: WeakPerspectiveProjection,
                                points: Tensor, keypoints: Tensor,
                                mask: Tensor) -> Tensor:
    """The crop camera ``[s, tx, ty]`` of ``projection`` (perspective form)
    that best maps ``points`` (B, K, 3) onto ``keypoints`` (B, K, 2) in
    normalised crop coordinates; NaN rows where fewer than 4 keypoints are
    valid.  Inverts :meth:`WeakPerspectiveProjection.camera_translation`:
    ``s = 2 f / (img_res tz)``."""
    focal = 2. * projection.focal_length / projection.img_res
    t = fit_translation(points, keypoints, mask, focal)
    s = 2. * projection.focal_length / (projection.img_res * t[:, 2])
    return torch.stack([s, t[:, 0], t[:, 1]], dim=-1)
