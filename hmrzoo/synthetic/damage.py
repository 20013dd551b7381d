"""What happens to rendered evidence after rendering: the training-time
augmentations, the robustness protocol's corruptions (training and test)
and the optional IQR depth trimming.

Every probability is per sample and drawn from the global torch RNG, in a
fixed order (part drop, depth outliers, occlusion, then the part-mask and
depth corruptions), so a seeded run draws the same damage every time.
"""
import inspect
from typing import Dict

import torch
from torch import Tensor

from .augment import (add_depth_outliers, corrupt_depth, drop_coarse_part,
                      drop_named_keypoints, iqr_trim, occlude_rectangle)


def _options(defaults: dict, given: dict, what: str) -> dict:
    unknown = set(given or {}) - set(defaults)
    if unknown:
        raise ValueError(f'unknown {what}(s) {sorted(unknown)}; '
                         f'known: {sorted(defaults)}')
    return dict(defaults, **(given or {}))


class EvidenceDamage:
    """Augment, corrupt and trim rendered maps.

    Args:
        augment (dict): training-only augmentations
            (:mod:`hmrzoo.synthetic.augment`), each a probability per sample
            (0 = off): ``part_drop`` (erase one of six coarse parts from
            the IUV map), ``occlusion`` (one rectangle of area
            ``occlusion_area`` (fractions) set to 0 in every rendered map),
            ``depth_outliers`` (share of depth pixels corrupted).
        corruption (dict): damage applied in training **and** testing, the
            robustness protocol of CRA's Table 5 (``tools/robustness.py``):
            ``part_mask`` (probability that a sample's IUV map loses one of
            six coarse parts), ``limb_joint_drop`` (probability that each
            elbow, wrist, knee and ankle is removed from the input joints)
            and ``depth`` (a dict of :func:`~hmrzoo.synthetic.augment.
            corrupt_depth` arguments: a depth estimator's failures, the
            joints+depth method's input).
        depth_iqr_trim (bool): apply the IQR trimming of eq. 1-3 of the
            joints+depth paper to the depth map (training and test).
    """

    def __init__(self, augment: dict = None, corruption: dict = None,
                 depth_iqr_trim: bool = False):
        self.augment = _options(dict(part_drop=0.0, occlusion=0.0,
                                     occlusion_area=(0.05, 0.2),
                                     depth_outliers=0.0),
                                augment, 'augmentation')
        self.corruption = _options(dict(part_mask=0.0, limb_joint_drop=0.0,
                                        depth=None),
                                   corruption, 'corruption')
        if self.corruption['depth']:
            known = list(inspect.signature(corrupt_depth).parameters)[2:]
            _options(dict.fromkeys(known), self.corruption['depth'],
                     'depth corruption')
        self.depth_iqr_trim = depth_iqr_trim

    def input_joints(self, keep: Tensor, convention: str) -> Tensor:
        """The corrupted mask (B, K) of the input joints ``keep`` (B, K)
        in ``convention``."""
        if self.corruption['limb_joint_drop'] > 0:
            keep = drop_named_keypoints(
                keep, convention, self.corruption['limb_joint_drop'], None)
        return keep

    def maps(self, maps: Dict[str, Tensor],
             training: bool) -> Dict[str, Tensor]:
        """Training-time augmentations, the part-mask corruption, then the
        optional depth trimming of ``maps`` (kind -> (B, C, H, W))."""
        if training:
            maps = self._augment(maps)
        if 'iuv' in maps and self.corruption['part_mask'] > 0:
            maps['iuv'] = drop_coarse_part(maps['iuv'],
                                           self.corruption['part_mask'], None)
        if 'depth' in maps and self.corruption['depth']:
            maps['depth'] = corrupt_depth(maps['depth'][:, 0], None,
                                          **self.corruption['depth'])[:, None]
        if self.depth_iqr_trim and 'depth' in maps:
            maps['depth'] = iqr_trim(maps['depth'][:, 0])[:, None]
        return maps

    def _augment(self, maps: Dict[str, Tensor]) -> Dict[str, Tensor]:
        aug, gen = self.augment, None
        if 'iuv' in maps and aug['part_drop'] > 0:
            maps['iuv'] = drop_coarse_part(maps['iuv'], aug['part_drop'], gen)
        if 'depth' in maps and aug['depth_outliers'] > 0:
            maps['depth'] = add_depth_outliers(
                maps['depth'][:, 0], gen, aug['depth_outliers'])[:, None]
        if aug['occlusion'] > 0 and maps:
            kinds = list(maps)
            stacked = torch.cat([maps[k] for k in kinds], 1)
            stacked = occlude_rectangle(stacked, aug['occlusion'],
                                        tuple(aug['occlusion_area']), gen)
            sizes = [maps[k].shape[1] for k in kinds]
            maps = dict(zip(kinds, stacked.split(sizes, 1)))
        return maps
