"""Attributes, depth and masks from :class:`~hmrzoo.renderers.Fragments`.

Visibility (which face a pixel sees) is piecewise constant and carries no
gradient.  Everything else can: when the screen vertices are passed (a
tensor that requires grad), the barycentric coordinates of every covered
pixel are **recomputed with differentiable operations** from the visible
face's screen corners -- the screen-space edge functions at the pixel
centre, then the perspective correction with the corner depths -- so
interpolated attributes and depth maps are differentiable with respect to
vertex positions (x, y and depth) as well as to the attributes.  These are
the exact gradients at fixed visibility: a pixel that would change face
(at silhouettes and occlusion boundaries) contributes nothing more, unlike
a soft rasterizer's blurred edges; :func:`render_mask` has no gradient.
"""
from typing import Optional, Tuple, Union

import torch
from torch import Tensor

from .rasterizer import Fragments


def _covered(fragments: Fragments) -> Tuple[Tensor, Tensor, Tensor]:
    """Flat indices (M,) of covered pixels, their batch index (M,) and
    visible face (M,)."""
    face_idx = fragments.face_idx
    flat = face_idx.reshape(-1)
    pix = (flat >= 0).nonzero().squeeze(1)
    height, width = face_idx.shape[1:]
    return pix, pix // (height * width), flat[pix]


def barycentrics_from_screen(screen_vertices: Tensor, faces: Tensor,
                             fragments: Fragments,
                             perspective_correct: bool = True
                             ) -> Tuple[Tensor, Tensor]:
    """Differentiable barycentrics of the covered pixels.

    Args:
        screen_vertices (Tensor): (B, V, 3) screen vertices, as given to
            :func:`~hmrzoo.renderers.rasterize`.
        faces (Tensor): (F, 3) long.
        fragments (Fragments): the rasterizer's output for these vertices.
        perspective_correct (bool): as given to the rasterizer.

    Returns:
        tuple[Tensor, Tensor]: flat indices (M,) into ``B * H * W`` of the
        covered pixels, and their barycentrics (M, 3) (per corner of the
        visible face), equal to ``fragments.bary`` there up to rounding.
    """
    pix, b, f = _covered(fragments)
    width = fragments.face_idx.shape[2]
    height = fragments.face_idx.shape[1]
    row = pix % (height * width)
    X = (row % width).to(screen_vertices.dtype)
    Y = (row // width).to(screen_vertices.dtype)
    corners = screen_vertices[b[:, None], faces.to(pix.device)[f]]  # M,3,3
    x, y = corners[..., 0], corners[..., 1]
    w = []
    for i in range(3):  # edge function of the edge opposite corner i
        j, k = (i + 1) % 3, (i + 2) % 3
        w.append((x[:, k] - x[:, j]) * (Y - y[:, j]) -
                 (y[:, k] - y[:, j]) * (X - x[:, j]))
    w = torch.stack(w, dim=1)
    area2 = (x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0]) - \
        (y[:, 1] - y[:, 0]) * (x[:, 2] - x[:, 0])
    bary = w / area2[:, None]
    if perspective_correct:
        bary = bary / corners[..., 2]
        bary = bary / bary.sum(1, keepdim=True)
    return pix, bary


def _scatter_pixels(values: Tensor, pix: Tensor, shape: Tuple[int, ...],
                    background: Union[float, Tensor]) -> Tensor:
    """(M, C) values at flat pixels -> (B, H, W, C) with a background."""
    batch, height, width = shape
    channels = values.shape[-1]
    out = values.new_empty(batch * height * width, channels)
    out[:] = torch.as_tensor(background, dtype=values.dtype,
                             device=values.device)
    out = out.index_put((pix,), values)
    return out.view(batch, height, width, channels)


def interpolate_vertex_attributes(attributes: Tensor,
                                  faces: Tensor,
                                  fragments: Fragments,
                                  screen_vertices: Optional[Tensor] = None,
                                  perspective_correct: bool = True,
                                  background: Union[float, Tensor] = 0.
                                  ) -> Tensor:
    """Interpolate per-vertex attributes at every pixel.

    Args:
        attributes (Tensor): (B, V, C) or (V, C) (shared by the batch)
            values per vertex (colours, UV, 3D positions, ...).
        faces (Tensor): (F, 3) long, as rasterized.
        fragments (Fragments): output of :func:`~hmrzoo.renderers.rasterize`.
        screen_vertices (Tensor, optional): (B, V, 3) the rasterized screen
            vertices.  When given, barycentrics are recomputed from them with
            gradients (:func:`barycentrics_from_screen`), so the result is
            differentiable w.r.t. vertex positions; otherwise
            ``fragments.bary`` is used (gradients w.r.t. attributes only).
        perspective_correct (bool): must match the rasterizer's setting;
            used only with ``screen_vertices``.
        background (float | Tensor): value of uncovered pixels (a number or
            a (C,) tensor). Defaults to 0.

    Returns:
        Tensor: (B, H, W, C) interpolated attributes.
    """
    shape = tuple(fragments.face_idx.shape)
    if screen_vertices is not None:
        pix, bary = barycentrics_from_screen(screen_vertices, faces,
                                             fragments, perspective_correct)
        b, f = pix // (shape[1] * shape[2]), \
            fragments.face_idx.reshape(-1)[pix]
    else:
        pix, b, f = _covered(fragments)
        bary = fragments.bary.reshape(-1, 3)[pix]
    vidx = faces.to(pix.device)[f]                          # (M, 3)
    if attributes.dim() == 2:
        vals = attributes[vidx]                             # (M, 3, C)
    elif attributes.dim() == 3:
        vals = attributes[b[:, None], vidx]
    else:
        raise ValueError('attributes must have shape (B, V, C) or (V, C), '
                         f'got {tuple(attributes.shape)}')
    out = (bary.to(vals.dtype)[..., None] * vals).sum(1)
    return _scatter_pixels(out, pix, shape, background)


def interpolate_face_attributes(face_values: Tensor,
                                fragments: Fragments,
                                background: Union[float, Tensor] = 0.
                                ) -> Tensor:
    """Per-face constants (part index, face colour, ...) at every pixel.

    Args:
        face_values (Tensor): (F, C) or (B, F, C) values per face.
        fragments (Fragments): output of the rasterizer.
        background (float | Tensor): value of uncovered pixels.

    Returns:
        Tensor: (B, H, W, C), differentiable w.r.t. ``face_values``.
    """
    pix, b, f = _covered(fragments)
    if face_values.dim() == 2:
        vals = face_values[f]
    elif face_values.dim() == 3:
        vals = face_values[b, f]
    else:
        raise ValueError('face_values must have shape (F, C) or (B, F, C), '
                         f'got {tuple(face_values.shape)}')
    return _scatter_pixels(vals, pix, tuple(fragments.face_idx.shape),
                           background)


def render_depth(fragments: Fragments,
                 screen_vertices: Optional[Tensor] = None,
                 faces: Optional[Tensor] = None,
                 perspective_correct: bool = True,
                 background: float = 0.) -> Tensor:
    """Depth map (camera z of the visible surface at each pixel centre).

    Args:
        fragments (Fragments): output of the rasterizer.
        screen_vertices (Tensor, optional): (B, V, 3); with ``faces``, the
            depth is recomputed differentiably from them (``sum_k bary_k
            z_k`` with recomputed barycentrics, i.e. ``1 / sum_k
            (b_k / z_k)`` with screen barycentrics ``b`` when
            ``perspective_correct``).
        faces (Tensor, optional): (F, 3), needed with ``screen_vertices``.
        perspective_correct (bool): as given to the rasterizer.
        background (float): depth of uncovered pixels. Defaults to 0.

    Returns:
        Tensor: (B, H, W) depth in the units of screen z (metres).
    """
    if screen_vertices is None:
        mask = fragments.face_idx >= 0
        return torch.where(mask, fragments.depth,
                           fragments.depth.new_tensor(background))
    if faces is None:
        raise ValueError('render_depth needs faces with screen_vertices')
    return interpolate_vertex_attributes(
        screen_vertices[..., 2:], faces, fragments, screen_vertices,
        perspective_correct, background)[..., 0]


def render_mask(fragments: Fragments,
                dtype: torch.dtype = torch.float32) -> Tensor:
    """Silhouette: 1 where a face is visible, 0 elsewhere.

    Args:
        fragments (Fragments): output of the rasterizer.
        dtype (torch.dtype): output dtype. Defaults to float32.

    Returns:
        Tensor: (B, H, W) mask (not differentiable).
    """
    return (fragments.face_idx >= 0).to(dtype)
