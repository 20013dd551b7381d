"""Name-based mapping between conventions and keypoint conversion."""
from functools import lru_cache
from typing import List, Optional, Tuple, Union

import numpy as np
import torch

from .approximate import find_substitute, groups_version
from .core import _lookup, logger

ArrayLike = Union[np.ndarray, torch.Tensor]


@lru_cache(maxsize=1024)
def _cached_mapping(src: str, dst: str, src_names: Tuple[str, ...],
                    dst_names: Tuple[str, ...], approximate: bool,
                    version: int):
    src_index = {n: i for i, n in enumerate(src_names)}
    dst_idx, src_idx, subs = [], [], []
    for j, name in enumerate(dst_names):
        i = src_index.get(name)
        if i is None and approximate:
            sub = find_substitute(name, src_index)
            if sub is not None:
                i = src_index[sub]
                subs.append(f'{name} <- {sub}')
        if i is not None:
            dst_idx.append(j)
            src_idx.append(i)
    if subs:
        # logged once per (src, dst) pair thanks to the cache
        logger.warning('approximate keypoint mapping %s -> %s substitutes: '
                       '%s', src, dst, ', '.join(subs))
    dst_arr = np.asarray(dst_idx, dtype=np.int64)
    src_arr = np.asarray(src_idx, dtype=np.int64)
    dst_arr.flags.writeable = False
    src_arr.flags.writeable = False
    names = tuple(dst_names[j] for j in dst_idx)
    return dst_arr, src_arr, names


def get_mapping(src: str, dst: str, approximate: bool = False
                ) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Which joints of ``dst`` can be read from ``src``, matched by name.

    Args:
        src: source convention.
        dst: destination convention.
        approximate: also accept a near-equivalent name from the same
            approximate group (:mod:`.approximate`) when the exact name is
            missing in ``src``; substitutions are logged (once per pair).

    Returns:
        ``(dst_idx, src_idx, names)``: ``dst_idx`` (M,) int64, ascending,
        and ``src_idx`` (M,) int64 (read-only arrays) such that
        ``out[..., dst_idx, :] = kps[..., src_idx, :]``; ``names`` lists the
        M destination names.  Results are cached.

    Raises:
        KeyError: unknown convention.
    """
    src_names = tuple(_lookup(src))
    dst_names = tuple(_lookup(dst))
    dst_idx, src_idx, names = _cached_mapping(src, dst, src_names, dst_names,
                                              bool(approximate),
                                              groups_version())
    return dst_idx, src_idx, list(names)


def _gather_index(src: str, dst: str, approximate: bool) -> np.ndarray:
    """(J_dst,) source index per destination joint; J_src where unmapped
    (points at the zero row appended by :func:`convert_kps`)."""
    dst_idx, src_idx, _ = get_mapping(src, dst, approximate)
    gather = np.full(len(_lookup(dst)), len(_lookup(src)), dtype=np.int64)
    gather[dst_idx] = src_idx
    return gather


def convert_kps(keypoints: ArrayLike, src: str, dst: str,
                mask: Optional[ArrayLike] = None, approximate: bool = False
                ) -> Tuple[ArrayLike, ArrayLike]:
    """Convert keypoints from convention ``src`` to ``dst`` by joint name.

    Works on numpy arrays and torch tensors; a tensor keeps its dtype,
    device and autograd graph (the output is a differentiable gather).

    Args:
        keypoints: (..., J_src, C) keypoints in ``src`` order (any C: 2D,
            3D, with confidence ...).
        src: source convention.
        dst: destination convention.
        mask: optional validity / confidence of the source joints, (J_src,)
            or (..., J_src) with leading dims broadcastable to those of
            ``keypoints``.  Its dtype and values are kept (fractional
            confidences stay fractional).  Default: all ones.
        approximate: allow near-equivalent names, see :func:`get_mapping`.

    Returns:
        ``(keypoints, mask)``: keypoints (..., J_dst, C), same type / dtype
        (/ device) as the input, zero where a destination joint has no
        source; mask (J_dst,) when ``mask`` was None or 1-D, else
        (..., J_dst): the source mask value for mapped joints, 0 for
        unmapped ones.  Without a mask it has the keypoints' floating dtype
        (float32 for integer keypoints).

    Raises:
        KeyError: unknown convention.
        ValueError: keypoints or mask whose joint dimension is not J_src.
    """
    n_src = len(_lookup(src))
    is_torch = isinstance(keypoints, torch.Tensor)
    if not is_torch:
        keypoints = np.asarray(keypoints)
    if keypoints.ndim < 2 or keypoints.shape[-2] != n_src:
        raise ValueError(f'keypoints of convention {src!r} must have shape '
                         f'(..., {n_src}, C), got {tuple(keypoints.shape)}')
    gather = _gather_index(src, dst, approximate)
    lead = tuple(keypoints.shape[:-2])
    channels = keypoints.shape[-1]

    if is_torch:
        device = keypoints.device
        index = torch.as_tensor(gather, device=device)
        padded = torch.cat(
            [keypoints, keypoints.new_zeros(lead + (1, channels))], dim=-2)
        out = padded.index_select(-2, index)
        if mask is None:
            dtype = (keypoints.dtype if keypoints.is_floating_point()
                     else torch.float32)
            mask = torch.ones(n_src, dtype=dtype, device=device)
        else:
            mask = torch.as_tensor(mask, device=device)
    else:
        padded = np.concatenate(
            [keypoints, np.zeros(lead + (1, channels), keypoints.dtype)],
            axis=-2)
        out = np.take(padded, gather, axis=-2)
        if mask is None:
            dtype = (keypoints.dtype
                     if np.issubdtype(keypoints.dtype, np.floating)
                     else np.float32)
            mask = np.ones(n_src, dtype=dtype)
        else:
            if isinstance(mask, torch.Tensor):
                mask = mask.detach().cpu().numpy()
            mask = np.asarray(mask)

    if mask.ndim < 1 or mask.shape[-1] != n_src:
        raise ValueError(f'mask of convention {src!r} must have shape '
                         f'({n_src},) or (..., {n_src}), got '
                         f'{tuple(mask.shape)}')
    try:
        ok = np.broadcast_shapes(tuple(mask.shape[:-1]), lead) == lead
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f'mask shape {tuple(mask.shape)} does not broadcast '
                         f'to the keypoints {tuple(keypoints.shape[:-1])}')

    if is_torch:
        pad = mask.new_zeros(tuple(mask.shape[:-1]) + (1,))
        out_mask = torch.cat([mask, pad], dim=-1).index_select(-1, index)
    else:
        pad = np.zeros(tuple(mask.shape[:-1]) + (1,), dtype=mask.dtype)
        out_mask = np.take(np.concatenate([mask, pad], axis=-1), gather,
                           axis=-1)
    return out, out_mask
