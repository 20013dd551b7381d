"""The self-supervised joints+depth estimator (``001_01caa0c91b604013.txt``):
joint heatmaps ⊕ trimmed depth -> ResNet-18 -> :class:`LatentPoseHead`
(frozen pose prior) -> body model -> weak perspective; trained only by
:class:`~hmrzoo.models.losses.SelfConsistencyLoss` against the input
evidence, never against ground truth.
"""
from typing import List, Optional

import torch
from torch import Tensor

from ...conventions import convert_kps
from ...registry import MODELS, RENDERERS
from ...structures import HMRDataSample, stack_field
from .base_estimator import output_device
from .mesh_estimator import MeshEstimator


@MODELS.register_module()
class SelfSupDepthEstimator(MeshEstimator):
    """:class:`MeshEstimator` whose loss is self-consistency with the
    evidence.

    The evidence is read from the data samples (what the evidence
    preprocessors write, synthetic or detected): ``input_keypoints2d``
    (K, 2) normalised crop coordinates + ``input_keypoints2d_mask`` and
    ``input_depth`` (1, H, W) (the trimmed map when the preprocessor trims;
    0 = no value).  The predicted body is projected with the configured
    projection and its depth rendered on an (H, W) map over the same crop
    (the projection's ``image_camera``, differentiable depth).

    Args:
        self_consistency (dict): the loss component
            (``SelfConsistencyLoss``).
        input_convention (str): convention of the input joints.
        renderer (dict): ``RENDERERS`` config of the depth renderer.
        **kwargs: :class:`MeshEstimator` arguments (``backbone``,
            ``head``, ``body_model``, ``projection``, ...); ``losses`` must
            stay empty (no ground-truth term).
    """

    loss_terms = ()

    def __init__(self, self_consistency: dict, input_convention: str = 'coco',
                 renderer: dict = dict(type='BodyMapRenderer'), **kwargs):
        if kwargs.get('losses'):
            raise ValueError('SelfSupDepthEstimator trains without ground '
                             'truth: leave model.losses empty and configure '
                             'model.self_consistency')
        super().__init__(**kwargs)
        self.input_convention = input_convention
        self.self_consistency = MODELS.build(dict(
            self_consistency, input_convention=input_convention))
        self.renderer = RENDERERS.build(renderer)

    def projected_joints(self, out: dict, cam: Tensor):
        """(B, K, 2) the body's keypoints in the input convention projected
        into the crop, and the (K,) mask of those the body model has."""
        kp, mask = convert_kps(out['keypoints'],
                               self.body_model.keypoint_convention,
                               self.input_convention)
        return self.projection(kp, cam), torch.as_tensor(
            mask, dtype=kp.dtype, device=kp.device)

    def render_depth(self, vertices: Tensor, cam: Tensor, size) -> Tensor:
        """(B, H, W) differentiable depth of ``vertices`` (B, V, 3, body
        frame, global rotation applied) seen by the projection's camera."""
        camera = self.projection.image_camera(cam, size)
        return self.renderer.render(vertices, camera,
                                    self.atlas(vertices.device), size,
                                    ('depth', ), differentiable=True
                                    )['depth'][:, 0]

    def evidence(self, samples: List[HMRDataSample], device) -> dict:
        """The input evidence of a batch (the only data the loss reads)."""
        ev = dict(keypoints=stack_field(samples, 'input_keypoints2d', device),
                  mask=stack_field(samples, 'input_keypoints2d_mask',
                                   device).float())
        # the reliability MLP needs depth='bones' (SelfConsistencyLoss)
        if self.self_consistency.depth is not None:
            ev['depth'] = stack_field(samples, 'input_depth', device)[:, 0]
        return ev

    def loss(self, head_out: dict, samples: List[HMRDataSample],
             gt=None) -> dict:
        ev = self.evidence(samples, output_device(head_out))
        cam, shape = head_out['pred_cam'], head_out['pred_shape']
        out = self.run_body_model(head_out['pred_pose'], shape)
        pred_kp, kp_mask = self.projected_joints(out, cam)
        depth = ev.get('depth')
        pred_depth = None if self.self_consistency.depth is None else \
            self.render_depth(out['vertices'], cam, tuple(depth.shape[-2:]))
        return self.self_consistency(pred_kp, pred_depth, ev['keypoints'],
                                     ev['mask'] * kp_mask, depth, shape)

    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]
                ) -> List[HMRDataSample]:
        """:meth:`MeshEstimator.predict`, plus ``pred_reliability`` (12,)
        where the samples carry the evidence the MLP reads."""
        samples = super().predict(head_out, samples)
        sc = self.self_consistency
        if sc.reliability is not None and all(
                'input_depth' in s and 'input_keypoints2d' in s
                for s in samples):
            ev = self.evidence(samples, output_device(head_out))
            w = sc.weights(ev['keypoints'], ev['mask'], ev['depth'])
            for s, wi in zip(samples, w.detach()):
                s.pred_reliability = wi
        return samples
