"""The image-to-mesh estimator: backbone [-> neck] -> regressor head -> body
model -> projection.  HMR, CLIFF and the keypoint-heatmap variants are
configurations of this one class (a different projection or input is a
config change, never a copied estimator); PyMAF and Multi-RoI extend it."""
from typing import List, Optional

from torch import Tensor

from ...cameras.cliff import bbox_info as compute_bbox_info
from ...registry import MODELS
from ...structures import HMRDataSample, RoIGeometry
from ..losses import BatchGroundTruth
from .base_estimator import BaseMeshEstimator, one_roi, output_device

#: size of CLIFF's bounding-box information (x, y offset and box size)
BBOX_INFO_SIZE = 3


def _only(sizes: dict, name: str) -> dict:
    """``{name: sizes[name]}``, or ``{}`` when ``sizes`` lacks it."""
    return {name: sizes[name]} if name in sizes else {}


@MODELS.register_module()
class MeshEstimator(BaseMeshEstimator):
    """Regress body-model parameters and a camera from an image-like input.

    Args:
        backbone (dict): a backbone returning a tuple of feature maps; the
            last one is average-pooled into the global feature.
        head (dict): a regressor head (e.g. :class:`IEFHead`); Θ's sizes
            it takes (``num_joints``, ``num_betas``, ``cam_dim``) default to
            the body model's and the projection's.
        neck (dict, optional): a module between backbone and head, used by
            the estimators that extend this one (PyMAF's pyramid,
            Multi-RoI's fusion).
        supervise_all_iters (bool): apply the losses to every iteration of
            the head (as PyMAF does) rather than the last one (SPIN).
        bbox_info (str, optional): feed CLIFF's bounding-box information
            (:func:`hmrzoo.cameras.bbox_info`, ``'cliff'`` or ``'plain'``
            normalisation) to the head as its extra input; it is computed
            from the samples' RoI metainfo (:class:`RoIGeometry`).  None
            (HMR): no extra input.
        **kwargs: :class:`BaseMeshEstimator` arguments (``body_model``,
            ``projection``, ``losses``, ``root_indices``,
            ``data_preprocessor``).

    Inputs are (B, C, H, W), or (B, 1, C, H, W) (one RoI per sample, as
    the RoI preprocessors produce for CLIFF).  When the samples carry RoI
    metainfo, the projection receives it as ``meta``
    (:meth:`RoIGeometry.projection_meta`), so CLIFF's full-frame
    reprojection is a change of the ``projection`` config.
    """

    def __init__(self, backbone: dict, head: Optional[dict] = None,
                 neck: Optional[dict] = None,
                 supervise_all_iters: bool = False,
                 bbox_info: Optional[str] = None, **kwargs):
        super().__init__(**kwargs)
        if bbox_info not in (None, 'cliff', 'plain'):
            raise ValueError("bbox_info must be None, 'cliff' or 'plain', "
                             f'got {bbox_info!r}')
        self.bbox_info = bbox_info
        self.supervise_all_iters = supervise_all_iters
        # built in this order (backbone, head, neck), which fixes how a
        # seeded run initialises them
        # derived sizes (a config states them only where no component
        # knows them): the backbone's input channels and the number of
        # RoIs from the data preprocessor, the head's and neck's input
        # channels from the backbone
        inputs = self.input_sizes()
        self.backbone = MODELS.build(self.with_sizes(
            backbone, 'backbone', _only(inputs, 'in_channels'),
            'the data preprocessor'))
        feat = self.feature_sizes()
        if head:
            head = self.with_theta_sizes(head)
            for sizes, source in (
                    (_only(inputs, 'num_rois'), 'the data preprocessor'),
                    (feat, 'the backbone'),
                    # CLIFF's bounding-box information: 3 extra inputs
                    (dict(extra_in=BBOX_INFO_SIZE) if bbox_info else {},
                     f'bbox_info={bbox_info!r}')):
                head = self.with_sizes(head, 'head', sizes, source)
        self.head = MODELS.build(head) if head else None
        if neck:
            neck = self.with_sizes(neck, 'neck', _only(inputs, 'num_rois'),
                                   'the data preprocessor')
            neck = self.with_sizes(neck, 'neck', feat, 'the backbone')
        self.neck = MODELS.build(neck) if neck else None

    def feature_sizes(self) -> dict:
        """``in_channels`` of what follows the backbone: the channels of
        its last feature map (its ``out_channels``, an int or one per output
        map), when it says."""
        channels = getattr(self.backbone, 'out_channels', None)
        if isinstance(channels, (tuple, list)):
            channels = channels[-1] if channels else None
        return {} if channels is None else dict(in_channels=int(channels))

    # ---- forward ------------------------------------------------------
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """(N, C, H, W) input -> (N, C') global feature."""
        return self.backbone(inputs)[-1].mean(dim=(2, 3))

    def one_roi(self, inputs: Tensor) -> Tensor:
        """(B, C, H, W) from (B, C, H, W) or (B, 1, C, H, W) inputs."""
        return one_roi(inputs, type(self).__name__)

    def roi_bbox_info(self, geo: Optional[RoIGeometry]) -> Tensor:
        """(B, M, 3) bbox information of every RoI (``self.bbox_info``
        normalisation, 'cliff' when unset)."""
        if geo is None:
            raise ValueError(f'{type(self).__name__} needs the RoI metainfo '
                             '(roi_center, roi_size, img_wh, focal_length) of '
                             'its data samples for the bbox information')
        b, m = geo.size.shape
        info = compute_bbox_info(
            geo.center.reshape(-1, 2), geo.size.reshape(-1),
            geo.img_wh.repeat_interleave(m, 0),
            geo.focal.repeat_interleave(m, 0),
            normalise=self.bbox_info or 'cliff')
        return info.reshape(b, m, 3)

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        feat = self.extract_feat(self.one_roi(inputs))
        geo = self.geometry(data_samples, feat.device)
        if self.bbox_info:
            head_out = self.head(feat, self.roi_bbox_info(geo)[:, 0])
        else:
            head_out = self.head(feat)
        head_out['geometry'] = geo
        return self.finish(head_out, data_samples, mode)

    # ---- training -----------------------------------------------------
    def iterations(self, head_out: dict):
        """``(suffix, estimate)`` of every supervised head iteration: the
        last one (suffix ``''``), and with ``supervise_all_iters`` the
        earlier ones too (``'_it<k>'``)."""
        count = len(head_out['pred_pose_list'])
        iters = range(count) if self.supervise_all_iters else [count - 1]
        return [('' if it == count - 1 else f'_it{it}',
                 dict(pred_pose=head_out['pred_pose_list'][it],
                      pred_shape=head_out['pred_shape_list'][it],
                      pred_cam=head_out['pred_cam_list'][it]))
                for it in iters]

    def loss(self, head_out: dict, samples: List[HMRDataSample],
             gt: Optional[BatchGroundTruth] = None) -> dict:
        """The loss terms of the supervised iterations; ``gt`` lets a
        subclass share the batch's stacked ground truth (and the body posed
        from it) with its own terms."""
        if gt is None:
            gt = BatchGroundTruth(samples, output_device(head_out))
        return self.supervise(self.iterations(head_out), gt,
                              self.step_geometry(head_out, samples))
