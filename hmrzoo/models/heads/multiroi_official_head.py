"""Multi-RoI's regressor as the official code builds it (the
``official-layout`` variant; hmrzoo's default :class:`MultiRoIHead`
follows the paper's text: one mesh decoder on the mean feature, a camera
decoder per RoI).

The official layout regresses every RoI on its own, with one shared
iterative regressor: RoI m's state is ``[u_m, b_1 … b_M, θ_m, β_m, C_m]``
(its fused feature, the bbox information of *all* M RoIs in RoI order,
its own pose, shape and camera), through fc (2048) -> dropout -> fc
(1024) -> dropout and three residual decoders, for 3 iterations from the
mean parameters.  Every RoI gets a pose, a shape and a camera; the
official evaluation keeps RoI 0's (the person's own box).
"""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor, nn

from ...registry import MODELS
from ...utils.rotations import rot6d_to_rotmat
from .ief_head import head_outputs, ief_decoder
from .multiroi_head import RoIRegressionHead


@MODELS.register_module()
class MultiRoIPerRoIHead(RoIRegressionHead):
    """Per-RoI iterative regression with a shared regressor (see module).

    Args:
        in_channels (int): feature size C.
        num_rois (int): M.
        num_joints, num_betas, cam_dim, n_iter, dropout, mean_params: as
            in :class:`IEFHead`.
        hidden (sequence of int): widths of the two fc layers (official:
            2048, 1024).
        box_dim (int): bbox-information values per RoI.

    Forward: features (B, M, C), boxes (B, M, box_dim) [, init_cam
    (B, M, cam_dim)] -> dict with RoI 0's ``pred_pose`` (B, J, 3, 3),
    ``pred_shape`` (B, S) and ``pred_pose6d`` (B, J*6) (the mesh the
    estimator poses and supervises), every RoI's ``pred_cam``
    (B, M, cam_dim), the per-iteration lists of these, and every RoI's
    ``pred_pose_rois`` (B, M, J, 3, 3) and ``pred_shape_rois`` (B, M, S).
    """

    def __init__(self, in_channels: int, num_rois: int = 5,
                 num_joints: int = 24, num_betas: int = 10, cam_dim: int = 3,
                 n_iter: int = 3, hidden: Sequence[int] = (2048, 1024),
                 dropout: float = 0.5, mean_params: Optional[str] = None,
                 box_dim: int = 3, init_cfg=None):
        super().__init__(in_channels, num_rois, num_joints, num_betas,
                         cam_dim, n_iter, mean_params, box_dim, init_cfg)
        npose = num_joints * 6
        first, second = hidden
        self.mlp = nn.Sequential(
            nn.Linear(in_channels + box_dim * num_rois + npose + num_betas
                      + cam_dim, first), nn.Dropout(dropout),
            nn.Linear(first, second), nn.Dropout(dropout))
        self.decpose = ief_decoder(second, npose)
        self.decshape = ief_decoder(second, num_betas)
        self.deccam = ief_decoder(second, cam_dim)

    def forward(self, features: Tensor, boxes: Tensor,
                init_cam: Optional[Tensor] = None) -> Dict[str, object]:
        cam = self.start_cams(features, boxes, init_cam)
        b, m, _ = features.shape
        all_boxes = boxes.reshape(b, 1, -1).to(features).expand(b, m, -1)
        pose = self.init_pose.expand(b, m, -1)
        shape = self.init_shape.expand(b, m, -1)
        poses, shapes, cams, rois = [], [], [], []
        for _ in range(self.n_iter):
            x = self.mlp(torch.cat([features, all_boxes, pose, shape, cam],
                                   dim=-1))
            pose = pose + self.decpose(x)
            shape = shape + self.decshape(x)
            cam = cam + self.deccam(x)
            rotmats = rot6d_to_rotmat(pose.reshape(b * m, -1, 6)).reshape(
                b, m, -1, 3, 3)
            rois.append(rotmats)
            poses.append(rotmats[:, 0])
            shapes.append(shape[:, 0])
            cams.append(cam)
        out = head_outputs(poses, shapes, cams, pose[:, 0])
        out.update(pred_pose_rois=rois[-1], pred_shape_rois=shape)
        return out
