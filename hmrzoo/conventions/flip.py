"""Left/right flip pairs derived from joint names."""
from functools import lru_cache
from typing import List, Optional, Tuple

from .core import _lookup


def mirror_name(name: str) -> Optional[str]:
    """The name of the mirror-image point: the ``_``-separated token
    ``left`` swapped with ``right`` (``left_hip_extra`` <->
    ``right_hip_extra``, ``face_brow_left_2`` <-> ``face_brow_right_2``);
    None for a name without a side token (a midline point)."""
    tokens = name.split('_')
    swap = {'left': 'right', 'right': 'left'}
    if not any(t in swap for t in tokens):
        return None
    return '_'.join(swap.get(t, t) for t in tokens)


@lru_cache(maxsize=256)
def _pairs(names: Tuple[str, ...]) -> Tuple[Tuple[int, int], ...]:
    index = {n: i for i, n in enumerate(names)}
    pairs = []
    for i, name in enumerate(names):
        if 'left' not in name.split('_'):
            continue
        j = index.get(mirror_name(name))
        if j is not None:
            pairs.append((min(i, j), max(i, j)))
    return tuple(sorted(pairs))


def get_flip_pairs(convention: str) -> List[Tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of mirror-image joints (see
    :func:`mirror_name`), sorted.  A sided joint whose mirror is absent from
    the convention is not paired (it maps onto itself in
    :func:`get_flip_indices`)."""
    return list(_pairs(tuple(_lookup(convention))))


def get_flip_indices(convention: str) -> List[int]:
    """Permutation ``perm`` (length J) with ``flipped = kps[..., perm, :]``
    after mirroring the image / body: each paired joint takes its mirror's
    index, every other joint its own.  An involution."""
    perm = list(range(len(_lookup(convention))))
    for i, j in get_flip_pairs(convention):
        perm[i], perm[j] = j, i
    return perm
