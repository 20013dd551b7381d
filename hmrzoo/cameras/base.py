"""The interface every projection (camera) model in hmrzoo follows.

A projection turns 3D points of a body (metres, in the body-model frame with
the global orientation already applied) and per-sample camera parameters
predicted by a head into 2D coordinates that are compared with 2D evidence.
Architectures hold a projection built from a config
(``CAMERAS.build(dict(type='WeakPerspectiveProjection'))``), so switching
from weak perspective to CLIFF's full-frame camera or to D2S is a config
change.

Contract:

* ``forward(points (B, N, 3), cam (B, cam_dim), **meta) -> (B, N, 2)``; the
  output frame is documented by each subclass (and summarised in its
  ``output_frame`` attribute).  ``meta`` carries per-sample information
  that is not predicted (bbox, image size, intrinsics, ...); unknown keys
  are ignored, so an architecture can pass the same metainfo to any
  projection.
* ``camera_translation(cam, **meta) -> (B, 3)``: the translation (metres,
  camera frame: x right, y down, z forward) of the pinhole camera that the
  parameters imply, e.g. for a renderer.
* ``camera_intrinsics(cam, **meta) -> (focal (B, 2), principal_point
  (B, 2))``: that pinhole camera's focal lengths and principal point,
  expressed in the units of the output frame, such that (for every model
  that is an exact pinhole projection)
  ``forward(points, cam) == perspective_project(points,
  camera_translation(cam), *camera_intrinsics(cam))``.
"""
from typing import Tuple

from torch import Tensor, nn


class BaseProjection(nn.Module):
    """Base class of projection models (no learnable parameters).

    Attributes:
        cam_dim (int): number of camera parameters per sample, i.e. the
            size of the last dimension of ``cam`` (what a head must
            predict).
        output_frame (str): one-line description of the 2D output frame.
    """

    cam_dim: int = 3
    output_frame: str = ''

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """Project points.

        Args:
            points (Tensor): (B, N, 3) points, metres, body-model frame.
            cam (Tensor): (B, cam_dim) camera parameters.
            **meta: per-sample information a model may need.

        Returns:
            Tensor: (B, N, 2) projected points in ``output_frame``.
        """
        raise NotImplementedError

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """Full-perspective translation implied by ``cam``.

        Args:
            cam (Tensor): (B, cam_dim) camera parameters.
            **meta: as in :meth:`forward`.

        Returns:
            Tensor: (B, 3) translation in metres, camera frame.
        """
        raise NotImplementedError

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Pinhole intrinsics implied by ``cam``, in output-frame units.

        Args:
            cam (Tensor): (B, cam_dim) camera parameters.
            **meta: as in :meth:`forward`.

        Returns:
            tuple[Tensor, Tensor]: focal lengths (B, 2) as ``(fx, fy)`` and
            principal point (B, 2) as ``(cx, cy)``.
        """
        raise NotImplementedError

    def extra_repr(self) -> str:
        return f'cam_dim={self.cam_dim}'

    def _check(self, points: Tensor, cam: Tensor) -> None:
        """Validate the shapes of ``points`` and ``cam``."""
        if points.dim() != 3 or points.shape[-1] != 3:
            raise ValueError('points must have shape (B, N, 3), got '
                             f'{tuple(points.shape)}')
        if cam.dim() != 2 or cam.shape[-1] != self.cam_dim:
            raise ValueError(f'{type(self).__name__} expects cam of shape '
                             f'(B, {self.cam_dim}), got {tuple(cam.shape)}')
        if cam.shape[0] != points.shape[0]:
            raise ValueError('points and cam have different batch sizes: '
                             f'{points.shape[0]} vs {cam.shape[0]}')
