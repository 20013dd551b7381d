"""What every body model of hmrzoo shares: its call signature and output.

Every body model (SMPL, SMPL-X, Anny, third-party ones) is an ``nn.Module``
registered in :data:`hmrzoo.registry.BODY_MODELS` and called as::

    out = body_model(global_orient=R0,    # (B, 1, 3, 3) or (B, 3, 3)
                     body_pose=R,         # (B, J-1, 3, 3) rotation matrices
                     betas=beta,          # (B, num_betas)
                     transl=t)            # (B, 3) metres, optional

and returns a dict::

    vertices        (B, V, 3)  metres
    joints          (B, Jn, 3) metres, the model's native joint set
                               (``native_convention``)
    keypoints       (B, K, 3)  metres, ``joints`` converted by name to the
                               requested ``keypoint_convention``
    keypoints_mask  (K,)       1 where the requested keypoint exists in the
                               native set, 0 where it was zero-filled
    global_orient, body_pose, betas, transl: the inputs (rotation matrices)

Rotations are always rotation matrices at this interface (6D / axis-angle
conversions live in :mod:`hmrzoo.cameras.rotations`).
"""
from typing import Dict, Optional

import torch
from torch import nn

from .conventions import convert_kps, get_keypoint_num


class BaseBodyModel(nn.Module):
    """Base class: keypoint conversion and input checks.

    Subclasses set ``native_convention``, ``num_joints`` (kinematic joints,
    root included), ``num_betas``, ``faces`` (F, 3) long buffer and
    ``parents`` (num_joints,), and implement :meth:`_forward_native`.  A
    model with a UV layout also has ``corner_texture_uv`` (F, 3, 2), the
    texture coordinates of each face corner (renderers colour models
    without one by body part).

    Args:
        keypoint_convention (str): convention of the ``keypoints`` output.
            ``None`` uses the native convention.
        approximate (bool): allow near-equivalent substitutions in the name
            mapping (see :mod:`hmrzoo.body_models.conventions`).
    """

    native_convention: str = ''
    num_joints: int = 24
    num_betas: int = 10

    def __init__(self, keypoint_convention: Optional[str] = None,
                 approximate: bool = False):
        super().__init__()
        self._keypoint_convention = keypoint_convention
        self.approximate = approximate

    @property
    def keypoint_convention(self) -> str:
        return self._keypoint_convention or self.native_convention

    @property
    def num_keypoints(self) -> int:
        return get_keypoint_num(self.keypoint_convention)

    @property
    def num_vertices(self) -> int:
        raise NotImplementedError  # pragma: no cover - set by subclasses

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        **kwargs) -> Dict[str, torch.Tensor]:
        """Return ``vertices`` (B,V,3) and ``joints`` (B,Jn,3), metres."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _check_pose(self, global_orient, body_pose, betas):
        if global_orient.dim() == 3:
            global_orient = global_orient[:, None]
        if global_orient.shape[-2:] != (3, 3) or body_pose.shape[-2:] != (3, 3):
            raise ValueError(
                f'{type(self).__name__} takes rotation matrices: '
                f'global_orient (B,1,3,3) and body_pose (B,{self.num_joints - 1}'
                f',3,3); got {tuple(global_orient.shape)} and '
                f'{tuple(body_pose.shape)}. Convert axis-angle or 6D with '
                'hmrzoo.cameras.rotations.')
        if body_pose.shape[1] != self.num_joints - 1:
            raise ValueError(
                f'{type(self).__name__} expects body_pose with '
                f'{self.num_joints - 1} joints, got {body_pose.shape[1]}.')
        if betas is not None and betas.shape[-1] != self.num_betas:
            raise ValueError(
                f'{type(self).__name__} expects betas (B,{self.num_betas}), '
                f'got {tuple(betas.shape)}.')
        return global_orient

    def forward(self, global_orient: torch.Tensor, body_pose: torch.Tensor,
                betas: Optional[torch.Tensor] = None,
                transl: Optional[torch.Tensor] = None,
                **kwargs) -> Dict[str, torch.Tensor]:
        global_orient = self._check_pose(global_orient, body_pose, betas)
        batch = body_pose.shape[0]
        if betas is None:
            betas = body_pose.new_zeros(batch, self.num_betas)
        out = self._forward_native(global_orient, body_pose, betas, transl,
                                   **kwargs)
        keypoints, mask = convert_kps(out['joints'], self.native_convention,
                                      self.keypoint_convention,
                                      approximate=self.approximate)
        out.update(keypoints=keypoints,
                   keypoints_mask=torch.as_tensor(mask, device=keypoints.device),
                   global_orient=global_orient, body_pose=body_pose,
                   betas=betas, transl=transl)
        return out
