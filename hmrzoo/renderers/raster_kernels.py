"""The candidate passes of :func:`hmrzoo.renderers.rasterize`: box-size
buckets, the canonical edge functions and the two ways of testing (face,
pixel) candidates (a dense grid per bucket, or exact enumeration of the
box pixels for small buckets), folded into a per-pixel 64-bit key buffer
with ``scatter_reduce(..., 'amin')``.

The conventions (coverage, ties, orientation) and the algorithm are
described in :mod:`hmrzoo.renderers.rasterizer`; everything here runs
without gradient on the rasterizer's detached screen vertices.
"""
from typing import List, Tuple

import torch
from torch import Tensor

#: empty slot of the key buffer, and the mask of a key's face index
INT64_MAX = torch.iinfo(torch.int64).max
LOW32 = 0xFFFFFFFF


def bucket_sizes(limit: int) -> List[int]:
    """Sizes {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, ...} up to the
    first one >= ``limit``."""
    sizes = set()
    power = 1
    while True:
        for m in (4, 5, 6, 7):
            sizes.add((power * m + 3) // 4)
        if power >= limit:
            break
        power *= 2
    sizes = sorted(sizes)
    return [s for s in sizes if s < limit] + [max(limit, 1)]


def sorted_corners(faces: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """Each face's vertex indices in increasing order.

    Returns:
        tuple: ``sorted_faces`` (F, 3); ``perm`` (F, 3), the original corner
        of each sorted position; ``parity`` (F,) +1 / -1, the sign of that
        permutation (the orientation factor between the two orders).
    """
    sorted_faces, perm = faces.sort(dim=1)
    p0, p1, p2 = perm.unbind(1)
    parity = torch.sign((p1 - p0) * (p2 - p0) * (p2 - p1))
    return sorted_faces, perm, parity


def canonical_edges(px: Tensor, py: Tensor, qx: Tensor, qy: Tensor,
                     rx: Tensor, ry: Tensor) -> Tuple[List[Tensor], Tensor]:
    """Interior-positive canonical edge data of triangles.

    Args:
        px, py, qx, qy, rx, ry (Tensor): (n,) screen corners ``P, Q, R`` in
            increasing vertex-index order.

    Returns:
        tuple: the 10 rows ``c = [P.x, P.y, Q.x, Q.y, d_pq.x, d_pq.y,
        d_pr.x, d_pr.y, d_qr.x, d_qr.y]`` of edge directions signed so that
        the edge functions of :func:`edge_values` are >= 0 inside the
        triangle, and ``area2`` (n,), the signed doubled area of
        ``P, Q, R``.  Each edge is taken from its lower- to its
        higher-index vertex and only its sign depends on the triangle, so
        neighbours sharing an edge get exactly opposite values.
    """
    qpx, qpy, rpx, rpy = qx - px, qy - py, rx - px, ry - py
    rqx, rqy = rx - qx, ry - qy
    area2 = qpx * rpy - qpy * rpx
    sign = torch.sign(area2)
    neg = -sign
    return [px, py, qx, qy, qpx * sign, qpy * sign, rpx * neg, rpy * neg,
            rqx * sign, rqy * sign], area2


def edge_values(c, X: Tensor, Y: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """The canonical edge functions at pixel centres ``(X, Y)``.

    ``c`` are the rows of :func:`canonical_edges` (any broadcastable
    shapes).  ``e_qr``, ``e_pr``, ``e_pq`` are twice the areas of the
    sub-triangles opposite ``P``, ``Q``, ``R``.  The candidate pass and the
    final pass evaluate exactly these expressions, so they agree bitwise.
    """
    dyp, dxp, dyq, dxq = Y - c[1], X - c[0], Y - c[3], X - c[2]
    e_pq = c[4] * dyp - c[5] * dxp
    e_pr = c[6] * dyp - c[7] * dxp
    e_qr = c[8] * dyq - c[9] * dxq
    return e_pq, e_pr, e_qr


# table rows: P (0:2), Q (2:4), d_pq (4:6), d_pr (6:8), d_qr (8:10),
# a = 1/z or z at P, Q, R (10:13), key00 (13), key_dx (14), key_dy (15),
# box x0 (16), box y0 (17)
NCOL = 18
# pixel coordinate of grid cells outside a face's box (finite: no NaN)
FAR = 1e30
# a bucket with fewer (face, cell) pairs than this goes to the ragged path
GRID_MIN_CELLS = 8192


def fold(c, X: Tensor, Y: Tensor, lx: Tensor, ly: Tensor, row: Tensor,
          pix: Tensor, buf: Tensor, key_sign: int) -> None:
    """Edge tests and depth keys of candidates, folded into ``buf``.

    ``c`` are the table columns (broadcastable to the candidates), ``X``,
    ``Y`` the pixel centres, ``lx``, ``ly`` their offsets in the face's box,
    ``row`` the faces' table rows and ``pix`` the flat pixel indices; every
    tensor broadcasts to the candidates' shape.
    """
    e_pq, e_pr, e_qr = edge_values(c, X, Y)
    outside = torch.minimum(torch.minimum(e_pq, e_pr), e_qr) < 0
    key = (c[13] + c[15] * ly) + c[14] * lx
    packed = torch.add(row, key.float().view(torch.int32).long(),
                       alpha=key_sign)
    packed.masked_fill_(outside, INT64_MAX)
    buf.scatter_reduce_(0, pix.reshape(-1), packed.reshape(-1), 'amin')


def grid_candidates(table: List[Tensor], ints: List[Tensor], hb: int,
                     wb: int, buf: Tensor, key_sign: int, height: int,
                     width: int) -> None:
    """Faces whose boxes fit in (hb, wb): test them against that grid.

    Each edge function and the key are sums of a per-face row term (n, hb,
    1) and column term (n, 1, wb): one broadcast operation per (n, hb, wb)
    tensor.  Cells past a face's box get the coordinate ``FAR``, which
    makes some edge function hugely negative, i.e. outside (the edge
    directions sum to zero, so some edge has a positive component along
    any direction, unless the triangle is degenerate).
    """
    device, dtype = table[0].device, table[0].dtype
    c = [t[:, None, None] for t in table]             # (n, 1, 1) each
    row, base, box_w, box_h = (t[:, None, None] for t in ints)
    ly = torch.arange(hb, device=device, dtype=dtype)[:, None]
    lx = torch.arange(wb, device=device, dtype=dtype)[None, :]
    lyi = torch.arange(hb, device=device)[:, None]
    lxi = torch.arange(wb, device=device)[None, :]
    X = torch.where(lxi < box_w, c[16] + lx, FAR)    # (n, 1, wb)
    Y = torch.where(lyi < box_h, c[17] + ly, FAR)    # (n, hb, 1)
    pix_y = base + (c[17].long() + lyi).clamp(max=height - 1) * width
    pix = pix_y + (c[16].long() + lxi).clamp(max=width - 1)
    fold(c, X, Y, lx, ly, row, pix, buf, key_sign)


def ragged_candidates(table: List[Tensor], ints: List[Tensor],
                       buf: Tensor, key_sign: int, height: int, width: int,
                       max_candidates: int) -> None:
    """Enumerate exactly the box pixels of each face (for the small
    buckets, where a grid per bucket costs more calls than cells)."""
    device, dtype = table[0].device, table[0].dtype
    counts = ints[2] * ints[3]
    ends = counts.cumsum(0)
    total = int(ends[-1])
    # chunks of whole faces, about max_candidates cells each
    marks = list(range(max_candidates, total, max_candidates))
    cuts = torch.searchsorted(ends, torch.tensor(marks, device=device),
                              right=True).tolist() if marks else []
    bounds = sorted(set([0] + cuts + [counts.shape[0]]))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        cnt = counts[lo:hi]
        n = int(ends[hi - 1] - (ends[lo - 1] if lo else 0))
        face = torch.repeat_interleave(
            torch.arange(hi - lo, device=device), cnt, output_size=n)
        first = (ends[lo:hi] - cnt) - (ends[lo - 1] if lo else 0)
        k = torch.arange(n, device=device) - first.index_select(0, face)
        w = ints[2][lo:hi].index_select(0, face)
        lyi = torch.div(k, w, rounding_mode='floor')
        lxi = k - lyi * w
        c = [t[lo:hi].index_select(0, face) for t in table]
        lx, ly = lxi.to(dtype), lyi.to(dtype)
        X, Y = c[16] + lx, c[17] + ly
        row, base = (t[lo:hi].index_select(0, face) for t in ints[:2])
        pix = base + (c[17].long() + lyi) * width + c[16].long() + lxi
        fold(c, X, Y, lx, ly, row, pix, buf, key_sign)
