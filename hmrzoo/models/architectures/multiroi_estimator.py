"""Multi-RoI HMR (``003_f4ff51958fd81859.txt``): CLIFF's estimator with M
RoIs per person, RoI-aware fusion, per-RoI cameras and two regularisers.

Everything CLIFF has (backbone, body model, full-frame projection, SPIN
losses) comes from :class:`MeshEstimator`; this class adds the RoI axis,
the fusion neck, the projection head of the contrastive loss and the two
extra loss terms.
"""
from typing import List, Optional

from torch import Tensor, nn

from ...registry import MODELS
from ...structures import HMRDataSample
from ...cameras.multiroi import full_to_local, local_to_full
from .base_estimator import LOSS_TERMS
from .mesh_estimator import MeshEstimator


def contrast_projection(in_channels: int, out_channels: int) -> nn.Module:
    """The projection into the contrastive z-space (official layout:
    fc -> BN -> ReLU -> fc without bias -> BN)."""
    return nn.Sequential(
        nn.Linear(in_channels, in_channels), nn.BatchNorm1d(in_channels),
        nn.ReLU(inplace=True),
        nn.Linear(in_channels, out_channels, bias=False),
        nn.BatchNorm1d(out_channels))


@MODELS.register_module()
class MultiRoIEstimator(MeshEstimator):
    """Regress one mesh and M local cameras from M RoIs of a person.

    Pipeline: RoIs (B, M, C, H, W) -> shared backbone -> features h
    (B, M, F) -> ``neck`` (RoI-aware fusion; None = no fusion, u = h) ->
    :class:`~hmrzoo.models.heads.MultiRoIHead` (mesh from ū, camera per
    u_m, with every RoI's bbox information) -> body model.  Losses:

    * the :class:`MeshEstimator` terms: 3D keypoints, pose, betas and
      vertices of the shared mesh; ``keypoints2d`` for every RoI, the mesh
      projected with the full-image camera that RoI's local camera implies
      (``CliffFullFrameProjection``) and compared in that RoI's crop
      (eq. 18 sums over m; here averaged); ``camera`` on every local scale;
    * ``camera_consistency`` (eq. 15-16) on the local cameras and boxes;
    * ``contrastive`` (eq. 17) on ``z = P(h)``, the projected backbone
      features of all RoIs of the batch's persons.

    Args:
        neck (dict, optional): fusion config (``RoIAwareFusion``); None
            switches fusion off (Table 2, "RAF" off).
        contrast_channels (int, optional): size of z; defaults to the
            feature size.  The projection exists only when the
            ``contrastive`` loss is configured.
        bbox_info (str): bbox-information normalisation ('cliff').
        consistent_init (bool): start the per-RoI cameras of the iterative
            regression from cameras that imply one full camera (the mean
            camera read as RoI 0's, :meth:`consistent_init_cams`) instead of
            the same mean camera for every RoI.  The official code starts
            every RoI from the mean camera, where the camera-consistency
            loss is large (RoIs of different sizes need different scales);
            trained from scratch this made the scales run away and the
            training diverge, so hmrzoo starts consistent.
        contrast_gate (bool): project ``h · sigmoid(relu(h))`` instead of
            ``h`` into the contrastive space, as the official code does
            (the official-layout configs set it).
        **kwargs: :class:`MeshEstimator` arguments (backbone, head,
            body_model, projection, losses, ...).

    At test time RoI 0 (the person's own bbox) gives the camera.
    """

    loss_terms = LOSS_TERMS + ('camera_consistency', 'contrastive')

    def __init__(self, *args, neck: Optional[dict] = None,
                 contrast_channels: Optional[int] = None,
                 bbox_info: str = 'cliff', consistent_init: bool = True,
                 contrast_gate: bool = False, **kwargs):
        super().__init__(*args, neck=neck, bbox_info=bbox_info, **kwargs)
        self.consistent_init = consistent_init
        self.contrast_gate = contrast_gate
        self.contrast_head = None
        if 'contrastive' in self.losses:
            feat = self.head.in_channels
            self.contrast_head = contrast_projection(
                feat, contrast_channels or feat)

    def consistent_init_cams(self, geo: dict) -> Tensor:
        """(B, M, 3) starting cameras that agree on one full camera: the
        head's mean camera taken as RoI 0's, converted to the full image
        (eq. 12) and back into every RoI (eq. 13)."""
        boxes = geo.boxes()                                     # (B, M, 3)
        focal = geo.focal[:, None]
        mean = self.head.init_cam.to(boxes)[:, :3].expand(boxes.shape[0], -1)
        full = local_to_full(mean, boxes[:, 0], geo.focal)
        return full_to_local(full[:, None].expand_as(boxes), boxes, focal)

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        if inputs.dim() != 5:
            raise ValueError('MultiRoIEstimator takes inputs of shape '
                             f'(B, M, C, H, W), got {tuple(inputs.shape)}')
        b, m = inputs.shape[:2]
        feat = self.extract_feat(inputs.flatten(0, 1)).reshape(b, m, -1)
        geo = self.geometry(data_samples, feat.device)
        boxes = self.roi_bbox_info(geo)
        fused = self.neck(feat, boxes) if self.neck is not None else feat
        init_cam = self.consistent_init_cams(geo) if self.consistent_init \
            else None
        head_out = self.head(fused, boxes, init_cam)
        head_out['geometry'] = geo
        if self.contrast_head is not None and mode == 'loss':
            gated = feat * feat.relu().sigmoid() if self.contrast_gate \
                else feat
            head_out['contrast_features'] = self.contrast_head(
                gated.flatten(0, 1)).reshape(b, m, -1)
        return self.finish(head_out, data_samples, mode)

    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        losses = super().loss(head_out, samples)
        if 'camera_consistency' in self.losses:
            losses['loss_camera_consistency'] = \
                self.losses['camera_consistency'](
                    head_out['pred_cam'],
                    self.step_geometry(head_out, samples).boxes())
        if 'contrastive' in self.losses:
            losses['loss_contrastive'] = self.losses['contrastive'](
                head_out['contrast_features'])
        return losses

    def extra_repr(self) -> str:
        return f'num_rois={self.head.num_rois}'

