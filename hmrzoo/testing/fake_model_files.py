"""Writing the fake body models (:mod:`.fake_body_models`) as files: SMPL
pickles (optionally chumpy-style, with a sparse regressor, as released) or
``.npz``, SMPL-X ``.npz``, joint regressors, mean parameters, GraphCMR's
mesh downsampling, and a complete fake ``data/body_models`` tree in
mmhuman3d's layout.  No licensed data anywhere.
"""
import contextlib
import os
import os.path as osp
import pickle
import sys
import types
from typing import Dict, Iterator, Optional

import numpy as np

from .fake_body_models import fake_smpl_arrays, fake_smplx_arrays

__all__ = [
    'write_fake_smpl', 'write_fake_smplx', 'write_fake_regressor',
    'write_fake_mean_params', 'write_fake_mesh_downsampling',
    'make_fake_body_model_dir', 'fake_chumpy',
]


@contextlib.contextmanager
def fake_chumpy() -> Iterator[type]:
    """A throw-away ``chumpy`` / ``chumpy.ch`` module holding a class
    ``Ch``, present in ``sys.modules`` only inside the ``with`` block.

    Objects of that class pickle as ``chumpy.ch.Ch`` with their attributes
    as state (set ``obj.x = array`` as chumpy's ``Ch`` does), so a pickle
    written inside the block needs chumpy, or hmrzoo's chumpy-free reader,
    to be loaded afterwards.
    """
    names = ('chumpy', 'chumpy.ch')
    saved = {n: sys.modules.get(n) for n in names}
    pkg = types.ModuleType('chumpy')
    mod = types.ModuleType('chumpy.ch')
    ch = type('Ch', (object, ), {'__module__': 'chumpy.ch'})
    mod.Ch = ch
    pkg.ch = mod
    sys.modules.update({'chumpy': pkg, 'chumpy.ch': mod})
    try:
        yield ch
    finally:
        for n in names:
            if saved[n] is None:
                sys.modules.pop(n, None)
            else:  # pragma: no cover - a real chumpy was imported
                sys.modules[n] = saved[n]


def _make_dirs(path: str) -> None:
    parent = osp.dirname(osp.abspath(path))
    os.makedirs(parent, exist_ok=True)


def _write_model(path: str, arrays: Dict[str, np.ndarray], fmt: str,
                 chumpy_like: bool, sparse_regressor: bool,
                 protocol: int = 2) -> str:
    path = os.fspath(path)
    _make_dirs(path)
    if fmt == 'npz':
        if chumpy_like:
            raise ValueError('chumpy_like applies to pickles (fmt="pkl")')
        with open(path, 'wb') as f:
            np.savez(f, **arrays)
        return path
    if fmt != 'pkl':
        raise ValueError(f"fmt must be 'pkl' or 'npz', got {fmt!r}")
    data = dict(arrays)
    if sparse_regressor:
        import scipy.sparse
        data['J_regressor'] = scipy.sparse.csc_matrix(data['J_regressor'])
    if not chumpy_like:
        with open(path, 'wb') as f:
            pickle.dump(data, f, protocol=protocol)
        return path
    with fake_chumpy() as ch:
        for key in ('shapedirs', 'v_template'):
            obj = ch()
            # a Ch keeps its value under 'x', next to bookkeeping entries
            obj.x = data[key]
            obj._dirty_vars = set()
            obj._itr = None
            data[key] = obj
        with open(path, 'wb') as f:
            pickle.dump(data, f, protocol=protocol)
    return path


def write_fake_smpl(path: str, fmt: str = 'pkl', num_betas: int = 10,
                    seed: int = 0, chumpy_like: bool = False,
                    sparse_regressor: bool = True, protocol: int = 2) -> str:
    """Write a fake SMPL model file (see :func:`fake_smpl_arrays`).

    Args:
        path: output file (written as given, whatever its extension).
        fmt: ``'pkl'`` (a Python-2-protocol pickle of a dict, as the
            official release) or ``'npz'``.
        num_betas: number of shape directions.
        seed: the same seed gives the same arrays in every format.
        chumpy_like: pickle ``shapedirs`` and ``v_template`` as
            ``chumpy.ch.Ch`` objects holding their array under ``'x'``
            (loading then needs chumpy or hmrzoo's chumpy-free reader).
        sparse_regressor: in a pickle, store ``J_regressor`` as a
            ``scipy.sparse.csc_matrix`` as the official file does.
        protocol: pickle protocol; 2 is what the official (Python 2)
            files use (large arrays then go through ``_codecs.encode``,
            slow to write); a higher one writes much faster.

    Returns:
        ``path``.
    """
    return _write_model(path, fake_smpl_arrays(num_betas, seed), fmt,
                        chumpy_like, sparse_regressor, protocol)


def write_fake_smplx(path: str, fmt: str = 'npz', num_betas: int = 10,
                     num_expression: int = 10, seed: int = 0,
                     chumpy_like: bool = False,
                     sparse_regressor: bool = False,
                     protocol: int = 2) -> str:
    """Write a fake SMPL-X model file (see :func:`fake_smplx_arrays`);
    arguments as :func:`write_fake_smpl` (the official SMPL-X release is a
    ``.npz``, hence the default)."""
    return _write_model(path,
                        fake_smplx_arrays(num_betas, num_expression, seed),
                        fmt, chumpy_like, sparse_regressor, protocol)


def write_fake_regressor(path: str, n_rows: int, n_verts: int = 6890,
                         seed: int = 0, k: int = 12) -> str:
    """Write a (n_rows, n_verts) float64 joint regressor to ``.npy``:
    non-negative rows with ``k`` non-zero entries summing to 1."""
    rng = np.random.default_rng(seed)
    reg = np.zeros((n_rows, n_verts))
    for r in range(n_rows):
        idx = rng.choice(n_verts, k, replace=False)
        w = rng.random(k) + 0.1
        reg[r, idx] = w / w.sum()
    path = os.fspath(path)
    _make_dirs(path)
    with open(path, 'wb') as f:
        np.save(f, reg)
    return path


def write_fake_mean_params(path: str, pose: Optional[np.ndarray] = None,
                           shape: Optional[np.ndarray] = None,
                           cam: Optional[np.ndarray] = None) -> str:
    """Write a ``smpl_mean_params.npz``: ``pose`` (144,) 24 6D rotations,
    ``shape`` (10,), ``cam`` (3,), float32.

    Defaults: identity rotations (6D ``[1, 0, 0, 1, 0, 0]``) except the
    root, 180 degrees about x (``[1, 0, 0, -1, 0, 0]``); zero shape; cam
    ``[0.9, 0, 0]``.
    """
    if pose is None:
        pose = np.tile(np.array([1, 0, 0, 1, 0, 0], np.float32), (24, 1))
        pose[0] = (1, 0, 0, -1, 0, 0)
    if shape is None:
        shape = np.zeros(10)
    if cam is None:
        cam = np.array([0.9, 0.0, 0.0])
    path = os.fspath(path)
    _make_dirs(path)
    with open(path, 'wb') as f:
        np.savez(f, pose=np.asarray(pose, np.float32).reshape(-1),
                 shape=np.asarray(shape, np.float32),
                 cam=np.asarray(cam, np.float32))
    return path


def write_fake_mesh_downsampling(path: str, seed: int = 0,
                                 sizes=(6890, 1723, 431)) -> str:
    """Write a GraphCMR-style ``mesh_downsampling.npz``: object arrays of
    scipy sparse matrices, ``D`` (down: (1723, 6890), (431, 1723)), ``U``
    (up, the reverse sizes), each row averaging two random columns, and
    ``A`` (identity adjacencies), as PyMAF's code reads it.

    Returns:
        ``path`` (str).
    """
    import scipy.sparse as sp
    rng = np.random.default_rng(seed)

    def avg(rows, cols):
        idx = np.stack([rng.choice(cols, 2, replace=False)
                        for _ in range(rows)])
        return sp.csr_matrix((np.full(2 * rows, 0.5),
                              (np.repeat(np.arange(rows), 2), idx.ravel())),
                             shape=(rows, cols))
    levels = len(sizes) - 1
    down = np.empty(levels, dtype=object)
    up = np.empty(levels, dtype=object)
    for i in range(levels):
        down[i] = avg(sizes[i + 1], sizes[i])
        up[i] = avg(sizes[i], sizes[i + 1])
    adj = np.empty(len(sizes), dtype=object)
    for i, n in enumerate(sizes):
        adj[i] = sp.identity(n, format='csr')
    path = os.fspath(path)
    _make_dirs(path)
    np.savez(path, A=adj, U=up, D=down)
    return path


def make_fake_body_model_dir(root: str, smplx: bool = True,
                             smpl_fmt: str = 'pkl') -> str:
    """Write a complete fake ``data/body_models`` tree (mmhuman3d layout)::

        root/smpl/SMPL_{NEUTRAL,MALE,FEMALE}.pkl   (seeds 0, 1, 2; the
                                                    neutral one in pickle
                                                    protocol 2 as released,
                                                    the others faster)
        root/smplx/SMPLX_NEUTRAL.npz               (if ``smplx``)
        root/J_regressor_extra.npy                 (9, 6890)
        root/J_regressor_h36m.npy                  (17, 6890)
        root/smpl_mean_params.npz

    Args:
        root: the folder to fill (created).
        smplx: also write the (larger, ~70 MB) SMPL-X file.
        smpl_fmt: ``'npz'`` writes the SMPL files as ``.npz`` instead
            (faster to read).

    Returns:
        ``root`` (str).
    """
    root = os.fspath(root)
    for seed, gender in enumerate(('NEUTRAL', 'MALE', 'FEMALE')):
        write_fake_smpl(osp.join(root, 'smpl', f'SMPL_{gender}.{smpl_fmt}'),
                        fmt=smpl_fmt, seed=seed,
                        protocol=2 if seed == 0 else pickle.HIGHEST_PROTOCOL)
    if smplx:
        write_fake_smplx(osp.join(root, 'smplx', 'SMPLX_NEUTRAL.npz'))
    write_fake_regressor(osp.join(root, 'J_regressor_extra.npy'), 9, seed=10)
    write_fake_regressor(osp.join(root, 'J_regressor_h36m.npy'), 17, seed=11)
    write_fake_mean_params(osp.join(root, 'smpl_mean_params.npz'))
    return root
