"""The converter registry: ``name -> function(root, out_dir, **options)``.

A converter reads one dataset in its **official layout** under ``root`` and
writes annotation files in hmrzoo's format (:mod:`hmrzoo.datasets.human_data`)
into ``out_dir``; it returns the paths it wrote.  ``tools/convert_datasets.py
--dataset NAME --root RAW --out DIR`` runs one.

Converters never touch image pixels: ``image_path`` is stored relative to
``root``, so a config's ``data_prefix`` is that same ``root``.
"""
import os
import os.path as osp
from typing import Callable, Dict, List, NamedTuple, Sequence

import numpy as np


class ConverterSpec(NamedTuple):
    fn: Callable[..., List[str]]
    splits: Sequence[str]
    description: str


CONVERTERS: Dict[str, ConverterSpec] = {}


def register_converter(name: str, splits: Sequence[str] = ('train',),
                       description: str = ''):
    """Decorator: register ``fn(root, out_dir, split=..., **options)``
    under ``name`` (the ``--dataset`` of the tool)."""
    def wrap(fn):
        if name in CONVERTERS:
            raise KeyError(f'converter {name!r} is already registered')
        CONVERTERS[name] = ConverterSpec(fn, tuple(splits),
                                         description or (fn.__doc__ or '')
                                         .strip().splitlines()[0])
        return fn
    return wrap


def run_converter(name: str, root: str, out_dir: str, split=None,
                  **options) -> List[str]:
    """Run the converter ``name``; ``split=None`` converts every split it
    knows.  Raises KeyError for an unknown name, FileNotFoundError for a
    ``root`` that does not exist."""
    if name not in CONVERTERS:
        raise KeyError(f'unknown dataset {name!r}; converters: '
                       f'{sorted(CONVERTERS)}')
    if not osp.isdir(root):
        raise FileNotFoundError(f'dataset root {root!r} is not a directory')
    spec = CONVERTERS[name]
    splits = spec.splits if split is None else [split]
    bad = [s for s in splits if s not in spec.splits]
    if bad:
        raise ValueError(f'{name} has splits {list(spec.splits)}, not {bad}')
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for s in splits:
        written += spec.fn(root, out_dir, split=s, **options)
    return written


def require_path(root: str, *parts: str, what: str = '') -> str:
    """``osp.join(root, *parts)``, or a FileNotFoundError naming the path
    and what should be there (the official layout's file)."""
    path = osp.join(root, *parts)
    if not osp.exists(path):
        hint = f' ({what})' if what else ''
        raise FileNotFoundError(f'expected {path}{hint}: is {root!r} the '
                                'dataset in its official layout? See '
                                'docs/data_preparation.md')
    return path


def bbox_from_keypoints(keypoints: np.ndarray, scale: float = 1.2):
    """(N, 4) xywh boxes around the confident 2D keypoints (N, K, 3),
    enlarged by ``scale`` about their centre; rows without a confident
    point get zeros."""
    kp = np.asarray(keypoints, np.float64)
    valid = kp[..., 2] > 0
    big = np.where(valid[..., None], kp[..., :2], np.inf)
    small = np.where(valid[..., None], kp[..., :2], -np.inf)
    lo, hi = big.min(axis=1), small.max(axis=1)
    ok = valid.any(axis=1)
    centre = np.where(ok[:, None], (lo + hi) / 2, 0.)
    size = np.where(ok[:, None], (hi - lo) * scale, 0.)
    return np.concatenate([centre - size / 2, size], axis=1).astype(
        np.float32)
