"""Bones, depth points along them and the relational vectors of the
self-supervised joints+depth method (``001_01caa0c91b604013.txt``, "Uncertainty
Modeling" and "Self-Consistency Loss", eq. 4, 6, 7).

Frames: 2D joints are in **normalised crop coordinates** (``[-1, 1]`` at the
crop's corners, x right, y down; pixel ``(i, j)`` of an ``S x S`` map has its
centre at ``u = (2 j + 1) / S - 1``, the convention of
:func:`hmrzoo.utils.heatmaps.normalised_to_heatmap`).  Depth maps are
(B, H, W) with 0 = no value (background or a hole).

The skeleton is named (see :data:`BODY_BONES`) and resolved in any keypoint
convention that has its joints or their near-equivalents (COCO's hips are
``left_hip_extra`` ...; :mod:`hmrzoo.conventions.approximate`), so a plugin
convention works unchanged.
The paper's reliability MLP has 12 outputs, "the joints excluding the head":
:data:`RELIABILITY_JOINTS` are those 12 (shoulders, elbows, wrists, hips,
knees, ankles); the bones connect them (limbs, torso sides, shoulder and hip
lines), so every depth point has its two end joints among them.
"""
from typing import Sequence, Tuple

import torch
from torch import Tensor

from ...conventions import get_keypoint_idxs

#: the 12 body joints whose reliability eq. 4 learns (the paper: "the
#: number of joints excluding joints on the head")
RELIABILITY_JOINTS: Tuple[str, ...] = (
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle')

#: bones between reliability joints, as (joint a, joint b); left / right
#: symmetric pairs come first, one pair after the other (the paper's B_i^l,
#: B_i^r), then the two lines across the body.
BODY_BONES: Tuple[Tuple[str, str], ...] = (
    ('left_shoulder', 'left_elbow'), ('right_shoulder', 'right_elbow'),
    ('left_elbow', 'left_wrist'), ('right_elbow', 'right_wrist'),
    ('left_hip', 'left_knee'), ('right_hip', 'right_knee'),
    ('left_knee', 'left_ankle'), ('right_knee', 'right_ankle'),
    ('left_shoulder', 'left_hip'), ('right_shoulder', 'right_hip'),
    ('left_shoulder', 'right_shoulder'), ('left_hip', 'right_hip'))


def bone_indices(convention: str,
                 bones: Sequence[Tuple[str, str]] = BODY_BONES,
                 joints: Sequence[str] = RELIABILITY_JOINTS
                 ) -> Tuple[Tensor, Tensor, Tensor]:
    """Index tensors of the skeleton in ``convention``.

    Returns:
        (ends (N_b, 2) keypoint indices of each bone's joints a, b;
        joint_idx (N_r,) keypoint index of each reliability joint;
        end_slot (N_b, 2) position of each bone end among ``joints``).

    Raises:
        KeyError: the convention lacks one of the joints (names it).
    """
    names = sorted({n for bone in bones for n in bone} | set(joints))
    idx = dict(zip(names, get_keypoint_idxs(names, convention,
                                            approximate=True)))
    slot = {n: i for i, n in enumerate(joints)}
    missing = [n for bone in bones for n in bone if n not in slot]
    if missing:
        raise ValueError(f'bone joints {sorted(set(missing))} are not among '
                         f'the reliability joints {list(joints)}')
    ends = torch.tensor([[idx[a], idx[b]] for a, b in bones])
    joint_idx = torch.tensor([idx[n] for n in joints])
    end_slot = torch.tensor([[slot[a], slot[b]] for a, b in bones])
    return ends, joint_idx, end_slot


def bone_fractions(points_per_bone: int, like: Tensor) -> Tensor:
    """(P,) evenly spaced positions ``t`` in [0, 1] along a bone, both end
    joints kept (``t = 0`` and ``t = 1``); ``points_per_bone`` >= 2."""
    if points_per_bone < 2:
        raise ValueError('points_per_bone must be >= 2 (the two joints are '
                         f'kept), got {points_per_bone}')
    return torch.linspace(0., 1., points_per_bone, dtype=like.dtype,
                          device=like.device)


def sample_bone_points(joints: Tensor, mask: Tensor, ends: Tensor,
                       points_per_bone: int) -> Tuple[Tensor, Tensor]:
    """Depth points evenly along each bone, end joints included (eq. 6).

    Args:
        joints (Tensor): (B, K, 2) 2D joints.
        mask (Tensor): (B, K) 1 where the joint exists.
        ends (Tensor): (N_b, 2) joint indices of each bone.
        points_per_bone (int): P points per bone.

    Returns:
        (points (B, N_b * P, 2), valid (B, N_b * P)): point ``b * P + p``
        lies at ``(1 - t_p) J_a + t_p J_b`` of bone ``b``; valid where both
        end joints exist.
    """
    t = bone_fractions(points_per_bone, joints)
    a, b = joints[:, ends[:, 0]], joints[:, ends[:, 1]]     # (B, N_b, 2)
    pts = a[:, :, None] + t[None, None, :, None] * (b - a)[:, :, None]
    valid = (mask[:, ends[:, 0]] * mask[:, ends[:, 1]]) > 0   # (B, N_b)
    valid = valid[:, :, None].expand(-1, -1, points_per_bone)
    return pts.flatten(1, 2), valid.flatten(1, 2)


def nearer_joint_slot(end_slot: Tensor, points_per_bone: int) -> Tensor:
    """(N_b * P,) for each depth point, the reliability slot of its bone's
    nearer end joint: joint a for ``t < 0.5``, joint b for ``t > 0.5``, a
    at ``t = 0.5`` exactly (odd ``P``)."""
    t = torch.linspace(0., 1., points_per_bone)
    use_b = (t > 0.5).long()                                  # (P,)
    return end_slot[:, use_b].reshape(-1)


def read_depth(depth: Tensor, points: Tensor) -> Tuple[Tensor, Tensor]:
    """Depth at normalised points, nearest pixel.

    Args:
        depth (Tensor): (B, H, W), 0 = no value.
        points (Tensor): (B, N, 2) normalised crop coordinates.

    Returns:
        (values (B, N), valid (B, N)): valid where the point falls inside
        the map on a pixel with a value.  Differentiable in ``depth`` (not
        in the positions: the joints' positions are the joint term's).
    """
    _, height, width = depth.shape
    x = torch.round((points[..., 0].detach() + 1) / 2 * width - 0.5).long()
    y = torch.round((points[..., 1].detach() + 1) / 2 * height - 0.5).long()
    inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
    flat = (y.clamp(0, height - 1) * width + x.clamp(0, width - 1))
    values = depth.flatten(1).gather(1, flat)
    return values * inside, inside & (values != 0)


def bone_relations(joints: Tensor, mask: Tensor, depth: Tensor,
                   ends: Tensor) -> Tensor:
    """Eq. 4's input ``v_Len ⊕ v_DD`` (B, 2 N_b).

    ``Len`` is the 2D length of each bone (normalised crop units); ``DD``
    its depth discrepancy, ``|D(J_a) - D(J_b)|`` read from ``depth`` at its
    two joints (the depth's unit).  A bone whose joint is missing or falls
    off the depth map gets 0 in both.
    """
    a, b = joints[:, ends[:, 0]], joints[:, ends[:, 1]]
    length = (a - b).norm(dim=-1)
    da, va = read_depth(depth, a)
    db, vb = read_depth(depth, b)
    ok = (mask[:, ends[:, 0]] > 0) & (mask[:, ends[:, 1]] > 0)
    length = length * ok
    disc = (da - db).abs() * (ok & va & vb)
    return torch.cat([length, disc], dim=1)
