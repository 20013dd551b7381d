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
* :func:`projection_to_screen`: any :class:`~hmrzoo.cameras.BaseProjection`
  through its ``camera_translation`` / ``camera_intrinsics``, with its
  output frame (see each projection's ``output_frame``) mapped to the pixels
  of the rendered image.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from hmrzoo.cameras.base import BaseProjection
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


def _affine_2d(xy: Tensor, matrix: Tensor) -> Tensor:
    """Apply (B, 2, 3) affine maps to (B, V, 2) points."""
    matrix = matrix.to(xy)
    return xy @ matrix[:, :, :2].transpose(-1, -2) + matrix[:, None, :, 2]


def _frame_to_pixels(xy: Tensor, frame: str, image_size: Size,
                     frame_size: Optional[Tensor]) -> Tensor:
    """Map output-frame coordinates (B, V, 2) to rendered-image pixels."""
    height, width = image_size
    size = xy.new_tensor([width, height])
    if frame == 'normalised':
        return (xy + 1.) / 2. * size - 0.5
    if frame == 'pixels':
        if frame_size is None:
            return xy
        frame_size = torch.as_tensor(frame_size, dtype=xy.dtype,
                                     device=xy.device).reshape(-1, 1, 2)
        return (xy + 0.5) * (size / frame_size) - 0.5
    raise ValueError(f"frame must be 'pixels' or 'normalised', got {frame!r}")


def _default_frame(projection: BaseProjection, meta: dict) -> str:
    """'pixels' or 'normalised' for the known projections (see
    :func:`projection_to_screen`)."""
    from hmrzoo.cameras import (CliffFullFrameProjection, D2SProjection,
                                PerspectiveProjection,
                                WeakPerspectiveProjection)
    if isinstance(projection, (WeakPerspectiveProjection, D2SProjection)):
        return 'normalised'
    if isinstance(projection, CliffFullFrameProjection):
        if meta.get('crop_trans') is not None and projection.normalise_crop:
            return 'normalised'
        return 'pixels'
    if isinstance(projection, PerspectiveProjection):
        return 'pixels'
    text = projection.output_frame.lower()
    if '[-1, 1]' in text or 'normalised' in text:
        return 'normalised'
    if 'pixel' in text:
        return 'pixels'
    raise ValueError(f'cannot tell the output frame of {type(projection)}'
                     f' ({projection.output_frame!r}); pass frame=')


def projection_to_screen(projection: BaseProjection,
                         cam: Tensor,
                         vertices_model: Tensor,
                         image_size: Size,
                         frame: Optional[str] = None,
                         frame_size: Optional[Union[Sequence[int],
                                                    Tensor]] = None,
                         **meta) -> Tensor:
    """Screen-space vertices of a body seen by a projection model's camera.

    The camera is the pinhole camera the projection implies
    (``camera_translation`` and ``camera_intrinsics``, expressed in its
    output frame); its 2D output frame is then mapped to the pixels of an
    image of ``image_size``:

    ==============================  ===========================================
    projection (``output_frame``)   mapping to pixels of the rendered image
    ==============================  ===========================================
    ``WeakPerspectiveProjection``   normalised crop ``[-1, 1]`` (corners):
                                    ``px = (u + 1) / 2 * W - 0.5`` (likewise
                                    ``v`` with ``H``).  With
                                    ``perspective=False`` the literal scaled
                                    orthographic model is used
                                    (:func:`to_screen_orthographic`), depth =
                                    body z + the implied camera distance;
                                    rasterize it with
                                    ``perspective_correct=False``.
    ``D2SProjection``               the frame of its 2D targets, taken to be
                                    normalised ``[-1, 1]`` crop coordinates
                                    (as above).
    ``PerspectiveProjection``       pixels of its camera image, used as they
                                    are; give ``frame_size=(W0, H0)`` (or
                                    ``img_size`` in ``meta``) to render that
                                    image at another resolution:
                                    ``px = (u + 0.5) * W / W0 - 0.5``.
    ``CliffFullFrameProjection``    full-image pixels (as Perspective, with
                                    ``img_size`` from ``meta`` as the frame
                                    size); with ``crop_trans`` in ``meta`` the
                                    crop: its affine map is applied and the
                                    crop (normalised by ``crop_size`` when
                                    ``normalise_crop``, else crop pixels of
                                    frame size ``crop_size``) is mapped as
                                    above.
    ==============================  ===========================================

    Other projections: ``frame`` (``'pixels'`` or ``'normalised'``) says
    which rule applies; by default it is guessed from ``output_frame``.
    Affine maps of the screen commute with rasterization (barycentrics and
    perspective-correct interpolation are affine-invariant), so these maps
    render exactly what the projection's ``forward`` predicts.

    Args:
        projection (BaseProjection): the projection model.
        cam (Tensor): (B, cam_dim) its camera parameters.
        vertices_model (Tensor): (B, V, 3) vertices in metres in the body
            frame as given to the projection (global orientation applied).
        image_size (tuple[int, int]): ``(H, W)`` of the rendered image.
        frame (str, optional): override the output-frame rule.
        frame_size (tuple | Tensor, optional): ``(W0, H0)`` of a pixel
            frame, when it differs from ``image_size``.
        **meta: what the projection needs (``K``, ``focal_length``,
            ``center``, ``bbox_size``, ``img_size``, ``crop_trans``, ``R``
            ...), passed on unchanged.

    Returns:
        Tensor: (B, V, 3) screen vertices ``(x_px, y_px, depth)``.
    """
    from hmrzoo.cameras import (CliffFullFrameProjection,
                                WeakPerspectiveProjection)
    if frame is None:
        frame = _default_frame(projection, meta)
    transl = projection.camera_translation(cam, **meta)
    R = meta.get('R')
    points = vertices_model if R is None else \
        vertices_model @ R.to(vertices_model).transpose(-1, -2)
    if isinstance(projection, WeakPerspectiveProjection) and \
            not projection.perspective:
        # u = s x + t_x in [-1, 1]; depth from the implied camera distance
        height, width = image_size
        size = cam.new_tensor([width, height])
        scale = cam[:, :1] * size / 2.
        offset = (cam[:, 1:3] + 1.) * size / 2. - 0.5
        depth_shift = points.new_zeros(points.shape[0], 1, 3)
        depth_shift[..., 2] = transl[:, None, 2]
        return to_screen_orthographic(points + depth_shift, scale, offset)
    focal, pp = projection.camera_intrinsics(cam, **meta)
    screen = to_screen(points + transl[:, None, :], focal, pp)
    xy = screen[..., :2]
    if isinstance(projection, CliffFullFrameProjection):
        crop_trans = meta.get('crop_trans')
        if crop_trans is not None:
            xy = _affine_2d(xy, torch.as_tensor(crop_trans))
            crop_size = meta.get('crop_size', projection.crop_size)
            if frame == 'normalised':
                crop_size = torch.as_tensor(crop_size, dtype=xy.dtype,
                                            device=xy.device)
                xy = 2. * xy / crop_size.reshape(-1, 1, 2) - 1.
            elif frame_size is None:
                frame_size = crop_size
    if frame == 'pixels' and frame_size is None:
        frame_size = meta.get('img_size')
    xy = _frame_to_pixels(xy, frame, image_size, frame_size)
    return torch.cat([xy, screen[..., 2:]], dim=-1)
