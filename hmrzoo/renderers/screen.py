"""From camera space (or a projection model) to the rasterizer's screen.

**Screen space** is what :func:`hmrzoo.renderers.rasterize` consumes: a
(B, V, 3) tensor ``(x_px, y_px, z)`` with ``x_px`` to the right and ``y_px``
down in pixels of the rendered image, **pixel (i, j) having its centre at
x = j, y = i** (the convention of hmrzoo's heatmaps, see
:func:`hmrzoo.utils.heatmaps.normalised_to_heatmap`), so the image spans
``[-0.5, W - 0.5] x [-0.5, H - 0.5]``; and ``z`` the depth of the vertex
along the optical axis (metres for a pinhole camera, > 0 in front of it).

Three ways in:

* :func:`to_screen`: OpenCV camera-frame points (x right, y down, z
  forward) and pinhole intrinsics in pixels.
* :func:`to_screen_orthographic`: scaled orthographic (weak-perspective)
  cameras, ``x_px = s x + o_x``; ``z`` is kept as the depth.
* :func:`camera_to_screen`: an :class:`~hmrzoo.cameras.base.ImageCamera`
  (translation, pixel map, pinhole or orthographic).
* :func:`projection_to_screen`: any :class:`~hmrzoo.cameras.BaseProjection`
  through its ``image_camera`` (the renderer contract in
  :mod:`hmrzoo.cameras.base`): no projection class is special here.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from hmrzoo.cameras.base import BaseProjection, ImageCamera
from hmrzoo.cameras.perspective import as_pairs

Size = Tuple[int, int]


def _pairs(value, batch: int, like: Tensor) -> Tensor:
    """(B, 1, 2) from a number, a pair or a per-sample tensor (see
    :func:`hmrzoo.cameras.perspective.as_pairs`)."""
    return as_pairs(value, batch, like, 'value')[:, None, :]


def to_screen(vertices_cam: Tensor, focal: Union[float, Tensor],
              principal_point: Union[Sequence[float], Tensor]) -> Tensor:
    """Pinhole projection of camera-frame vertices to screen space.

    Args:
        vertices_cam (Tensor): (B, V, 3) points in metres in an OpenCV
            camera frame (x right, y down, z forward); visible points have
            ``z > 0``.
        focal (float | Tensor): focal lengths in pixels, ``(fx, fy)`` as a
            (B, 2) tensor (or a number / (B,) tensor for ``fx = fy``).
        principal_point (Tensor): (B, 2) ``(cx, cy)`` in pixels (pixel
            centres at integers), or a pair shared by the batch.

    Returns:
        Tensor: (B, V, 3) ``(fx x / z + cx, fy y / z + cy, z)``: pixels,
        pixels, metres.  Differentiable.
    """
    batch = vertices_cam.shape[0]
    z = vertices_cam[..., 2:]
    xy = vertices_cam[..., :2] / z * _pairs(focal, batch, vertices_cam) + \
        _pairs(principal_point, batch, vertices_cam)
    return torch.cat([xy, z], dim=-1)


def to_screen_orthographic(vertices: Tensor, scale: Union[float, Tensor],
                           offset: Union[Sequence[float], Tensor]) -> Tensor:
    """Scaled orthographic projection to screen space.

    Args:
        vertices (Tensor): (B, V, 3) points (x right, y down, z forward;
            ``z`` must already be a positive depth, e.g. the body's z plus
            the implied camera distance).
        scale (float | Tensor): pixels per unit of x and y: a number, (B,),
            or (B, 2) for separate x / y scales.
        offset (Tensor): (B, 2) pixel position of the origin ``x = y = 0``
            (or a pair shared by the batch).

    Returns:
        Tensor: (B, V, 3) ``(s_x x + o_x, s_y y + o_y, z)``.  Rasterize with
        ``perspective_correct=False``: attributes and depth are then linear
        in screen space, which is exact for this camera.
    """
    batch = vertices.shape[0]
    xy = vertices[..., :2] * _pairs(scale, batch, vertices) + \
        _pairs(offset, batch, vertices)
    return torch.cat([xy, vertices[..., 2:]], dim=-1)


def camera_to_screen(camera: ImageCamera, vertices_model: Tensor,
                     R: Optional[Tensor] = None) -> Tensor:
    """Screen-space vertices of a body seen by an image camera.

    Args:
        camera (ImageCamera): translation (B, 3), pixel map (B, 2, 3),
            pinhole or orthographic.
        vertices_model (Tensor): (B, V, 3) metres, body frame.
        R (Tensor, optional): (B, 3, 3) rotation applied first.

    Returns:
        Tensor: (B, V, 3) ``(x_px, y_px, depth)``; rasterize with
        ``perspective_correct=not camera.orthographic``.
    """
    points = vertices_model if R is None else \
        vertices_model @ R.to(vertices_model).transpose(-1, -2)
    points = points + camera.translation.to(points)[:, None, :]
    depth = points[..., 2:]
    xy = points[..., :2] if camera.orthographic else points[..., :2] / depth
    pixel_map = camera.pixel_map.to(points)
    xy = xy @ pixel_map[..., :2].transpose(-1, -2) + pixel_map[:, None, :, 2]
    return torch.cat([xy, depth], dim=-1)


def projection_to_screen(projection: BaseProjection,
                         cam: Tensor,
                         vertices_model: Tensor,
                         image_size: Size,
                         frame_size: Optional[Union[Sequence[int],
                                                    Tensor]] = None,
                         **meta) -> Tensor:
    """Screen-space vertices of a body seen by a projection model's camera.

    The projection's :meth:`~hmrzoo.cameras.BaseProjection.image_camera`
    says how its output frame lands on an image of ``image_size``; e.g.
    the normalised crop ``[-1, 1]`` of weak perspective and D2S spans the
    image (``px = (u + 1) / 2 * W - 0.5``), a perspective camera's pixels
    are used as they are or rescaled from ``frame_size`` / ``img_size``
    (``px = (u + 0.5) * W / W0 - 0.5``), CLIFF's full-frame camera draws
    the full image or, with ``crop_trans``, the crop.  Affine maps of the
    screen commute with rasterization (barycentrics and perspective-correct
    interpolation are affine-invariant), so this renders exactly what the
    projection's ``forward`` predicts.

    Args:
        projection (BaseProjection): the projection model.
        cam (Tensor): (B, cam_dim) its camera parameters.
        vertices_model (Tensor): (B, V, 3) vertices in metres in the body
            frame as given to the projection (global orientation applied).
        image_size (tuple[int, int]): ``(H, W)`` of the rendered image.
        frame_size (tuple | Tensor, optional): ``(W0, H0)`` of a pixel
            frame, when it differs from ``image_size``.
        **meta: what the projection needs (``K``, ``focal_length``,
            ``center``, ``bbox_size``, ``img_size``, ``crop_trans``, ``R``
            ...), passed on unchanged.

    Returns:
        Tensor: (B, V, 3) screen vertices ``(x_px, y_px, depth)``.
    """
    camera = projection.image_camera(cam, image_size, frame_size, **meta)
    return camera_to_screen(camera, vertices_model, meta.get('R'))
