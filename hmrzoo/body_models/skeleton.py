"""Skinning skeletons, and how a body model's skeleton maps onto SMPL's 24
body parts.

Renderers colour a body by part (DensePose's 24 IUV charts hang on SMPL's 24
kinematic joints, :data:`~hmrzoo.conventions.smpl.SMPL_24`),
so every body model that is rendered says how its own skinning skeleton maps
onto those joints: :meth:`~hmrzoo.body_models.base.BaseBodyModel.skinning`
returns a :class:`Skinning`, and :func:`weights_on_smpl_24` derives the
(V, 24) part weights from it.  The rule, one for every model: a joint that
*starts* an SMPL part (listed in ``smpl_parts``, or, when that is None,
named like an SMPL joint) belongs to it; every other joint belongs to the
part of its nearest such ancestor (Anny's finger bones belong to the wrist
or the hand, SMPL-X's jaw and eyes to the head).
"""
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence

import torch
from torch import Tensor

from ..conventions.smpl import SMPL_24

__all__ = ['Skinning', 'smpl_part_of_joints', 'weights_on_smpl_24']


@dataclass(frozen=True)
class Skinning:
    """A body model's skinning skeleton.

    Attributes:
        weights (Tensor): (V, J) float32 linear-blend-skinning weights on
            the skeleton's joints (rows sum to 1), on the CPU.
        joint_names (Sequence[str]): the J joint (bone) names.
        parents (Sequence[int]): (J,) parent index of each joint, -1 for a
            root.
        smpl_parts (Mapping[str, str], optional): joint name -> SMPL joint
            name, for each joint that starts an SMPL part; None: the joints
            whose names are SMPL joint names.
    """

    weights: Tensor
    joint_names: Sequence[str]
    parents: Sequence[int]
    smpl_parts: Optional[Mapping[str, str]] = None


def smpl_part_of_joints(skinning: Skinning) -> List[int]:
    """The SMPL joint (0..23) each skeleton joint belongs to (see the
    module docstring).

    Raises:
        ValueError: a joint with no ancestor that starts an SMPL part, or a
            ``smpl_parts`` entry naming an unknown joint.
    """
    names = list(skinning.joint_names)
    parts = skinning.smpl_parts
    if parts is None:
        parts = {n: n for n in names if n in SMPL_24}
    unknown = sorted(set(parts) - set(names)) + \
        sorted(set(parts.values()) - set(SMPL_24))
    if unknown:
        raise ValueError(f'smpl_parts names {unknown}, which are not joints '
                         'of the skeleton (keys) or SMPL joints (values)')
    own = {names.index(j): SMPL_24.index(s) for j, s in parts.items()}
    out = []
    for joint in range(len(names)):
        k = joint
        while k not in own:
            k = int(skinning.parents[k])
            if k < 0:
                raise ValueError(
                    f'skeleton joint {names[joint]!r} has no ancestor that '
                    'starts an SMPL part: name the part joints in '
                    'Skinning.smpl_parts')
        out.append(own[k])
    return out


def weights_on_smpl_24(skinning: Skinning) -> Tensor:
    """(V, 24) float32 skinning weights summed onto SMPL's 24 parts (rows
    sum to what the skeleton's do), on the CPU."""
    weights = skinning.weights.detach().float().cpu()
    if weights.shape[1] != len(skinning.joint_names):
        raise ValueError(f'skinning weights for {weights.shape[1]} joints, '
                         f'but {len(skinning.joint_names)} joint names')
    part = torch.tensor(smpl_part_of_joints(skinning))
    out = torch.zeros(weights.shape[0], 24)
    out.index_add_(1, part, weights)
    return out
