"""The evaluation protocols of the human-mesh-recovery literature (3DPW,
Human3.6M protocols 1 / 2, MPI-INF-3DHP) as one mmengine metric with
explicit arguments.

A protocol says which joints are compared, what their root is, where the
predicted and the ground-truth joints come from, and how meshes are
compared.  :class:`ProtocolMetric` takes each of these as an argument
(joints *by name*, see :mod:`hmrzoo.conventions`) and never looks
at a dataset's name; ``configs/_base_/evaluation/protocols.py`` holds the
presets.  The errors themselves are those of :class:`MeshRecoveryMetric`
(same reductions, tables and per-sample output).  The argument checks and
sample fields are in :mod:`.protocol_inputs`, the ground-truth meshes of the
gendered body model in :mod:`.protocol_gt_meshes`, the report lines in
:mod:`.protocol_report`.

Facts the presets follow (read from the official code):

* SPIN (``eval.py``), PyMAF (``eval.py``) and Multi-RoI (``eval.py``, on top
  of CLIFF) regress the 17 Human3.6M joints from the mesh with
  ``J_regressor_h36m.npy``, take the **pelvis, row 0 of that regressor**
  (``pelvis_extra`` here) as the root *before* keeping the 14 LSP joints
  (``H36M_TO_J14 = [6, 5, 4, 1, 2, 3, 16, 15, 14, 11, 12, 13, 8, 10]``, which
  are by name the ``lsp`` convention), and subtract it from every joint.
  None of them uses the mean of the two hips there (mmhuman3d does so only
  in its 24 / 49-joint branch).
* Human3.6M ground truth (SPIN's ``S``): the 17 mocap joints, already
  centred on the mocap pelvis by SPIN's preprocessing (``S17 -= S17[0]``),
  so the same pelvis root applies to it.  Multi-RoI instead builds the
  Human3.6M ground truth from gendered SMPL meshes; ``gt_joints=
  'body_model'`` does that.
* MPI-INF-3DHP test: SPIN keeps the 17 ``univ_annot3`` joints and centres
  them on the pelvis (joint 14 of the test layout); predictions are the 17
  regressed H36M joints (``H36M_TO_J17``, the same 17 names).  The joint
  groups of the MPI-INF-3DHP test-set utilities
  (``mpii_get_pck_auc_joint_groups.m``) cover all 17 joints (head top with
  head, spine, hips with pelvis); some copies of that file drop head, spine
  and pelvis (14 joints: pass those names as ``joints``).  PCK uses 150 mm,
  AUC the thresholds 0, 5, ..., 150 mm.  CRA reports PCK, AUC and PA-MPJPE
  after rigid alignment (``PA-PCK``, ``PA-AUC``, ``PA-MPJPE`` here).
* 3DPW ground truth: SPIN and PyMAF pose the **gendered** SMPL (male /
  female by the annotation's gender, no translation) and regress its joints
  with the same H36M regressor and pelvis.  mmhuman3d maps gender ``'m'`` to
  male and anything else to female.
* PVE: SPIN, PyMAF and mmhuman3d compare the predicted mesh (SMPL output
  without camera translation) with the gendered ground-truth mesh (no
  translation) as they are; Multi-RoI compares them after pelvis
  alignment.  hmrzoo's ``pred_vertices`` carry the predicted camera
  translation, so the presets centre each mesh on its own regressed root
  (``vertex_centring='root'``), as Multi-RoI does.
* MPJPE-SC (CRA on 3DPW) follows STRAPS, see
  :func:`hmrzoo.evaluation.functional.mpjpe_sc`.

Example (the 3DPW preset)::

    val_evaluator = dict(
        type='ProtocolMetric', metric=['MPJPE', 'PA-MPJPE', 'PVE'],
        joints='lsp', root=['pelvis_extra'], pred_joints='regressor',
        gt_joints='body_model',
        regressor='data/body_models/J_regressor_h36m.npy',
        regressor_convention='h36m', data_description='3DPW test')
"""
import copy
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
import torch

from hmrzoo.registry import METRICS

from ...conventions import get_keypoint_idxs, get_keypoint_num
from .mesh_metric import MeshRecoveryMetric, _to_numpy
from .protocol_gt_meshes import DEFAULT_GT_BODY_MODELS, gt_body_model, \
    gt_meshes
from .protocol_inputs import (GT_JOINT_SOURCES, MESH_METRICS,
                              PRED_JOINT_SOURCES, VERTEX_CENTRINGS,
                              check_choice, joint_names,
                              load_protocol_regressor, regress_joints,
                              sample_convention, sample_field)
from .protocol_report import protocol_lines

__all__ = ['ProtocolMetric', 'PRED_JOINT_SOURCES', 'GT_JOINT_SOURCES',
           'VERTEX_CENTRINGS', 'DEFAULT_GT_BODY_MODELS']


@METRICS.register_module()
class ProtocolMetric(MeshRecoveryMetric):
    """A published evaluation protocol: MPJPE, PA-MPJPE, PVE, MPJPE-SC, PCK,
    AUC (and their PA- variants) in millimetres / percent.

    Per sample (dicts, as mmengine's ``Evaluator`` passes them; metainfo and
    data fields side by side; arrays in metres, torch or numpy):

    1. **Predicted joints** (``pred_joints``):

       * ``'regressor'``: ``regressor`` (J, V) applied to ``pred_vertices``
         (V, 3); its rows are the joints of ``regressor_convention``;
       * ``'keypoints'``: ``pred_keypoints3d`` (K, 3) in ``pred_convention``
         (default: the sample's metainfo ``keypoint_convention``).

    2. **Ground-truth joints** (``gt_joints``):

       * ``'keypoints'``: ``gt_keypoints3d`` (K, 3) and, if present,
         ``gt_keypoints3d_mask`` (K,) in ``gt_convention`` (default: the
         sample's ``keypoint_convention``);
       * ``'body_model'``: the mesh of the body model of the sample's
         metainfo ``gender`` (a key of ``body_models``) posed with
         ``gt_global_orient`` (3, 3), ``gt_body_pose`` (J-1, 3, 3) rotation
         matrices and ``gt_betas`` (S,), without translation; its joints are
         regressed with the same ``regressor``.  Body models are built on
         first use, one per gender, and run once per gender and batch.

    3. ``joints`` and ``root`` are picked from both by name; the root (mean
       of the ``root`` joints, which need not be among ``joints``) is
       subtracted from every joint.  A sample whose ground-truth root joint
       is masked out gets no valid joint (its per-sample errors are ``nan``
       and it does not enter the means).

    4. The errors are :class:`MeshRecoveryMetric`'s on these joints.  PVE /
       PA-PVE compare ``pred_vertices`` with the ground-truth mesh (the
       body-model mesh, or the sample's ``gt_vertices`` with
       ``gt_joints='keypoints'``); with ``vertex_centring='root'`` each mesh
       is first centred on its own root joints.

    Args:
        metric (str | Sequence[str]): names from
            :data:`~hmrzoo.evaluation.metrics.SUPPORTED_METRICS`.
        joints (str | Sequence[str]): evaluation joints: a convention name
            (all its joints in its order, e.g. ``'lsp'`` = SPIN's 14
            ``H36M_TO_J14`` joints, ``'h36m'``, ``'mpi_inf_3dhp'``) or a
            list of joint names.
        root (str | Sequence[str], optional): joint names whose mean is the
            root (``['pelvis_extra']``: the H36M-regressor / mocap pelvis;
            ``['left_hip_extra', 'right_hip_extra']``: mid-hip).  ``None``:
            no centring.
        pred_joints (str): one of
            :data:`~.protocol_inputs.PRED_JOINT_SOURCES`.
        gt_joints (str): one of
            :data:`~.protocol_inputs.GT_JOINT_SOURCES`.
        regressor (str, optional): (J, V) joint regressor file (``.npy``);
            a relative ``data/body_models/...`` path is also looked for under
            ``$HMRZOO_BODY_MODELS``.  Needed by ``pred_joints='regressor'``
            and ``gt_joints='body_model'``, read when the metric is built.
        regressor_convention (str): convention naming the regressor's rows.
        body_models (dict, optional): ``{gender: body-model config}`` for
            ``gt_joints='body_model'``.  Default:
            :data:`~.protocol_gt_meshes.DEFAULT_GT_BODY_MODELS`.
        pred_convention (str, optional): convention of ``pred_keypoints3d``;
            ``None``: the sample's ``keypoint_convention``.
        gt_convention (str, optional): convention of ``gt_keypoints3d``;
            ``None``: the sample's ``keypoint_convention``.
        approximate (bool): accept near-equivalent joint names (see
            :mod:`hmrzoo.conventions`) when a convention lacks
            an evaluation joint.
        vertex_centring (str): ``'root'`` (each mesh minus its own root) or
            ``'none'`` (meshes as given) for PVE.
        unit_scale, pck_threshold, auc_thresholds, sc_scale_fit,
        data_description, collect_device, prefix: as
            :class:`MeshRecoveryMetric`.

    Raises:
        BodyModelFileNotFoundError: the regressor file (when the metric is
            built) or a body-model file (on first use) is missing; the
            message lists the paths tried and ``tools/convert_body_model.py``.
        KeyError: a sample lacks a field the protocol needs (the message
            names it), or a convention lacks an evaluation joint.
        ValueError: inconsistent arguments or shapes.
    """

    def __init__(self,
                 metric: Sequence[str] = ('MPJPE', 'PA-MPJPE'),
                 joints: Union[str, Sequence[str]] = 'lsp',
                 root: Optional[Union[str, Sequence[str]]] = (
                     'pelvis_extra', ),
                 pred_joints: str = 'regressor',
                 gt_joints: str = 'keypoints',
                 regressor: Optional[str] = (
                     'data/body_models/J_regressor_h36m.npy'),
                 regressor_convention: str = 'h36m',
                 body_models: Optional[Dict[str, dict]] = None,
                 pred_convention: Optional[str] = None,
                 gt_convention: Optional[str] = None,
                 approximate: bool = False,
                 vertex_centring: str = 'root',
                 unit_scale: float = 1000.,
                 pck_threshold: float = 150.,
                 auc_thresholds: Optional[Sequence[float]] = None,
                 sc_scale_fit: str = 'rms',
                 data_description: str = '',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        check_choice('pred_joints', pred_joints, PRED_JOINT_SOURCES)
        check_choice('gt_joints', gt_joints, GT_JOINT_SOURCES)
        check_choice('vertex_centring', vertex_centring, VERTEX_CENTRINGS)
        self.joints_convention = joints if isinstance(joints, str) else None
        self.joint_names = joint_names(joints, 'joints')
        self.root_names = None if root is None else joint_names(
            [root] if isinstance(root, str) else root, 'root')
        if self.root_names is None and vertex_centring == 'root':
            raise ValueError("vertex_centring='root' needs a root; give "
                             "root=[...] or vertex_centring='none'")
        # the joints the metric reads: evaluated ones, then extra roots
        self.layout = self.joint_names + [
            n for n in self.root_names or () if n not in self.joint_names]
        root_idx = None if self.root_names is None else [
            self.layout.index(n) for n in self.root_names]
        super().__init__(
            metric=metric, joint_indices=range(len(self.joint_names)),
            root_indices=root_idx,
            vertex_root_indices=root_idx if vertex_centring == 'root'
            else None,
            unit_scale=unit_scale, pck_threshold=pck_threshold,
            auc_thresholds=auc_thresholds, sc_scale_fit=sc_scale_fit,
            data_description=data_description,
            collect_device=collect_device, prefix=prefix)
        self.pred_joints = pred_joints
        self.gt_joints = gt_joints
        self.pred_convention = pred_convention
        self.gt_convention = gt_convention
        self.approximate = bool(approximate)
        self.vertex_centring = vertex_centring
        self.needs_vertices = any(m in MESH_METRICS for m in self.metrics)
        self.body_model_cfgs = copy.deepcopy(
            DEFAULT_GT_BODY_MODELS if body_models is None else
            dict(body_models))
        self._body_models: Dict[str, torch.nn.Module] = {}
        self._index_cache: Dict[str, List[int]] = {}

        self.regressor_convention = regressor_convention
        self.regressor_file: Optional[str] = None
        self.regressor: Optional[np.ndarray] = None
        if pred_joints == 'regressor' or gt_joints == 'body_model':
            self.regressor = load_protocol_regressor(
                regressor, regressor_convention, pred_joints, gt_joints)
            self.regressor_file = regressor
            # every evaluated / root joint must be a regressor row
            self._indices(regressor_convention, 'regressor_convention')

    # ------------------------------------------------------------ helpers
    def _indices(self, convention: str, source: str) -> List[int]:
        """Rows of :attr:`layout` in ``convention`` (cached)."""
        if convention not in self._index_cache:
            try:
                self._index_cache[convention] = get_keypoint_idxs(
                    self.layout, convention, self.approximate)
            except KeyError as err:
                raise KeyError(
                    f'{type(self).__name__}: an evaluation joint is missing '
                    f'from {source} {convention!r}: {err.args[0]}') from None
        return self._index_cache[convention]

    def body_model(self, gender: str) -> torch.nn.Module:
        """The ground-truth body model of ``gender`` (built on first use).

        Raises:
            KeyError: ``gender`` is not a key of ``body_models``.
            BodyModelFileNotFoundError: its model file is missing.
        """
        return gt_body_model(self.body_model_cfgs, self._body_models, gender)

    # ------------------------------------------------------------ process
    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Compute each sample's errors (mm) on the protocol's joints and
        store them in ``self.results``."""
        meshes = gt_meshes(data_samples, self.body_model) \
            if self.gt_joints == 'body_model' else None
        for i, sample in enumerate(data_samples):
            gt_mesh = None if meshes is None else meshes[i]
            arrays, mask = self._protocol_arrays(sample, gt_mesh)
            view = {'sample_idx': sample.get('sample_idx'),
                    'gt_keypoints3d_mask': mask}
            scaled = {k: v * self.unit_scale for k, v in arrays.items()}
            self.results.append(self._process_one(view, scaled))

    def _protocol_arrays(self, sample: dict, gt_mesh: Optional[np.ndarray]):
        """Pred / gt joints of :attr:`layout` (L, 3), the gt mask (L,) and
        the meshes when a mesh metric needs them; metres."""
        pred_verts = None
        if self.pred_joints == 'regressor' or self.needs_vertices:
            why = "pred_joints='regressor'" if \
                self.pred_joints == 'regressor' else 'PVE'
            pred_verts = _to_numpy(sample_field(sample, 'pred_vertices', why))
        if self.pred_joints == 'regressor':
            pred = regress_joints(self.regressor, self.regressor_file,
                                  pred_verts, 'pred_vertices')[
                self._indices(self.regressor_convention,
                              'regressor_convention')]
        else:
            conv = sample_convention(sample, self.pred_convention,
                                     'pred_convention', type(self).__name__)
            kps = _to_numpy(sample_field(sample, 'pred_keypoints3d',
                                         "pred_joints='keypoints'"))
            pred = self._pick(kps, conv, 'pred_keypoints3d')

        if self.gt_joints == 'body_model':
            gt = regress_joints(self.regressor, self.regressor_file,
                                gt_mesh, 'the ground-truth mesh')[
                self._indices(self.regressor_convention,
                              'regressor_convention')]
            mask = np.ones(len(self.layout), bool)
        else:
            conv = sample_convention(sample, self.gt_convention,
                                     'gt_convention', type(self).__name__)
            kps = _to_numpy(sample_field(sample, 'gt_keypoints3d',
                                         "gt_joints='keypoints'"))
            gt = self._pick(kps, conv, 'gt_keypoints3d')
            full_mask = sample.get('gt_keypoints3d_mask')
            if full_mask is None:
                mask = np.ones(len(self.layout), bool)
            else:
                full_mask = _to_numpy(full_mask).reshape(-1)
                if full_mask.shape[0] != kps.shape[0]:
                    raise ValueError(
                        f'gt_keypoints3d_mask has {full_mask.shape[0]} '
                        f'entries for {kps.shape[0]} gt_keypoints3d')
                mask = full_mask[self._indices(conv, 'convention')] > 0
        if self.root_names is not None and \
                not mask[self.root_indices].all():
            mask = np.zeros_like(mask)  # no root: nothing can be centred

        arrays = {'pred_keypoints3d': pred, 'gt_keypoints3d': gt}
        if self.needs_vertices:
            if gt_mesh is None:
                gt_mesh = _to_numpy(sample_field(
                    sample, 'gt_vertices', "PVE with gt_joints='keypoints'"))
            if gt_mesh.shape != pred_verts.shape:
                raise ValueError(f'pred_vertices {pred_verts.shape} and the '
                                 f'ground-truth mesh {gt_mesh.shape} differ')
            arrays.update(pred_vertices=pred_verts, gt_vertices=gt_mesh)
        return arrays, mask

    def _pick(self, keypoints: np.ndarray, convention: str,
              key: str) -> np.ndarray:
        """The :attr:`layout` rows of (K, 3) keypoints in ``convention``."""
        k = get_keypoint_num(convention)
        if keypoints.shape != (k, 3):
            raise ValueError(f'{key} has shape {keypoints.shape}, but '
                             f'convention {convention!r} has {k} joints: '
                             f'expected ({k}, 3)')
        return keypoints[self._indices(convention, 'convention')]

    # ------------------------------------------------------------ report
    def protocol_lines(self) -> List[str]:
        """The protocol in words: joints, root, both joint sources, the
        mesh comparison, then units, alignment and PCK as
        :class:`MeshRecoveryMetric` (see :mod:`.protocol_report`)."""
        return protocol_lines(self, super().protocol_lines())
