"""IUV atlases of hmrzoo body models (Anny, SMPL, SMPL-X): their skinning
weights on SMPL's 24 joints, their rest geometry, and :func:`atlas_for`,
which derives (:func:`~.iuv_charts.build_iuv_atlas`) and caches the atlas.
"""
import hashlib
import threading
from typing import Dict, Tuple

import numpy as np
import torch

from ..body_models.conventions.smpl import SMPL_24
from .iuv_atlas import IUVAtlas
from .iuv_charts import build_iuv_atlas

__all__ = ['anny_bone_to_joint', 'joint_weights_for', 'rest_geometry',
           'atlas_for', 'clear_atlas_cache']


def anny_bone_to_joint(bone_labels, bone_parents) -> np.ndarray:
    """Assign each Anny bone to one of SMPL's 24 joints.

    A bone listed in :data:`~hmrzoo.body_models.anny_model.SMPL_TO_ANNY_BONES`
    belongs to that joint; any other bone belongs to the joint of its
    nearest listed ancestor (walking up ``bone_parents``).

    Returns:
        (num_bones,) int64 array of SMPL joint indices 0..23.
    """
    from ..body_models.anny_model import SMPL_TO_ANNY_BONES
    labels = list(bone_labels)
    listed = {}
    for j, name in enumerate(SMPL_24):
        for bone in SMPL_TO_ANNY_BONES[name]:
            listed[labels.index(bone)] = j
    out = np.zeros(len(labels), dtype=np.int64)
    for b in range(len(labels)):
        k = b
        while k not in listed:
            k = int(bone_parents[k])
            if k < 0:
                raise ValueError(f'Anny bone {labels[b]!r} has no ancestor '
                                 'driven by an SMPL joint')
        out[b] = listed[k]
    return out


def _kind(body_model) -> str:
    from ..body_models.anny_model import Anny
    from ..body_models.smpl import SMPL
    from ..body_models.smplx_model import SMPLX
    if isinstance(body_model, Anny):
        return 'anny'
    if isinstance(body_model, SMPL):
        return 'smpl'
    if isinstance(body_model, SMPLX):
        return 'smplx'
    raise TypeError(f'no IUV atlas recipe for {type(body_model).__name__}; '
                    'build one with build_iuv_atlas(rest_vertices, faces, '
                    'joint_weights (V,24) on SMPL joints, rest_joints)')


# SMPL-X kinematic joint (55) -> SMPL joint (24): body joints 0..21 are
# SMPL's; jaw and eyeballs -> head; finger joints -> left / right hand.
_SMPLX_TO_SMPL = np.array(list(range(22)) + [15, 15, 15] + [22] * 15 +
                          [23] * 15)
# SMPL-X joints standing for SMPL's hand joints: the middle-finger bases.
_SMPLX_HAND_JOINTS = (25 + 3, 40 + 3)


def joint_weights_for(body_model) -> torch.Tensor:
    """Skinning weights of an hmrzoo body model on SMPL's 24 joints.

    * Anny: each bone's weight goes to its joint (:func:`anny_bone_to_joint`).
    * SMPL: ``lbs_weights`` (V, 24) as they are.
    * SMPL-X: body joints as they are; jaw and eyeballs add to ``head``,
      each hand's 15 finger joints to ``left_hand`` / ``right_hand``.

    Returns:
        (V, 24) float32 tensor on the CPU; rows sum to 1 (as the model's).
    """
    kind = _kind(body_model)
    if kind == 'smpl':
        return body_model.smpl.lbs_weights.detach().float().cpu().clone()
    if kind == 'smplx':
        w = body_model.lbs_weights.detach().float().cpu()
        out = torch.zeros(w.shape[0], 24)
        out.index_add_(1, torch.from_numpy(_SMPLX_TO_SMPL), w)
        return out
    from ..body_models.anny_model import _cpu_anny
    model = _cpu_anny()
    bone_joint = torch.from_numpy(anny_bone_to_joint(model.bone_labels,
                                                     model.bone_parents))
    idx = model.vertex_bone_indices.long().cpu()
    wts = model.vertex_bone_weights.detach().float().cpu()
    out = torch.zeros(idx.shape[0], 24)
    out.scatter_add_(1, bone_joint[idx], wts)
    return out


@torch.no_grad()
def rest_geometry(body_model) -> Tuple[torch.Tensor, torch.Tensor,
                                       torch.Tensor]:
    """Rest (T-pose) geometry of a body model: identity rotations, zero
    betas, no translation.

    Returns:
        vertices (V, 3) float32, metres; joints (24, 3) float32, SMPL's 24
        kinematic joints (SMPL-X: its first 22 and the middle-finger bases
        for the hands); faces (F, 3) long.  All on the CPU.
    """
    kind = _kind(body_model)
    ref = next(iter(body_model.buffers()))
    n = body_model.num_joints
    eye = torch.eye(3, dtype=torch.float32, device=ref.device)
    out = body_model(global_orient=eye.expand(1, 1, 3, 3),
                     body_pose=eye.expand(1, n - 1, 3, 3).contiguous())
    verts = out['vertices'][0].float().cpu()
    if kind == 'anny':
        joints = out['joints'][0, :24].float().cpu()
    else:
        layer = body_model.smpl if kind == 'smpl' else body_model
        reg = layer.J_regressor.float().cpu()
        joints = reg @ verts
        if kind == 'smplx':
            joints = joints[list(range(22)) + list(_SMPLX_HAND_JOINTS)]
    return verts, joints, body_model.faces.long().cpu()



_CACHE: Dict[tuple, IUVAtlas] = {}
_LOCK = threading.Lock()


def _cache_key(body_model) -> tuple:
    faces = body_model.faces.detach().cpu().numpy().astype(np.int64)
    digest = hashlib.sha1(faces.tobytes()).hexdigest()
    return (type(body_model).__name__, int(body_model.num_vertices), digest)


def atlas_for(body_model) -> IUVAtlas:
    """The derived IUV atlas of an hmrzoo body model (Anny, SMPL, SMPL-X).

    Built once per process and body-model kind (class, vertex count and
    faces), kept in memory.  The atlas is on the CPU; ``atlas.to(device)``
    moves it.
    """
    key = _cache_key(body_model)
    with _LOCK:
        if key not in _CACHE:
            verts, joints, faces = rest_geometry(body_model)
            weights = joint_weights_for(body_model)
            _CACHE[key] = build_iuv_atlas(verts, faces, weights, joints,
                                          name=type(body_model).__name__)
        return _CACHE[key]


def clear_atlas_cache() -> None:
    """Forget the atlases :func:`atlas_for` built."""
    with _LOCK:
        _CACHE.clear()
