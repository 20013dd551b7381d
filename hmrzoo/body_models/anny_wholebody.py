"""Anny's whole-body variant: body, fingers and facial expression, on the
embedded default (no licensed file).

It follows SMPL-X's whole-body interface (:class:`.smplx_model.SMPLX`)::

    out = model(global_orient=R0,          # (B, 1, 3, 3)
                body_pose=R,               # (B, 21, 3, 3): SMPL's joints 1..21
                betas=beta,                # (B, 6) phenotype logits
                transl=t,                  # (B, 3), optional
                left_hand_pose=Rl,         # (B, 15, 3, 3), default identity
                right_hand_pose=Rr,        # (B, 15, 3, 3), default identity
                expression=psi)            # (B, 52), default zeros

**Body.**  The first 22 joints of :class:`.anny_model.Anny` (same bones,
same T-pose rest correction, SMPL's frame); SMPL's two hand joints are not
posed: the fingers are.

**Hands.**  Anny's rig has three bones per finger (``finger1`` = thumb,
``finger2`` = index ... ``finger5`` = pinky; ``-1`` .. ``-3`` from the
palm).  A hand pose is 15 rotations in SMPL-X's order (index, middle,
pinky, ring, thumb; joints 1..3 each), :data:`HAND_POSE_BONES`; joint k of
a finger rotates bone ``finger<n>-<k>`` about its head, relative to its
parent, in the axes of the T-posed forearm (the wrist's rest correction),
so identity is Anny's rest hand (straight, slightly spread fingers).

**Expression.**  The 52 facial-action blend shapes Anny ships (ARKit-style
names, :data:`anny.models.facial_actions.FACIAL_ACTION_LABELS`, e.g.
``jawOpen``, ``mouthSmileLeft``, ``browInnerUp``); ``expression[:, i]`` is
the weight of action i (0 = neutral, 1 = the full action; values outside
[0, 1] extrapolate).  The jaw is one of them (``jawOpen``, ``jawLeft`` ...),
so this model has no separate ``jaw_pose`` (``has_jaw_pose = False``).

**Keypoints** (native convention ``anny_wholebody``): Anny's 37 body points
(:data:`.anny_model.ANNY_KEYPOINTS`), then for each hand the 21 points of
:func:`hmrzoo.conventions.hand.hand_21` (root = the wrist bone's head, joint
k of a finger = the head of ``finger<n>-<k>``, tip = the surface vertex of
the last phalanx farthest along it), then the sparse face landmarks of
:data:`FACE_LANDMARK_RULES`: ten iBUG points found on Anny's mesh by a
stated rule each (no iBUG annotation of Anny exists); every other face
point is absent and masked in ``coco_wholebody`` / ``openpose_137``.
"""
import functools
from typing import Dict, List

import torch

from ..conventions import KEYPOINT_CONVENTIONS, register_convention
from ..conventions.hand import hand_21
from ..conventions.smpl import SMPL_24
from ..registry import BODY_MODELS
from .anny_model import (ANNY_KEYPOINTS, ANNY_TO_SMPL, SMPL_TO_ANNY_BONES,
                         Anny, _cpu_anny, shared_anny)

#: SMPL-X hand-pose order -> Anny finger number (1 = thumb ... 5 = pinky)
_FINGER_BONE = dict(index=2, middle=3, pinky=5, ring=4, thumb=1)
#: the 15 bones of one hand's pose, SMPL-X order, ``{side}`` = L or R
HAND_POSE_BONES = [f'finger{_FINGER_BONE[f]}-{k}.{{side}}'
                   for f in ('index', 'middle', 'pinky', 'ring', 'thumb')
                   for k in (1, 2, 3)]

#: iBUG face landmark -> how it is found on Anny's neutral mesh.  "Most
#: displaced by A" is the vertex an action A moves farthest; "midline" keeps
#: vertices with |x| < 1 mm; the right-side points are the same rules on the
#: right-side actions.
FACE_LANDMARK_RULES = {
    'face_lip_left_corner': ('most', 'mouthStretchLeft', 'left'),
    'face_lip_right_corner': ('most', 'mouthStretchRight', 'right'),
    'face_lip_upper_mid': ('most', 'mouthRollUpper', 'midline'),
    'face_lip_lower_mid': ('most', 'mouthRollLower', 'midline'),
    'face_brow_left_1': ('most', 'browOuterUpLeft', 'left'),
    'face_brow_right_1': ('most', 'browOuterUpRight', 'right'),
    'face_brow_left_5': ('most', 'browInnerUp', 'left'),
    'face_brow_right_5': ('most', 'browInnerUp', 'right'),
    # the lowest midline vertex jawOpen moves by at least 60 % of its most
    'face_chin': ('lowest_moved', 'jawOpen', 'midline'),
    # the most forward midline vertex between the chin and the brows
    'face_nose_bridge_4': ('front', None, 'midline'),
}
FACE_LANDMARKS = list(FACE_LANDMARK_RULES)
ANNY_WHOLEBODY_KEYPOINTS: List[str] = (
    ANNY_KEYPOINTS + hand_21('left') + hand_21('right') + FACE_LANDMARKS)
if 'anny_wholebody' not in KEYPOINT_CONVENTIONS:
    register_convention('anny_wholebody', ANNY_WHOLEBODY_KEYPOINTS)


def _side_mask(x: torch.Tensor, side: str) -> torch.Tensor:
    """Vertices of a side (SMPL frame: +x is the body's left)."""
    if side == 'midline':
        return x.abs() < 1e-3
    return x > 1e-3 if side == 'left' else x < -1e-3


@functools.lru_cache(maxsize=None)
def landmark_vertices() -> Dict[str, int]:
    """Vertex index of each face landmark and finger tip on Anny's mesh
    (rules: :data:`FACE_LANDMARK_RULES`, module docstring)."""
    model = _cpu_anny(True)
    labels = list(model.bone_labels)
    actions = list(model.facial_action_labels)
    rest = torch.eye(4).repeat(1, len(labels), 1, 1)
    with torch.no_grad():
        neutral = model(rest, facial_actions=torch.zeros(1, len(actions)))
        verts = neutral['vertices'][0] @ ANNY_TO_SMPL.T
        heads = neutral['bone_poses'][0, :, :3, 3] @ ANNY_TO_SMPL.T

        def moved(action):
            weights = torch.zeros(1, len(actions))
            weights[0, actions.index(action)] = 1.
            out = model(rest, facial_actions=weights)['vertices'][0]
            return (out @ ANNY_TO_SMPL.T - verts).norm(dim=-1)

        out = {}
        front = verts[:, 2]
        for name, (rule, action, side) in FACE_LANDMARK_RULES.items():
            keep = _side_mask(verts[:, 0], side)
            if rule == 'most':
                out[name] = int((moved(action) * keep).argmax())
            elif rule == 'lowest_moved':
                d = moved(action)
                ok = keep & (d >= 0.6 * d[keep].max())
                out[name] = int(torch.where(ok, verts[:, 1],
                                            torch.inf).argmin())
        chin = verts[out['face_chin'], 1]
        brow = verts[out['face_brow_left_5'], 1]
        band = _side_mask(verts[:, 0], 'midline') & (verts[:, 1] > chin) & \
            (verts[:, 1] < brow)
        out['face_nose_bridge_4'] = int(torch.where(band, front,
                                                    -torch.inf).argmax())
        # finger tips: of the vertices bound mostly to the last phalanx, the
        # one farthest along it
        owner = model.vertex_bone_indices.long()[
            torch.arange(verts.shape[0]),
            model.vertex_bone_weights.argmax(dim=1)]
        for side, s in (('left', 'L'), ('right', 'R')):
            for finger, n in _FINGER_BONE.items():
                last = labels.index(f'finger{n}-3.{s}')
                axis = heads[last] - heads[labels.index(f'finger{n}-2.{s}')]
                along = (verts - heads[last]) @ (axis / axis.norm())
                out[f'{side}_{finger}_tip'] = int(torch.where(
                    owner == last, along, -torch.inf).argmax())
    return out


@BODY_MODELS.register_module()
class AnnyWholeBody(Anny):
    """Anny with hands and facial expression (see the module docstring).

    Args:
        keypoint_convention (str): convention of ``keypoints``; default
            ``'anny_wholebody'``.
        approximate (bool), phenotype_scale (float): as :class:`Anny`.
    """

    native_convention = 'anny_wholebody'
    num_joints = 22
    num_hand_joints = 15
    num_expression_coeffs = 52
    has_jaw_pose = False

    def __init__(self, keypoint_convention=None, approximate=False,
                 phenotype_scale: float = 1.0):
        super().__init__(keypoint_convention, approximate, phenotype_scale)
        model = _cpu_anny(True)
        labels = list(model.bone_labels)
        body = [labels.index(b) for n in SMPL_24[:22]
                for b in SMPL_TO_ANNY_BONES[n]]
        body_joint = [j for j, n in enumerate(SMPL_24[:22])
                      for _ in SMPL_TO_ANNY_BONES[n]]
        hands = [labels.index(b.format(side=s)) for s in 'LR'
                 for b in HAND_POSE_BONES]
        self.register_buffer('_drive_bones', torch.tensor(body + hands),
                             persistent=False)
        self.register_buffer('_wb_drive_joints', torch.tensor(
            body_joint + list(range(22, 52))), persistent=False)
        # rest corrections of the 52 posed joints and of their parents
        K24 = self._rest_correction
        wrists = [K24[SMPL_24.index(f'{s}_wrist')] for s in ('left', 'right')]
        K = torch.cat([K24[:22]] + [w.expand(15, 3, 3) for w in wrists])
        K_parent = torch.cat([self._rest_correction_parent[:22]] +
                             [w.expand(15, 3, 3) for w in wrists])
        self.register_buffer('_wb_K', K.clone(), persistent=False)
        self.register_buffer('_wb_K_parent', K_parent.clone(),
                             persistent=False)
        self.register_buffer('parents', self.parents[:22].clone(),
                             persistent=False)
        # hand points: bone heads (root = wrist, finger joints) and tips
        head_bones, tip_vertices = [], []
        marks = landmark_vertices()
        for side, s in (('left', 'L'), ('right', 'R')):
            for name in hand_21(side):
                if name.endswith('_tip'):
                    tip_vertices.append(marks[name])
                    continue
                if name.endswith('_hand_root'):
                    head_bones.append(labels.index(f'wrist.{s}'))
                    continue
                finger, k = name[len(side) + 1:-1], name[-1]
                head_bones.append(labels.index(
                    f'finger{_FINGER_BONE[finger]}-{k}.{s}'))
        self.register_buffer('_hand_bones', torch.tensor(head_bones),
                             persistent=False)
        self.register_buffer('_point_vertices', torch.tensor(
            tip_vertices + [marks[n] for n in FACE_LANDMARKS]),
            persistent=False)
        # where each hand point lands in the 21-point blocks
        order, b, t = [], 0, 0
        for side in ('left', 'right'):
            for name in hand_21(side):
                if name.endswith('_tip'):
                    order.append(len(head_bones) + t)
                    t += 1
                else:
                    order.append(b)
                    b += 1
        self.register_buffer('_hand_order', torch.tensor(order),
                             persistent=False)

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        left_hand_pose=None, right_hand_pose=None,
                        expression=None, **kwargs) -> Dict[str, torch.Tensor]:
        if kwargs:
            raise TypeError(
                f'AnnyWholeBody got unexpected inputs {sorted(kwargs)} (it '
                'has no jaw / eye joints: the jaw is the expression '
                "coefficients 'jawOpen', 'jawLeft', ...)")
        batch, dtype = body_pose.shape[0], body_pose.dtype
        eye = torch.eye(3, dtype=dtype, device=body_pose.device)
        hands = []
        for name, value in (('left_hand_pose', left_hand_pose),
                            ('right_hand_pose', right_hand_pose)):
            if value is None:
                value = eye.expand(batch, 15, 3, 3)
            elif value.shape[-2:] != (3, 3) or value.numel() != batch * 135:
                raise ValueError(f'AnnyWholeBody: {name} must be ({batch}, '
                                 f'15, 3, 3) rotation matrices, got '
                                 f'{tuple(value.shape)}')
            hands.append(value.reshape(batch, 15, 3, 3).to(dtype))
        if expression is None:
            expression = body_pose.new_zeros(batch, 52)
        elif expression.shape != (batch, 52):
            raise ValueError('AnnyWholeBody: expression must be (B, 52) '
                             'facial-action weights, got '
                             f'{tuple(expression.shape)}')
        rots = torch.cat([global_orient, body_pose] + hands, dim=1)
        delta = self.bone_deltas(rots, self._wb_K, self._wb_K_parent,
                                 self._wb_drive_joints, transl)
        model = shared_anny(str(body_pose.device), dtype, True)
        out = model(delta, phenotype_kwargs=self.betas_to_phenotypes(betas),
                    facial_actions=expression.to(dtype))
        a2s = self._a2s.to(dtype)
        verts = out['vertices'] @ a2s.T
        bones = out['bone_poses'][..., :3, 3] @ a2s.T
        surface = torch.einsum('kv,bvc->bkc', self._surface_regressor.to(dtype),
                               verts)
        points = verts[:, self._point_vertices]
        hand_pts = torch.cat([bones[:, self._hand_bones], points[:, :10]],
                             1)[:, self._hand_order]
        joints = torch.cat([bones[:, self._joint_bones], surface, hand_pts,
                            points[:, 10:]], 1)
        return dict(vertices=verts, joints=joints, left_hand_pose=hands[0],
                    right_hand_pose=hands[1], expression=expression)
