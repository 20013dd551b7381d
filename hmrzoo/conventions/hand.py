"""21-point hand layout (OpenPose / COCO-WholeBody / MANO-with-tips order).

Per hand: the hand root (wrist as the hand annotators place it), then for
thumb, index, middle, ring and pinky finger four points from the palm out.
For the thumb these are CMC, MCP, IP joints and the tip; for the other
fingers MCP, PIP, DIP joints and the tip.  Joints 1..3 share their names
with the finger joints of SMPL-X / MANO (``left_index1`` ...), tips with
the finger-tip vertices that smplx appends (``left_index_tip`` ...).
"""
from .smpl import FINGERS


def hand_21(side):
    """Names of the 21 hand points of ``side`` ('left' or 'right')."""
    if side not in ('left', 'right'):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    names = [f'{side}_hand_root']
    for finger in FINGERS:
        names += [f'{side}_{finger}{k}' for k in (1, 2, 3)]
        names.append(f'{side}_{finger}_tip')
    return names


CONVENTIONS = {
    'hand_21_left': hand_21('left'),
    'hand_21_right': hand_21('right'),
}
