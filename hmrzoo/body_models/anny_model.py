"""Anny, the open embedded default body model, behind SMPL's interface.

Anny (``pip install anny``: Apache-2.0 code, CC0 MakeHuman assets) has a
104-bone rig, 13,718 vertices and 6 phenotype parameters.  hmrzoo drives
a **24-joint kinematic subset** of its rig with SMPL's joint layout, so every
architecture, loss and metric written for SMPL works unchanged:

* **Pose.**  ``global_orient`` (B,1,3,3) and ``body_pose`` (B,23,3,3) are
  rotation matrices in SMPL's convention: each is the joint's rotation
  relative to its parent, expressed in world-aligned axes of the rest pose
  (Anny's ``'local-ref'`` parameterisation), in SMPL's frame (y up, the body
  facing +z, x towards the body's left).  Anny's own rest pose is an A-pose
  (arms about 45 degrees down); the wrapper straightens each arm to SMPL's
  **T-pose** with a fixed rest correction ``K`` per joint (the rotation that
  maps the Anny rest upper arm onto the +-x axis, applied to the shoulder and
  everything below it), so identity rotations give a T-pose, as with SMPL,
  and SMPL poses mean the same motion on both: the Anny delta of joint j is
  ``K_parent(j)^T R_j K_j``.  The SMPL joint -> Anny bone(s) map is
  :data:`SMPL_TO_ANNY_BONES`; a joint that maps to several bones gives each
  the same rotation; every other bone stays at rest.
* **Joints.**  The 24 joints are the posed heads of the first bone of each
  entry of the map (:data:`SMPL_TO_ANNY_JOINT_BONE` overrides it for the
  foot and hand, whose joint is the middle toe / middle finger base).  The
  pelvis joint is the root bone's head, at the origin when ``transl`` is 0
  (unlike SMPL, whose pelvis sits at J_0(beta)).
* **Keypoints.**  The native convention ``anny`` is the 24 joints (SMPL
  names) followed by the surface points of Anny's shipped COCO regressor
  that SMPL's joints do not already name: nose, eyes, ears, the COCO hips
  (``*_hip_extra``), big/small toes and heels.
* **Shape.**  ``betas`` (B,6) map to Anny's phenotypes (gender, age,
  muscle, weight, height, proportions) through ``phenotype =
  sigmoid(beta)``: 0 is the average body (0.5), the map is smooth and
  invertible, so a regressor can output unbounded values.

Building Anny the first time on a machine takes about 2 minutes (it
writes a cache under ``~/.cache/anny``, or ``$ANNY_CACHE_DIR``); later
builds take about a second.  One instance per (device, dtype) is shared by
every wrapper in a process and is kept **outside** the module tree, so it
is neither saved in checkpoints nor broadcast by DDP.
"""
import copy
import functools
from typing import Dict, List

import torch

from ..utils.rotations import axis_angle_to_rotmat
from ..registry import BODY_MODELS
from .base import BaseBodyModel
from ..conventions import KEYPOINT_CONVENTIONS, register_convention
from ..conventions.smpl import SMPL_24, SMPL_PARENTS
from .skeleton import Skinning

#: SMPL joint -> Anny bones it rotates (order of SMPL's 24 joints).
SMPL_TO_ANNY_BONES = {
    'pelvis': ['root'],
    'left_hip': ['upperleg01.L'], 'right_hip': ['upperleg01.R'],
    'spine1': ['spine04'],
    'left_knee': ['lowerleg01.L'], 'right_knee': ['lowerleg01.R'],
    'spine2': ['spine02'],
    'left_ankle': ['foot.L'], 'right_ankle': ['foot.R'],
    'spine3': ['spine01'],
    'left_foot': [f'toe{i}-1.L' for i in range(1, 6)],
    'right_foot': [f'toe{i}-1.R' for i in range(1, 6)],
    'neck': ['neck01'],
    'left_collar': ['clavicle.L'], 'right_collar': ['clavicle.R'],
    'head': ['head'],
    'left_shoulder': ['upperarm01.L'], 'right_shoulder': ['upperarm01.R'],
    'left_elbow': ['lowerarm01.L'], 'right_elbow': ['lowerarm01.R'],
    'left_wrist': ['wrist.L'], 'right_wrist': ['wrist.R'],
    'left_hand': [f'finger{i}-1.L' for i in range(2, 6)],
    'right_hand': [f'finger{i}-1.R' for i in range(2, 6)],
}
#: Bone whose posed head is the joint location, where not the first above.
SMPL_TO_ANNY_JOINT_BONE = {
    'left_foot': 'toe3-1.L', 'right_foot': 'toe3-1.R',
    'left_hand': 'finger3-1.L', 'right_hand': 'finger3-1.R',
}
#: Anny's COCO-regressor labels kept as keypoints -> hmrzoo names.
ANNY_SURFACE_POINTS = {
    'nose': 'nose', 'left_eye': 'left_eye', 'right_eye': 'right_eye',
    'left_ear': 'left_ear', 'right_ear': 'right_ear',
    'left_hip': 'left_hip_extra', 'right_hip': 'right_hip_extra',
    'left_big_toe': 'left_bigtoe', 'right_big_toe': 'right_bigtoe',
    'left_small_toe': 'left_smalltoe', 'right_small_toe': 'right_smalltoe',
    'left_heel': 'left_heel', 'right_heel': 'right_heel',
}
ANNY_KEYPOINTS: List[str] = SMPL_24 + list(ANNY_SURFACE_POINTS.values())
if 'anny' not in KEYPOINT_CONVENTIONS:
    register_convention('anny', ANNY_KEYPOINTS)

#: Anny world (z up, facing -y) -> SMPL world (y up, facing +z).
ANNY_TO_SMPL = torch.tensor([[1., 0., 0.], [0., 0., 1.], [0., -1., 0.]])


@functools.lru_cache(maxsize=None)
def _cpu_anny(facial_actions: bool = False):
    """Build (or load from Anny's cache) the float32 CPU model, once; with
    ``facial_actions`` its 52 facial-action blend shapes are loaded too
    (same rig, vertices and body; the whole-body variant)."""
    import anny  # imported lazily: building it warms up warp
    model = anny.Anny(pose_parameterization='local-ref',
                      facial_actions='all' if facial_actions else 'none')
    return model.to(torch.float32).eval().requires_grad_(False)


@functools.lru_cache(maxsize=None)
def shared_anny(device: str = 'cpu', dtype: torch.dtype = torch.float32,
                facial_actions: bool = False):
    """The process-wide Anny instance for a device and dtype."""
    base = _cpu_anny(facial_actions)
    if torch.device(device) == torch.device('cpu') and dtype == torch.float32:
        return base
    return copy.deepcopy(base).to(device=device, dtype=dtype)


@functools.lru_cache(maxsize=None)
def _coco_regressor():
    import anny
    model = _cpu_anny()
    labels = list(ANNY_SURFACE_POINTS)
    reg = anny.KeypointsRegressor.coco(model, labels=labels)
    return reg.regression_weights.to(torch.float32)  # (13, V)


def _align(d: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Smallest rotation (3,3) taking direction ``d`` onto unit ``target``."""
    d = d / d.norm()
    axis = torch.linalg.cross(d, target)
    angle = torch.atan2(axis.norm(), (d * target).sum())
    return axis_angle_to_rotmat(axis / axis.norm().clamp(min=1e-12) * angle)


@BODY_MODELS.register_module()
class Anny(BaseBodyModel):
    """Anny with SMPL's interface (see the module docstring).

    Args:
        keypoint_convention (str): convention of ``keypoints``; default
            ``'anny'``.
        approximate (bool): allow near-equivalent name substitutions.
        phenotype_scale (float): phenotype = sigmoid(beta / scale).
    """

    native_convention = 'anny'
    num_joints = 24
    num_betas = 6
    phenotype_labels = ('gender', 'age', 'muscle', 'weight', 'height',
                        'proportions')

    def __init__(self, keypoint_convention=None, approximate=False,
                 phenotype_scale: float = 1.0):
        super().__init__(keypoint_convention, approximate)
        self.phenotype_scale = phenotype_scale
        model = _cpu_anny()
        labels = list(model.bone_labels)
        missing = [b for bones in SMPL_TO_ANNY_BONES.values() for b in bones
                   if b not in labels]
        if missing:
            raise RuntimeError(f'Anny rig lacks bones {missing}; the installed '
                               'anny is not the tested 0.6.x.')
        drive, which = [], []
        for j, name in enumerate(SMPL_24):
            for bone in SMPL_TO_ANNY_BONES[name]:
                drive.append(labels.index(bone))
                which.append(j)
        joint_bones = [labels.index(SMPL_TO_ANNY_JOINT_BONE.get(
            n, SMPL_TO_ANNY_BONES[n][0])) for n in SMPL_24]
        self.num_bones = len(labels)
        self.register_buffer('_drive_bones', torch.tensor(drive),
                             persistent=False)
        self.register_buffer('_drive_joints', torch.tensor(which),
                             persistent=False)
        self.register_buffer('_joint_bones', torch.tensor(joint_bones),
                             persistent=False)
        self.register_buffer('_surface_regressor', _coco_regressor(),
                             persistent=False)
        self.register_buffer('_a2s', ANNY_TO_SMPL.clone(), persistent=False)
        self.register_buffer('faces', model.get_triangular_faces().long(),
                             persistent=False)
        self.register_buffer('parents', torch.tensor(SMPL_PARENTS),
                             persistent=False)
        self._num_vertices = model.template_vertices.shape[0]
        # per-corner texture coordinates (F, 3, 2) of the shipped UV layout
        # (Anny's triangle list is its face list here, checked)
        corner_uv = None
        if torch.equal(self.faces, model.faces.long()):
            corner_uv = model.texture_coordinates.float()[
                model.face_texture_coordinate_indices.long()]
        self.register_buffer('corner_texture_uv', corner_uv,
                             persistent=False)
        self.register_buffer('_rest_correction',
                             self._t_pose_correction(model, labels),
                             persistent=False)
        # each joint's parent's correction (identity for the root)
        K_parent = self._rest_correction[self.parents.clamp(min=0)].clone()
        K_parent[0] = torch.eye(3)
        self.register_buffer('_rest_correction_parent', K_parent,
                             persistent=False)

    @staticmethod
    def _t_pose_correction(model, labels) -> torch.Tensor:
        """(24,3,3) rotations K_j mapping Anny's rest segments to a T-pose."""
        eye = torch.eye(4, dtype=model.dtype).repeat(1, len(labels), 1, 1)
        with torch.no_grad():
            heads = model(eye)['bone_poses'][0, :, :3, 3].float() @ \
                ANNY_TO_SMPL.T
        K = torch.eye(3).repeat(24, 1, 1)
        # upper arm, then forearm: each rotated (after the corrections above
        # it) onto the +-x axis; the wrist and hand follow the forearm.
        segments = (('shoulder', 'upperarm01', 'lowerarm01'),
                    ('elbow', 'lowerarm01', 'wrist'))
        for side, sign in (('L', 1.0), ('R', -1.0)):
            prefix = 'left' if side == 'L' else 'right'
            target = torch.tensor([sign, 0.0, 0.0])
            acc = torch.eye(3)
            for joint, start, end in segments:
                d = acc @ (heads[labels.index(f'{end}.{side}')]
                           - heads[labels.index(f'{start}.{side}')])
                acc = _align(d, target) @ acc
                K[SMPL_24.index(f'{prefix}_{joint}')] = acc
            for joint in ('wrist', 'hand'):
                K[SMPL_24.index(f'{prefix}_{joint}')] = acc
        return K

    @property
    def num_vertices(self) -> int:
        return self._num_vertices

    def skinning(self) -> Skinning:
        """Anny's bone weights on its whole rig; the bones of
        :data:`SMPL_TO_ANNY_BONES` start SMPL's parts, every other bone
        belongs to its nearest listed ancestor's part."""
        model = _cpu_anny()
        idx = model.vertex_bone_indices.long().cpu()
        weights = torch.zeros(idx.shape[0], self.num_bones)
        weights.scatter_add_(1, idx, model.vertex_bone_weights.detach()
                             .float().cpu())
        parts = {bone: joint for joint, bones in SMPL_TO_ANNY_BONES.items()
                 for bone in bones}
        return Skinning(weights, list(model.bone_labels),
                        [int(p) for p in model.bone_parents], parts)

    def betas_to_phenotypes(self, betas: torch.Tensor) -> torch.Tensor:
        """(B,6) betas -> (B,6) phenotypes in (0,1)."""
        return torch.sigmoid(betas / self.phenotype_scale)

    def phenotypes_to_betas(self, phenotypes: torch.Tensor) -> torch.Tensor:
        """Inverse of :meth:`betas_to_phenotypes` (phenotypes in (0,1))."""
        p = phenotypes.clamp(1e-6, 1 - 1e-6)
        return torch.log(p / (1 - p)) * self.phenotype_scale

    def bone_deltas(self, rots: torch.Tensor, K: torch.Tensor,
                    K_parent: torch.Tensor, drive_joints: torch.Tensor,
                    transl=None) -> torch.Tensor:
        """Anny's ``'local-ref'`` bone deltas (B, bones, 4, 4) from SMPL-frame
        joint rotations.

        Args:
            rots (Tensor): (B, N, 3, 3) joint rotations, SMPL frame, root
                first.
            K, K_parent (Tensor): (N, 3, 3) rest corrections of each joint
                and of its parent (identity for the root); the Anny delta
                of joint j is ``K_parent(j)^T R_j K_j``.
            drive_joints (Tensor): (len(_drive_bones),) the joint driving
                each bone of ``self._drive_bones``.
            transl (Tensor, optional): (B, 3) metres, SMPL frame.
        """
        batch, dtype = rots.shape[0], rots.dtype
        rots = K_parent.to(dtype).transpose(-1, -2) @ rots @ K.to(dtype)
        a2s = self._a2s.to(dtype)
        rots = a2s.T @ rots @ a2s  # SMPL-frame R -> Anny frame C^T R C
        delta = torch.eye(4, dtype=dtype, device=rots.device).repeat(
            batch, self.num_bones, 1, 1)
        delta[:, self._drive_bones, :3, :3] = rots[:, drive_joints]
        if transl is not None:
            delta[:, 0, :3, 3] = transl.to(dtype) @ a2s  # C^T t
        return delta

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        **kwargs) -> Dict[str, torch.Tensor]:
        dtype = body_pose.dtype
        model = shared_anny(str(body_pose.device), dtype)
        rots = torch.cat([global_orient, body_pose], dim=1)  # (B,24,3,3)
        delta = self.bone_deltas(rots, self._rest_correction,
                                 self._rest_correction_parent,
                                 self._drive_joints,
                                 transl)
        out = model(delta, phenotype_kwargs=self.betas_to_phenotypes(betas))
        a2s = self._a2s.to(dtype)
        verts = out['vertices'] @ a2s.T
        joints = out['bone_poses'][:, self._joint_bones, :3, 3] @ a2s.T
        surface = torch.einsum('kv,bvc->bkc', self._surface_regressor.to(dtype),
                               verts)
        return dict(vertices=verts, joints=torch.cat([joints, surface], 1))
