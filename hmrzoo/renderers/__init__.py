"""hmrzoo's differentiable renderer: a batched PyTorch rasterizer (CPU and
CUDA), attribute interpolation differentiable w.r.t. vertex positions, and
the camera -> screen mapping.

Bodies are drawn by the registered :class:`BodyMapRenderer` (IUV, depth,
silhouette, part maps through a projection's image camera); underneath,
typical use of the primitives::

    screen = to_screen(verts_cam, focal, principal_point)   # (B, V, 3)
    frags = rasterize(screen, faces, (H, W))
    iuv = interpolate_vertex_attributes(vertex_iuv, faces, frags)
    depth = render_depth(frags, screen, faces)             # differentiable

Conventions (pixel centres at integers, inclusive edges, ties to the
smallest face index, background -1 / 0) are documented in
:mod:`hmrzoo.renderers.rasterizer`.
"""
from .body_renderer import MAP_CHANNELS, BodyMapRenderer, render_compact_iuv
from .interpolate import (barycentrics_from_screen,
                          interpolate_face_attributes,
                          interpolate_vertex_attributes, render_depth,
                          render_mask)
from .rasterizer import Fragments, rasterize
from .reference import rasterize_brute_force
from .screen import (camera_to_screen, projection_to_screen, to_screen,
                     to_screen_orthographic)

__all__ = [
    'BodyMapRenderer', 'MAP_CHANNELS', 'render_compact_iuv', 'Fragments', 'rasterize', 'rasterize_brute_force',
    'interpolate_vertex_attributes', 'interpolate_face_attributes',
    'barycentrics_from_screen', 'render_depth', 'render_mask', 'to_screen',
    'to_screen_orthographic', 'projection_to_screen', 'camera_to_screen'
]
