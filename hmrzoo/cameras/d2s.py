"""Depth-to-scale (D2S) projection of the STS whole-body paper (eq. 12-13).

The weak-perspective projection ``u_i = s x_i + t_u`` gives every point the
same scale.  D2S rescales each point by its depth relative to the body
centre, with one more camera parameter, the distance ``d``:

    ``u_i = s_i (s x_i + t_u)``,  ``v_i = s_i (s y_i + t_v)``,
    ``s_i = d / (d + z_i)``.

It is exactly the pinhole projection with focal ``f = s d``, principal
point 0 and translation ``(t_u / s, t_v / s, d)`` of the body centre, and it
tends to the orthographic weak-perspective projection as ``d -> inf``.
"""
from typing import Optional, Tuple

import torch
from torch import Tensor

from hmrzoo.registry import CAMERAS
from .base import BaseProjection, normalised_to_image


@CAMERAS.register_module()
class D2SProjection(BaseProjection):
    """Depth-to-scale projection, ``cam = [s, t_u, t_v, d]`` (B, 4).

    ``x_i, y_i, z_i`` are measured from the body centre: by default the
    points are used as given, i.e. relative to the body model's origin (the
    frame its vertices and joints are returned in); pass ``root`` (B, 3) or
    (B, 1, 3) in ``meta`` (e.g. the pelvis or the mean of the joints, the
    paper's "gravity centre") to subtract another centre first.  ``d`` is
    in the units of the points (metres) and must keep ``d + z_i > 0``.

    Output frame: the frame of ``s x + t`` — the frame in which the 2D
    targets are expressed (e.g. normalised crop coordinates in ``[-1, 1]``,
    u right, v down, when trained against SPIN-style keypoints).  Its
    pinhole camera (:meth:`camera_intrinsics`) has principal point 0 in
    that frame.
    """

    cam_dim = 4
    output_frame = 'frame of s * (x, y) + (t_u, t_v) (e.g. [-1, 1] crop)'

    @staticmethod
    def _root(meta: dict, like: Tensor) -> Optional[Tensor]:
        root = meta.get('root')
        if root is None:
            return None
        return root.to(like).reshape(like.shape[0], 3)

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """``(t_u / s, t_v / s, d) - root`` (B, 3), in the points' units.

        The translation that, with focal ``s d`` and principal point 0,
        reproduces :meth:`forward` exactly on the raw (un-centred) points.
        """
        s, tu, tv, d = cam.unbind(-1)
        transl = torch.stack([tu / s, tv / s, d], dim=-1)
        root = self._root(meta, cam)
        return transl if root is None else transl - root

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Focal ``s d`` (B, 2) and principal point 0 (B, 2), in output
        units."""
        focal = (cam[:, 0] * cam[:, 3])[:, None].expand(-1, 2)
        return focal, cam.new_zeros(cam.shape[0], 2)

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        """The frame of its 2D targets, taken to be normalised ``[-1, 1]``
        crop coordinates spanning the rendered image."""
        return normalised_to_image(image_size, like)

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """Project with per-point scales ``d / (d + z_i)``.

        Args:
            points (Tensor): (B, N, 3) points, metres, body frame.
            cam (Tensor): (B, 4) ``[s, t_u, t_v, d]``.
            **meta: optional ``root`` (B, 3) centre subtracted first.

        Returns:
            Tensor: (B, N, 2) projected points.
        """
        self._check(points, cam)
        root = self._root(meta, points)
        if root is not None:
            points = points - root[:, None, :]
        s, t, d = cam[:, None, :1], cam[:, None, 1:3], cam[:, None, 3:]
        per_point_scale = d / (d + points[..., 2:])
        return per_point_scale * (s * points[..., :2] + t)
