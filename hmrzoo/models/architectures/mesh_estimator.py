"""The image-to-mesh estimator: backbone -> global feature -> regressor head
-> body model -> projection.  HMR, CLIFF and the keypoint-heatmap variants
are configurations of this one class (a different projection or input is a
config change, never a copied estimator)."""
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.model import BaseModel
from torch import Tensor, nn

from ...cameras.cliff import bbox_info as compute_bbox_info
from ...registry import BODY_MODELS, CAMERAS, MODELS
from ...renderers.iuv_body_models import atlas_for
from ...structures import HMRDataSample
from .ground_truth import BatchGroundTruth

#: loss terms the estimator knows how to feed; a config names a subset.
LOSS_TERMS = ('keypoints3d', 'keypoints2d', 'pose', 'betas', 'vertices',
              'camera')


def roi_geometry(samples: Sequence[HMRDataSample],
                 device) -> Optional[Dict[str, Tensor]]:
    """The boxes the inputs were cut with, from the samples' metainfo
    (``roi_center`` (M, 2), ``roi_size`` (M,), ``img_wh`` (2,) and, when
    known, ``focal_length``), or None when the samples carry none.  An
    unknown focal length is CLIFF's estimate, the image diagonal.  Samples
    cut from real images also carry the exact (possibly rotated, non-square)
    crop: ``crop_trans`` (M, 2, 3) image -> crop pixels and ``crop_wh``
    (2,).

    Returns:
        dict: ``center`` (B, M, 2) and ``size`` (B, M) image pixels,
        ``img_wh`` (B, 2), ``focal`` (B,) pixels; with the samples' crops
        also ``crop_trans`` (B, M, 2, 3) and ``crop_wh`` (B, 2).
    """
    if not samples or 'roi_center' not in samples[0].metainfo:
        return None
    try:
        img_wh = torch.stack([torch.as_tensor(s.img_wh, dtype=torch.float32)
                              for s in samples]).to(device)
        geo = dict(
            center=torch.stack([torch.as_tensor(s.roi_center).reshape(-1, 2)
                                for s in samples]).to(device),
            size=torch.stack([torch.as_tensor(s.roi_size).reshape(-1)
                              for s in samples]).to(device),
            img_wh=img_wh,
            focal=torch.stack([
                torch.as_tensor(float(s.focal_length), device=device)
                if s.metainfo.get('focal_length') is not None
                else torch.linalg.vector_norm(wh)
                for s, wh in zip(samples, img_wh)]))
    except AttributeError as err:
        raise KeyError(f'data samples with roi_center also need roi_size '
                       f'and img_wh in their metainfo: {err}') from None
    if 'crop_trans' in samples[0].metainfo:
        geo['crop_trans'] = torch.stack([
            torch.as_tensor(s.crop_trans, dtype=torch.float32).reshape(
                -1, 2, 3) for s in samples]).to(device)
        geo['crop_wh'] = torch.stack([
            torch.as_tensor(s.crop_wh, dtype=torch.float32)
            for s in samples]).to(device)
    return geo


def projection_meta(geo: Optional[Dict[str, Tensor]]) -> dict:
    """Per-row (B*M) ``meta`` of a projection from :func:`roi_geometry`:
    ``center``, ``bbox_size``, ``img_size``, ``focal_length`` and the
    ``crop_trans`` / ``crop_size`` that map image pixels to each RoI's
    normalised crop coordinates: the samples' own crops when they carry
    them, else the square box ``(p - c) / (b / 2)``."""
    if geo is None:
        return {}
    m = geo['center'].shape[1]
    center, size = geo['center'].reshape(-1, 2), geo['size'].reshape(-1)
    if 'crop_trans' in geo:
        crop_trans = geo['crop_trans'].reshape(-1, 2, 3).to(size)
        crop_size = geo['crop_wh'].repeat_interleave(m, 0).to(size)
    else:
        corner = center - size[:, None] / 2
        crop_trans = torch.zeros(len(size), 2, 3, dtype=size.dtype,
                                 device=size.device)
        crop_trans[:, 0, 0] = crop_trans[:, 1, 1] = 1.
        crop_trans[:, :, 2] = -corner
        crop_size = size[:, None].expand(-1, 2)
    return dict(center=center, bbox_size=size,
                img_size=geo['img_wh'].repeat_interleave(m, 0).to(size),
                focal_length=geo['focal'].repeat_interleave(m, 0).to(size),
                crop_trans=crop_trans, crop_size=crop_size)


@MODELS.register_module()
class MeshEstimator(BaseModel):
    """Regress body-model parameters and a camera from an image-like input.

    Args:
        backbone (dict): a backbone returning a tuple of feature maps; the
            last one is average-pooled into the global feature.
        head (dict): a regressor head (e.g. :class:`IEFHead`).
        body_model (dict): body-model config (BODY_MODELS).
        projection (dict): projection config (CAMERAS) applied to the
            predicted keypoints with the predicted camera; its output frame
            must be the frame of ``gt_keypoints2d``.
        losses (dict): ``term -> loss config`` for terms in
            :data:`LOSS_TERMS`; a term left out is not computed.
        root_indices (sequence[int]): keypoints whose mean is the root that
            3D keypoints and vertices are centred on in the losses.
        supervise_all_iters (bool): apply the losses to every iteration of
            the head (as PyMAF does) rather than the last one (SPIN).
        bbox_info (str, optional): feed CLIFF's bounding-box information
            (:func:`hmrzoo.cameras.bbox_info`, ``'cliff'`` or ``'plain'``
            normalisation) to the head as its extra input; it is computed
            from the samples' RoI metainfo (see :func:`roi_geometry`).
            None (HMR): no extra input.
        data_preprocessor (dict): builds the batch.

    Inputs are (B, C, H, W), or (B, 1, C, H, W) (one RoI per sample, as
    the RoI preprocessors produce for CLIFF).  When the samples carry RoI
    metainfo, the projection receives it as ``meta`` (see
    :func:`projection_meta`), so CLIFF's full-frame reprojection is a
    change of the ``projection`` config.
    """

    #: loss terms the estimator knows how to feed
    loss_terms = LOSS_TERMS

    def __init__(self, backbone: dict, head: dict, body_model: dict,
                 projection: dict, losses: Optional[dict] = None,
                 root_indices: Sequence[int] = (0,),
                 supervise_all_iters: bool = False,
                 bbox_info: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = self._build_head(head)
        self.body_model = BODY_MODELS.build(body_model)
        self.projection = CAMERAS.build(projection)
        losses = dict(losses or {})
        unknown = set(losses) - set(self.loss_terms)
        if unknown:
            raise ValueError(f'unknown loss term(s) {sorted(unknown)} in '
                             f'{type(self).__name__}.losses; known terms: '
                             f'{list(self.loss_terms)}')
        if bbox_info not in (None, 'cliff', 'plain'):
            raise ValueError("bbox_info must be None, 'cliff' or 'plain', "
                             f'got {bbox_info!r}')
        self.bbox_info = bbox_info
        self.losses = nn.ModuleDict(
            {k: MODELS.build(v) for k, v in losses.items() if v is not None})
        self.root_indices = list(root_indices)
        self.supervise_all_iters = supervise_all_iters

    def _build_head(self, head: dict) -> nn.Module:
        """Build the regressor head (subclasses with several regressors
        override this)."""
        return MODELS.build(head)

    # ---- forward ------------------------------------------------------
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """(N, C, H, W) input -> (N, C') global feature."""
        return self.backbone(inputs)[-1].mean(dim=(2, 3))

    def one_roi(self, inputs: Tensor) -> Tensor:
        """(B, C, H, W) from (B, C, H, W) or (B, 1, C, H, W) inputs."""
        if inputs.dim() == 5:
            if inputs.shape[1] != 1:
                raise ValueError(
                    f'{type(self).__name__} takes one RoI per sample, got '
                    f'{inputs.shape[1]}; use MultiRoIEstimator for several')
            inputs = inputs[:, 0]
        return inputs

    def roi_bbox_info(self, geo: Optional[Dict[str, Tensor]]) -> Tensor:
        """(B, M, 3) bbox information of every RoI (``self.bbox_info``
        normalisation, 'cliff' when unset)."""
        if geo is None:
            raise ValueError(f'{type(self).__name__} needs the RoI metainfo '
                             '(roi_center, roi_size, img_wh, focal_length) of '
                             'its data samples for the bbox information')
        b, m = geo['size'].shape
        info = compute_bbox_info(
            geo['center'].reshape(-1, 2), geo['size'].reshape(-1),
            geo['img_wh'].repeat_interleave(m, 0),
            geo['focal'].repeat_interleave(m, 0),
            normalise=self.bbox_info or 'cliff')
        return info.reshape(b, m, 3)

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        feat = self.extract_feat(self.one_roi(inputs))
        if self.bbox_info:
            geo = roi_geometry(data_samples, feat.device)
            head_out = self.head(feat, self.roi_bbox_info(geo)[:, 0])
        else:
            head_out = self.head(feat)
        return self.finish(head_out, data_samples, mode)

    def finish(self, head_out: dict,
               data_samples: Optional[List[HMRDataSample]], mode: str):
        """The end of ``forward``: the head output ('tensor'), the losses
        ('loss') or the filled data samples ('predict')."""
        if mode == 'tensor':
            return head_out
        if mode == 'loss':
            return self.loss(head_out, data_samples)
        if mode == 'predict':
            return self.predict(head_out, data_samples)
        raise ValueError(f'mode must be tensor, loss or predict; got {mode!r}')

    def run_body_model(self, pose: Tensor, shape: Tensor,
                       transl: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """pose (B, J, 3, 3), shape (B, S) -> body-model output dict."""
        return self.body_model(pose[:, :1], pose[:, 1:], shape, transl=transl)

    def atlas(self, device):
        """The body model's IUV atlas on ``device`` (built once per
        device), for rendering IUV from predicted or ground-truth bodies."""
        atlases = self.__dict__.setdefault('_atlases', {})
        if str(device) not in atlases:
            atlases[str(device)] = atlas_for(self.body_model).to(device)
        return atlases[str(device)]

    def _root(self, kp: Tensor) -> Tensor:
        return kp[:, self.root_indices].mean(dim=1, keepdim=True)

    # ---- training -----------------------------------------------------
    def loss(self, head_out: dict, samples: List[HMRDataSample],
             gt: Optional[BatchGroundTruth] = None) -> dict:
        """The loss terms; ``gt`` lets a subclass share the batch's
        stacked ground truth (and the body posed from it) with its own
        terms."""
        device = head_out['pred_cam_list'][-1].device
        if gt is None:
            gt = BatchGroundTruth(samples, device)
        iters = range(len(head_out['pred_pose_list'])) \
            if self.supervise_all_iters else [-1]
        losses: Dict[str, Tensor] = {}
        meta = projection_meta(roi_geometry(samples, device))
        for it in iters:
            pose = head_out['pred_pose_list'][it]
            shape = head_out['pred_shape_list'][it]
            cam = head_out['pred_cam_list'][it]
            out = self.run_body_model(pose, shape)
            kp, verts = out['keypoints'], out['vertices']
            terms = self._loss_terms(kp, verts, pose, shape, cam, gt, meta)
            suffix = '' if it == -1 or it == len(iters) - 1 else f'_it{it}'
            losses.update({f'loss_{k}{suffix}': v for k, v in terms.items()})
        return losses

    def _loss_terms(self, kp, verts, pose, shape, cam, gt, meta) -> dict:
        """The loss terms of one head iteration.

        ``kp`` (B, K, 3), ``verts`` (B, V, 3), ``pose`` (B, J, 3, 3),
        ``shape`` (B, S) are per sample; ``cam`` is (B, 3) or (B, M, 3)
        (one camera per RoI, each compared with that RoI's
        ``gt_keypoints2d`` (B, M, K, 2)); ``meta`` holds per-row (B*M)
        projection metainfo.
        """
        terms = {}
        cam_dim = cam.shape[-1]
        rois = cam.numel() // (cam.shape[0] * cam_dim)
        cam = cam.reshape(-1, cam_dim)
        L = self.losses
        if 'keypoints3d' in L:
            gkp = gt('gt_keypoints3d', 'keypoints3d')
            mask = gt('gt_keypoints3d_mask', 'keypoints3d')
            terms['keypoints3d'] = L['keypoints3d'](
                kp - self._root(kp), gkp - self._root(gkp), mask)
        if 'keypoints2d' in L:
            gkp2d = gt('gt_keypoints2d', 'keypoints2d')
            mask2d = gt('gt_keypoints2d_mask', 'keypoints2d')
            if mask2d.dim() == 2 and rois > 1:  # (B, K) -> (B*M, K)
                mask2d = mask2d.repeat_interleave(rois, 0)
            terms['keypoints2d'] = L['keypoints2d'](
                self.projection(kp.repeat_interleave(rois, 0), cam, **meta),
                gkp2d.reshape(-1, *gkp2d.shape[-2:]), mask2d)
        # rows without body-model parameters (2D-only datasets) are masked
        has_smpl = gt.smpl_mask()
        if 'pose' in L:
            gpose = torch.cat([gt('gt_global_orient', 'pose'),
                               gt('gt_body_pose', 'pose')], dim=1)
            terms['pose'] = L['pose'](pose, gpose, has_smpl)
        if 'betas' in L:
            terms['betas'] = L['betas'](shape, gt('gt_betas', 'betas'),
                                        has_smpl)
        if 'vertices' in L:
            gverts, groot = gt.mesh(self.run_body_model, self._root)
            terms['vertices'] = L['vertices'](
                verts - self._root(kp), gverts - groot, has_smpl)
        if 'camera' in L:
            terms['camera'] = L['camera'](cam)
        return terms

    # ---- inference ----------------------------------------------------
    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]) -> List[HMRDataSample]:
        """Fill ``pred_*`` fields; with several RoIs, RoI 0 (the person's
        own bbox) gives the camera, as Multi-RoI evaluates."""
        cam = head_out['pred_cam']
        batch = cam.shape[0]
        geo = roi_geometry(samples, cam.device)
        meta = {}
        if cam.dim() == 3:
            cam = cam[:, 0]
            if geo is not None:
                geo = {k: v[:, :1] if k in ('center', 'size', 'crop_trans')
                       else v for k, v in geo.items()}
        if geo is not None:
            meta = projection_meta(geo)
        transl = self.projection.camera_translation(cam, **meta)
        out = self.run_body_model(head_out['pred_pose'],
                                  head_out['pred_shape'], transl=transl)
        if samples is None:
            samples = [HMRDataSample() for _ in range(batch)]
        for i, s in enumerate(samples):
            s.pred_keypoints3d = out['keypoints'][i].detach()
            s.pred_vertices = out['vertices'][i].detach()
            s.pred_pose = head_out['pred_pose'][i].detach()
            s.pred_betas = head_out['pred_shape'][i].detach()
            s.pred_cam = cam[i].detach()
        return samples
