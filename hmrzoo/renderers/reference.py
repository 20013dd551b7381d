"""Brute-force reference rasterizer: every pixel against every face.

Simple, slow (O(B F H W)) and written independently of
:func:`hmrzoo.renderers.rasterize` from the same definitions (see
:mod:`hmrzoo.renderers.rasterizer`): a pixel centre is covered when all
three barycentric coordinates are >= 0, faces need ``z > z_near`` at all
corners and a non-zero area, the smallest depth wins and equal depths go to
the smallest face index; background is ``face_idx = -1``, ``bary = 0``,
``depth = 0``.

Each barycentric coordinate of a triangle is an affine function of the
pixel position, ``lambda_i(x, y) = a_i x + b_i y + c_i``, so the
coordinates of every (face, pixel) pair are one matrix product of the
per-face coefficients with the pixel grid ``[x, y, 1]``; the same holds
for ``1 / z`` (perspective) or ``z`` (orthographic).  It only differs from
the fast rasterizer on exact ties and in rounding: centres on an edge are
decided here by this affine form, and depths are compared in the input
precision.  For tests and benchmarks only.
"""
from typing import Optional, Sequence

import torch
from torch import Tensor

from .rasterizer import Fragments


def _barycentric_planes(v: Tensor) -> Tensor:
    """Affine coefficients of the barycentric coordinates of triangles.

    Args:
        v (Tensor): (F, 3, 3) screen corners ``(x, y, z)``.

    Returns:
        Tensor: (F, 3, 3) ``[a_i, b_i, c_i]`` per corner ``i`` with
        ``lambda_i(x, y) = a_i x + b_i y + c_i`` (NaN / inf rows for
        degenerate triangles).
    """
    x, y = v[..., 0], v[..., 1]
    area2 = (x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0]) - \
        (y[:, 1] - y[:, 0]) * (x[:, 2] - x[:, 0])
    rows = []
    for i in range(3):
        j, k = (i + 1) % 3, (i + 2) % 3
        # twice the signed area of (p, v_j, v_k), affine in p = (x, y)
        a = -(y[:, k] - y[:, j])
        b = x[:, k] - x[:, j]
        c = (y[:, k] - y[:, j]) * x[:, j] - (x[:, k] - x[:, j]) * y[:, j]
        rows.append(torch.stack([a, b, c], -1) / area2[:, None])
    return torch.stack(rows, 1)


@torch.no_grad()
def rasterize_brute_force(screen_vertices: Tensor,
                          faces: Tensor,
                          image_size: Sequence[int],
                          perspective_correct: bool = True,
                          cull_backfaces: bool = False,
                          z_near: float = 0.,
                          max_candidates: int = 2 ** 20,
                          max_faces: Optional[int] = None) -> Fragments:
    """Rasterize by evaluating every face at every pixel centre.

    Args and returns as :func:`hmrzoo.renderers.rasterize`;
    ``max_candidates`` bounds the (face, pixel) pairs evaluated at once
    (faces are processed in chunks of ``max_candidates // (H W)``).
    ``max_faces``, for timing only, stops after that many faces (the
    output then ignores the others).
    """
    height, width = (int(s) for s in image_size)
    sv = screen_vertices.detach()
    batch = sv.shape[0]
    faces = faces.to(device=sv.device, dtype=torch.long)
    num_faces = faces.shape[0] if max_faces is None else \
        min(max_faces, faces.shape[0])
    ys, xs = torch.meshgrid(
        torch.arange(height, device=sv.device, dtype=sv.dtype),
        torch.arange(width, device=sv.device, dtype=sv.dtype),
        indexing='ij')
    grid = torch.stack([xs.reshape(-1), ys.reshape(-1),
                        torch.ones_like(xs).reshape(-1)])       # (3, HW)
    chunk = max(1, max_candidates // (3 * height * width))

    face_idx = torch.full((batch, height * width), -1, dtype=torch.long,
                          device=sv.device)
    best = sv.new_full((batch, height * width), float('inf'))
    for b in range(batch):
        for lo in range(0, num_faces, chunk):
            v = sv[b][faces[lo:min(lo + chunk, num_faces)]]  # (Fc, 3, 3)
            planes = _barycentric_planes(v)                  # (Fc, 3, 3)
            z = v[..., 2]
            ok = torch.isfinite(planes).all(-1).all(-1) & \
                (z.min(-1).values > z_near)
            if cull_backfaces:  # front faces: negative signed area
                x, y = v[..., 0], v[..., 1]
                ok &= (x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0]) - \
                    (y[:, 1] - y[:, 0]) * (x[:, 2] - x[:, 0]) < 0
            planes = torch.where(ok[:, None, None], planes, 0.)
            lam = planes @ grid                              # (Fc, 3, HW)
            inside = (lam.amin(1) >= 0) & ok[:, None]
            # 1/z (perspective) or z (orthographic) is affine too
            a = 1. / z if perspective_correct else z
            key = (planes * a[..., None]).sum(1) @ grid      # (Fc, HW)
            d = 1. / key if perspective_correct else key
            d = torch.where(inside, d, float('inf'))
            dmin, arg = d.min(0)        # first (smallest) index on ties
            better = dmin < best[b]
            best[b] = torch.where(better, dmin, best[b])
            face_idx[b] = torch.where(better, arg + lo, face_idx[b])

    # barycentrics and depth of the winners, from the plain cross products
    covered = face_idx >= 0
    bi, pi = covered.nonzero(as_tuple=True)
    f = face_idx[bi, pi]
    v = sv[bi[:, None], faces[f]]                            # (M, 3, 3)
    px, py = grid[0, pi], grid[1, pi]
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    w = []
    for i in range(3):
        j, k = (i + 1) % 3, (i + 2) % 3
        w.append((x[:, k] - x[:, j]) * (py - y[:, j]) -
                 (y[:, k] - y[:, j]) * (px - x[:, j]))
    lam = torch.stack(w, -1)
    lam = lam / lam.sum(-1, keepdim=True)
    if perspective_correct:
        lam = lam / z
        lam = lam / lam.sum(-1, keepdim=True)
    bary = sv.new_zeros(batch, height * width, 3)
    depth = sv.new_zeros(batch, height * width)
    bary[bi, pi] = lam
    depth[bi, pi] = (lam * z).sum(-1)
    return Fragments(face_idx.view(batch, height, width),
                     bary.view(batch, height, width, 3),
                     depth.view(batch, height, width))
