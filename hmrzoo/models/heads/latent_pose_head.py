"""The one-shot regressor of the self-supervised joints+depth method
(``001_01caa0c91b604013.txt``, "Network Architecture"): pooled feature
(512) -> FC 512 -> FC 512 -> ``[s, R (3), T (2), β, φ (32)]`` (48 outputs
with SMPL's 10 betas; 44 with Anny's 6), and the frozen pose-prior decoder
turns ``φ`` into the 23 body-joint rotations.
"""
from typing import Dict, Optional, Sequence

import math

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS
from ...utils.rotations import axis_angle_to_rotmat
from ..priors import PosePriorDecoder


@MODELS.register_module()
class LatentPoseHead(BaseModule):
    """Regress camera, global rotation, shape and a pose latent.

    Output layer (in this order): ``s`` (weak-perspective scale), ``R``
    (3, axis-angle of the global rotation *relative to the camera-facing
    orientation*, 180 degrees about x, so that the zero output faces the
    camera upright as the synthetic bodies do; the paper's R is the global
    rotation itself, this is a reparametrisation of it), ``T`` (2,
    translation in the crop's normalised frame), ``β`` (num_betas) and
    ``φ`` (latent_dim, squashed by tanh into the prior's domain
    ``[-1, 1]``).  The output layer starts at ``s = 0.9``, everything else
    0 (small random weights), i.e. the decoder's pose of ``φ = 0``.

    Args:
        in_channels (int): pooled feature size (512 for ResNet-18).
        hidden (sequence[int]): the FC widths (512, 512).
        pose_decoder (dict): :class:`PosePriorDecoder` arguments
            (``checkpoint`` to load it from; ``frozen`` defaults to True).
        num_joints, num_betas, cam_dim: Θ's sizes (from the estimator's
            body model and projection); cam_dim must be 3.
        dropout (float): between the FC layers (0: the paper names none).

    Returns (forward): ``pred_pose`` (B, num_joints, 3, 3) root first,
    ``pred_shape`` (B, num_betas), ``pred_cam`` (B, 3) ``[s, tx, ty]``,
    ``pred_latent`` (B, latent_dim), and one-element ``*_list`` copies
    (the estimators' iteration interface).
    """

    def __init__(self, in_channels: int = 512,
                 hidden: Sequence[int] = (512, 512),
                 pose_decoder: Optional[dict] = None, num_joints: int = 24,
                 num_betas: int = 10, cam_dim: int = 3, dropout: float = 0.,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if cam_dim != 3:
            raise ValueError('LatentPoseHead regresses a weak-perspective '
                             f'camera [s, tx, ty] (cam_dim 3), not {cam_dim}')
        self.decoder = PosePriorDecoder(**dict(dict(frozen=True),
                                               **(pose_decoder or {})))
        if self.decoder.num_joints != num_joints - 1:
            raise ValueError(
                f'pose_decoder has {self.decoder.num_joints} joints, the '
                f'body model {num_joints - 1} body joints')
        self.num_betas, self.latent_dim = num_betas, self.decoder.latent_dim
        layers, width = [], in_channels
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(inplace=True)]
            if dropout:
                layers.append(nn.Dropout(dropout))
            width = h
        self.mlp = nn.Sequential(*layers)
        self.out = nn.Linear(width, 6 + num_betas + self.latent_dim)
        nn.init.xavier_uniform_(self.out.weight, gain=0.01)
        with torch.no_grad():
            self.out.bias.zero_()
            self.out.bias[0] = 0.9
        face = torch.tensor([math.pi, 0., 0.])
        self.register_buffer('facing', axis_angle_to_rotmat(face[None])[0],
                             persistent=False)

    def forward(self, feat: Tensor) -> Dict[str, Tensor]:
        out = self.out(self.mlp(feat))
        s, rot, t = out[:, :1], out[:, 1:4], out[:, 4:6]
        betas = out[:, 6:6 + self.num_betas]
        latent = torch.tanh(out[:, 6 + self.num_betas:])
        glob = self.facing @ axis_angle_to_rotmat(rot)
        pose = torch.cat([glob[:, None], self.decoder(latent)], dim=1)
        cam = torch.cat([s, t], dim=1)
        return dict(pred_pose=pose, pred_shape=betas, pred_cam=cam,
                    pred_latent=latent, pred_pose_list=[pose],
                    pred_shape_list=[betas], pred_cam_list=[cam])
