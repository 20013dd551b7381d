"""The two-branch whole-body regressor of the STS paper (§III-C, Fig. 3).

* **Global branch**: the scale-normalised body keypoints, with where each
  part sits in the crop (its centre and scale, ``placement``), through a
  *bilinear transformation layer* and an MLP, to the global rotation, the
  body pose, the shape and the camera.  The paper follows its reference
  [7] without giving the layer; here it is the residual linear block of
  two fully connected layers (batch-norm, ReLU, dropout) that [7] and the
  2D-to-3D lifting work it builds on use, and with an image embedding
  (§III-C: 512-D from a ResNet-50) a low-rank bilinear fusion
  ``(U k) * (V e) + U k`` of keypoint feature k and embedding e first.
  The placement input is ours: the normalised keypoints alone no longer
  say where the body is in the crop, which the camera must know.
* **Partial branch**: one four-layer semantic graph-convolution regressor
  (:mod:`.sem_gcn`) per hand (15 hand joints), and one for the face whose
  node features go through an extra MLP to the expression (and the jaw
  rotation where the body model has one).

Rotations are regressed as 6D (Zhou et al.) around a start pose (identity;
the global rotation around facing the camera, 180 degrees about x, as the
synthetic bodies do), so the zero output is the rest pose facing the
camera.  The camera starts at ``cam_init``; the dims in ``positive_cam``
go through a softplus (scale, focal length, distance must stay > 0).
"""
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn
from torch.nn import functional as F

from ...registry import MODELS
from ...utils.rotations import rot6d_to_rotmat
from .part_graphs import part_adjacency
from .sem_gcn import SemGCNRegressor

_ID6D = (1., 0., 0., 1., 0., 0.)
#: 180 degrees about x: the body upright facing an OpenCV camera
FACE_CAMERA = torch.diag(torch.tensor([1., -1., -1.]))


class ResidualLinearBlock(nn.Module):
    """x + (Linear-BN-ReLU-Dropout) x 2 (x)."""

    def __init__(self, width: int, dropout: float = 0.1):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(True),
            nn.Dropout(dropout), nn.Linear(width, width),
            nn.BatchNorm1d(width), nn.ReLU(True), nn.Dropout(dropout))

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


def _rotations(delta: Tensor, n: int) -> Tensor:
    """(B, 6 n) offsets from the identity's 6D -> (B, n, 3, 3)."""
    start = delta.new_tensor(_ID6D).repeat(n)
    return rot6d_to_rotmat((start + delta).reshape(-1, 6)).reshape(
        delta.shape[0], n, 3, 3)


@MODELS.register_module()
class STSWholeBodyHead(BaseModule):
    """Global and partial branches (module docstring).

    ``forward(parts)`` takes the dict of
    :func:`hmrzoo.models.utils.part_normalisation.normalise_parts` (``body``
    (B, Nb, 3), ``left_hand`` / ``right_hand`` (B, 21, 3), ``face``
    (B, Nf, 3), ``placement`` (B, 12)) and optionally ``image_feat``
    (B, image_feat_dim), and returns ``pred_pose`` (B, J, 3, 3) (global
    rotation then body joints), ``pred_shape`` (B, S), ``pred_cam``
    (B, cam_dim), ``pred_left_hand_pose`` / ``pred_right_hand_pose``
    (B, 15, 3, 3), ``pred_expression`` (B, E) and, with a jaw,
    ``pred_jaw_pose`` (B, 1, 3, 3).

    Args:
        part_names (dict): part -> keypoint names it reads (the estimator
            derives them from its input convention and body model).
        num_joints, num_betas, cam_dim (int): Θ's sizes (derived).
        num_hand_joints, num_expression_coeffs (int), has_jaw_pose (bool):
            the whole-body model's sizes (derived).
        cam_init (sequence[float]): the camera's start value.
        positive_cam (sequence[int]): camera dims kept > 0 (softplus).
        width (int): global branch width; image_feat_dim (int): size of
            the image embedding (0: keypoints only).
        gcn_hidden (int): node features of the graph regressors.
        face_mlp (int): hidden size of the face's expression MLP.
    """

    def __init__(self, part_names: Dict[str, Sequence[str]],
                 num_joints: int, num_betas: int, cam_dim: int,
                 num_hand_joints: int = 15, num_expression_coeffs: int = 10,
                 has_jaw_pose: bool = True,
                 cam_init: Sequence[float] = (1., 0., 0.),
                 positive_cam: Sequence[int] = (0, ), width: int = 1024,
                 image_feat_dim: int = 0, gcn_hidden: int = 64,
                 face_mlp: int = 256, dropout: float = 0.1, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if len(cam_init) != cam_dim:
            raise ValueError(f'head.cam_init has {len(cam_init)} values, '
                             f'but the projection takes cam_dim={cam_dim}: '
                             'give one start value per camera parameter')
        self.num_joints, self.num_betas = num_joints, num_betas
        self.num_hand_joints = num_hand_joints
        self.num_expression_coeffs = num_expression_coeffs
        self.has_jaw_pose = has_jaw_pose
        self.positive_cam = list(positive_cam)
        init = torch.tensor(cam_init, dtype=torch.float32)
        raw = init.clone()
        raw[self.positive_cam] = init[self.positive_cam] + torch.log(
            -torch.expm1(-init[self.positive_cam]))  # softplus^-1
        self.register_buffer('cam_start', raw, persistent=False)
        num_body = len(part_names['body'])
        self.inp = nn.Linear(num_body * 3 + 3 * len(part_names), width)
        self.image = nn.Linear(image_feat_dim, width) if image_feat_dim \
            else None
        self.blocks = nn.Sequential(ResidualLinearBlock(width, dropout),
                                    ResidualLinearBlock(width, dropout))
        self.out = nn.Linear(width, 6 * num_joints + num_betas + cam_dim)
        hand_out = 6 * num_hand_joints
        self.hands = nn.ModuleDict({
            side: SemGCNRegressor(part_adjacency(side, part_names[side]), 3,
                                  hand_out, gcn_hidden)
            for side in ('left_hand', 'right_hand')})
        face_adj = part_adjacency('face', part_names['face'])
        self.face = SemGCNRegressor(face_adj, 3, 1, gcn_hidden)
        self.face_mlp = nn.Sequential(
            nn.Linear(gcn_hidden * face_adj.shape[0], face_mlp),
            nn.ReLU(True),
            nn.Linear(face_mlp, num_expression_coeffs + 6 * has_jaw_pose))
        for layer in (self.out, self.face_mlp[-1], *(
                h.readout for h in self.hands.values())):
            nn.init.xavier_uniform_(layer.weight, gain=0.01)
            nn.init.zeros_(layer.bias)

    def forward(self, parts: Dict[str, Tensor],
                image_feat: Optional[Tensor] = None) -> Dict[str, Tensor]:
        x = self.inp(torch.cat([parts['body'].flatten(1),
                                parts['placement']], -1))
        if self.image is not None:
            if image_feat is None:
                raise ValueError('STSWholeBodyHead was built with '
                                 'image_feat_dim > 0 but got no image '
                                 'embedding (samples need image_feat)')
            x = x * self.image(image_feat) + x
        out = self.out(self.blocks(x))
        pose, betas, cam = out.split(
            [6 * self.num_joints, self.num_betas, out.shape[1] -
             6 * self.num_joints - self.num_betas], -1)
        pose = _rotations(pose, self.num_joints)
        pose = torch.cat([FACE_CAMERA.to(pose) @ pose[:, :1], pose[:, 1:]], 1)
        cam = cam + self.cam_start
        if self.positive_cam:
            cam = cam.clone()
            cam[:, self.positive_cam] = F.softplus(cam[:, self.positive_cam])
        result = dict(pred_pose=pose, pred_shape=betas, pred_cam=cam)
        for side, net in self.hands.items():
            result[f'pred_{side}_pose'] = _rotations(
                net(parts[side]), self.num_hand_joints)
        face = self.face_mlp(self.face.features(parts['face']))
        result['pred_expression'] = face[:, :self.num_expression_coeffs]
        if self.has_jaw_pose:
            result['pred_jaw_pose'] = _rotations(
                face[:, self.num_expression_coeffs:], 1)
        return result


__all__ = ['STSWholeBodyHead', 'ResidualLinearBlock', 'FACE_CAMERA']
