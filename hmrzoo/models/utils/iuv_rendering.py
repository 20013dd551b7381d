"""Compact IUV maps of predicted bodies (rendered differentiably) and of
IUV predictions (decoded from per-part logits)."""
from typing import Dict, Tuple

import torch
from torch import Tensor

from ...cameras.base import BaseProjection
from ...renderers import (camera_to_screen, interpolate_vertex_attributes,
                          rasterize)
from ...renderers.iuv_atlas import IUVAtlas
from ...renderers.iuv_maps import onehot_to_compact


def render_compact_iuv(projection: BaseProjection, cam: Tensor,
                       vertices: Tensor, atlas: IUVAtlas,
                       size: Tuple[int, int], **meta) -> Tensor:
    """Render the compact IUV map ``[I/24, U, V]`` of posed bodies seen by
    a projection's camera (CRA's M̂, eq. 4).

    Visibility comes from the rasterizer (no gradient); U and V are
    interpolated with barycentrics recomputed from the screen vertices, so
    they are differentiable with respect to the vertices and the camera
    (:mod:`hmrzoo.renderers.interpolate`).  I is constant over a face: its
    gradient is zero.

    Args:
        projection (BaseProjection): the estimator's projection; its output
            frame maps onto the rendered image by its ``image_camera``
            (:func:`hmrzoo.renderers.projection_to_screen`) (the
            normalised crop ``[-1, 1]`` spans the image for weak
            perspective).
        cam (Tensor): (B, cam_dim) camera parameters.
        vertices (Tensor): (B, V, 3) metres, body frame (global orientation
            applied, no translation).
        atlas (IUVAtlas): the body model's atlas, on the vertices' device.
        size (tuple[int, int]): (H, W) of the map.
        **meta: per-sample projection metainfo.

    Returns:
        Tensor: (B, 3, H, W); 0 on the background.
    """
    camera = projection.image_camera(cam, size, **meta)
    screen = camera_to_screen(camera, vertices, meta.get('R'))
    perspective = not camera.orthographic
    faces = atlas.faces.to(vertices.device)
    frags = rasterize(screen, faces, size, perspective_correct=perspective)
    iuv = interpolate_vertex_attributes(
        atlas.corner_iuv(vertices.dtype, vertices.device,
                         normalize_index=True).reshape(-1, 3),
        atlas.corner_faces(vertices.device), frags,
        screen_vertices=screen[:, faces.reshape(-1)],
        perspective_correct=perspective)
    return iuv.permute(0, 3, 1, 2)


def predicted_compact_iuv(pred: Dict[str, Tensor]) -> Tensor:
    """Compact ``[I/24, U, V]`` (B, 3, H, W) of an IUV prediction
    (:class:`~hmrzoo.models.heads.IUVPredictor` outputs ``index`` (B, 25,
    H, W) logits, ``u``, ``v`` (B, 25, H, W)): the arg-max part and its
    channel's U, V clamped to [0, 1]; 0 on the background."""
    onehot = torch.stack([pred['index'], pred['u'].clamp(0, 1),
                          pred['v'].clamp(0, 1)], dim=1)
    return onehot_to_compact(onehot, normalized_index=True)
