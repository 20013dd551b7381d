"""Weak-perspective crop camera ``[s, tx, ty]`` of HMR / SPIN / PyMAF."""
from typing import Tuple

import torch
from torch import Tensor

from hmrzoo.registry import CAMERAS
from .base import (BaseProjection, ImageCamera, compose_affine,
                   normalised_to_image)
from .fit import fit_translation
from .perspective import perspective_project


@CAMERAS.register_module()
class WeakPerspectiveProjection(BaseProjection):
    """Weak-perspective camera ``cam = [s, tx, ty]`` (B, 3) of a square crop.

    Two forms, chosen by ``perspective``:

    * ``perspective=True`` (**default**; what HMR / SPIN / PyMAF train and
      evaluate with): the parameters define the translation
      ``t = [tx, ty, 2 f / (img_res * s + eps)]`` of a pinhole camera with
      focal ``f = focal_length`` pixels and principal point at the crop
      centre; pixels are divided by ``img_res / 2``.  With the large
      default focal (5000 px) this is nearly orthographic, yet a proper
      perspective camera that a renderer can reproduce.
    * ``perspective=False``: the literal scaled orthographic model
      ``(u, v) = s * (x, y) + (tx, ty)`` (eq. 6-7 of the STS / D2S paper).
      Note that here ``(tx, ty)`` is added *after* scaling, whereas in the
      perspective form it is a 3D translation added before.

    Output frame (both forms): normalised crop coordinates, u right and v
    down, ``(-1, -1)`` the top-left and ``(1, 1)`` the bottom-right corner
    of the crop; crop pixels are ``(uv + 1) * img_res / 2``.

    Args:
        focal_length (float): focal length of the implied camera, pixels of
            an ``img_res`` crop. Defaults to 5000.
        img_res (int): side of the square crop in pixels. Defaults to 224.
        perspective (bool): the form, see above. Defaults to True.
        eps (float): added to ``img_res * s`` in the depth. Defaults to
            1e-9 (SPIN's value).
    """

    cam_dim = 3
    output_frame = 'normalised crop coordinates in [-1, 1] (u right, v down)'

    def __init__(self,
                 focal_length: float = 5000.,
                 img_res: int = 224,
                 perspective: bool = True,
                 eps: float = 1e-9) -> None:
        super().__init__()
        self.focal_length = float(focal_length)
        self.img_res = img_res
        self.perspective = perspective
        self.eps = eps

    def extra_repr(self) -> str:
        return (f'focal_length={self.focal_length}, img_res={self.img_res},'
                f' perspective={self.perspective}')

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """``[tx, ty, 2 f / (img_res s + eps)]`` (B, 3), metres.

        In the orthographic form this is the camera that the perspective
        form would use; it is what a renderer should use for both.
        """
        s, tx, ty = cam.unbind(-1)
        tz = 2 * self.focal_length / (self.img_res * s + self.eps)
        return torch.stack([tx, ty, tz], dim=-1)

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Focal ``2 f / img_res`` and principal point 0 (normalised units).
        """
        focal = cam.new_full((cam.shape[0], 2),
                             2 * self.focal_length / self.img_res)
        return focal, cam.new_zeros(cam.shape[0], 2)

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        """The normalised crop ``[-1, 1]`` spans the rendered image."""
        return normalised_to_image(image_size, like)

    def image_camera(self, cam: Tensor, image_size, frame_size=None,
                     **meta) -> ImageCamera:
        """The pinhole camera of :meth:`camera_translation` (perspective
        form), or, in the orthographic form, ``u = s x + t_x`` drawn with
        depth = body z + the implied camera distance."""
        if self.perspective:
            return super().image_camera(cam, image_size, frame_size, **meta)
        translation = torch.zeros_like(cam)
        translation[:, 2] = self.camera_translation(cam)[:, 2]
        crop = cam.new_zeros(cam.shape[0], 2, 3)
        crop[:, 0, 0] = crop[:, 1, 1] = cam[:, 0]
        crop[:, :, 2] = cam[:, 1:3]
        return ImageCamera(translation, compose_affine(
            normalised_to_image(image_size, cam), crop), orthographic=True)

    def fit_camera(self, points: Tensor, keypoints: Tensor, mask: Tensor,
                   **meta) -> Tensor:
        """The crop camera ``[s, tx, ty]`` (perspective form) that best maps
        ``points`` (B, K, 3) onto ``keypoints`` (B, K, 2) in normalised crop
        coordinates; NaN rows where fewer than 4 keypoints are valid.
        Inverts :meth:`camera_translation`: ``s = 2 f / (img_res tz)``
        (SPIN's ``estimate_translation``)."""
        focal = 2. * self.focal_length / self.img_res
        t = fit_translation(points, keypoints, mask, focal)
        s = 2. * self.focal_length / (self.img_res * t[:, 2])
        return torch.stack([s, t[:, 0], t[:, 1]], dim=-1)

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """Project to normalised crop coordinates.

        Args:
            points (Tensor): (B, N, 3) points, metres, body frame.
            cam (Tensor): (B, 3) ``[s, tx, ty]``.
            **meta: ignored.

        Returns:
            Tensor: (B, N, 2) coordinates in ``[-1, 1]`` over the crop.
        """
        self._check(points, cam)
        if not self.perspective:
            return cam[:, None, :1] * points[..., :2] + cam[:, None, 1:]
        transl = self.camera_translation(cam)
        uv = perspective_project(points, transl, self.focal_length)
        return uv / (self.img_res / 2.)
