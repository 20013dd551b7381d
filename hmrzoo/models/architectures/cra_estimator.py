"""CRA: self-supervised mesh recovery with cross-representation alignment
(``000_f8ace6beef631e18.txt``).

Two streams read the 2D joint heatmaps J and the compact IUV map M (§3.3);
each regresses Θ = {θ̂ (6D), β̂, π̂} coarse-to-fine (eq. 2).  Their
estimates are posed, reprojected (ĵ) and rendered at the feature grid
(M̂, 8x8 for 256² inputs); the misalignments with the evidence, D_J
(eq. 3) and D_M (eq. 4), join the fine features in the fusion regressor
R_fuse (eq. 5), whose Θ_final is supervised with eq. 6.  The slots are
named for what they are: ``streams`` (:class:`~hmrzoo.models.heads.CRAStreams`)
and ``fusion`` (:class:`~hmrzoo.models.heads.CRAFusion`); the body model,
projection, loss terms and prediction are :class:`BaseMeshEstimator`'s;
the Table 4 variants it accepts are described in :mod:`.cra_variants`.
"""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ...conventions import convert_kps
from ...registry import MODELS
from ...structures import (EVIDENCE_CHANNELS, HMRDataSample,
                           projection_meta, stack_field)
from ..losses import BatchGroundTruth
from ..utils.alignment import (downsample_iuv, heatmap_keypoints,
                               iuv_discrepancy, joint_discrepancy)
from ...renderers import render_compact_iuv
from ..utils.iuv_decoding import predicted_compact_iuv
from .base_estimator import LOSS_TERMS, BaseMeshEstimator, one_roi
from .cra_variants import STREAMS, check_variant, misalignments


@MODELS.register_module()
class CRAEstimator(BaseMeshEstimator):
    """CRA and the ablations of its Table 4.

    Args:
        encoder (dict): each stream's encoder (ResNet-18); ``in_channels``
            is set per stream.
        regressor (dict): template of R1 / R2 (``IEFHead``: two FC layers
            of 512 and one step, §4.2); ``in_channels`` and Θ's sizes
            (joints, betas, camera) come from the body model and the
            projection.
        body_model (dict), projection (dict): as
            :class:`BaseMeshEstimator`.
        streams (sequence[str]): ``('joints', 'iuv')`` (two streams, the
            method), ``('joints',)`` / ``('iuv',)`` (one representation,
            Table 4 rows 1-2) or ``('concat',)`` (one stream on the stacked
            inputs, row 3).
        regressors (sequence[str]): each stream's regressors:
            ``('global', 'fine')`` = {R1 R2}, ``('global', 'global')`` =
            {R1 R1} (row 4).
        fusion (str, optional): R_fuse's input
            (:data:`~.cra_variants.FUSIONS`): 'both' (row 7, the method),
            'other' (row 6), 'features' (rows 4-5); None with one stream
            (its estimate is the prediction).
        fusion_hidden (int, optional): width of R_fuse's two layers; None =
            the size of its evidence vector (§4.2).
        fusion_dropout (float): dropout in R_fuse.
        fine_dims (sequence[int]): eq. 1's channels (256, 64, 8).
        evidence (sequence[str]): the inputs' channel layout, in order:
            ``'heatmaps'`` (``num_keypoints`` channels) then ``'iuv'`` (3),
            as the data preprocessor's ``outputs``.
        num_keypoints (int): heatmap channels (17 COCO joints).
        input_convention (str): the heatmaps' keypoint convention; the
            body model's keypoints are converted to it for D_J.
        input_size (int): side of the square inputs (256: H0 = W0 = 8).
        iuv_decoder (dict, optional): the auxiliary reconstruction
            (``IUVDecoder``, ``in_channels`` set) from the joint stream's
            φ0; its loss is the ``iuv`` term (``DenseCorrespondenceLoss``)
            against ``gt_iuv`` (clean synthetic IUV) or the input IUV.
        decoded_iuv (str): when the decoded IUV replaces the input IUV:
            ``'missing'`` (inputs without IUV channels, or a sample whose
            IUV map is all zero), ``'always'`` or ``'never'``.
        uncertainty (dict, optional): eq. 6's learnable weights
            (``HomoscedasticLoss``); its terms must be among ``losses``.
            Terms it does not name are added unweighted.
        supervise_streams (bool): also apply the losses to each stream's
            estimate (suffix ``_<stream>``); the paper supervises
            Θ_final only (§4.2 "with the final prediction").
        **kwargs: :class:`BaseMeshEstimator` arguments (``losses``,
            ``root_indices``, ``data_preprocessor``, ``init_cfg``).

    Loss terms: :data:`LOSS_TERMS` (among them ``smpl``, eq. 6's L2 on the
    concatenated rotation matrices and betas), ``iuv`` (decoder),
    ``refine_keypoints2d`` and ``refine_iuv`` (eq. 7: Θ_final's reprojected
    joints and rendered IUV against the *input* evidence; for refinement on
    unlabelled images).

    Head output (``mode='tensor'``): Θ_final as ``pred_pose`` /
    ``pred_shape`` / ``pred_cam`` (+ lists), ``streams`` (each stream's
    output), ``evidence`` (input joints (B, K, 2) + mask, IUV at the
    feature grid), ``discrepancies`` (per stream: ``joints`` D_J (B, K, 2),
    ``iuv`` D_M's terms (B, 3, H0, W0), ``rendered_iuv`` M̂) and
    ``iuv_decoded`` (decoder output or None).
    """

    loss_terms = LOSS_TERMS + ('iuv', 'refine_keypoints2d', 'refine_iuv')

    def __init__(self, encoder: dict, regressor: dict, body_model: dict,
                 projection: dict, streams: Sequence[str] = ('joints', 'iuv'),
                 regressors: Sequence[str] = ('global', 'fine'),
                 fusion: Optional[str] = 'both',
                 fusion_hidden: Optional[int] = None,
                 fusion_dropout: float = 0.5,
                 fine_dims: Sequence[int] = (256, 64, 8),
                 evidence: Sequence[str] = ('heatmaps', 'iuv'),
                 num_keypoints: int = 17, input_convention: str = 'coco',
                 input_size: int = 256, iuv_decoder: Optional[dict] = None,
                 decoded_iuv: str = 'missing',
                 uncertainty: Optional[dict] = None,
                 supervise_streams: bool = False, **kwargs):
        check_variant(list(streams), fusion, evidence, iuv_decoder,
                      decoded_iuv)
        super().__init__(body_model=body_model, projection=projection,
                         **kwargs)
        self.fusion_mode = fusion
        self.num_keypoints = num_keypoints
        # joints before iuv: the IUV stream may read the decoded IUV
        streams = [s for s in STREAMS if s in streams]
        layout = [(k, num_keypoints if k == 'heatmaps'
                   else EVIDENCE_CHANNELS[k]) for k in evidence]
        self.streams = MODELS.build(dict(
            type='CRAStreams', streams={s: STREAMS[s] for s in streams},
            evidence=layout, input_size=input_size, encoder=encoder,
            regressor=self.with_theta_sizes(regressor, 'regressor'),
            regressors=tuple(regressors), fine_dims=tuple(fine_dims),
            fine_features=fusion is not None))
        self.fusion = None if fusion is None else MODELS.build(dict(
            type='CRAFusion', num_streams=len(streams), hidden=fusion_hidden,
            dropout=fusion_dropout, **self.theta_sizes(),
            in_channels=sum(self.evidence_sizes().values())))
        self.input_convention = input_convention
        self.decoded_iuv = decoded_iuv
        self.supervise_streams = supervise_streams
        self.iuv_decoder = MODELS.build(dict(
            iuv_decoder,
            in_channels=self.streams['joints'].global_channels)
        ) if iuv_decoder else None
        self.uncertainty = MODELS.build(uncertainty) if uncertainty else None
        if self.uncertainty is not None:
            absent = [t for t in self.uncertainty.terms
                      if t not in self.losses]
            if absent:
                raise ValueError(f'uncertainty weighs {absent}, which are not '
                                 f'in losses ({sorted(self.losses)})')
        if 'iuv' in self.losses and self.iuv_decoder is None:
            raise ValueError("the 'iuv' loss needs an iuv_decoder")

    def evidence_sizes(self) -> Dict[str, int]:
        """Size of each part of R_fuse's evidence vector, in order:
        ``D_J^s`` (2 N_J), ``D_M^s`` (3 H0 W0), ``phi_L^s`` (C_L H0 W0) per
        stream s, as the fusion mode includes them."""
        grid = self.streams.feature_size ** 2
        out = {}
        for name, stream in self.streams.items():
            joints, iuv = misalignments(self.fusion_mode, name)
            if joints:
                out[f'D_J^{name}'] = 2 * self.num_keypoints
            if iuv:
                out[f'D_M^{name}'] = 3 * grid
            out[f'phi_L^{name}'] = stream.fine_channels
        return out

    # ---- forward ------------------------------------------------------
    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        inputs = one_roi(inputs, type(self).__name__)
        optional = ('iuv', ) if self.iuv_decoder is not None else ()
        maps = self.streams.split(inputs, optional)
        iuv_input = maps.get('iuv')
        outs, decoded = {}, None
        for name, stream in self.streams.items():
            if name == 'iuv' and decoded is not None:
                maps['iuv'] = self._complete_iuv(iuv_input, decoded,
                                                 inputs.shape[-2:])
            outs[name] = stream(self.streams.stream_input(name, maps))
            if name == 'joints' and self.iuv_decoder is not None:
                decoded = self.iuv_decoder(outs[name]['feat0'])
        evidence = self._evidence(maps, data_samples)
        evidence['iuv_input'] = iuv_input
        discrepancies = {}
        geo = self.geometry(data_samples, inputs.device)
        if self.fusion is not None:
            meta = projection_meta(geo)
            parts = []
            for name, out in outs.items():
                joints, iuv = misalignments(self.fusion_mode, name)
                found = self.alignment(out, evidence, meta, joints, iuv)
                discrepancies[name] = found
                if joints:
                    parts.append(found['joints'].flatten(1))
                if iuv:
                    parts.append(found['iuv'].flatten(1))
                parts.append(out['feat_fine'])
            head_out = self.fusion(torch.cat(parts, dim=1), [
                dict(pose6d=o['pred_pose6d'], shape=o['pred_shape'],
                     cam=o['pred_cam']) for o in outs.values()])
        else:
            head_out = {k: v for k, v in next(iter(outs.values())).items()
                        if k.startswith('pred_')}
        head_out.update(streams=outs, evidence=evidence,
                        discrepancies=discrepancies, iuv_decoded=decoded,
                        geometry=geo)
        return self.finish(head_out, data_samples, mode)

    def _complete_iuv(self, iuv: Optional[Tensor], decoded: Dict[str, Tensor],
                      size) -> Tensor:
        """The IUV the IUV stream reads: the input's, or the decoded one
        (detached, nearest-upsampled to the input size) as
        ``decoded_iuv`` says."""
        if iuv is not None and self.decoded_iuv == 'never':
            return iuv
        comp = predicted_compact_iuv(decoded).detach()
        if tuple(comp.shape[-2:]) != tuple(size):
            comp = F.interpolate(comp, size=tuple(size), mode='nearest')
        if iuv is None or self.decoded_iuv == 'always':
            return comp
        empty = iuv.flatten(1).abs().amax(dim=1) == 0
        return torch.where(empty[:, None, None, None], comp, iuv)

    def _evidence(self, maps: Dict[str, Tensor],
                  samples: Optional[List[HMRDataSample]]) -> dict:
        """The evidence the estimates are aligned with: the input joints
        (the samples' ``input_keypoints2d`` + mask when they all carry
        them, else decoded from the heatmaps) and the IUV map downsized to
        the feature grid."""
        out = {}
        if samples and all('input_keypoints2d' in s for s in samples):
            device = next(iter(maps.values())).device
            out['keypoints2d'] = stack_field(samples, 'input_keypoints2d',
                                             device).float()
            out['keypoints2d_mask'] = stack_field(
                samples, 'input_keypoints2d_mask', device).float()
        elif 'heatmaps' in maps:
            out['keypoints2d'], out['keypoints2d_mask'] = \
                heatmap_keypoints(maps['heatmaps'])
        if 'iuv' in maps:
            out['iuv'] = downsample_iuv(maps['iuv'],
                                        (self.streams.feature_size, ) * 2)
        return out

    def input_keypoints(self, keypoints: Tensor):
        """The body model's keypoints (B, K', 3) in the input convention:
        (B, K, 3) and the mask (K,) of those the body model has."""
        return convert_kps(keypoints, self.body_model.keypoint_convention,
                           self.input_convention)

    def alignment(self, pred: dict, evidence: dict, meta: dict,
                  joints: bool = True, iuv: bool = True) -> Dict[str, Tensor]:
        """Misalignments of one estimate with the evidence.

        Args:
            pred (dict): ``pred_pose`` (B, J, 3, 3), ``pred_shape``,
                ``pred_cam``.
            evidence (dict): from :meth:`_evidence`.
            meta (dict): projection metainfo.
            joints, iuv (bool): which to compute.

        Returns:
            dict: ``joints`` D_J (B, K, 2) (eq. 3) and ``joints_mask``
            (B, K) (joints both the evidence and the body model have),
            ``iuv`` D_M's terms (B, 3, H0, W0) (eq. 4) and
            ``rendered_iuv`` M̂ (B, 3, H0, W0).
        """
        out = self.run_body_model(pred['pred_pose'], pred['pred_shape'])
        cam, found = pred['pred_cam'], {}
        if joints:
            if 'keypoints2d' not in evidence:
                raise ValueError('D_J needs input joints: heatmaps in the '
                                 'inputs or input_keypoints2d in the samples')
            kp, mask = self.input_keypoints(out['keypoints'])
            mask = evidence['keypoints2d_mask'] * mask.to(kp)
            found['joints'] = joint_discrepancy(
                self.projection(kp, cam, **meta), evidence['keypoints2d'],
                mask)
            found['joints_mask'] = mask
        if iuv:
            if 'iuv' not in evidence:
                raise ValueError('D_M needs an IUV map in the inputs')
            size = tuple(evidence['iuv'].shape[-2:])
            rendered = render_compact_iuv(self.projection, cam,
                                          out['vertices'],
                                          self.atlas(cam.device), size,
                                          **meta)
            found['rendered_iuv'] = rendered
            found['iuv'] = iuv_discrepancy(rendered, evidence['iuv'])
        return found

    # ---- training -----------------------------------------------------
    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        gt = BatchGroundTruth(samples, head_out['pred_cam'].device)
        geo = self.step_geometry(head_out, samples)
        supervised = [('', head_out)]
        if self.supervise_streams and self.fusion is not None:
            supervised += [(f'_{name}', out)
                           for name, out in head_out['streams'].items()]
        meta = projection_meta(geo)

        def refine(suffix, pred):
            return {} if suffix else self._refine_terms(
                pred, head_out['evidence'], meta)
        losses = self.supervise(supervised, gt, geo, extra=refine,
                                uncertainty=self.uncertainty)
        if 'iuv' in self.losses:
            target = self._decoder_target(head_out, gt)
            decoded = head_out['iuv_decoded']
            losses['loss_iuv'] = self.losses['iuv'](
                decoded, downsample_iuv(target, decoded['index'].shape[-2:]))
        return losses

    def _refine_terms(self, pred: dict, evidence: dict, meta: dict) -> dict:
        """Eq. 7's terms of Θ_final against the input evidence."""
        wanted = [k for k in ('refine_keypoints2d', 'refine_iuv')
                  if k in self.losses]
        if not wanted:
            return {}
        found = self.alignment(pred, evidence, meta,
                               joints='refine_keypoints2d' in wanted,
                               iuv='refine_iuv' in wanted)
        terms = {}
        if 'joints' in found:
            # L2(ĵ, j) = mean of D_J's squares over the joints present
            terms['refine_keypoints2d'] = self.losses['refine_keypoints2d'](
                found['joints'], torch.zeros_like(found['joints']),
                found['joints_mask'])
        if 'rendered_iuv' in found:
            terms['refine_iuv'] = self.losses['refine_iuv'](
                found['rendered_iuv'], evidence['iuv'])
        return terms

    def _decoder_target(self, head_out: dict,
                        gt: BatchGroundTruth) -> Tensor:
        """The IUV decoder's target: clean ``gt_iuv`` when the samples
        carry it, else the input IUV map."""
        if gt.has('gt_iuv'):
            return gt('gt_iuv', 'iuv')
        target = head_out['evidence'].get('iuv_input')
        if target is None:
            raise KeyError("the 'iuv' loss needs gt_iuv in the samples "
                           "(SyntheticTargetsPreprocessor, targets=('iuv',))"
                           ' or IUV channels in the inputs')
        return target

    # ---- inference ----------------------------------------------------
    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]) -> List[HMRDataSample]:
        """:class:`MeshEstimator`'s predictions from Θ_final, plus
        ``pred_iuv`` (3, H, W) compact, when the decoder ran."""
        samples = super().predict(head_out, samples)
        if head_out.get('iuv_decoded') is not None:
            comp = predicted_compact_iuv(head_out['iuv_decoded'])
            for i, s in enumerate(samples):
                s.pred_iuv = comp[i].detach()
        return samples

