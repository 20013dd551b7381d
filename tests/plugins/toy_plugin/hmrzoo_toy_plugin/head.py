"""A one-shot regressor: Θ = Θ₀ + MLP(φ), with LayerNorm and GELU (no
iterative feedback)."""
from typing import Dict, Optional

from torch import Tensor, nn
import torch

from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.models.heads.ief_head import head_outputs, initial_parameters
from hmrzoo.registry import MODELS


@MODELS.register_module()
class OneShotHead(nn.Module):
    """Same inputs and outputs as hmrzoo's ``IEFHead`` (``feat`` (B, C),
    optional ``extra`` and ``init``), one step."""

    def __init__(self, in_channels: int, num_joints: int = 24,
                 num_betas: int = 10, cam_dim: int = 3, n_iter: int = 1,
                 hidden: int = 256, dropout: float = 0.0,
                 mean_params: Optional[str] = None, extra_in: int = 0):
        super().__init__()
        if n_iter != 1:
            raise ValueError(f'OneShotHead makes one step, got n_iter={n_iter}')
        pose, shape, cam = initial_parameters(mean_params, num_joints,
                                              num_betas, cam_dim)
        cam[0, 0] = 0.   # log s = 0
        self.register_buffer('init_pose', pose)
        self.register_buffer('init_shape', shape)
        self.register_buffer('init_cam', cam)
        self.sizes = (num_joints * 6, num_betas, cam_dim)
        self.mlp = nn.Sequential(
            nn.Linear(in_channels + extra_in + sum(self.sizes), hidden),
            nn.LayerNorm(hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden, sum(self.sizes)))
        nn.init.zeros_(self.mlp[-1].weight)
        nn.init.zeros_(self.mlp[-1].bias)

    def forward(self, feat: Tensor, extra: Optional[Tensor] = None,
                init: Optional[Dict[str, Tensor]] = None) -> Dict[str, object]:
        batch = feat.shape[0]
        if init is None:
            start = [self.init_pose.expand(batch, -1),
                     self.init_shape.expand(batch, -1),
                     self.init_cam.expand(batch, -1)]
        else:
            start = [init['pose6d'], init['shape'], init['cam']]
        inputs = [feat] + ([] if extra is None else [extra]) + start
        delta = self.mlp(torch.cat(inputs, dim=1)).split(self.sizes, dim=1)
        pose, shape, cam = (s + d for s, d in zip(start, delta))
        rotmat = rot6d_to_rotmat(pose.reshape(batch, -1, 6))
        return head_outputs([rotmat], [shape], [cam], pose)
