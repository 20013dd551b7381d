"""The image-to-mesh estimator: backbone -> global feature -> regressor head
-> body model -> projection.  HMR, CLIFF and the keypoint-heatmap variants
are configurations of this one class (a different projection or input is a
config change, never a copied estimator)."""
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.model import BaseModel
from torch import Tensor, nn

from ...registry import BODY_MODELS, CAMERAS, MODELS
from ...structures import HMRDataSample

#: loss terms the estimator knows how to feed; a config names a subset.
LOSS_TERMS = ('keypoints3d', 'keypoints2d', 'pose', 'betas', 'vertices',
              'camera')


def stack_field(samples: Sequence[HMRDataSample], key: str, device,
                needed_by: str = '') -> Tensor:
    """Stack one field of every data sample into a batch tensor."""
    try:
        values = [getattr(s, key) for s in samples]
    except AttributeError:
        hint = f' (needed by {needed_by})' if needed_by else ''
        raise KeyError(f'data sample has no field {key!r}{hint}; fields '
                       f'present: {sorted(samples[0].keys())}') from None
    return torch.stack([torch.as_tensor(v) for v in values]).to(device)


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
        data_preprocessor (dict): builds the batch.
    """

    def __init__(self, backbone: dict, head: dict, body_model: dict,
                 projection: dict, losses: Optional[dict] = None,
                 root_indices: Sequence[int] = (0,),
                 supervise_all_iters: bool = False,
                 data_preprocessor: Optional[dict] = None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)
        self.body_model = BODY_MODELS.build(body_model)
        self.projection = CAMERAS.build(projection)
        losses = dict(losses or {})
        unknown = set(losses) - set(LOSS_TERMS)
        if unknown:
            raise ValueError(f'unknown loss term(s) {sorted(unknown)} in '
                             f'{type(self).__name__}.losses; known terms: '
                             f'{list(LOSS_TERMS)}')
        self.losses = nn.ModuleDict(
            {k: MODELS.build(v) for k, v in losses.items() if v is not None})
        self.root_indices = list(root_indices)
        self.supervise_all_iters = supervise_all_iters

    # ---- forward ------------------------------------------------------
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """(B, C, H, W) input -> (B, C') global feature."""
        return self.backbone(inputs)[-1].mean(dim=(2, 3))

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        head_out = self.head(self.extract_feat(inputs))
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

    def _root(self, kp: Tensor) -> Tensor:
        return kp[:, self.root_indices].mean(dim=1, keepdim=True)

    # ---- training -----------------------------------------------------
    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        device = head_out['pred_cam_list'][-1].device
        stacked: Dict[str, Tensor] = {}

        def gt(key: str, term: str) -> Tensor:
            # each ground-truth field is stacked once, whatever the number
            # of terms and supervised iterations that read it
            if key not in stacked:
                stacked[key] = stack_field(samples, key, device, term)
            return stacked[key]
        iters = range(len(head_out['pred_pose_list'])) \
            if self.supervise_all_iters else [-1]
        losses: Dict[str, Tensor] = {}
        for it in iters:
            pose = head_out['pred_pose_list'][it]
            shape = head_out['pred_shape_list'][it]
            cam = head_out['pred_cam_list'][it]
            out = self.run_body_model(pose, shape)
            kp, verts = out['keypoints'], out['vertices']
            terms = self._loss_terms(kp, verts, pose, shape, cam, gt)
            suffix = '' if it == -1 or it == len(iters) - 1 else f'_it{it}'
            losses.update({f'loss_{k}{suffix}': v for k, v in terms.items()})
        return losses

    def _loss_terms(self, kp, verts, pose, shape, cam, gt) -> dict:
        terms = {}
        L = self.losses
        if 'keypoints3d' in L:
            gkp = gt('gt_keypoints3d', 'keypoints3d')
            mask = gt('gt_keypoints3d_mask', 'keypoints3d')
            terms['keypoints3d'] = L['keypoints3d'](
                kp - self._root(kp), gkp - self._root(gkp), mask)
        if 'keypoints2d' in L:
            terms['keypoints2d'] = L['keypoints2d'](
                self.projection(kp, cam), gt('gt_keypoints2d', 'keypoints2d'),
                gt('gt_keypoints2d_mask', 'keypoints2d'))
        if 'pose' in L:
            gpose = torch.cat([gt('gt_global_orient', 'pose'),
                               gt('gt_body_pose', 'pose')], dim=1)
            terms['pose'] = L['pose'](pose, gpose)
        if 'betas' in L:
            terms['betas'] = L['betas'](shape, gt('gt_betas', 'betas'))
        if 'vertices' in L:
            gkp = gt('gt_keypoints3d', 'vertices')
            terms['vertices'] = L['vertices'](
                verts - self._root(kp),
                gt('gt_vertices', 'vertices') - self._root(gkp))
        if 'camera' in L:
            terms['camera'] = L['camera'](cam)
        return terms

    # ---- inference ----------------------------------------------------
    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]) -> List[HMRDataSample]:
        cam = head_out['pred_cam']
        transl = self.projection.camera_translation(cam)
        out = self.run_body_model(head_out['pred_pose'],
                                  head_out['pred_shape'], transl=transl)
        if samples is None:
            samples = [HMRDataSample() for _ in range(cam.shape[0])]
        for i, s in enumerate(samples):
            s.pred_keypoints3d = out['keypoints'][i].detach()
            s.pred_vertices = out['vertices'][i].detach()
            s.pred_pose = head_out['pred_pose'][i].detach()
            s.pred_betas = head_out['pred_shape'][i].detach()
            s.pred_cam = cam[i].detach()
        return samples
