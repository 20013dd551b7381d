"""A crop camera with a log-parameterised scale, ``cam = [log s, tx, ty]``:
the weak-perspective camera of HMR with ``s = exp(cam[0])``, so the scale
stays positive without a regulariser."""
from typing import Tuple

import torch
from torch import Tensor

from hmrzoo.cameras.base import BaseProjection, normalised_to_image
from hmrzoo.cameras.fit import fit_translation
from hmrzoo.registry import CAMERAS


@CAMERAS.register_module()
class LogScaleCropProjection(BaseProjection):
    """Pinhole camera of focal ``focal_length`` pixels over a square crop of
    ``img_res`` pixels, translated by ``(tx, ty, 2 f / (img_res s))``;
    output in normalised crop coordinates ``[-1, 1]``."""

    cam_dim = 3
    output_frame = 'normalised crop coordinates in [-1, 1]'

    def __init__(self, focal_length: float = 5000., img_res: int = 224):
        super().__init__()
        self.focal_length = float(focal_length)
        self.img_res = img_res

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        scale = cam[:, 0].exp()
        tz = 2. * self.focal_length / (self.img_res * scale)
        return torch.stack([cam[:, 1], cam[:, 2], tz], dim=-1)

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        focal = cam.new_full((cam.shape[0], 2),
                             2. * self.focal_length / self.img_res)
        return focal, cam.new_zeros(cam.shape[0], 2)

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        return normalised_to_image(image_size, like)

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        self._check(points, cam)
        q = points + self.camera_translation(cam)[:, None, :]
        focal = 2. * self.focal_length / self.img_res
        return focal * q[..., :2] / q[..., 2:]

    def fit_camera(self, points: Tensor, keypoints: Tensor, mask: Tensor,
                   **meta) -> Tensor:
        focal = 2. * self.focal_length / self.img_res
        t = fit_translation(points, keypoints, mask, focal)
        log_s = torch.log(2. * self.focal_length / (self.img_res * t[:, 2]))
        return torch.stack([log_s, t[:, 0], t[:, 1]], dim=-1)
