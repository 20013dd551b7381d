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

What a renderer needs (the contract :func:`hmrzoo.renderers.projection_to_screen`,
the IUV targets and every renderer use; none of them looks at the concrete
class):

* ``output_to_image(image_size, like, frame_size=None, **meta) -> (B, 2, 3)``:
  the affine map from the output frame to pixels of a rendered image of
  ``image_size = (H, W)`` (pixel centres at integers).  Projections whose
  output is normalised ``[-1, 1]`` coordinates return
  :func:`normalised_to_image`, pixel-frame ones :func:`pixels_to_image`.
* ``image_camera(cam, image_size, **meta) -> ImageCamera``: the camera that
  draws the projection's output onto that image.  The default composes
  ``camera_translation``, ``camera_intrinsics`` and ``output_to_image``;
  an orthographic projection overrides it.
* ``fit_camera(points, keypoints, mask, **meta) -> (B, cam_dim)``: the camera
  parameters that best put 3D points onto 2D keypoints given in the output
  frame (used to render targets from ground-truth bodies); optional.
"""
from typing import NamedTuple, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor, nn

Size = Tuple[int, int]


class ImageCamera(NamedTuple):
    """A camera drawing body points onto a rendered image.

    A body point ``p`` (B, V, 3), metres, body frame (rotated by ``R`` first
    where the projection's meta has one) goes to camera space as
    ``q = p + translation``; then ``(x', y') = (q_x / q_z, q_y / q_z)``
    (pinhole) or ``(q_x, q_y)`` (``orthographic``), and its pixel is
    ``pixel_map @ (x', y', 1)``; its depth is ``q_z``.

    Attributes:
        translation (Tensor): (B, 3) metres, camera frame (x right, y down,
            z forward).
        pixel_map (Tensor): (B, 2, 3) affine map to pixels of the rendered
            image (pixel (i, j) centred at x = j, y = i).
        orthographic (bool): scaled orthographic rather than pinhole; a
            renderer then interpolates linearly in screen space
            (``perspective_correct=False``).
    """

    translation: Tensor
    pixel_map: Tensor
    orthographic: bool = False


def intrinsics_map(focal: Tensor, principal_point: Tensor) -> Tensor:
    """(B, 2, 3) ``[[fx, 0, cx], [0, fy, cy]]`` from (B, 2) focal lengths
    and (B, 2) principal points."""
    out = focal.new_zeros(focal.shape[0], 2, 3)
    out[:, 0, 0] = focal[:, 0]
    out[:, 1, 1] = focal[:, 1]
    out[:, :, 2] = principal_point
    return out


def compose_affine(outer: Tensor, inner: Tensor) -> Tensor:
    """``outer o inner`` of (B, 2, 3) affine maps (either may have B = 1)."""
    linear = outer[..., :2] @ inner[..., :2]
    shift = outer[..., :2] @ inner[..., 2:] + outer[..., 2:]
    return torch.cat([linear, shift], dim=-1)


def normalised_to_image(image_size: Size, like: Tensor) -> Tensor:
    """(1, 2, 3) map from normalised ``[-1, 1]`` coordinates (the image's
    corners) to its pixels: ``px = (u + 1) / 2 * W - 0.5``."""
    height, width = image_size
    out = like.new_zeros(1, 2, 3)
    out[0, 0, 0], out[0, 1, 1] = width / 2., height / 2.
    out[0, 0, 2], out[0, 1, 2] = width / 2. - 0.5, height / 2. - 0.5
    return out


def pixels_to_image(image_size: Size, like: Tensor,
                    frame_size: Optional[Union[Sequence, Tensor]] = None
                    ) -> Tensor:
    """(B or 1, 2, 3) map from pixels of a ``frame_size = (W0, H0)`` image
    to pixels of the rendered ``image_size = (H, W)`` one,
    ``px = (u + 0.5) * W / W0 - 0.5`` (identity when ``frame_size`` is
    None)."""
    height, width = image_size
    if frame_size is None:
        out = like.new_zeros(1, 2, 3)
        out[0, 0, 0] = out[0, 1, 1] = 1.
        return out
    frame_size = torch.as_tensor(frame_size, dtype=like.dtype,
                                 device=like.device).reshape(-1, 2)
    scale = like.new_tensor([width, height]) / frame_size       # (B, 2)
    out = like.new_zeros(scale.shape[0], 2, 3)
    out[:, 0, 0], out[:, 1, 1] = scale[:, 0], scale[:, 1]
    out[:, :, 2] = 0.5 * scale - 0.5
    return out


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

    def output_to_image(self, image_size: Size, like: Tensor,
                        frame_size: Optional[Union[Sequence, Tensor]] = None,
                        **meta) -> Tensor:
        """Affine map (B or 1, 2, 3) from the output frame to the pixels of
        a rendered image of ``image_size = (H, W)``.

        Args:
            image_size (tuple[int, int]): ``(H, W)`` of the rendered image.
            like (Tensor): a tensor giving the dtype and device.
            frame_size (tuple | Tensor, optional): ``(W0, H0)`` of a pixel
                output frame, where the projection has one.
            **meta: as in :meth:`forward`.
        """
        raise NotImplementedError(
            f'{type(self).__name__} does not say how its output frame '
            f'({self.output_frame or "undocumented"}) maps onto a rendered '
            'image, so bodies seen by it cannot be rendered: implement '
            'output_to_image() (hmrzoo.cameras.base.normalised_to_image or '
            'pixels_to_image), or image_camera() for a non-pinhole camera')

    def image_camera(self, cam: Tensor, image_size: Size,
                     frame_size: Optional[Union[Sequence, Tensor]] = None,
                     **meta) -> ImageCamera:
        """The camera drawing what :meth:`forward` predicts onto an image.

        Args:
            cam (Tensor): (B, cam_dim) camera parameters.
            image_size (tuple[int, int]): ``(H, W)`` of the rendered image.
            frame_size: see :meth:`output_to_image`.
            **meta: as in :meth:`forward`.

        Returns:
            ImageCamera: translation (B, 3), pixel map (B, 2, 3).
        """
        transl = self.camera_translation(cam, **meta)
        focal, pp = self.camera_intrinsics(cam, **meta)
        frame = self.output_to_image(image_size, cam, frame_size, **meta)
        return ImageCamera(transl, compose_affine(
            frame.to(cam), intrinsics_map(focal.to(cam), pp.to(cam))))

    def fit_camera(self, points: Tensor, keypoints: Tensor, mask: Tensor,
                   **meta) -> Tensor:
        """Camera parameters (B, cam_dim) that best map ``points`` (B, K,
        3) onto ``keypoints`` (B, K, 2) in the output frame, weighted by
        ``mask`` (B, K); NaN rows where the points do not determine it."""
        raise NotImplementedError(
            f'{type(self).__name__} cannot fit its camera parameters to 2D '
            'keypoints: implement fit_camera()')

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
