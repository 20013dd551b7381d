"""CRA's fusion regressor R_fuse (``000_f8ace6beef631e18.txt`` eq. 5)."""
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import Tensor

from ...utils.rotations import rot6d_to_rotmat
from ...registry import MODELS
from .ief_head import head_outputs, ief_decoder, ief_mlp


@MODELS.register_module()
class CRAFusion(BaseModule):
    """``Θ_final = R_fuse(D_J^J, D_M^J, φL^J, D_J^M, D_M^M, φL^M; Θ^J,
    Θ^M)``: one regression step from the streams' estimates.

    The evidence vector (the streams' misalignments and fine features,
    flattened and concatenated by the estimator) and the estimates
    ``Θ^s = [θ̂ (J·6), β̂, π̂]`` go through two wide FC layers (HMR's trunk,
    :func:`~.ief_head.ief_mlp`; §4.2: as wide as the evidence vector), and
    an output layer adds its residual to the mean of the estimates (the
    prediction "initialized with both Θ^J and Θ^M").

    Args:
        in_channels (int): size of the evidence vector.
        num_streams (int): estimates fed in (2).
        num_joints (int), num_betas (int), cam_dim (int): Θ's layout.
        hidden (int, optional): width of the two layers; None = in_channels.
        dropout (float): dropout after each layer.

    Forward: ``evidence`` (B, in_channels), ``estimates`` list of dicts
    ``pose6d`` (B, J·6), ``shape`` (B, S), ``cam`` (B, cam_dim) -> the head
    dict of :func:`~.ief_head.head_outputs` (one step).
    """

    def __init__(self, in_channels: int, num_streams: int = 2,
                 num_joints: int = 24, num_betas: int = 10, cam_dim: int = 3,
                 hidden: Optional[int] = None, dropout: float = 0.5,
                 init_cfg=None):
        super().__init__(init_cfg)
        self.num_streams, self.num_joints = num_streams, num_joints
        npose = num_joints * 6
        theta = npose + num_betas + cam_dim
        self.in_channels = in_channels
        self.hidden = int(hidden or in_channels)
        self.mlp = ief_mlp(in_channels + num_streams * theta, self.hidden,
                           dropout)
        self.decpose = ief_decoder(self.hidden, npose)
        self.decshape = ief_decoder(self.hidden, num_betas)
        self.deccam = ief_decoder(self.hidden, cam_dim)

    def forward(self, evidence: Tensor,
                estimates: Sequence[Dict[str, Tensor]]) -> dict:
        if len(estimates) != self.num_streams:
            raise ValueError(f'R_fuse was built for {self.num_streams} '
                             f'estimates, got {len(estimates)}')
        if evidence.shape[1] != self.in_channels:
            raise ValueError(f'R_fuse was built for an evidence vector of '
                             f'{self.in_channels}, got {evidence.shape[1]}')
        keys = ('pose6d', 'shape', 'cam')
        thetas = [torch.cat([e[k] for k in keys], dim=1) for e in estimates]
        x = self.mlp(torch.cat([evidence] + thetas, dim=1))
        base = {k: torch.stack([e[k] for e in estimates]).mean(0)
                for k in keys}
        pose6d = base['pose6d'] + self.decpose(x)
        shape = base['shape'] + self.decshape(x)
        cam = base['cam'] + self.deccam(x)
        pose = rot6d_to_rotmat(pose6d.reshape(pose6d.shape[0], -1, 6))
        return head_outputs([pose], [shape], [cam], pose6d)
