"""The estimator core every method builds on: a body model, a projection and
the loss component, built from config in ``__init__`` with no hook a
subclass must fill first; and the common ends of a step (losses through
:class:`~hmrzoo.models.losses.MeshLosses`, predictions, the IUV atlas).

A method's estimator adds its own slots (a backbone and head, CRA's streams
and fusion ...) after ``super().__init__`` and writes ``forward``; a head
gets its Θ sizes (joints, betas, camera) from :meth:`theta_sizes`, the
built body model and projection, rather than from repeated config keys.
"""
import inspect
from typing import Dict, List, Optional, Sequence

from mmengine.model import BaseModel
from torch import Tensor

from ...registry import BODY_MODELS, CAMERAS, MODELS
from ...renderers.iuv_body_models import atlas_for
from ...structures import (HMRDataSample, RoIGeometry, check_data_samples,
                          projection_meta)
from ..losses import ESTIMATE_TERMS, BatchGroundTruth

#: loss terms every estimator can feed (a config names a subset)
LOSS_TERMS = ESTIMATE_TERMS


def output_device(head_out: dict):
    """The device of a head output's camera."""
    cam = head_out['pred_cam'] if 'pred_cam' in head_out else \
        head_out['pred_cam_list'][-1]
    return cam.device


def one_roi(inputs: Tensor, owner: str) -> Tensor:
    """(B, C, H, W) from (B, C, H, W) or (B, 1, C, H, W) inputs."""
    if inputs.dim() == 5:
        if inputs.shape[1] != 1:
            raise ValueError(
                f'{owner} takes one RoI per sample, got {inputs.shape[1]}; '
                'use MultiRoIEstimator for several')
        inputs = inputs[:, 0]
    return inputs


@MODELS.register_module()
class BaseMeshEstimator(BaseModel):
    """Body model, projection and losses of a mesh estimator.

    Args:
        body_model (dict): body-model config (BODY_MODELS).
        projection (dict): projection config (CAMERAS); its output frame
            must be the frame of ``gt_keypoints2d``.
        losses (dict): ``term -> loss config`` for terms in
            ``loss_terms``; a term left out is not computed.
        root_indices (sequence[int]): keypoints whose mean is the root that
            3D keypoints and vertices are centred on in the losses.
        loss_component (dict): the loss component's type and options
            (default :class:`~hmrzoo.models.losses.MeshLosses`).
        data_preprocessor (dict): builds the batch.
    """

    #: loss terms the estimator knows how to feed
    loss_terms: Sequence[str] = LOSS_TERMS

    def __init__(self, body_model: dict, projection: dict,
                 losses: Optional[dict] = None,
                 root_indices: Sequence[int] = (0, ),
                 loss_component: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.body_model = BODY_MODELS.build(body_model)
        self.projection = CAMERAS.build(projection)
        self.losses = MODELS.build(dict(
            dict(type='MeshLosses', **(loss_component or {})), terms=losses,
            known_terms=tuple(self.loss_terms),
            root_indices=list(root_indices), owner=type(self).__name__))

    @property
    def root_indices(self) -> List[int]:
        return self.losses.root_indices

    def theta_sizes(self) -> Dict[str, int]:
        """Θ's layout from the built components: ``num_joints``,
        ``num_betas`` (body model) and ``cam_dim`` (projection)."""
        return dict(num_joints=int(self.body_model.num_joints),
                    num_betas=int(self.body_model.num_betas),
                    cam_dim=int(self.projection.cam_dim))

    def input_sizes(self) -> Dict[str, int]:
        """What the data preprocessor knows of the network input before
        any batch: ``in_channels`` (its ``network_channels``, channels of
        one RoI's input) and ``num_rois`` (its ``num_rois``); a size the
        preprocessor cannot know (e.g. real images, keypoints from a file
        without a declared convention) is left out and must be stated."""
        pre = self.data_preprocessor
        sizes = dict(in_channels=getattr(pre, 'network_channels', None),
                     num_rois=getattr(pre, 'num_rois', None))
        return {k: int(v) for k, v in sizes.items() if v is not None}

    def with_theta_sizes(self, cfg: dict, key: str = 'head') -> dict:
        """``cfg`` with Θ's sizes filled in where its type takes them; a
        size the config states must agree with the built components."""
        return self.with_sizes(cfg, key, self.theta_sizes(),
                               'the body model / projection')

    @staticmethod
    def with_sizes(cfg: dict, key: str, sizes: Dict[str, int],
                   source: str) -> dict:
        """``cfg`` with each of ``sizes`` filled in where its type takes
        that argument; a value the config states must equal the derived
        one (``source`` names where it comes from in the message)."""
        cls = MODELS.get(cfg['type'])
        if cls is None:
            raise KeyError(f'{key}: no model component named '
                           f'{cfg["type"]!r} is registered')
        accepted = inspect.signature(cls).parameters
        out = dict(cfg)
        for name, value in sizes.items():
            if name not in accepted:
                continue
            if out.setdefault(name, value) != value:
                raise ValueError(
                    f'{key}.{name}={out[name]}, but {source} gives '
                    f'{name}={value}: drop {key}.{name} from the config (it '
                    'is derived) or fix it')
        return out

    # ---- shared pieces of a step -------------------------------------
    def geometry(self, samples: Optional[Sequence[HMRDataSample]],
                 device) -> Optional[RoIGeometry]:
        """The RoI geometry of the samples (None without RoI metainfo)."""
        return RoIGeometry.from_samples(samples, device)

    def step_geometry(self, head_out: dict,
                      samples: Optional[Sequence[HMRDataSample]]
                      ) -> Optional[RoIGeometry]:
        """The geometry ``forward`` read (``head_out['geometry']``), or,
        for a head output built elsewhere, the samples' own."""
        if 'geometry' in head_out:
            return head_out['geometry']
        return self.geometry(samples, output_device(head_out))

    def finish(self, head_out: dict,
               data_samples: Optional[List[HMRDataSample]], mode: str):
        """The end of ``forward``: the head output ('tensor'), the losses
        ('loss') or the filled data samples ('predict')."""
        if mode == 'tensor':
            return head_out
        owner = type(self).__name__
        check_data_samples(data_samples, f'{owner} input')
        if mode == 'loss':
            return self.loss(head_out, data_samples)
        if mode == 'predict':
            out = self.predict(head_out, data_samples)
            check_data_samples(out, f'{owner}.predict')
            return out
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

    def supervise(self, estimates, gt: BatchGroundTruth,
                  geo: Optional[RoIGeometry], **kwargs) -> Dict[str, Tensor]:
        """:meth:`MeshLosses.supervise` with this estimator's projection,
        body model and the step's projection metainfo."""
        return self.losses.supervise(estimates, gt, projection_meta(geo),
                                     self.projection, self.run_body_model,
                                     **kwargs)

    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        """The configured terms of the final estimate."""
        gt = BatchGroundTruth(samples, output_device(head_out))
        return self.supervise([('', head_out)], gt,
                              self.step_geometry(head_out, samples))

    # ---- inference ----------------------------------------------------
    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]) -> List[HMRDataSample]:
        """Fill ``pred_*`` fields; with several RoIs, RoI 0 (the person's
        own bbox) gives the camera, as Multi-RoI evaluates."""
        cam = head_out['pred_cam']
        batch = cam.shape[0]
        geo = self.step_geometry(head_out, samples)
        if cam.dim() == 3:
            cam = cam[:, 0]
            if geo is not None:
                geo = geo.first_roi()
        transl = self.projection.camera_translation(cam,
                                                    **projection_meta(geo))
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
