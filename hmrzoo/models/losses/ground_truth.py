"""Batched ground truth for the losses, read once per batch from the data
samples (synthetic samples carry meshes; real ones carry SMPL parameters
only for some rows)."""
from typing import Callable, Dict, Optional, Sequence, Tuple

import torch
from torch import Tensor

from ...structures import HMRDataSample, stack_field


class BatchGroundTruth:
    """Lazily stacked ground-truth fields of a batch.

    ``gt(key, term)`` stacks field ``key`` once, whatever the number of
    terms and supervised iterations that read it (``term`` names the loss
    in the error raised when a sample lacks the field).
    """

    def __init__(self, samples: Sequence[HMRDataSample], device):
        self.samples = samples
        self.device = device
        self._cache: Dict[str, Tensor] = {}
        self._posed: Optional[Dict[str, Tensor]] = None

    def __call__(self, key: str, term: str = '') -> Tensor:
        if key not in self._cache:
            self._cache[key] = stack_field(self.samples, key, self.device,
                                           term)
        return self._cache[key]

    def has(self, key: str) -> bool:
        return bool(self.samples) and all(key in s for s in self.samples)

    def smpl_mask(self) -> Optional[Tensor]:
        """(B,) 1 for samples with body-model parameters (``gt_has_smpl``);
        None when the samples do not say (synthetic data: all have)."""
        return self('gt_has_smpl') if self.has('gt_has_smpl') else None

    def mesh(self, body: Callable[[Tensor, Tensor], dict],
             root: Callable[[Tensor], Tensor], term: str = 'vertices'
             ) -> Tuple[Tensor, Tensor]:
        """Ground-truth vertices (B, V, 3) and their root (B, 1, 3).

        Samples that carry ``gt_vertices`` (camera frame) are centred on
        the root of their ``gt_keypoints3d``; otherwise the mesh is posed
        from ``gt_global_orient`` / ``gt_body_pose`` / ``gt_betas`` with
        ``body(pose (B, J, 3, 3), betas)`` (no translation, no gradient)
        and centred on the root of its own keypoints, as SPIN builds its
        vertex target from the parameters.
        """
        if self.has('gt_vertices'):
            return self('gt_vertices', term), \
                root(self('gt_keypoints3d', term))
        out = self.posed(body, term)
        return out['vertices'], root(out['keypoints'])

    def posed(self, body: Callable[[Tensor, Tensor], dict],
              term: str = '') -> Dict[str, Tensor]:
        """The body posed from the ground-truth parameters, body frame (no
        translation, no gradient), computed once per batch: the body
        model's output dict (``vertices`` (B, V, 3), ``keypoints`` ...)."""
        if self._posed is None:
            pose = torch.cat([self('gt_global_orient', term),
                              self('gt_body_pose', term)], dim=1)
            with torch.no_grad():
                self._posed = body(pose, self('gt_betas', term))
        return self._posed
