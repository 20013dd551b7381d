"""The loss component every estimator calls: the term -> loss mapping,
ground truth stacked once per batch, root centring and masks.

An estimator names the terms it can feed (its ``loss_terms``), builds
:class:`MeshLosses` from the config's ``losses`` dict, and hands it its
estimates; method-specific terms (IUV, camera consistency, refinement ...)
are computed by the estimator and added through ``extra``.
"""
from typing import Callable, Dict, Mapping, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn

from ...registry import MODELS
from .ground_truth import BatchGroundTruth

#: terms computed from an estimate (pose, shape, camera) and the ground
#: truth by :meth:`MeshLosses.estimate_terms`, in this order
ESTIMATE_TERMS = ('keypoints3d', 'keypoints2d', 'pose', 'betas', 'vertices',
                  'camera', 'smpl')

Estimate = Mapping[str, Tensor]


@MODELS.register_module()
class MeshLosses(nn.ModuleDict):
    """Supervision of body-model estimates.

    Args:
        terms (dict): term -> loss config (``None`` entries are dropped).
        known_terms (sequence[str]): the terms the owning estimator can
            feed; others are refused with the list of known ones.
        root_indices (sequence[int]): keypoints whose mean is the root that
            3D keypoints and vertices are centred on.
        owner (str): the estimator's name, for messages.

    The terms of one estimate (:data:`ESTIMATE_TERMS`):

    * ``keypoints3d``: root-centred 3D keypoints vs ``gt_keypoints3d``
      (masked by ``gt_keypoints3d_mask``);
    * ``keypoints2d``: keypoints projected with the estimate's camera (one
      per RoI when ``cam`` is (B, M, C)) vs ``gt_keypoints2d``;
    * ``pose`` / ``betas``: rotation matrices / shape vs the ground-truth
      parameters, rows without them (``gt_has_smpl`` = 0) masked;
    * ``vertices``: root-centred vertices vs ``gt_vertices`` or the mesh
      posed from the parameters;
    * ``camera``: a regulariser of the camera alone;
    * ``smpl``: eq. 6 of CRA, L2 of the concatenated rotation matrices and
      betas.
    """

    def __init__(self, terms: Optional[dict] = None,
                 known_terms: Sequence[str] = ESTIMATE_TERMS,
                 root_indices: Sequence[int] = (0, ), owner: str = ''):
        terms = dict(terms or {})
        unknown = set(terms) - set(known_terms)
        if unknown:
            raise ValueError(f'unknown loss term(s) {sorted(unknown)} in '
                             f'{owner or "the model"}.losses; known terms: '
                             f'{list(known_terms)}')
        super().__init__({k: MODELS.build(v) for k, v in terms.items()
                          if v is not None})
        self.root_indices = list(root_indices)

    def root(self, kp: Tensor) -> Tensor:
        """(B, 1, 3) mean of the root keypoints of (B, K, 3)."""
        return kp[:, self.root_indices].mean(dim=1, keepdim=True)

    def estimate_terms(self, body: Dict[str, Tensor], estimate: Estimate,
                       gt: BatchGroundTruth, meta: dict, projection: nn.Module,
                       run_body_model: Callable) -> Dict[str, Tensor]:
        """The configured :data:`ESTIMATE_TERMS` of one estimate.

        Args:
            body (dict): the body-model output of the estimate
                (``keypoints`` (B, K, 3), ``vertices`` (B, V, 3), metres).
            estimate (dict): ``pred_pose`` (B, J, 3, 3), ``pred_shape``
                (B, S), ``pred_cam`` (B, C) or (B, M, C).
            gt (BatchGroundTruth): the batch's ground truth.
            meta (dict): per-row (B*M) projection metainfo.
            projection (nn.Module): the estimator's projection.
            run_body_model (callable): ``(pose, betas) -> body output``, to
                pose the ground-truth mesh.
        """
        kp, verts = body['keypoints'], body['vertices']
        pose, shape, cam = (estimate['pred_pose'], estimate['pred_shape'],
                            estimate['pred_cam'])
        terms = {}
        cam_dim = cam.shape[-1]
        rois = cam.numel() // (cam.shape[0] * cam_dim)
        cam = cam.reshape(-1, cam_dim)
        if 'keypoints3d' in self:
            gkp = gt('gt_keypoints3d', 'keypoints3d')
            mask = gt('gt_keypoints3d_mask', 'keypoints3d')
            terms['keypoints3d'] = self['keypoints3d'](
                kp - self.root(kp), gkp - self.root(gkp), mask)
        if 'keypoints2d' in self:
            gkp2d = gt('gt_keypoints2d', 'keypoints2d')
            mask2d = gt('gt_keypoints2d_mask', 'keypoints2d')
            if mask2d.dim() == 2 and rois > 1:  # (B, K) -> (B*M, K)
                mask2d = mask2d.repeat_interleave(rois, 0)
            terms['keypoints2d'] = self['keypoints2d'](
                projection(kp.repeat_interleave(rois, 0), cam, **meta),
                gkp2d.reshape(-1, *gkp2d.shape[-2:]), mask2d)
        # rows without body-model parameters (2D-only datasets) are masked
        has_smpl = gt.smpl_mask()
        if 'pose' in self or 'smpl' in self:
            term = 'pose' if 'pose' in self else 'smpl'
            gpose = torch.cat([gt('gt_global_orient', term),
                               gt('gt_body_pose', term)], dim=1)
        if 'pose' in self:
            terms['pose'] = self['pose'](pose, gpose, has_smpl)
        if 'betas' in self:
            terms['betas'] = self['betas'](shape, gt('gt_betas', 'betas'),
                                           has_smpl)
        if 'vertices' in self:
            gverts, groot = gt.mesh(run_body_model, self.root)
            terms['vertices'] = self['vertices'](
                verts - self.root(kp), gverts - groot, has_smpl)
        if 'camera' in self:
            terms['camera'] = self['camera'](cam)
        if 'smpl' in self:
            terms['smpl'] = self['smpl'](
                torch.cat([pose.flatten(1), shape], dim=1),
                torch.cat([gpose.flatten(1), gt('gt_betas', 'smpl')], dim=1),
                has_smpl)
        return terms

    def supervise(self, estimates: Sequence[Tuple[str, Estimate]],
                  gt: BatchGroundTruth, meta: dict, projection: nn.Module,
                  run_body_model: Callable,
                  extra: Optional[Callable[[str, Estimate],
                                           Dict[str, Tensor]]] = None,
                  uncertainty: Optional[nn.Module] = None
                  ) -> Dict[str, Tensor]:
        """The losses of several estimates, as ``loss_<term><suffix>``.

        Args:
            estimates (sequence): ``(suffix, estimate)`` pairs (e.g.
                ``('_it0', ...)`` per IEF iteration, ``''`` for the final
                one).
            gt, meta, projection, run_body_model: as
                :meth:`estimate_terms`.
            extra (callable, optional): ``(suffix, estimate) -> terms`` the
                estimator adds to each estimate's terms.
            uncertainty (nn.Module, optional): reweighs each estimate's
                terms (``HomoscedasticLoss``); its regulariser and sigmas
                are logged once.
        """
        losses: Dict[str, Tensor] = {}
        for suffix, estimate in estimates:
            body = run_body_model(estimate['pred_pose'],
                                  estimate['pred_shape'])
            terms = self.estimate_terms(body, estimate, gt, meta, projection,
                                        run_body_model)
            if extra is not None:
                terms.update(extra(suffix, estimate))
            if uncertainty is not None:
                terms.update(uncertainty(terms))
            losses.update({f'loss_{k}{suffix}': v for k, v in terms.items()})
        if uncertainty is not None:
            losses['loss_log_sigma'] = uncertainty.regulariser()
            losses.update({f'sigma_{k}': v
                           for k, v in uncertainty.sigmas().items()})
        return losses
