"""The 24 DensePose parts and their coarse groupings (tables only).

**Part numbering** (:data:`DENSEPOSE_PARTS`, index = position + 1; 0 is the
background).  DensePose's documentation fixes the pairs: ``1, 2`` torso,
``3`` right hand, ``4`` left hand, ``5`` left foot, ``6`` right foot,
``7, 9`` upper leg right, ``8, 10`` upper leg left, ``11, 13`` lower leg
right, ``12, 14`` lower leg left, ``15, 17`` upper arm left, ``16, 18``
upper arm right, ``19, 21`` lower arm left, ``20, 22`` lower arm right,
``23, 24`` head.  Which member of a pair is which half is not in the
official documentation; hmrzoo follows the common reading: 1 torso back,
2 torso front; 7/8 upper leg back, 9/10 front; 11/12 lower leg back, 13/14
front; 15/16 upper arm inside, 17/18 outside; 19/20 lower arm inside, 21/22
outside; 23 right head, 24 left head ("left" / "right" are the body's).
"""
from typing import Dict, Tuple

__all__ = [
    'DENSEPOSE_PARTS', 'NUM_PARTS', 'PART_INDEX', 'COARSE_PARTS',
    'PART_TO_COARSE', 'DENSEPOSE_COARSE_PARTS', 'PART_TO_DENSEPOSE_COARSE',
    'MIRROR_PART'
]

#: The 24 DensePose parts; part index ``i`` (1..24) is ``DENSEPOSE_PARTS[i -
#: 1]``; 0 is the background.  How the halves are cut: :mod:`.iuv_charts`.
DENSEPOSE_PARTS: Tuple[str, ...] = (
    'torso_back',                # 1
    'torso_front',               # 2
    'right_hand',                # 3
    'left_hand',                 # 4
    'left_foot',                 # 5
    'right_foot',                # 6
    'right_upper_leg_back',      # 7
    'left_upper_leg_back',       # 8
    'right_upper_leg_front',     # 9
    'left_upper_leg_front',      # 10
    'right_lower_leg_back',      # 11
    'left_lower_leg_back',       # 12
    'right_lower_leg_front',     # 13
    'left_lower_leg_front',      # 14
    'left_upper_arm_inside',     # 15
    'right_upper_arm_inside',    # 16
    'left_upper_arm_outside',    # 17
    'right_upper_arm_outside',   # 18
    'left_lower_arm_inside',     # 19
    'right_lower_arm_inside',    # 20
    'left_lower_arm_outside',    # 21
    'right_lower_arm_outside',   # 22
    'right_head',                # 23
    'left_head',                 # 24
)
NUM_PARTS = len(DENSEPOSE_PARTS)
#: part name -> index 1..24.
PART_INDEX: Dict[str, int] = {n: i + 1 for i, n in enumerate(DENSEPOSE_PARTS)}

#: The 6 coarse parts of CRA's part drop (§4, "randomly masking one of the
#: six body parts"); coarse index ``k`` (1..6) is ``COARSE_PARTS[k - 1]``.
COARSE_PARTS: Tuple[str, ...] = ('head', 'torso', 'left_arm', 'right_arm',
                                 'left_leg', 'right_leg')


def _coarse_of(name: str) -> int:
    if name.startswith('torso'):
        return 2
    if name.endswith('head'):
        return 1
    side = 'left' if name.startswith('left') else 'right'
    limb = 'arm' if ('arm' in name or 'hand' in name) else 'leg'
    return COARSE_PARTS.index(f'{side}_{limb}') + 1


#: (25,) tuple: part index (0..24) -> coarse index (0 background, 1..6 as
#: :data:`COARSE_PARTS`): hands join their arm, feet their leg, the head
#: halves the head, the torso halves the torso.
PART_TO_COARSE: Tuple[int, ...] = (0, ) + tuple(
    _coarse_of(n) for n in DENSEPOSE_PARTS)


#: DensePose-COCO's 14 annotated (coarse) parts, index ``k`` (1..14) is
#: ``DENSEPOSE_COARSE_PARTS[k - 1]`` (PyMAF's 15-way "ann" target with the
#: background).
DENSEPOSE_COARSE_PARTS: Tuple[str, ...] = (
    'torso', 'right_hand', 'left_hand', 'left_foot', 'right_foot',
    'right_upper_leg', 'left_upper_leg', 'right_lower_leg', 'left_lower_leg',
    'left_upper_arm', 'right_upper_arm', 'left_lower_arm', 'right_lower_arm',
    'head')


def _densepose_coarse_of(name: str) -> int:
    for suffix in ('_front', '_back', '_inside', '_outside'):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
    if name.endswith('head'):
        name = 'head'
    return DENSEPOSE_COARSE_PARTS.index(name) + 1


#: (25,) tuple: part index (0..24) -> DensePose coarse index (0..14).
PART_TO_DENSEPOSE_COARSE: Tuple[int, ...] = (0, ) + tuple(
    _densepose_coarse_of(n) for n in DENSEPOSE_PARTS)


def _mirror_name(name: str) -> str:
    if name.startswith('left'):
        return 'right' + name[4:]
    if name.startswith('right'):
        return 'left' + name[5:]
    return name


#: (25,) tuple: part index -> the part that mirror image (x -> -x) of it
#: falls in (left <-> right; torso halves unchanged; 0 -> 0).
MIRROR_PART: Tuple[int, ...] = (0, ) + tuple(
    PART_INDEX[_mirror_name(n)] for n in DENSEPOSE_PARTS)
