"""HMR's iterative error feedback (IEF) regressor."""
from types import SimpleNamespace
from typing import Dict, Optional

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...body_models.mean_params import load_mean_params
from ...utils.rotations import rot6d_to_rotmat
from ...registry import MODELS


def initial_parameters(mean_params: Optional[str], num_joints: int,
                       num_betas: int, cam_dim: int):
    """The IEF starting point Θ₀ from mean parameters.

    Returns:
        tuple[Tensor, Tensor, Tensor]: pose (1, J*6) 6D, shape (1, S) and
        camera (1, cam_dim) (the mean camera's first three values, zeros
        beyond), float32.
    """
    sizes = SimpleNamespace(num_joints=num_joints, num_betas=num_betas)
    mean = load_mean_params(mean_params, body_model=sizes)
    pose = torch.as_tensor(mean['pose'], dtype=torch.float32).reshape(
        1, num_joints * 6)
    shape = torch.as_tensor(mean['betas'], dtype=torch.float32).reshape(
        1, num_betas)
    cam = torch.zeros(1, cam_dim)
    cam[0, :3] = torch.as_tensor(mean['cam'], dtype=torch.float32)[:3]
    return pose, shape, cam


def register_initial_parameters(module: nn.Module,
                                mean_params: Optional[str], num_joints: int,
                                num_betas: int, cam_dim: int) -> None:
    """Buffers ``init_pose`` (1, J*6), ``init_shape`` (1, S) and
    ``init_cam`` (1, cam_dim) of ``module``: :func:`initial_parameters`."""
    pose, shape, cam = initial_parameters(mean_params, num_joints,
                                          num_betas, cam_dim)
    module.register_buffer('init_pose', pose)
    module.register_buffer('init_shape', shape)
    module.register_buffer('init_cam', cam)


def ief_mlp(in_dim: int, hidden: int, dropout: float) -> nn.Sequential:
    """HMR's regressor trunk: fc -> dropout -> fc -> dropout (no activation
    in between, as in SPIN / CLIFF / PyMAF)."""
    return nn.Sequential(nn.Linear(in_dim, hidden), nn.Dropout(dropout),
                         nn.Linear(hidden, hidden), nn.Dropout(dropout))


def ief_decoder(hidden: int, out_dim: int) -> nn.Linear:
    """A residual decoder layer, xavier-initialised with gain 0.01."""
    layer = nn.Linear(hidden, out_dim)
    nn.init.xavier_uniform_(layer.weight, gain=0.01)
    return layer


def head_outputs(poses: list, shapes: list, cams: list,
                 pose6d: Tensor) -> Dict[str, object]:
    """The output dict of an iterative regressor: the last iteration's
    ``pred_pose`` (rotation matrices), ``pred_shape``, ``pred_cam`` and
    ``pred_pose6d``, and the per-iteration lists ``pred_*_list``."""
    return dict(pred_pose=poses[-1], pred_shape=shapes[-1],
                pred_cam=cams[-1], pred_pose6d=pose6d, pred_pose_list=poses,
                pred_shape_list=shapes, pred_cam_list=cams)


@MODELS.register_module()
class IEFHead(BaseModule):
    """Regress body pose (6D), shape and camera by iterative error feedback.

    From mean parameters Θ₀, each of ``n_iter`` iterations computes
    ``Θ_{t+1} = Θ_t + D([φ, Θ_t])`` with a shared two-layer MLP ``D``
    (HMR / SPIN layout: fc 1024 -> dropout -> fc 1024 -> dropout, no
    activation in between, as in SPIN / CLIFF / PyMAF, then linear
    decoders for pose, shape and camera initialised with
    xavier(gain=0.01)).

    Args:
        in_channels (int): size of the global feature φ.
        num_joints (int): joints with a rotation, root included (24: SMPL,
            Anny).
        num_betas (int): shape size (10: SMPL, 6: Anny).
        cam_dim (int): camera size (3 for [s, tx, ty]).
        n_iter (int): IEF iterations.
        hidden (int): width of the MLP.
        dropout (float): dropout after each hidden layer.
        mean_params (str): ``smpl_mean_params.npz``; None uses the body
            model's own mean (see :func:`load_mean_params`).
        extra_in (int): width of extra per-sample input concatenated to φ
            (e.g. CLIFF's 3 bbox values, passed as ``extra``).

    Forward: ``feat`` (B, in_channels) [, ``extra`` (B, extra_in)]
        [, ``init``: dict ``pose6d`` (B, J*6), ``shape`` (B, S), ``cam``
        (B, cam_dim) to start from instead of the mean parameters, as
        PyMAF's per-level regressors continue the previous estimate] -> dict
        ``pred_pose`` (B, J, 3, 3), ``pred_shape`` (B, S), ``pred_cam``
        (B, cam_dim), ``pred_pose6d`` (B, J*6), and per-iteration lists
        ``pred_pose_list``, ``pred_shape_list``, ``pred_cam_list``.
    """

    def __init__(self, in_channels: int, num_joints: int = 24,
                 num_betas: int = 10, cam_dim: int = 3, n_iter: int = 3,
                 hidden: int = 1024, dropout: float = 0.5,
                 mean_params: Optional[str] = None, extra_in: int = 0,
                 init_cfg=None):
        super().__init__(init_cfg)
        self.num_joints, self.num_betas, self.cam_dim = (
            num_joints, num_betas, cam_dim)
        self.n_iter = n_iter
        npose = num_joints * 6
        register_initial_parameters(self, mean_params, num_joints,
                                    num_betas, cam_dim)
        in_dim = in_channels + extra_in + npose + num_betas + cam_dim
        self.fc1 = nn.Linear(in_dim, hidden)
        self.drop1 = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, hidden)
        self.drop2 = nn.Dropout(dropout)
        self.decpose = ief_decoder(hidden, npose)
        self.decshape = ief_decoder(hidden, num_betas)
        self.deccam = ief_decoder(hidden, cam_dim)

    def forward(self, feat: torch.Tensor,
                extra: Optional[torch.Tensor] = None,
                init: Optional[Dict[str, torch.Tensor]] = None
                ) -> Dict[str, object]:
        batch = feat.shape[0]
        if init is None:
            pose = self.init_pose.expand(batch, -1)
            shape = self.init_shape.expand(batch, -1)
            cam = self.init_cam.expand(batch, -1)
        else:
            pose, shape, cam = init['pose6d'], init['shape'], init['cam']
        inputs = [feat] if extra is None else [feat, extra]
        poses, shapes, cams = [], [], []
        for _ in range(self.n_iter):
            x = torch.cat(inputs + [pose, shape, cam], dim=1)
            x = self.drop2(self.fc2(self.drop1(self.fc1(x))))
            pose = pose + self.decpose(x)
            shape = shape + self.decshape(x)
            cam = cam + self.deccam(x)
            poses.append(rot6d_to_rotmat(pose.reshape(batch, -1, 6)))
            shapes.append(shape)
            cams.append(cam)
        return head_outputs(poses, shapes, cams, pose)
