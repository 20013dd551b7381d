"""The whole-body estimator of the STS paper (``002_af7011e3ae1aeda9.txt``):
whole-body 2D keypoints -> per-part scale normalisation -> two-branch
regressor (:class:`~hmrzoo.models.heads.STSWholeBodyHead`) -> whole-body
model (SMPL-X, or Anny's whole-body variant) -> the configured projection
(weak-perspective, perspective with an estimated focal, or D2S).

Training (§III-C/D, §IV-B), with the paper's weights ``w_pm = 20``,
``w_3D = 60``, ``w_2D = 6``, ``w_r = 0.5``:

* every ``sts_interval``-th iteration is an **STS step**: the batch's
  complete parameter vectors supervise everything, ``L_pm`` (rotation
  matrices of the body, hand and jaw poses, and the expression, L2) and
  ``L_3D`` (3D keypoints, L2, each part centred on its own root: the body
  on its hips, each hand on its root, the face on its mean, so the hands'
  error is their own and not the arm's);
* the other iterations are **2D steps**: ``L_2D`` (L1 between the
  keypoints projected with the predicted camera and the 2D labels) and
  ``L_r``, what in-the-wild 2D data gives; ``weak_terms`` can add the
  body's ``L_3D`` (mocap-style body data);
* the first ``partial_pretrain_iters`` iterations train the partial branch
  alone on STS steps (hands and face posed on the ground-truth body), the
  paper's pre-training of the graph regressors before the whole network.

``L_r``, "rationality" in the paper (it follows HMR, whose prior is an
adversarial discriminator), is here a differentiable plausibility term:
the squared shape coefficients, the squared expression coefficients and a
squared hinge on knees and elbows bending the wrong way (angle about their
flexion axis); no discriminator is trained.  ``sts_interval = 0`` turns STS
off (the partial branch then learns from 2D only: Table III's ablation).
"""
from typing import Dict, List, Optional

import torch
from mmengine.logging import MessageHub
from torch import Tensor
from torch.nn import functional as F

from ...conventions import get_keypoint_names
from ...conventions.smpl import SMPL_24
from ...registry import MODELS
from ...structures import HMRDataSample, stack_field
from ..utils.part_normalisation import normalise_parts, part_indices
from .base_estimator import BaseMeshEstimator

_HAND_KEYS = ('left_hand_pose', 'right_hand_pose')
_KNEES = [SMPL_24.index(n) for n in ('left_knee', 'right_knee')]
_ELBOWS = [SMPL_24.index(n) for n in ('left_elbow', 'right_elbow')]


def wrong_bend(pose: Tensor) -> Tensor:
    """(B,) squared hinge on knees (flexion +x) and elbows (left -y, right
    +y) bending past straight; ``pose`` (B, >= 20, 3, 3) SMPL layout."""
    knee = torch.atan2(pose[:, _KNEES, 2, 1], pose[:, _KNEES, 1, 1])
    elbow = torch.atan2(pose[:, _ELBOWS, 0, 2], pose[:, _ELBOWS, 0, 0])
    elbow = elbow * elbow.new_tensor([1., -1.])
    return (F.relu(-knee) ** 2).sum(1) + (F.relu(elbow) ** 2).sum(1)


@MODELS.register_module()
class STSWholeBodyEstimator(BaseMeshEstimator):
    """Two-branch whole-body regression from 2D keypoints (module
    docstring).

    ``inputs`` (B, K, 3): keypoints of ``input_convention`` in normalised
    crop coordinates and a visibility column; an image embedding, when the
    head takes one, is read from the samples' ``image_feat``.

    Args:
        head (dict): the head config (sizes derived).
        input_convention (str): the keypoints' convention; the body model
            must give its keypoints in it.
        loss_weights (dict): ``pm``, ``kp3d``, ``kp2d``, ``r``.
        sts_interval (int): one STS step every this many iterations (0:
            none).
        partial_pretrain_iters (int): iterations of partial-branch
            pre-training first.
        weak_terms (sequence[str]): terms of the 2D steps among ``kp2d``,
            ``r``, ``kp3d_body``.
        body_root (sequence[str]): keypoint names whose mean is the body's
            root in ``L_3D``.
        **kwargs: :class:`BaseMeshEstimator` arguments (``body_model``,
            ``projection``, ``data_preprocessor``); ``losses`` stays empty.
    """

    loss_terms = ()

    def __init__(self, head: dict, input_convention: str = 'coco_wholebody',
                 loss_weights: Optional[dict] = None, sts_interval: int = 5,
                 partial_pretrain_iters: int = 0,
                 weak_terms=('kp2d', 'r'),
                 body_root=('left_hip_extra', 'right_hip_extra'), **kwargs):
        super().__init__(**kwargs)
        bm = self.body_model
        if bm.keypoint_convention != input_convention:
            raise ValueError(
                f'model.body_model gives keypoints in '
                f'{bm.keypoint_convention!r} but model.input_convention is '
                f'{input_convention!r}: set body_model.keypoint_convention='
                f'{input_convention!r}')
        if not hasattr(bm, 'num_hand_joints'):
            raise ValueError(f'{type(bm).__name__} is not a whole-body model '
                             '(no hands / expression): use SMPLX or '
                             'AnnyWholeBody')
        self.input_convention = input_convention
        has = bm.keypoint_mask()
        names = get_keypoint_names(input_convention)
        self.parts = {p: [i for i in idx if has[i] > 0]
                      for p, idx in part_indices(input_convention).items()}
        self.body_root = [names.index(n) for n in body_root]
        self.weights = dict(dict(pm=20., kp3d=60., kp2d=6., r=.5),
                            **(loss_weights or {}))
        self.sts_interval = int(sts_interval)
        self.partial_pretrain_iters = int(partial_pretrain_iters)
        unknown = set(weak_terms) - {'kp2d', 'r', 'kp3d_body'}
        if unknown:
            raise ValueError(f'model.weak_terms: unknown {sorted(unknown)}; '
                             "choose from 'kp2d', 'r', 'kp3d_body'")
        self.weak_terms = tuple(weak_terms)
        sizes = dict(self.theta_sizes(), num_hand_joints=bm.num_hand_joints,
                     num_expression_coeffs=bm.num_expression_coeffs,
                     has_jaw_pose=bm.has_jaw_pose,
                     part_names={p: [names[i] for i in idx]
                                 for p, idx in self.parts.items()})
        self.head = MODELS.build(self.with_sizes(head, 'head', sizes,
                                                 'the body model'))

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        parts = normalise_parts(inputs[..., :2], inputs[..., 2], self.parts)
        feat = None
        if self.head.image is not None:
            feat = stack_field(data_samples, 'image_feat', inputs.device,
                               'the head (image_feat_dim > 0)')
        return self.finish(self.head(parts, feat), data_samples, mode)

    def whole_body(self, out: dict, transl=None, body_from: dict = None):
        """The whole-body model on a head output (``body_from`` replaces
        the global / body pose and shape, e.g. by the ground truth)."""
        src = body_from or dict(pose=out['pred_pose'],
                                betas=out['pred_shape'])
        extra = {k: out[f'pred_{k}'] for k in _HAND_KEYS + (
            'expression', 'jaw_pose') if f'pred_{k}' in out}
        return self.body_model(src['pose'][:, :1], src['pose'][:, 1:],
                               src['betas'], transl=transl, **extra)

    def _iteration(self) -> int:
        hub = MessageHub.get_current_instance()
        return int(hub.get_info('iter', 0) or 0)

    def part_centred(self, kp: Tensor) -> Tensor:
        """(B, K, 3) keypoints with each part centred on its own root."""
        out = kp.clone()
        body = self.parts['body']
        out[:, body] = kp[:, body] - kp[:, self.body_root].mean(1, True)
        for side in ('left_hand', 'right_hand'):
            idx = self.parts[side]
            out[:, idx] = kp[:, idx] - kp[:, idx[:1]]
        face = self.parts['face']
        out[:, face] = kp[:, face] - kp[:, face].mean(1, True)
        return out

    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        it = self._iteration()
        dev = head_out['pred_cam'].device
        gt = lambda k: stack_field(samples, k, dev)  # noqa: E731
        pretrain = it < self.partial_pretrain_iters
        sts = pretrain or (self.sts_interval > 0
                           and it % self.sts_interval == 0)
        w = self.weights
        body_from = None
        if pretrain:
            body_from = dict(pose=torch.cat([gt('gt_global_orient'),
                                             gt('gt_body_pose')], 1),
                             betas=gt('gt_betas'))
        out = self.whole_body(head_out, body_from=body_from)
        mask = gt('gt_keypoints3d_mask')[..., None]
        losses: Dict[str, Tensor] = {}
        zero = head_out['pred_cam'].sum() * 0
        if sts:
            err = (self.part_centred(out['keypoints']) -
                   self.part_centred(gt('gt_keypoints3d'))) ** 2 * mask
            losses['loss_kp3d'] = w['kp3d'] * err.sum() / (
                mask.sum() * 3).clamp(min=1)
            terms = [(f'pred_{k}', f'gt_{k}') for k in _HAND_KEYS +
                     ('expression', 'jaw_pose') if f'pred_{k}' in head_out
                     and f'gt_{k}' in samples[0]]
            if not pretrain:
                pose_gt = torch.cat([gt('gt_global_orient'),
                                     gt('gt_body_pose')], 1)
                terms_val = [F.mse_loss(head_out['pred_pose'], pose_gt)]
            else:
                terms_val = []
            terms_val += [F.mse_loss(head_out[p], gt(g)) for p, g in terms]
            losses['loss_pm'] = w['pm'] * sum(terms_val)
            return losses
        if 'kp2d' in self.weak_terms:
            proj = self.projection(out['keypoints'], head_out['pred_cam'])
            m2 = gt('gt_keypoints2d_mask')[..., None]
            losses['loss_kp2d'] = w['kp2d'] * ((proj - gt('gt_keypoints2d'))
                                               .abs() * m2).sum() / (
                m2.sum() * 2).clamp(min=1)
        if 'kp3d_body' in self.weak_terms:
            body = self.parts['body']
            err = (self.part_centred(out['keypoints']) - self.part_centred(
                gt('gt_keypoints3d')))[:, body] ** 2 * mask[:, body]
            losses['loss_kp3d_body'] = w['kp3d'] * err.sum() / (
                mask[:, body].sum() * 3).clamp(min=1)
        if 'r' in self.weak_terms:
            losses['loss_r'] = w['r'] * (
                head_out['pred_shape'].pow(2).mean() +
                head_out['pred_expression'].pow(2).mean() +
                wrong_bend(head_out['pred_pose']).mean())
        return losses or dict(loss_zero=zero)

    def predict(self, head_out: dict,
                samples: Optional[List[HMRDataSample]]
                ) -> List[HMRDataSample]:
        """``pred_keypoints3d`` (K, 3) / ``pred_vertices`` (V, 3) metres in
        the camera frame the projection implies, ``pred_keypoints2d`` (K, 2)
        in the input frame, and the predicted parameters."""
        cam = head_out['pred_cam']
        # one pass in the body frame serves the projection and, moved by
        # the camera translation (a rigid shift), the camera-frame outputs;
        # keypoints the model lacks stay 0
        out = self.whole_body(head_out)
        proj = self.projection(out['keypoints'], cam)
        transl = self.projection.camera_translation(cam)[:, None]
        has = out['keypoints_mask'].to(transl)[None, :, None]
        out = dict(keypoints=out['keypoints'] + transl * has,
                   vertices=out['vertices'] + transl)
        if samples is None:
            samples = [HMRDataSample() for _ in range(cam.shape[0])]
        for i, s in enumerate(samples):
            s.pred_keypoints3d = out['keypoints'][i].detach()
            s.pred_vertices = out['vertices'][i].detach()
            s.pred_keypoints2d = proj[i].detach()
            s.pred_pose = head_out['pred_pose'][i].detach()
            s.pred_betas = head_out['pred_shape'][i].detach()
            s.pred_cam = cam[i].detach()
            for k in _HAND_KEYS + ('expression', 'jaw_pose'):
                if f'pred_{k}' in head_out:
                    s.set_field(head_out[f'pred_{k}'][i].detach(),
                                f'pred_{k}')
        return samples
