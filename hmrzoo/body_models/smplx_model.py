"""SMPL-X (Pavlakos et al. 2019) on rotation matrices, from ``.npz`` or
chumpy-free ``.pkl`` files.

``smplx.SMPLX`` only reads its model from a path (and a ``.pkl`` only with
chumpy), so this layer holds the arrays read by
:func:`.model_files.load_model_arrays` itself and runs ``smplx``'s own
functions (``lbs``, ``vertices2landmarks``,
``find_dynamic_lmk_idx_and_bcoords``, ``VertexJointSelector``) exactly as
``smplx.SMPLXLayer`` does; its output equals ``smplx.SMPLX`` with
``use_pca=False, flat_hand_mean=True`` on the same file.

Joint counts:

* ``num_joints = 22``: the *body* joints (root included) the common body
  model interface poses, so ``body_pose`` is (B, 21, 3, 3) as for SMPL's
  first 21 body joints;
* the kinematic tree has 55 joints (``num_kinematic_joints``, ``parents``):
  22 body, jaw, left / right eyeball, 15 left-hand and 15 right-hand finger
  joints, posed through the optional inputs ``jaw_pose``, ``leye_pose``,
  ``reye_pose``, ``left_hand_pose``, ``right_hand_pose``;
* native keypoints: ``smplx`` (127 = 55 + 21 vertex joints + 51 face
  landmarks) or ``smplx_144`` with ``use_face_contour=True`` (+17 contour
  landmarks chosen from the head's rotation).

Model data (and the optional UV layout ``corner_texture_uv`` read from
``smplx_uv.obj``, see :mod:`.uv_layout`) are buffers left out of state
dicts: checkpoints never carry licensed data.
"""
from typing import Dict, Optional

import numpy as np
import torch

from ..registry import BODY_MODELS
from .base import BaseBodyModel, RestGeometry
from ..conventions.smpl import SMPL_24
from ..conventions.smplx import SMPLX_55
from .skeleton import Skinning
from .model_files import (DEFAULT_BODY_MODELS_ROOT, find_model_file,
                          load_model_arrays)
from .smpl import check_model_arrays, make_buffers_non_persistent
from .uv_layout import load_corner_texture_uv

_SMPLX_KEYS = ('v_template', 'shapedirs', 'posedirs', 'J_regressor',
               'weights', 'kintree_table', 'f', 'lmk_faces_idx',
               'lmk_bary_coords')
_SHAPE_SPACE_DIM, _EXPRESSION_SPACE_DIM = 300, 100
_NECK_IDX = 12
_NUM_HAND_JOINTS = 15


def _dense(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float32)


@BODY_MODELS.register_module()
class SMPLX(BaseBodyModel):
    """SMPL-X body model: 10475 vertices, 55 kinematic joints.

    Call::

        out = smplx_model(
            global_orient=R0,            # (B, 1, 3, 3) or (B, 3, 3)
            body_pose=R,                 # (B, 21, 3, 3)
            betas=beta,                  # (B, num_betas), default zeros
            transl=t,                    # (B, 3), optional
            left_hand_pose=Rl,           # (B, 15, 3, 3), default identity
            right_hand_pose=Rr,          # (B, 15, 3, 3), default identity
            jaw_pose=Rj,                 # (B, 1, 3, 3), default identity
            leye_pose=Rle, reye_pose=Rre,  # (B, 1, 3, 3), default identity
            expression=psi)              # (B, num_expression_coeffs),
                                         #   default zeros

    Hand rotations are absolute joint rotations (no PCA, and the file's
    mean hand pose is not added: smplx's ``flat_hand_mean=True``).  Besides
    the common outputs (:mod:`.base`) the dict holds the face / hand inputs
    as used (``left_hand_pose``, ``right_hand_pose``, ``jaw_pose``,
    ``leye_pose``, ``reye_pose``, ``expression``).

    Args:
        model_path (str): body-models root (``smplx/SMPLX_{GENDER}.npz`` or
            ``.pkl``; the default is searched under ``$HMRZOO_BODY_MODELS``
            first), a folder holding ``SMPLX_{GENDER}.*``, or a model file.
        gender (str): ``'neutral'``, ``'male'`` or ``'female'``.
        num_betas (int): shape coefficients (at most 10 for files with
            fewer than 400 shape directions, else at most 300).
        num_expression_coeffs (int): expression coefficients (at most 10,
            resp. 100).
        use_face_contour (bool): add the 17 dynamic contour landmarks
            (native convention ``smplx_144`` instead of ``smplx``).
        use_pca (bool): must be False: hands are posed by rotation matrices.
        keypoint_convention, approximate: see :class:`.base.BaseBodyModel`.
        uv_file (str, optional): the UV layout (``smplx_uv.obj`` or a
            folder holding it); ``None`` looks for it beside the model
            files and goes on without one (:func:`.uv_layout.find_uv_layout`).

    Attributes:
        faces (LongTensor): (F, 3) vertex indices (20908 faces).
        corner_texture_uv (Tensor | None): (F, 3, 2) from the UV layout
            (see :class:`.base.BaseBodyModel`), ``None`` without one.
        uv_file (str | None): the UV layout read.

    Raises:
        BodyModelFileNotFoundError: the model file is missing, or
            ``uv_file`` was given and is missing.
        ValueError: an invalid model file or a UV layout that is not one of
            this model.
    """

    num_joints = 22
    num_kinematic_joints = 55
    num_hand_joints = 15
    has_jaw_pose = True

    def __init__(self,
                 model_path: Optional[str] = DEFAULT_BODY_MODELS_ROOT,
                 gender: str = 'neutral',
                 num_betas: int = 10,
                 num_expression_coeffs: int = 10,
                 use_face_contour: bool = False,
                 use_pca: bool = False,
                 keypoint_convention: Optional[str] = None,
                 approximate: bool = False,
                 uv_file: Optional[str] = None):
        super().__init__(keypoint_convention=keypoint_convention,
                         approximate=approximate)
        from smplx.utils import find_joint_kin_chain
        from smplx.vertex_ids import vertex_ids
        from smplx.vertex_joint_selector import VertexJointSelector

        if use_pca:
            raise ValueError('hmrzoo.SMPLX poses hands with rotation '
                             'matrices; use_pca=True is not supported')
        self.gender = gender.lower()
        self.model_file = find_model_file('smplx', model_path, self.gender)
        arrays = load_model_arrays(self.model_file)
        check_model_arrays(arrays, _SMPLX_KEYS, self.model_file)
        if use_face_contour:
            check_model_arrays(arrays, ('dynamic_lmk_faces_idx',
                                        'dynamic_lmk_bary_coords'),
                               self.model_file)

        # shape and expression spaces, split as smplx does
        shapedirs = _dense(arrays['shapedirs'])
        if shapedirs.ndim == 2:
            shapedirs = shapedirs[:, :, None]
        if shapedirs.shape[-1] < _SHAPE_SPACE_DIM + _EXPRESSION_SPACE_DIM:
            num_betas = min(num_betas, 10)
            num_expression_coeffs = min(num_expression_coeffs, 10)
            expr_start = 10
        else:
            num_betas = min(num_betas, _SHAPE_SPACE_DIM)
            num_expression_coeffs = min(num_expression_coeffs,
                                        _EXPRESSION_SPACE_DIM)
            expr_start = _SHAPE_SPACE_DIM
        self.num_betas = num_betas
        self.num_expression_coeffs = num_expression_coeffs
        self.use_face_contour = use_face_contour
        self.native_convention = 'smplx_144' if use_face_contour else 'smplx'

        def buf(name, value, dtype=torch.float32):
            self.register_buffer(name, torch.as_tensor(value, dtype=dtype),
                                 persistent=False)

        v_template = _dense(arrays['v_template'])
        num_pose_basis = np.asarray(arrays['posedirs']).shape[-1]
        buf('v_template', v_template)
        buf('shapedirs', shapedirs[:, :, :num_betas])
        buf('expr_dirs',
            shapedirs[:, :, expr_start:expr_start + num_expression_coeffs])
        buf('posedirs',
            _dense(arrays['posedirs']).reshape(-1, num_pose_basis).T.copy())
        buf('J_regressor', _dense(arrays['J_regressor']))
        buf('lbs_weights', _dense(arrays['weights']))
        parents = np.asarray(arrays['kintree_table'])[0].astype(np.int64)
        parents[0] = -1
        buf('parents', parents, torch.long)
        buf('faces', np.asarray(arrays['f'], dtype=np.int64), torch.long)
        buf('lmk_faces_idx', np.asarray(arrays['lmk_faces_idx'], np.int64),
            torch.long)
        buf('lmk_bary_coords', _dense(arrays['lmk_bary_coords']))
        if use_face_contour:
            buf('dynamic_lmk_faces_idx',
                np.asarray(arrays['dynamic_lmk_faces_idx'], np.int64),
                torch.long)
            buf('dynamic_lmk_bary_coords',
                _dense(arrays['dynamic_lmk_bary_coords']))
            buf('neck_kin_chain',
                find_joint_kin_chain(_NECK_IDX, parents.tolist()),
                torch.long)
        if len(parents) != self.num_kinematic_joints:
            raise ValueError(f'{self.model_file}: not a SMPL-X model '
                             f'({len(parents)} joints)')
        self.vertex_joint_selector = VertexJointSelector(
            vertex_ids=vertex_ids['smplx'])
        make_buffers_non_persistent(self.vertex_joint_selector)
        self.uv_file, corner_uv = load_corner_texture_uv(
            'smplx_uv', self.model_file, self.faces, self.num_vertices,
            'SMPL-X', model_path, uv_file)
        self.register_buffer('corner_texture_uv', corner_uv,
                             persistent=False)

    @property
    def num_vertices(self) -> int:
        return int(self.v_template.shape[0])

    def skinning(self) -> Skinning:
        """``lbs_weights`` (V, 55) on the 55 kinematic joints; the 22 body
        joints start SMPL's parts, each finger's first joint starts its
        hand's (jaw and eyeballs fall to the head, their parent)."""
        fingers = {f'{side}_{finger}1': f'{side}_hand'
                   for side in ('left', 'right')
                   for finger in ('thumb', 'index', 'middle', 'ring',
                                  'pinky')}
        parts = dict({n: n for n in SMPL_24[:22]}, **fingers)
        return Skinning(self.lbs_weights.detach().float().cpu(), SMPLX_55,
                        self.parents.tolist(), parts)

    def rest_geometry(self) -> RestGeometry:
        """Rest vertices, faces, and as SMPL's 24 joints the first 22 of
        ``J_regressor @ vertices`` and the middle-finger bases for the
        hands."""
        verts = self.rest_pose()['vertices'][0].float().cpu()
        joints = self.J_regressor.float().cpu() @ verts
        hands = [SMPLX_55.index('left_middle1'),
                 SMPLX_55.index('right_middle1')]
        return RestGeometry(verts, joints[list(range(22)) + hands],
                            self.faces.long().cpu())

    def _eye(self, batch, n, ref):
        return torch.eye(3, dtype=ref.dtype, device=ref.device).expand(
            batch, n, 3, 3)

    def _rotations(self, name, value, batch, n, ref):
        if value is None:
            return self._eye(batch, n, ref)
        if value.shape[-2:] != (3, 3) or value.numel() != batch * n * 9:
            raise ValueError(f'SMPLX: {name} must be ({batch}, {n}, 3, 3) '
                             f'rotation matrices, got {tuple(value.shape)}')
        return value.reshape(batch, n, 3, 3).to(ref.dtype)

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        left_hand_pose=None, right_hand_pose=None,
                        jaw_pose=None, leye_pose=None, reye_pose=None,
                        expression=None, **kwargs) -> Dict[str, torch.Tensor]:
        from smplx.lbs import (find_dynamic_lmk_idx_and_bcoords, lbs,
                               vertices2landmarks)
        if kwargs:
            raise TypeError(f'SMPLX got unexpected inputs {sorted(kwargs)}')
        ref = self.v_template
        batch = body_pose.shape[0]
        hands = [self._rotations(n, v, batch, _NUM_HAND_JOINTS, ref)
                 for n, v in (('left_hand_pose', left_hand_pose),
                              ('right_hand_pose', right_hand_pose))]
        face = [self._rotations(n, v, batch, 1, ref)
                for n, v in (('jaw_pose', jaw_pose), ('leye_pose', leye_pose),
                             ('reye_pose', reye_pose))]
        if expression is None:
            expression = ref.new_zeros(batch, self.num_expression_coeffs)
        elif expression.shape != (batch, self.num_expression_coeffs):
            raise ValueError(f'SMPLX: expression must be (B, '
                             f'{self.num_expression_coeffs}), got '
                             f'{tuple(expression.shape)}')
        full_pose = torch.cat(
            [global_orient.reshape(batch, 1, 3, 3).to(ref.dtype),
             body_pose.reshape(batch, -1, 3, 3).to(ref.dtype)] + face + hands,
            dim=1)
        shape_components = torch.cat([betas.to(ref.dtype),
                                      expression.to(ref.dtype)], dim=-1)
        shapedirs = torch.cat([self.shapedirs, self.expr_dirs], dim=-1)
        vertices, joints = lbs(shape_components, full_pose, self.v_template,
                               shapedirs, self.posedirs, self.J_regressor,
                               self.parents, self.lbs_weights, pose2rot=False)

        lmk_faces_idx = self.lmk_faces_idx.unsqueeze(0).expand(batch, -1)
        lmk_bary_coords = self.lmk_bary_coords.unsqueeze(0).expand(
            batch, -1, -1)
        if self.use_face_contour:
            dyn_faces, dyn_bary = find_dynamic_lmk_idx_and_bcoords(
                vertices, full_pose, self.dynamic_lmk_faces_idx,
                self.dynamic_lmk_bary_coords, self.neck_kin_chain,
                pose2rot=False)
            lmk_faces_idx = torch.cat([lmk_faces_idx, dyn_faces], 1)
            lmk_bary_coords = torch.cat([lmk_bary_coords, dyn_bary], 1)
        landmarks = vertices2landmarks(vertices, self.faces,
                                       lmk_faces_idx.contiguous(),
                                       lmk_bary_coords)
        joints = self.vertex_joint_selector(vertices, joints)
        joints = torch.cat([joints, landmarks], dim=1)
        if transl is not None:
            shift = transl.to(ref.dtype).unsqueeze(1)
            vertices = vertices + shift
            joints = joints + shift
        return dict(vertices=vertices, joints=joints,
                    left_hand_pose=hands[0], right_hand_pose=hands[1],
                    jaw_pose=face[0], leye_pose=face[1], reye_pose=face[2],
                    expression=expression)
