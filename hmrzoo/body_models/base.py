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
conversions live in :mod:`hmrzoo.utils.rotations`).

**Whole-body models** (SMPL-X, :class:`~.anny_wholebody.AnnyWholeBody`)
take, besides, ``left_hand_pose`` / ``right_hand_pose`` (B, 15, 3, 3) in
SMPL-X's finger order, ``expression`` (B, num_expression_coeffs) and, where
``has_jaw_pose``, ``jaw_pose`` (B, 1, 3, 3); they expose
``num_hand_joints``, ``num_expression_coeffs`` and ``has_jaw_pose`` so a
whole-body head sizes its outputs from the model (``num_joints`` is then 22:
the root and 21 body joints).

What renderers, the IUV atlas and mesh downsampling read (no one of them
looks at the concrete class):

* ``faces`` (F, 3) and ``num_vertices``;
* :meth:`BaseBodyModel.rest_geometry`: rest vertices, the 24 SMPL-part
  joints at rest, faces;
* :meth:`BaseBodyModel.skinning`: the skinning skeleton and its weights,
  mapped onto SMPL's 24 parts by :mod:`hmrzoo.body_models.skeleton`;
* ``corner_texture_uv`` (F, 3, 2) where the model has a UV layout (None or
  absent: renderers colour it by part).
"""
from typing import Dict, NamedTuple, Optional

import torch
from torch import nn

from ..conventions import convert_kps, get_keypoint_num
from ..conventions.smpl import SMPL_24
from .skeleton import Skinning


class RestGeometry(NamedTuple):
    """A body model's rest pose (identity rotations, zero betas, no
    translation), on the CPU.

    Attributes:
        vertices (Tensor): (V, 3) float32, metres.
        joints (Tensor): (24, 3) float32, metres: where SMPL's 24 kinematic
            joints (:data:`SMPL_24`, the joints the body parts hang on) sit
            on this body.
        faces (Tensor): (F, 3) long.
    """

    vertices: torch.Tensor
    joints: torch.Tensor
    faces: torch.Tensor


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
            mapping (see :mod:`hmrzoo.conventions`).
    """

    native_convention: str = ''
    num_joints: int = 24
    num_betas: int = 10
    #: whether ``_forward_native`` takes ``need_vertices=False`` (keypoints
    #: without the mesh)
    keypoints_only_forward: bool = False

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

    def keypoint_mask(self) -> torch.Tensor:
        """(K,) float: 1 where the model has keypoint k of its
        ``keypoint_convention`` (the ``keypoints_mask`` of every output)."""
        native = get_keypoint_num(self.native_convention)
        _, mask = convert_kps(torch.zeros(1, native, 3),
                              self.native_convention,
                              self.keypoint_convention,
                              approximate=self.approximate)
        return torch.as_tensor(mask).float()

    @property
    def num_vertices(self) -> int:
        raise NotImplementedError  # pragma: no cover - set by subclasses

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        **kwargs) -> Dict[str, torch.Tensor]:
        """Return ``vertices`` (B,V,3) and ``joints`` (B,Jn,3), metres."""
        raise NotImplementedError  # pragma: no cover - abstract

    @torch.no_grad()
    def rest_pose(self) -> Dict[str, torch.Tensor]:
        """The forward output (batch 1) for identity rotations and zero
        betas."""
        ref = next(iter(self.buffers()))
        eye = torch.eye(3, dtype=torch.float32, device=ref.device)
        return self(global_orient=eye.expand(1, 1, 3, 3),
                    body_pose=eye.expand(1, self.num_joints - 1, 3,
                                         3).contiguous())

    def rest_geometry(self) -> RestGeometry:
        """Rest vertices, SMPL-part joints and faces (CPU, float32).

        The default takes the joints named like SMPL's 24 from the native
        keypoints; a model without all of them overrides this.
        """
        out = self.rest_pose()
        joints, mask = convert_kps(out['joints'], self.native_convention,
                                   'smpl_24')
        missing = [n for n, m in zip(SMPL_24, mask) if not m]
        if missing:
            raise NotImplementedError(
                f'{type(self).__name__}: its native convention '
                f'{self.native_convention!r} lacks the SMPL joints {missing}'
                '; override rest_geometry() to say where they sit')
        return RestGeometry(out['vertices'][0].float().cpu(),
                            joints[0].float().cpu(), self.faces.long().cpu())

    def skinning(self) -> Skinning:
        """The skinning skeleton and its weights (see
        :class:`~hmrzoo.body_models.skeleton.Skinning`); needed to render
        part-coloured (IUV) images of the model."""
        raise NotImplementedError(
            f'{type(self).__name__} does not expose its skinning weights, '
            'so it cannot be rendered by body part (IUV): implement '
            'skinning() returning hmrzoo.body_models.skeleton.Skinning')

    def _check_pose(self, global_orient, body_pose, betas):
        if global_orient.dim() == 3:
            global_orient = global_orient[:, None]
        if global_orient.shape[-2:] != (3, 3) or body_pose.shape[-2:] != (3, 3):
            raise ValueError(
                f'{type(self).__name__} takes rotation matrices: '
                f'global_orient (B,1,3,3) and body_pose (B,{self.num_joints - 1}'
                f',3,3); got {tuple(global_orient.shape)} and '
                f'{tuple(body_pose.shape)}. Convert axis-angle or 6D with '
                'hmrzoo.utils.rotations.')
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
                need_vertices: bool = True,
                **kwargs) -> Dict[str, torch.Tensor]:
        """``need_vertices=False`` lets a model that can (its
        ``keypoints_only_forward``) skip the mesh: the output then has no
        ``'vertices'``; other models compute it anyway."""
        global_orient = self._check_pose(global_orient, body_pose, betas)
        batch = body_pose.shape[0]
        if betas is None:
            betas = body_pose.new_zeros(batch, self.num_betas)
        if not need_vertices and self.keypoints_only_forward:
            kwargs['need_vertices'] = False
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
