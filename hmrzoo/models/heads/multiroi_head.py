"""Multi-RoI's decoders: a mesh decoder on the RoI-shared feature and a
camera decoder applied to each RoI-specific feature (eq. 5-6)."""
from typing import Dict, Optional

import torch
from mmengine.model import BaseModule
from torch import Tensor

from ...utils.rotations import rot6d_to_rotmat
from ...registry import MODELS
from .ief_head import (head_outputs, ief_decoder, ief_mlp,
                       register_initial_parameters)


class RoIRegressionHead(BaseModule):
    """What Multi-RoI's regression heads share: their sizes, the IEF
    starting point (buffers ``init_pose`` / ``init_shape`` / ``init_cam``,
    :func:`register_initial_parameters`) and the check of the RoI inputs
    with the per-RoI starting cameras (:meth:`start_cams`)."""

    def __init__(self, in_channels: int, num_rois: int, num_joints: int,
                 num_betas: int, cam_dim: int, n_iter: int,
                 mean_params: Optional[str], box_dim: int, init_cfg=None):
        super().__init__(init_cfg)
        self.in_channels, self.num_rois = in_channels, num_rois
        self.n_iter, self.box_dim = n_iter, box_dim
        register_initial_parameters(self, mean_params, num_joints,
                                    num_betas, cam_dim)

    def start_cams(self, features: Tensor, boxes: Tensor,
                   init_cam: Optional[Tensor]) -> Tensor:
        """Check features (B, M, C) and boxes (B, M, box_dim) against
        ``num_rois``; the per-RoI starting cameras (B, M, cam_dim):
        ``init_cam``, or the mean camera for every RoI."""
        b, m, _ = features.shape
        if m != self.num_rois or boxes.shape[:2] != (b, m):
            raise ValueError(
                f'{type(self).__name__} was built for {self.num_rois} RoIs; '
                f'got features {tuple(features.shape)} and boxes '
                f'{tuple(boxes.shape)}')
        if init_cam is None:
            return self.init_cam[:, None].expand(b, m, -1)
        return init_cam.to(features)


@MODELS.register_module()
class MultiRoIHead(RoIRegressionHead):
    """``θ, β = D^mesh(ū)`` and ``C_m = D^cam(u_m)``, both with HMR's
    iterative error feedback (the "FC layers with residual connections" of
    §3.1), run jointly for ``n_iter`` iterations from mean parameters.

    At iteration t, from the current ``(θ_t, β_t, C_m,t)``:

    * mesh: ``[ū, b_1..b_M, θ_t, β_t] -> Δθ, Δβ`` with ``ū`` the mean of
      the RoI-specific features;
    * camera of RoI m: ``[u_m, b_m, θ_t, β_t, C_m,t] -> ΔC_m``,

    where ``b_m`` is RoI m's bbox information (CLIFF, 3 values).

    Args:
        in_channels (int): feature size C.
        num_rois (int): M (the mesh decoder reads all M boxes).
        num_joints, num_betas, cam_dim, n_iter, hidden, dropout,
        mean_params: as in :class:`IEFHead`.
        box_dim (int): bbox-information values per RoI.

    Forward: features (B, M, C), boxes (B, M, box_dim) [, init_cam
    (B, M, cam_dim): the cameras to start from, by default the mean camera
    for every RoI] -> dict with
    ``pred_pose`` (B, J, 3, 3), ``pred_shape`` (B, S), ``pred_cam``
    (B, M, cam_dim), ``pred_pose6d`` (B, J*6) and per-iteration lists
    ``pred_pose_list``, ``pred_shape_list``, ``pred_cam_list``.
    """

    def __init__(self, in_channels: int, num_rois: int = 5,
                 num_joints: int = 24, num_betas: int = 10, cam_dim: int = 3,
                 n_iter: int = 3, hidden: int = 1024, dropout: float = 0.5,
                 mean_params: Optional[str] = None, box_dim: int = 3,
                 init_cfg=None):
        super().__init__(in_channels, num_rois, num_joints, num_betas,
                         cam_dim, n_iter, mean_params, box_dim, init_cfg)
        npose = num_joints * 6
        self.mesh_mlp = ief_mlp(
            in_channels + box_dim * num_rois + npose + num_betas, hidden,
            dropout)
        self.decpose = ief_decoder(hidden, npose)
        self.decshape = ief_decoder(hidden, num_betas)
        self.cam_mlp = ief_mlp(
            in_channels + box_dim + npose + num_betas + cam_dim, hidden,
            dropout)
        self.deccam = ief_decoder(hidden, cam_dim)

    def forward(self, features: Tensor, boxes: Tensor,
                init_cam: Optional[Tensor] = None) -> Dict[str, object]:
        cam = self.start_cams(features, boxes, init_cam)
        b, m, _ = features.shape
        shared = features.mean(dim=1)                          # ū (B, C)
        all_boxes = boxes.reshape(b, -1).to(features)
        pose = self.init_pose.expand(b, -1)
        shape = self.init_shape.expand(b, -1)
        poses, shapes, cams = [], [], []
        for _ in range(self.n_iter):
            x_mesh = self.mesh_mlp(torch.cat([shared, all_boxes, pose, shape],
                                             dim=1))
            per_roi = lambda t: t[:, None].expand(b, m, -1)  # noqa: E731
            x_cam = self.cam_mlp(torch.cat(
                [features, boxes.to(features), per_roi(pose), per_roi(shape),
                 cam], dim=-1))
            pose = pose + self.decpose(x_mesh)
            shape = shape + self.decshape(x_mesh)
            cam = cam + self.deccam(x_cam)
            poses.append(rot6d_to_rotmat(pose.reshape(b, -1, 6)))
            shapes.append(shape)
            cams.append(cam)
        return head_outputs(poses, shapes, cams, pose)
