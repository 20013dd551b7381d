"""The self-consistency losses of the joints+depth method
(``001_01caa0c91b604013.txt``, eq. 4-8): the predicted body must reproject
onto the input 2D joints (eq. 5) and render the input depth along the bones
(eq. 6), each depth point weighted by a learnt joint reliability (eq. 4,
7).  Nothing here reads ground truth: the inputs are the evidence the
network also sees.

Choices the paper leaves open (hmrzoo's, stated):

* **Depth is compared up to an offset.**  The weak-perspective camera has
  no absolute depth and depth estimators' outputs are often relative, so
  both point sets (input and rendered) are centred on their mean over the
  points valid in both before the squared differences.
* **Corresponding points.**  The input depth is read along the bones of the
  input joints J, the rendered depth along the same bones of the projected
  prediction J' (same fractions): "each depth point and its corresponding
  point".  Both reads take the nearest pixel; a point counts where both
  maps have a value there.
* **The reliability MLP cannot collapse.**  Minimising eq. 7 alone drives
  every weight to 0.  hmrzoo adds ``-c Σ_p log w_p`` with ``c =
  reliability_reg x`` the batch's mean squared depth error (detached), the
  aleatoric form (Kendall & Gal) that CRA's homoscedastic loss also uses:
  for a point of error ``e`` the optimum is ``w = min(1, c / e)``, so points
  better than average keep full weight and worse ones are down-weighted in
  proportion, in any depth unit.
* **Sums as in eq. 5-7** (joints, depth points) per sample, averaged over
  the batch; 2D in normalised crop units, depth in the depth maps' units.
* **Dense depth** (the "- sampling" ablation): the mean squared difference
  over the pixels valid in both maps, times the number of bone points the
  sampled loss uses, so ``depth_weight`` keeps its scale.
"""
from typing import Dict, Optional, Sequence

import torch
from mmengine.logging import MessageHub
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS
from ..utils.bone_depth import (BODY_BONES, RELIABILITY_JOINTS,
                                bone_indices, bone_relations,
                                nearer_joint_slot, read_depth,
                                sample_bone_points)


@MODELS.register_module()
class JointReliabilityMLP(BaseModule):
    """Eq. 4: ``w = sigmoid(FC(FC(v_Len ⊕ v_DD)))``.

    Two hidden layers (128, 64, ReLU) and an output per reliability joint
    (12), as the paper's implementation details; the output bias starts at
    2 (every weight ≈ 0.88 before training).

    Args:
        in_features (int): 2 x the number of bones.
        hidden (sequence[int]): (128, 64).
        num_joints (int): 12.
    """

    def __init__(self, in_features: int = 2 * len(BODY_BONES),
                 hidden: Sequence[int] = (128, 64),
                 num_joints: int = len(RELIABILITY_JOINTS), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        layers, width = [], in_features
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(inplace=True)]
            width = h
        layers.append(nn.Linear(width, num_joints))
        self.net = nn.Sequential(*layers)
        nn.init.constant_(self.net[-1].bias, 2.0)

    def forward(self, relations: Tensor) -> Tensor:
        """(B, in_features) -> (B, num_joints) weights in (0, 1)."""
        return torch.sigmoid(self.net(relations))


def _centred_sq_error(a: Tensor, b: Tensor, valid: Tensor,
                      align: bool) -> Tensor:
    """Squared differences (B, N) of ``a`` and ``b`` where ``valid``, each
    centred on its own valid mean when ``align``; 0 elsewhere."""
    v = valid.to(a.dtype)
    if align:
        n = v.sum(1, keepdim=True).clamp(min=1)
        a = a - (a * v).sum(1, keepdim=True) / n
        b = b - (b * v).sum(1, keepdim=True) / n
    return (a - b) ** 2 * v


@MODELS.register_module()
class SelfConsistencyLoss(BaseModule):
    """``L = α_j L_joint + α_d L*_depth`` (eq. 8) plus the β prior.

    Args:
        input_convention (str): convention of the input joints (the bones
            are resolved in it by name).
        joint_weight (float): α_j (1, the paper).
        depth_weight (float): α_d (0.04, the paper).
        depth (str | None): ``'bones'`` (eq. 6 / 7), ``'dense'`` (the "-
            sampling" ablation) or None (no depth term).
        points_per_bone (int): depth points per bone, both joints included
            (the paper does not give the count).
        reliability (dict | None): the reliability MLP's config
            (``JointReliabilityMLP``); None: unweighted eq. 6 (the "-
            uncertainty" ablations).
        reliability_reg (float): ``c``'s factor, see the module docstring.
        align_depth (bool): compare depth up to an offset.
        betas_weight (float): weight of ``|β|²`` (mean shape 0) once the
            training iteration reaches ``betas_after_iter`` (the paper: after
            10 epochs, no weight given).
        betas_after_iter (int): see above.
    """

    def __init__(self, input_convention: str = 'coco',
                 joint_weight: float = 1.0, depth_weight: float = 0.04,
                 depth: Optional[str] = 'bones', points_per_bone: int = 10,
                 reliability: Optional[dict] = dict(
                     type='JointReliabilityMLP'),
                 reliability_reg: float = 1.0, align_depth: bool = True,
                 betas_weight: float = 0.0, betas_after_iter: int = 0,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if depth not in ('bones', 'dense', None):
            raise ValueError("depth must be 'bones', 'dense' or None, got "
                             f'{depth!r}')
        if reliability is not None and depth != 'bones':
            raise ValueError('the reliability weights apply to the bone '
                             "depth points: set depth='bones' or "
                             'reliability=None')
        ends, _, end_slot = bone_indices(input_convention)
        self.register_buffer('ends', ends, persistent=False)
        self.register_buffer('point_slot', nearer_joint_slot(
            end_slot, points_per_bone), persistent=False)
        self.joint_weight, self.depth_weight = joint_weight, depth_weight
        self.depth, self.points_per_bone = depth, points_per_bone
        self.reliability = MODELS.build(reliability) if reliability else None
        self.reliability_reg, self.align_depth = reliability_reg, align_depth
        self.betas_weight, self.betas_after_iter = betas_weight, \
            betas_after_iter

    def weights(self, joints: Tensor, mask: Tensor,
                depth: Tensor) -> Optional[Tensor]:
        """(B, 12) joint reliabilities from the input evidence (eq. 4), or
        None without the MLP."""
        if self.reliability is None:
            return None
        return self.reliability(bone_relations(joints, mask, depth,
                                               self.ends))

    def depth_terms(self, in_kp: Tensor, in_mask: Tensor, in_depth: Tensor,
                    pred_kp: Tensor, pred_depth: Tensor
                    ) -> Dict[str, Tensor]:
        """``loss_depth`` (and ``loss_reliability``, ``reliability``) of
        (B, H, W) input / rendered depth and (B, K, 2) joints."""
        if self.depth == 'dense':
            valid = (in_depth != 0) & (pred_depth != 0)
            err = _centred_sq_error(in_depth.flatten(1),
                                    pred_depth.flatten(1), valid.flatten(1),
                                    self.align_depth)
            count = valid.flatten(1).sum(1).clamp(min=1)
            m = len(self.ends) * self.points_per_bone
            return dict(loss_depth=self.depth_weight * (
                err.sum(1) / count * m).mean())
        pts_in, ok_in = sample_bone_points(in_kp, in_mask, self.ends,
                                           self.points_per_bone)
        pts_pred, _ = sample_bone_points(pred_kp, in_mask, self.ends,
                                         self.points_per_bone)
        d_in, v_in = read_depth(in_depth, pts_in)
        d_pred, v_pred = read_depth(pred_depth, pts_pred)
        valid = ok_in & v_in & v_pred
        err = _centred_sq_error(d_in, d_pred, valid, self.align_depth)
        w = self.weights(in_kp, in_mask, in_depth)
        if w is None:
            return dict(loss_depth=self.depth_weight * err.sum(1).mean())
        wp = w[:, self.point_slot]                         # (B, N_points)
        vf = valid.to(err.dtype)
        c = self.reliability_reg * (err.sum() / vf.sum().clamp(min=1))
        reg = -(c.detach() * torch.log(wp.clamp(min=1e-6)) * vf).sum(1)
        return dict(loss_depth=self.depth_weight * (wp * err).sum(1).mean(),
                    loss_reliability=self.depth_weight * reg.mean(),
                    reliability=w.detach().mean())

    def forward(self, pred_kp: Tensor, pred_depth: Optional[Tensor],
                in_kp: Tensor, in_mask: Tensor,
                in_depth: Optional[Tensor], betas: Tensor
                ) -> Dict[str, Tensor]:
        """The loss terms.

        Args:
            pred_kp (Tensor): (B, K, 2) projected predicted joints in the
                input convention (normalised crop coordinates); joints the
                body model lacks must be masked in ``in_mask``.
            pred_depth (Tensor): (B, H, W) rendered depth of the prediction.
            in_kp, in_mask (Tensor): (B, K, 2) input joints and (B, K) mask.
            in_depth (Tensor): (B, H, W) the input depth (trimmed or not).
            betas (Tensor): (B, S) predicted shape.
        """
        sq = ((in_kp - pred_kp) ** 2).sum(-1) * in_mask
        out = dict(loss_joints=self.joint_weight * sq.sum(1).mean())
        if self.depth is not None:
            out.update(self.depth_terms(in_kp, in_mask, in_depth, pred_kp,
                                        pred_depth))
        if self.betas_weight:
            hub = MessageHub.get_current_instance()
            on = (hub.get_info('iter') or 0) >= self.betas_after_iter
            out['loss_betas'] = self.betas_weight * (betas ** 2).sum(1).mean(
            ) * float(on)
        return out
