"""Full-perspective (pinhole) projection.

Camera frame: OpenCV convention, x right, y down, z forward (into the
scene).  A point ``X`` of the body frame goes to ``X_c = R X + t`` and to the
pixel ``(fx X_c/Z_c + cx, fy Y_c/Z_c + cy)``.  Points must be in front of
the camera (``Z_c > 0``); nothing is clamped.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from hmrzoo.registry import CAMERAS
from .base import BaseProjection, normalised_to_image, pixels_to_image

Number = Union[int, float]


def as_pairs(value: Union[Number, Sequence[Number], Tensor], batch: int,
              like: Tensor, name: str) -> Tensor:
    """Broadcast a per-batch or per-sample value to (B, 2).

    Python scalars and sequences are shared by all samples: ``f`` or
    ``(fx, fy)``.  Tensors are per sample: 0-dim, (B,), (B, 1) or (B, 2)
    (a leading 1 instead of B broadcasts).
    """
    if isinstance(value, Tensor):
        value = value.to(like)
        if value.dim() == 0:
            value = value.reshape(1, 1)
        elif value.dim() == 1:
            value = value[:, None]
    else:
        value = torch.as_tensor(value, dtype=like.dtype,
                                device=like.device).reshape(1, -1)
    if value.dim() != 2 or value.shape[0] not in (1, batch) or \
            value.shape[1] not in (1, 2):
        raise ValueError(f'{name}: expected a number, a pair, or a tensor of '
                         f'shape (B,), (B, 1) or (B, 2) with B={batch}; got '
                         f'shape {tuple(value.shape)}')
    return value.expand(batch, 2)


def perspective_project(points: Tensor,
                        transl: Tensor,
                        focal_length: Union[Number, Sequence[Number], Tensor],
                        principal_point: Optional[Union[Sequence[Number],
                                                        Tensor]] = None,
                        R: Optional[Tensor] = None) -> Tensor:
    """Pinhole projection of body points.

    Args:
        points (Tensor): (B, N, 3) points, metres, body frame.
        transl (Tensor): (B, 3) camera translation, metres.
        focal_length (float | tuple | Tensor): focal length(s) in output
            units (pixels usually): a number or ``(fx, fy)`` shared by the
            batch, or a tensor (B,), (B, 1) or (B, 2).
        principal_point (tuple | Tensor, optional): principal point
            ``(cx, cy)`` in output units, shared (a pair) or per sample
            (a (B, 2) tensor). Defaults to ``(0, 0)``.
        R (Tensor, optional): (B, 3, 3) camera rotation applied before the
            translation. Defaults to the identity.

    Returns:
        Tensor: (B, N, 2) projected points ``(u, v)``.
    """
    batch = points.shape[0]
    if R is not None:
        points = points @ R.transpose(-1, -2)
    cam_points = points + transl[:, None, :]
    uv = cam_points[..., :2] / cam_points[..., 2:]
    focal = as_pairs(focal_length, batch, points, 'focal_length')
    uv = uv * focal[:, None, :]
    if principal_point is not None:
        pp = as_pairs(principal_point, batch, points, 'principal_point')
        uv = uv + pp[:, None, :]
    return uv


@CAMERAS.register_module()
class PerspectiveProjection(BaseProjection):
    """Pinhole camera whose parameters are the translation.

    ``cam`` is the camera translation ``(tx, ty, tz)`` in metres (B, 3).
    Intrinsics come from ``meta`` (per sample) or, failing that, from the
    constructor defaults:

    * ``K`` (B, 3, 3): full intrinsics (skew honoured), or
    * ``focal_length`` scalar / (B,) / (B, 2) pixels and ``principal_point``
      (B, 2) pixels.

    An optional camera rotation ``R`` (B, 3, 3) in ``meta`` is applied
    before the translation.

    Output frame: image pixels of the camera, ``(u, v)`` with u to the
    right and v down, origin at the image's top-left corner when the
    principal point is given in those pixels.

    Args:
        focal_length (float | tuple, optional): default focal length(s) in
            pixels, used when ``meta`` gives neither ``K`` nor
            ``focal_length``.
        principal_point (tuple, optional): default principal point in
            pixels. Defaults to ``(0, 0)``.
    """

    cam_dim = 3
    output_frame = 'pixels of the camera image (u right, v down)'

    def __init__(self,
                 focal_length: Optional[Union[float, Sequence[float]]] = None,
                 principal_point: Optional[Sequence[float]] = None) -> None:
        super().__init__()
        self.focal_length = focal_length
        self.principal_point = principal_point

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Focal (B, 2) and principal point (B, 2) in pixels; see class."""
        batch = cam.shape[0]
        K = meta.get('K')
        if K is not None:
            focal = torch.stack([K[:, 0, 0], K[:, 1, 1]], -1)
            pp = K[:, :2, 2]
            return focal.to(cam), pp.to(cam)
        focal = meta.get('focal_length')
        if focal is None:
            focal = self.focal_length
        if focal is None:
            raise ValueError('PerspectiveProjection needs a focal length: '
                             'pass K or focal_length in meta, or set it in '
                             'the constructor')
        pp = meta.get('principal_point')
        if pp is None:
            pp = self.principal_point if self.principal_point is not None \
                else (0., 0.)
        return (as_pairs(focal, batch, cam, 'focal_length'),
                as_pairs(pp, batch, cam, 'principal_point'))

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """The translation itself: (B, 3) metres."""
        return cam

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        """Pixels of the camera image, rescaled from ``frame_size`` (or
        ``img_size`` in ``meta``) ``(W0, H0)`` when given; else used as
        they are."""
        if frame_size is None:
            frame_size = meta.get('img_size')
        return pixels_to_image(image_size, like, frame_size)

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """Project body points to pixels.

        Args:
            points (Tensor): (B, N, 3) points, metres, body frame.
            cam (Tensor): (B, 3) camera translation, metres.
            **meta: ``K`` or ``focal_length`` / ``principal_point``, and
                optionally ``R``; see the class docstring.

        Returns:
            Tensor: (B, N, 2) pixel coordinates.
        """
        self._check(points, cam)
        R = meta.get('R')
        K = meta.get('K')
        if K is not None:
            if R is not None:
                points = points @ R.transpose(-1, -2)
            cam_points = points + cam[:, None, :]
            homog = cam_points @ K.to(cam_points).transpose(-1, -2)
            return homog[..., :2] / homog[..., 2:]
        focal, pp = self.camera_intrinsics(cam, **meta)
        return perspective_project(points, cam, focal, pp, R=R)


@CAMERAS.register_module()
class FocalPerspectiveProjection(BaseProjection):
    """Pinhole camera whose focal length is estimated with the translation:
    ``cam = [f, tx, ty, tz]`` (B, 4), the "perspective projection (PP)" of
    the STS / D2S paper (§IV-C: one focal ``(f_x + f_y) / 2`` and the
    translation ``t^c`` of eq. 3-4 are predicted).

    ``u = f (x + tx) / (z + tz)``, ``v = f (y + ty) / (z + tz)`` with the
    principal point at 0: the output frame is the frame of the 2D targets
    (normalised crop coordinates, ``[-1, 1]`` at the crop's corners), and
    ``f`` is in those units (a crop-relative focal).  ``t`` is in metres;
    points must stay in front of the camera (``z + tz > 0``).
    """

    cam_dim = 4
    output_frame = 'normalised crop coordinates in [-1, 1] (u right, v down)'

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """``(tx, ty, tz)`` (B, 3) metres."""
        return cam[:, 1:]

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Focal ``f`` (B, 2) and principal point 0 (B, 2), output units."""
        return cam[:, :1].expand(-1, 2), cam.new_zeros(cam.shape[0], 2)

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        """Normalised ``[-1, 1]`` crop coordinates spanning the image."""
        return normalised_to_image(image_size, like)

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """(B, N, 3) body-frame metres, (B, 4) cam -> (B, N, 2)."""
        self._check(points, cam)
        focal, pp = self.camera_intrinsics(cam)
        return perspective_project(points, cam[:, 1:], focal, pp)
