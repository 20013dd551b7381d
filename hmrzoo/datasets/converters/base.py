"""The dataset converters: entries of
:data:`hmrzoo.registry.DATASET_CONVERTERS`, ``name -> ConverterSpec``.

A converter ``fn(root, out_dir, split=..., **options)`` reads one dataset
in its **official layout** under ``root`` and writes annotation files in
hmrzoo's format (:mod:`hmrzoo.datasets.human_data`) into ``out_dir``; it
returns the paths it wrote.  ``tools/convert_datasets.py --dataset NAME
--root RAW --out DIR`` runs one.  :func:`register_converter` registers a
function with its splits and a description; a module outside hmrzoo uses
it the same way and is imported first (``tools/convert_datasets.py
--custom-imports MODULE``, or an ``hmrzoo.plugins`` entry point)::

    from hmrzoo.datasets.converters import register_converter

    @register_converter('my_dataset', splits=('train', 'test'),
                        description='My dataset (annotation files)')
    def convert_my_dataset(root, out_dir, split='train'):
        # read root in its layout, write hmrzoo files under out_dir
        ...
        return [path_written]

Converters never touch image pixels: ``image_path`` is stored relative to
``root``, so a config's ``data_prefix`` is that same ``root``.
"""
import os
import os.path as osp
from types import MappingProxyType
from typing import Callable, List, NamedTuple, Sequence

import numpy as np

from ...registry import DATASET_CONVERTERS
from ...utils.errors import UserInputError


class ConverterSpec(NamedTuple):
    """A registered converter: the function, its splits, one line of
    description; calling the spec calls the function."""
    fn: Callable[..., List[str]]
    splits: Sequence[str]
    description: str

    def __call__(self, root: str, out_dir: str, **options) -> List[str]:
        return self.fn(root, out_dir, **options)


#: name -> ConverterSpec: a read-only, live view of DATASET_CONVERTERS,
#: converters registered by other packages included
CONVERTERS = MappingProxyType(DATASET_CONVERTERS.module_dict)


def register_converter(name: str, splits: Sequence[str] = ('train',),
                       description: str = ''):
    """Decorator: register ``fn(root, out_dir, split=..., **options)``
    under ``name`` (the ``--dataset`` of the tool) in DATASET_CONVERTERS;
    ``description`` defaults to the first line of its docstring."""
    def wrap(fn):
        if name in CONVERTERS:
            raise KeyError(f'converter {name!r} is already registered')
        spec = ConverterSpec(fn, tuple(splits),
                             description or (fn.__doc__ or '')
                             .strip().splitlines()[0])
        DATASET_CONVERTERS.register_module(name=name, module=spec)
        return fn
    return wrap


def get_converter(name: str) -> ConverterSpec:
    """The converter registered as ``name``; a KeyError naming it and the
    registered ones otherwise."""
    if name not in CONVERTERS:
        raise KeyError(f'unknown dataset {name!r}; registered converters: '
                       f'{sorted(CONVERTERS)}; a converter is registered '
                       'with @register_converter(NAME, splits) '
                       '(hmrzoo.datasets.converters) in a module imported '
                       'first (--custom-imports MODULE)')
    return CONVERTERS[name]


def run_converter(name: str, root: str, out_dir: str, split=None,
                  **options) -> List[str]:
    """Run the converter ``name``; ``split=None`` converts every split it
    knows.  Raises KeyError for an unknown name, FileNotFoundError for a
    ``root`` that does not exist."""
    spec = get_converter(name)
    if not osp.isdir(root):
        raise FileNotFoundError(f'dataset root {root!r} is not a directory')
    splits = spec.splits if split is None else [split]
    bad = [s for s in splits if s not in spec.splits]
    if bad:
        raise ValueError(f'{name} has splits {list(spec.splits)}, not {bad}')
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for s in splits:
        paths = spec(root, out_dir, split=s, **options)
        for path in paths:
            _refuse_empty(path, name, s, root, options)
        written += paths
    return written


class EmptyConversionError(UserInputError, ValueError):
    """A converter kept no row of a split (its file is removed)."""


def _refuse_empty(path: str, name: str, split: str, root: str,
                  options: dict) -> None:
    """Remove and refuse an annotation file with no rows: every sample of
    the split was dropped (wrong folder, wrong split, an option that
    filters everything), and training on it would only fail later."""
    if not path.endswith('.npz') or not osp.isfile(path):
        return
    with np.load(path, allow_pickle=False) as data:
        rows = len(data['image_path']) if 'image_path' in data else None
    if rows != 0:
        return
    os.remove(path)
    given = ', '.join(f'{k}={v}' for k, v in options.items()) or 'none'
    raise EmptyConversionError(
        f'converter {name!r} kept no sample of split {split!r} from '
        f'{root}: every row was dropped, so {path} was not written. Check '
        f'that --root is the official {name} layout of that split and the '
        f'converter options (given: {given}; tools/convert_datasets.py '
        '--list, docs/data_preparation.md)')


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
