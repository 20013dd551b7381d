"""Per-part scale normalisation of whole-body 2D keypoints (STS paper
§III-C): each part (body, left hand, right hand, face) is translated to the
mean of its visible points and divided by half the longer side of their
bounding box, so a hand a few pixels wide and a body filling the crop reach
their regressors at the same scale.
"""
from typing import Dict, List, Sequence, Tuple

import torch
from torch import Tensor

from ...conventions import get_keypoint_names
from ...conventions.coco import COCO_17, FEET_6
from ...conventions.face import FACE_68
from ...conventions.hand import hand_21
from ...conventions.openpose import OPENPOSE_FACE_70, OPENPOSE_25

#: the four parts by keypoint name; a convention's points outside them
#: (none in coco_wholebody / openpose_137) are ignored by the regressors
PART_NAMES: Dict[str, List[str]] = {
    'body': list(dict.fromkeys(COCO_17 + FEET_6 + OPENPOSE_25)),
    'left_hand': hand_21('left'),
    'right_hand': hand_21('right'),
    'face': list(dict.fromkeys(FACE_68 + OPENPOSE_FACE_70)),
}


def part_indices(convention: str) -> Dict[str, List[int]]:
    """Index of each part's points in ``convention``, in the part's name
    order (names the convention lacks are left out).

    Raises:
        ValueError: a part has no point in the convention.
    """
    names = get_keypoint_names(convention)
    out = {part: [names.index(n) for n in part_list if n in names]
           for part, part_list in PART_NAMES.items()}
    empty = [p for p, idx in out.items() if not idx]
    if empty:
        raise ValueError(f'keypoint convention {convention!r} has no point '
                         f'of the part(s) {empty}: whole-body input needs '
                         "e.g. 'coco_wholebody' or 'openpose_137'")
    return out


def normalise_part(kp: Tensor, mask: Tensor, eps: float = 1e-6
                   ) -> Tuple[Tensor, Tensor, Tensor]:
    """Centre and scale one part.

    Args:
        kp (Tensor): (B, N, 2) 2D points (any frame).
        mask (Tensor): (B, N) 1 where a point is visible.
        eps (float): smallest scale (a part with one visible point or
            none gets scale ``eps`` and its points 0).

    Returns:
        tuple: normalised points (B, N, 2) (0 where not visible), centre
        (B, 2) (mean of the visible points) and scale (B,) (half the longer
        side of their bounding box).
    """
    m = mask.to(kp.dtype)[..., None]
    count = m.sum(1).clamp(min=1.)
    centre = (kp * m).sum(1) / count
    big = torch.finfo(kp.dtype).max
    lo = torch.where(m > 0, kp, big).amin(1)
    hi = torch.where(m > 0, kp, -big).amax(1)
    side = (hi - lo).amax(-1)
    scale = torch.where(m.sum((1, 2)) > 0, side / 2, side.new_zeros(())
                        ).clamp(min=eps)
    out = (kp - centre[:, None]) / scale[:, None, None] * m
    return out, centre, scale


def denormalise_part(norm: Tensor, centre: Tensor, scale: Tensor) -> Tensor:
    """Inverse of :func:`normalise_part` on the visible points."""
    return norm * scale[:, None, None] + centre[:, None]


def normalise_parts(kp: Tensor, mask: Tensor,
                    parts: Dict[str, Sequence[int]]) -> Dict[str, Tensor]:
    """:func:`normalise_part` of each part of (B, K, 2) keypoints.

    Returns:
        dict: ``part -> (B, N_part, 3)`` normalised ``(x, y, visible)``, and
        ``placement`` (B, 3 P): each part's centre and scale in the input
        frame, parts in the order of ``parts``.
    """
    out, placement = {}, []
    for part, idx in parts.items():
        norm, centre, scale = normalise_part(kp[:, idx], mask[:, idx])
        out[part] = torch.cat([norm, mask[:, idx, None].to(kp.dtype)], -1)
        placement += [centre, scale[:, None]]
    out['placement'] = torch.cat(placement, -1)
    return out
