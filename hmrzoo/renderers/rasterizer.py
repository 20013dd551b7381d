"""A batched triangle rasterizer in pure PyTorch (CPU and CUDA).

Conventions (shared by :func:`rasterize` and the brute-force reference
:func:`hmrzoo.renderers.reference.rasterize_brute_force`):

* **Screen space.**  Vertices are ``(x_px, y_px, z)`` (see
  :mod:`hmrzoo.renderers.screen`): x right, y down, in pixels; **pixel
  (i, j) has its centre at x = j, y = i**; ``z`` is the camera depth.
* **Coverage.**  A pixel is covered by a triangle when its centre is inside
  the triangle **or on its boundary** (inclusive edges: every barycentric
  coordinate >= 0).  The edge functions are evaluated in a canonical form --
  each edge from its lower to its higher vertex index, the sign folded in
  exactly -- so two triangles sharing an edge compute bitwise opposite
  values at every pixel: a centre exactly on a shared edge is covered by
  both (no cracks, never by neither), and the z-buffer picks one.
* **Visibility.**  Only triangles whose three vertices have ``z > z_near``
  are drawn (no clipping: a triangle that crosses the near plane is
  dropped), as are degenerate ones (zero screen area) and, with
  ``cull_backfaces``, back faces.  Among the triangles covering a pixel the
  one with the smallest depth at the pixel centre wins; depths are compared
  at float32 resolution, and **equal depths go to the smallest face
  index**.
* **Orientation.**  A front face is one whose vertices appear
  counter-clockwise in the image, i.e. with a *negative* signed area
  ``(x1 - x0)(y2 - y0) - (y1 - y0)(x2 - x0)`` in these y-down pixel
  coordinates: for a right-handed mesh with outward counter-clockwise
  faces seen through an OpenCV camera (x right, y down, z forward), the
  faces whose normals point towards the camera.
* **Background.**  ``face_idx = -1``, ``bary = 0``, ``depth = 0``.
* **Barycentrics.**  ``bary[..., k]`` weighs the k-th corner of
  ``faces[face_idx]``.  With ``perspective_correct`` they are the
  barycentrics of the 3D point seen through the pixel centre (screen-space
  barycentrics divided by the corner depths and renormalised), right for a
  pinhole camera; without, the screen-space ones, right for an orthographic
  camera.  In both cases ``depth = sum_k bary_k z_k``.

Algorithm (no face is tested against every pixel).  Per face: the pixel
bounding box of its projection, clipped to the image; faces with an empty
box (most faces of a dense mesh at low resolution) are dropped at once.
The others are bucketed by the box's (height, width), each rounded up to a
size of {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, ...} (under 25%
padding per side).  For a bucket of boxes ``(hb, wb)`` the candidates
``(face, pixel)`` form a dense (n_faces, hb, wb) grid; the three edge
functions and the depth are affine in the pixel position, so each is one
broadcast operation of per-face row and column terms.  Buckets too small
to be worth their own operations are pooled and enumerated exactly
(``repeat_interleave`` over the box pixels).  Covered candidates offer a
64-bit key (float32 depth bits, then the face index) to a per-pixel buffer
with ``scatter_reduce(..., 'amin')``: the minimum is the nearest face,
ties to the smaller index.  Candidates are processed in chunks of at most
``max_candidates``.  Finally the barycentrics and depth of each covered
pixel are computed from its winning face (the same canonical edge
functions).  Nothing here is differentiable;
:mod:`hmrzoo.renderers.interpolate` recomputes the barycentrics with
gradients from the face indices.
"""
from typing import NamedTuple, Optional, Sequence, Tuple

import torch
from torch import Tensor

from . import raster_kernels as kernels
from .raster_kernels import (INT64_MAX, LOW32, bucket_sizes, canonical_edges,
                             edge_values, grid_candidates, ragged_candidates,
                             sorted_corners)


class Fragments(NamedTuple):
    """Per-pixel output of the rasterizer.

    Attributes:
        face_idx (Tensor): (B, H, W) long, index into ``faces`` of the
            visible face, -1 for background.
        bary (Tensor): (B, H, W, 3) barycentric coordinates of the pixel
            centre on the visible face (per corner of ``faces[face_idx]``;
            perspective-correct when asked), 0 for background.
        depth (Tensor): (B, H, W) camera depth ``z`` of the visible surface
            at the pixel centre (screen ``z`` units, metres for a pinhole
            camera), 0 for background.
    """
    face_idx: Tensor
    bary: Tensor
    depth: Tensor


def _check_inputs(screen_vertices: Tensor, faces: Tensor,
                  image_size: Sequence[int]) -> Tuple[int, int]:
    if screen_vertices.dim() != 3 or screen_vertices.shape[-1] != 3:
        raise ValueError('screen_vertices must have shape (B, V, 3), got '
                         f'{tuple(screen_vertices.shape)}')
    if not screen_vertices.is_floating_point():
        raise TypeError('screen_vertices must be floating point')
    if faces.dim() != 2 or faces.shape[-1] != 3:
        raise ValueError(f'faces must have shape (F, 3), got '
                         f'{tuple(faces.shape)}')
    height, width = (int(s) for s in image_size)
    if height <= 0 or width <= 0:
        raise ValueError(f'image_size must be positive, got {image_size}')
    if faces.shape[0] >= 2 ** 31:
        raise ValueError('at most 2**31 - 1 faces are supported')
    return height, width


@torch.no_grad()
def rasterize(screen_vertices: Tensor,
              faces: Tensor,
              image_size: Sequence[int],
              perspective_correct: bool = True,
              cull_backfaces: bool = False,
              z_near: float = 0.,
              max_candidates: int = 2 ** 18,
              images_per_pass: Optional[int] = None) -> Fragments:
    """Rasterize a batch of meshes sharing one face list.

    See the module docstring for the coverage, tie, orientation and
    background conventions.  Runs without gradient (visibility is not
    differentiable); to differentiate attributes with respect to vertex
    positions pass the screen vertices to
    :func:`hmrzoo.renderers.interpolate_vertex_attributes`.

    Args:
        screen_vertices (Tensor): (B, V, 3) ``(x_px, y_px, z)`` (see
            :mod:`hmrzoo.renderers.screen`), float32 or float64.
        faces (Tensor): (F, 3) vertex indices (long).
        image_size (tuple[int, int]): ``(H, W)`` in pixels.
        perspective_correct (bool): perspective-correct barycentrics and
            depth (pinhole cameras).  False for orthographic cameras.
        cull_backfaces (bool): skip faces that appear clockwise in the image
            (see the module docstring).
        z_near (float): faces with a corner at ``z <= z_near`` are skipped.
        max_candidates (int): bound on the (face, pixel) candidates handled
            at once, i.e. on the temporary memory (about 50 bytes per
            candidate); a single face larger than this is still processed
            whole (at most H * W candidates).
        images_per_pass (int, optional): rasterize the batch this many
            images at a time (the result does not depend on it).  By
            default all at once on GPUs, and on CPUs as many as keep
            ``images * F`` within ``2 * max_candidates`` faces, whose
            per-face arrays then stay in cache (about 1.7x faster for
            Anny at 64 x 64, batch 64).

    Returns:
        Fragments: ``face_idx`` (B, H, W) long, ``bary`` (B, H, W, 3) and
        ``depth`` (B, H, W) in the dtype of ``screen_vertices``.
    """
    height, width = _check_inputs(screen_vertices, faces, image_size)
    sv = screen_vertices.detach()
    device = sv.device
    batch, num_faces = sv.shape[0], faces.shape[0]
    faces = faces.to(device=device, dtype=torch.long)
    out = Fragments(
        torch.full((batch, height, width), -1, dtype=torch.long,
                   device=device),
        sv.new_zeros(batch, height, width, 3),
        sv.new_zeros(batch, height, width))
    if num_faces == 0 or batch == 0:
        return out
    if images_per_pass is None:
        images_per_pass = batch if device.type != 'cpu' else \
            max(1, 2 * max_candidates // num_faces)
    for lo in range(0, batch, images_per_pass):
        hi = min(lo + images_per_pass, batch)
        _rasterize_into(sv[lo:hi], faces, height, width,
                        perspective_correct, cull_backfaces, z_near,
                        max_candidates, Fragments(*(t[lo:hi] for t in out)))
    return out


def _rasterize_into(sv: Tensor, faces: Tensor, height: int, width: int,
                    perspective_correct: bool, cull_backfaces: bool,
                    z_near: float, max_candidates: int,
                    out: Fragments) -> None:
    """Rasterize ``sv`` (B, V, 3) into the background-filled ``out``
    (contiguous slices of the result); see :func:`rasterize`."""
    device, dtype = sv.device, sv.dtype
    batch, num_faces = sv.shape[0], faces.shape[0]
    num_pix = height * width
    face_idx = out.face_idx.view(-1)
    bary = out.bary.view(-1, 3)
    depth = out.depth.view(-1)

    # ---- every face: pixel box and near-plane test ---------------------
    sorted_faces, perm, parity = sorted_corners(faces)
    # sorted position of each original corner, and corner-major indices
    inv_perm_t = perm.argsort(dim=1).t().contiguous()     # (3, F)
    sorted_t = sorted_faces.t().contiguous()              # (3, F)
    # planar corners: G[coordinate, corner P/Q/R, b * F + f]
    flat = sorted_t.view(3, 1, num_faces) + \
        torch.arange(batch, device=device)[:, None] * sv.shape[1]
    svp = sv.permute(2, 0, 1).contiguous().view(3, -1)    # (3, B * V)
    G = svp.index_select(1, flat.reshape(-1)).view(3, 3, batch * num_faces)
    x, y, z = G
    # pixel box: centres j with ceil(min x) <= j <= floor(max x); NaN
    # corners give NaN boxes, which fail every comparison below
    x0 = torch.ceil(torch.minimum(torch.minimum(x[0], x[1]), x[2]))
    x1 = torch.floor(torch.maximum(torch.maximum(x[0], x[1]), x[2]))
    y0 = torch.ceil(torch.minimum(torch.minimum(y[0], y[1]), y[2]))
    y1 = torch.floor(torch.maximum(torch.maximum(y[0], y[1]), y[2]))
    box = torch.stack([x0.clamp_(min=0), y0.clamp_(min=0),
                       x1.clamp_(max=width - 1), y1.clamp_(max=height - 1)])
    # signed doubled area of P, Q, R (the expression of canonical_edges):
    # non-degenerate and finite; negative for front faces once the
    # corner permutation's parity is applied
    area2 = (x[1] - x[0]) * (y[2] - y[0]) - (y[1] - y[0]) * (x[2] - x[0])
    valid = (x1 >= x0) & (y1 >= y0) & torch.isfinite(area2) & \
        (area2 != 0) & \
        (torch.minimum(torch.minimum(z[0], z[1]), z[2]) > z_near)
    if cull_backfaces:
        valid &= (area2.view(batch, num_faces) * parity < 0).view(-1)
    face_ids = valid.nonzero().squeeze(1)             # b * F + f, sorted
    if face_ids.numel() == 0:
        return

    # ---- buckets of equal rounded box size -----------------------------
    box = box.index_select(1, face_ids)               # (4, n)
    sizes = bucket_sizes(max(height, width))
    size_t = torch.tensor(sizes, device=device, dtype=dtype)
    bucket = torch.searchsorted(size_t, box[3] - box[1] + 1) * len(sizes) \
        + torch.searchsorted(size_t, box[2] - box[0] + 1)
    # stable: within a bucket faces keep their memory order
    bucket, order = bucket.sort(stable=True)
    ids, counts = torch.unique_consecutive(bucket, return_counts=True)
    face_ids = face_ids.index_select(0, order)
    box = box.index_select(1, order)

    # ---- the faces to draw, in bucket order: edges, depth plane --------
    Gv = G.view(9, -1).index_select(1, face_ids)      # (9, n)
    c, area2 = canonical_edges(Gv[0], Gv[3], Gv[1], Gv[4], Gv[2], Gv[5])
    area = area2.abs()
    zz = Gv[6:9]                                      # (3, n) at P, Q, R
    a = 1. / zz if perspective_correct else zz        # affine in screen
    box_x0, box_y0 = box[0], box[1]
    e_pq, e_pr, e_qr = edge_values(c, box_x0, box_y0)
    # depth key(X, Y) = (a_P e_qr + a_Q e_pr + a_R e_pq) / area, with a = 1/z
    # (perspective) or z: affine in the pixel, so per face its value at the
    # box corner and its two slopes
    key00 = (a[0] * e_qr + a[1] * e_pr + a[2] * e_pq) / area
    key_dy = (a[0] * c[8] + a[1] * c[6] + a[2] * c[4]) / area
    key_dx = -(a[0] * c[9] + a[1] * c[7] + a[2] * c[5]) / area
    table = c + [a[0], a[1], a[2], key00, key_dx, key_dy, box_x0, box_y0]
    b_of = torch.div(face_ids, num_faces, rounding_mode='floor')
    # Each covered candidate offers sign * bits(float32 key) * 2**32 + f;
    # the per-pixel minimum is the nearest face (largest 1/z, or smallest
    # z), then the smallest face index.
    key_sign = -(2 ** 32) if perspective_correct else 2 ** 32
    ints = [face_ids - b_of * num_faces, b_of * num_pix,
            (box[2] - box_x0 + 1).long(), (box[3] - box_y0 + 1).long()]

    buf = torch.full((batch * num_pix,), INT64_MAX, dtype=torch.long,
                     device=device)
    start, rare = 0, []
    for bid, count in zip(ids.tolist(), counts.tolist()):
        hb, wb = sizes[bid // len(sizes)], sizes[bid % len(sizes)]
        if count * hb * wb < kernels.GRID_MIN_CELLS:   # read per call
            rare.append((start, count))
        else:
            step = max(1, max_candidates // (hb * wb))
            for lo in range(start, start + count, step):
                hi = min(lo + step, start + count)
                grid_candidates([t[lo:hi] for t in table],
                                 [t[lo:hi] for t in ints], hb, wb, buf,
                                 key_sign, height, width)
        start += count
    if rare:
        sel = torch.cat([torch.arange(lo, lo + n, device=device)
                         for lo, n in rare])
        ragged_candidates([t.index_select(0, sel) for t in table],
                           [t.index_select(0, sel) for t in ints], buf,
                           key_sign, height, width, max_candidates)

    # ---- per covered pixel: the winner's barycentrics and depth --------
    pix = (buf != INT64_MAX).nonzero().squeeze(1)
    if pix.numel() == 0:
        return
    f = buf.index_select(0, pix) & LOW32
    b_pix = torch.div(pix, num_pix, rounding_mode='floor')
    rem = pix - b_pix * num_pix
    Y = torch.div(rem, width, rounding_mode='floor')
    X = (rem - Y * width).to(dtype)
    Y = Y.to(dtype)
    # the winner's corners, gathered again from the (small, cache-friendly)
    # vertex array, and the same canonical edges as in the candidate pass
    offset = b_pix * sv.shape[1]
    vid = [sorted_t[k].index_select(0, f) + offset for k in range(3)]
    # corner[coordinate][corner P/Q/R], each (M,)
    corner = [[svp[i].index_select(0, vid[k]) for k in range(3)]
              for i in range(3)]
    t, _ = canonical_edges(corner[0][0], corner[1][0], corner[0][1],
                            corner[1][1], corner[0][2], corner[1][2])
    t += [1. / zk for zk in corner[2]] if perspective_correct else corner[2]
    e_pq, e_pr, e_qr = edge_values(t, X, Y)
    # screen barycentrics at P, Q, R: e / total; with a = 1/z the
    # perspective-correct ones are (e a) / sum(e a) and the depth
    # total / sum(e a); otherwise (a = z) the depth is sum(e a) / total
    e = (e_qr, e_pr, e_pq)
    total = e_qr + e_pr + e_pq
    if perspective_correct:
        q = [ek * t[10 + k] for k, ek in enumerate(e)]
        inv = 1. / (q[0] + q[1] + q[2])
        w = [qk * inv for qk in q]
        d = total * inv
    else:
        inv = 1. / total
        w = [ek * inv for ek in e]
        d = w[0] * t[10] + w[1] * t[11] + w[2] * t[12]
    # bary of original corner k = w[sorted position of corner k]
    face_idx.index_copy_(0, pix, f)
    for k in range(3):
        pos = inv_perm_t[k].index_select(0, f)
        bary[:, k].index_copy_(0, pix, torch.where(
            pos == 0, w[0], torch.where(pos == 1, w[1], w[2])))
    depth.index_copy_(0, pix, d)
