"""Cameras fitted to 2D evidence: the translation that puts posed 3D points
onto their 2D keypoints (SPIN's ``estimate_translation``, used by SPIN and
PyMAF to render targets from ground-truth bodies).  Projections use it in
their ``fit_camera`` (e.g.
:meth:`~hmrzoo.cameras.WeakPerspectiveProjection.fit_camera`)."""
import torch
from torch import Tensor


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

