"""SMPL (Loper et al. 2015) on top of the ``smplx`` package.

The model arrays are read by hmrzoo (:func:`.model_files.load_model_arrays`:
``.npz`` or official ``.pkl`` without chumpy) and handed to ``smplx.SMPL``
through its ``data_struct`` argument; the layer is called on rotation
matrices (``pose2rot=False``).

Native joints (``native_convention``):

* ``smpl_45`` (default): what ``smplx.SMPL`` returns, the 24 kinematic
  joints then 21 vertex joints (nose, eyes, ears, toes, heels, finger tips);
* ``smpl_54`` with ``extra_joints_regressor`` (SPIN's
  ``J_regressor_extra.npy``, 9 rows ``*_extra`` / ``headtop``, see
  :mod:`.conventions.smpl`): its rows applied to the posed vertices are
  appended;
* ``joints_regressor_convention`` with ``joints_regressor`` (e.g.
  ``J_regressor_h36m.npy`` with ``'h36m'``): the joints are *replaced* by
  the regressor applied to the posed vertices (evaluation joint sets).

Model data are buffers that are not saved in state dicts (``persistent=
False``): checkpoints never carry licensed body-model data, and the model is
always rebuilt from the files.  The same holds for the optional UV layout
(``corner_texture_uv``, read from ``smpl_uv.obj``, see :mod:`.uv_layout`).
"""
import contextlib
import io
import logging
from typing import Dict, Optional

import numpy as np
import torch

from ..registry import BODY_MODELS
from .base import BaseBodyModel, RestGeometry
from ..conventions import get_keypoint_num
from ..conventions.smpl import SMPL_24
from .lbs import SkinningArrays
from .skeleton import Skinning
from .model_files import (DEFAULT_BODY_MODELS_ROOT, find_model_file,
                          load_model_arrays, load_regressor)
from .uv_layout import load_corner_texture_uv

logger = logging.getLogger('hmrzoo.body_models')

_SMPL_KEYS = ('v_template', 'shapedirs', 'posedirs', 'J_regressor',
              'weights', 'kintree_table', 'f')


@contextlib.contextmanager
def quiet_smplx():
    """Route what ``smplx`` prints while building a layer (e.g. its
    warning about 10-component shape spaces) to hmrzoo's debug log."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        yield
    text = buf.getvalue().strip()
    if text:
        logger.debug('smplx: %s', text)


def check_model_arrays(arrays: Dict, required, path: str) -> None:
    """Raise ValueError if a model file lacks keys a layer needs."""
    missing = [k for k in required if k not in arrays]
    if missing:
        raise ValueError(f'{path} is not a valid body-model file: missing '
                         f'{missing} (has {sorted(arrays)})')


def make_buffers_non_persistent(module: torch.nn.Module) -> None:
    """Keep every buffer of ``module`` (and its children) out of state
    dicts."""
    for m in module.modules():
        m._non_persistent_buffers_set.update(m._buffers.keys())


def resolve_regressor(path: str, kind: str) -> torch.Tensor:
    """Find (``data/body_models`` / ``$HMRZOO_BODY_MODELS`` aware) and read
    a joint regressor as a float32 (J, V) tensor."""
    return torch.from_numpy(load_regressor(find_model_file(kind, path)))


@BODY_MODELS.register_module()
class SMPL(BaseBodyModel):
    """SMPL body model: 6890 vertices, 24 kinematic joints.

    Called as every hmrzoo body model (see :mod:`.base`)::

        out = smpl(global_orient=R0,   # (B, 1, 3, 3) or (B, 3, 3)
                   body_pose=R,        # (B, 23, 3, 3)
                   betas=beta,         # (B, num_betas), default zeros
                   transl=t)           # (B, 3) metres, optional
        out['vertices']   # (B, 6890, 3) metres
        out['joints']     # (B, Jn, 3) native joints (smpl_45 / smpl_54 /
                          #   the joints_regressor_convention)
        out['keypoints'], out['keypoints_mask']  # in keypoint_convention

    Args:
        model_path (str): a body-models root laid out as
            ``smpl/SMPL_{GENDER}.{npz,pkl}`` (the default
            ``'data/body_models'`` is searched under ``$HMRZOO_BODY_MODELS``
            first), a folder holding ``SMPL_{GENDER}.{npz,pkl}``, or a model
            file.  ``.npz`` is preferred when both exist.
        gender (str): ``'neutral'``, ``'male'`` or ``'female'``.
        num_betas (int): shape coefficients used (at most what the file
            has; files with fewer than 300 directions give at most 10).
        keypoint_convention (str, optional): convention of ``keypoints``;
            ``None`` = native.
        approximate (bool): allow approximate name matches in the keypoint
            conversion.
        extra_joints_regressor (str, optional): path of SPIN's
            ``J_regressor_extra.npy`` (9, 6890); appended, native convention
            ``smpl_54``.
        joints_regressor (str, optional): a (J, 6890) regressor whose rows
            replace the joints (e.g. ``J_regressor_h36m.npy``).
        joints_regressor_convention (str, optional): the convention of
            ``joints_regressor``'s rows (e.g. ``'h36m'``); required with it.
        uv_file (str, optional): the UV layout (``smpl_uv.obj`` or a
            folder holding it); ``None`` looks for it beside the model
            files and goes on without one (:func:`.uv_layout.find_uv_layout`).

    Attributes:
        faces (LongTensor): (F, 3) vertex indices (13776 faces).
        corner_texture_uv (Tensor | None): (F, 3, 2) from the UV layout
            (see :class:`.base.BaseBodyModel`), ``None`` without one.
        uv_file (str | None): the UV layout read.

    Raises:
        BodyModelFileNotFoundError: a model or regressor file is missing,
            or ``uv_file`` was given and is missing.
        ValueError: inconsistent arguments, an invalid model file, or a UV
            layout that is not one of this model.
    """

    num_joints = 24
    keypoints_only_forward = True
    #: DensePose charted SMPL's mesh: its ``UV_Processed.mat``, when at
    #: hand, gives the IUV atlas (:mod:`hmrzoo.renderers.iuv_body_models`)
    densepose_charts = True

    def __init__(self,
                 model_path: Optional[str] = DEFAULT_BODY_MODELS_ROOT,
                 gender: str = 'neutral',
                 num_betas: int = 10,
                 keypoint_convention: Optional[str] = None,
                 approximate: bool = False,
                 extra_joints_regressor: Optional[str] = None,
                 joints_regressor: Optional[str] = None,
                 joints_regressor_convention: Optional[str] = None,
                 uv_file: Optional[str] = None):
        super().__init__(keypoint_convention=keypoint_convention,
                         approximate=approximate)
        import smplx
        from smplx.utils import Struct

        if joints_regressor is not None and extra_joints_regressor is not None:
            raise ValueError('give either joints_regressor (replaces the '
                             'joints) or extra_joints_regressor (appended), '
                             'not both')
        if joints_regressor is not None and not joints_regressor_convention:
            raise ValueError('joints_regressor needs joints_regressor_'
                             "convention (e.g. 'h36m') naming its rows")
        self.gender = gender.lower()
        self.model_file = find_model_file('smpl', model_path, self.gender)
        arrays = load_model_arrays(self.model_file)
        check_model_arrays(arrays, _SMPL_KEYS, self.model_file)
        with quiet_smplx():
            self.smpl = smplx.SMPL(
                model_path=self.model_file, data_struct=Struct(**arrays),
                gender=self.gender, num_betas=num_betas, create_betas=False,
                create_global_orient=False, create_body_pose=False,
                create_transl=False)
        if self.smpl.v_template.shape[0] != self.smpl.lbs_weights.shape[0] or \
                self.smpl.J_regressor.shape[0] != self.num_joints:
            raise ValueError(f'{self.model_file}: not a SMPL model '
                             f'({self.smpl.J_regressor.shape[0]} joints)')
        self.num_betas = self.smpl.num_betas
        self.register_buffer(
            'faces', torch.as_tensor(np.asarray(arrays['f'], np.int64)),
            persistent=False)
        make_buffers_non_persistent(self.smpl)
        self.uv_file, corner_uv = load_corner_texture_uv(
            'smpl_uv', self.model_file, self.faces, self.num_vertices, 'SMPL',
            model_path, uv_file)
        self.register_buffer('corner_texture_uv', corner_uv,
                             persistent=False)

        self.native_convention = 'smpl_45'
        self.register_buffer('extra_joints_regressor', None, persistent=False)
        self.register_buffer('joints_regressor', None, persistent=False)
        if extra_joints_regressor is not None:
            self.register_buffer(
                'extra_joints_regressor',
                self._regressor(extra_joints_regressor, 'J_regressor_extra'),
                persistent=False)
            if self.extra_joints_regressor.shape[0] != 9:
                raise ValueError('extra_joints_regressor must have the 9 rows '
                                 "of SPIN's J_regressor_extra (smpl_54), got "
                                 f'{self.extra_joints_regressor.shape[0]}')
            self.native_convention = 'smpl_54'
        if joints_regressor is not None:
            kind = ('J_regressor_h36m' if 'h36m' in str(joints_regressor)
                    else 'joint_regressor')
            self.register_buffer('joints_regressor',
                                 self._regressor(joints_regressor, kind),
                                 persistent=False)
            n = get_keypoint_num(joints_regressor_convention)
            if self.joints_regressor.shape[0] != n:
                raise ValueError(
                    f'joints_regressor has {self.joints_regressor.shape[0]} '
                    f'rows but convention {joints_regressor_convention!r} '
                    f'has {n} joints')
            self.native_convention = joints_regressor_convention

    def _regressor(self, path: str, kind: str) -> torch.Tensor:
        reg = resolve_regressor(path, kind)
        if reg.shape[1] != self.num_vertices:
            raise ValueError(f'{path}: regressor for {reg.shape[1]} vertices, '
                             f'the model has {self.num_vertices}')
        return reg

    @property
    def num_vertices(self) -> int:
        return int(self.smpl.v_template.shape[0])

    @property
    def parents(self) -> torch.Tensor:
        """(24,) long: parent of each kinematic joint, -1 for the root."""
        return self.smpl.parents

    def skinning(self) -> Skinning:
        """``lbs_weights`` (6890, 24) on SMPL's own 24 joints."""
        return Skinning(self.smpl.lbs_weights.detach().float().cpu().clone(),
                        SMPL_24, self.parents.tolist())

    def rest_geometry(self) -> RestGeometry:
        """Rest vertices, ``J_regressor @ vertices`` and faces."""
        verts = self.rest_pose()['vertices'][0].float().cpu()
        joints = self.smpl.J_regressor.float().cpu() @ verts
        return RestGeometry(verts, joints, self.faces.long().cpu())

    def _fast_arrays(self):
        """The skinning arrays on the model's device and dtype, the same
        restricted to the keypoint regressor's support, and the fused
        regressor over it: ``(arrays, arrays on the support, support (n,)
        vertex indices, regressor (K, n))``; K = smplx's 21 vertex-picked
        joints (+ the 9 extra rows), or the replacing regressor's rows.
        Built once per device / dtype."""
        smpl = self.smpl
        key = (str(smpl.v_template.device), smpl.v_template.dtype)
        cache = self.__dict__.setdefault('_fast_cache', {})
        if key not in cache:
            # plain tensors even when first called under inference_mode
            # (they are reused by later calls with autograd)
            with torch.inference_mode(False), torch.no_grad():
                cache[key] = self._build_fast_arrays()
        return cache[key]

    def _apply(self, fn, *args, **kwargs):
        # .to() / .half() / ...: the cached arrays follow the buffers
        self.__dict__.pop('_fast_cache', None)
        return super()._apply(fn, *args, **kwargs)

    def _build_fast_arrays(self):
        smpl = self.smpl
        arrays = SkinningArrays(smpl.v_template, smpl.shapedirs,
                                smpl.posedirs, smpl.J_regressor,
                                smpl.parents.tolist(), smpl.lbs_weights)
        if self.joints_regressor is not None:
            reg = self.joints_regressor
        else:
            picks = smpl.vertex_joint_selector.extra_joints_idxs
            reg = torch.zeros(len(picks), self.num_vertices,
                              dtype=smpl.v_template.dtype,
                              device=smpl.v_template.device)
            reg[torch.arange(len(picks)), picks] = 1
            if self.extra_joints_regressor is not None:
                reg = torch.cat([reg, self.extra_joints_regressor.to(
                    reg)], dim=0)
        support = torch.nonzero(reg.abs().sum(0) > 0)[:, 0]
        return arrays, arrays.restricted(support), support, reg[
            :, support].to(smpl.v_template.dtype).contiguous()

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        need_vertices: bool = True,
                        **kwargs) -> Dict[str, torch.Tensor]:
        """Skinned with :mod:`.lbs` (smplx's function, less work; equal to
        ``smplx.SMPL`` to float32 rounding); the extra keypoints are one
        regression over their support vertices; ``need_vertices=False``
        skins only those."""
        if kwargs:
            raise TypeError(f'SMPL got unexpected inputs {sorted(kwargs)}')
        arrays, on_support, support, reg = self._fast_arrays()
        dtype = self.smpl.v_template.dtype
        batch = body_pose.shape[0]
        rot = torch.cat([global_orient.reshape(batch, 1, 3, 3),
                         body_pose.reshape(batch, -1, 3, 3)], dim=1).to(dtype)
        betas = betas.to(dtype)
        shift = None if transl is None else transl.to(dtype)[:, None]
        if need_vertices:
            vertices, kinematic = arrays(rot, betas)
            if shift is not None:
                vertices = vertices + shift
            picked = vertices[:, support]
        else:
            picked, kinematic = on_support(rot, betas)
            if shift is not None:
                picked = picked + shift
        if shift is not None:
            kinematic = kinematic + shift
        # the regressors read the translated vertices (rows that do not sum
        # to one scale the translation too, as reg @ (v + t) does)
        regressed = torch.matmul(reg, picked)                    # (B, K, 3)
        joints = regressed if self.joints_regressor is not None else \
            torch.cat([kinematic, regressed], dim=1)
        out = dict(joints=joints)
        if need_vertices:
            out['vertices'] = vertices
        return out
