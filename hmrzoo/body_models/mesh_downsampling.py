"""Mesh downsampling matrices: a (P, V) matrix whose rows average body-model
vertices into P points (PyMAF samples its mesh-aligned features at P = 431
points of SMPL's 6890 vertices).

* SMPL: GraphCMR's ``mesh_downsampling.npz`` when the user has it (object
  array ``D`` of scipy sparse matrices, ``D[0]`` (1723, 6890) and ``D[1]``
  (431, 1723); the map is ``D[1] @ D[0]``), read without ``allow_pickle``.
* Any body model: :func:`compute_downsampling`, farthest-point samples of
  the rest mesh and the mean of each sample's Voronoi cell of vertices,
  cached in memory and under ``~/.cache/hmrzoo/mesh_downsampling``.
"""
import hashlib
import os
import os.path as osp
from typing import Dict, Optional

import numpy as np
import torch
from torch import Tensor

from .model_files import find_model_file, load_model_arrays

CACHE_DIR = osp.join(osp.expanduser('~'), '.cache', 'hmrzoo',
                     'mesh_downsampling')
_MEMORY: Dict[str, Tensor] = {}


def load_graphcmr_downsampling(path: str, levels: int = 2) -> Tensor:
    """GraphCMR's downsampling file -> dense (P, V) float32 map
    ``D[levels-1] @ ... @ D[0]``."""
    arrays = load_model_arrays(path)
    if 'D' not in arrays:
        raise KeyError(f'{path}: no key "D" (GraphCMR mesh_downsampling.npz '
                       f'holds A, U, D); keys: {sorted(arrays)}')
    mats = [np.asarray(m, dtype=np.float64) for m in arrays['D']]
    if len(mats) < levels:
        raise ValueError(f'{path}: D has {len(mats)} levels, need {levels}')
    out = mats[0]
    for m in mats[1:levels]:
        out = m @ out
    return torch.from_numpy(out.astype(np.float32))


def farthest_points(points: Tensor, num: int) -> Tensor:
    """Indices (num,) of farthest-point samples of (V, 3) points, starting
    from the point nearest to their centroid (deterministic)."""
    first = (points - points.mean(0)).norm(dim=1).argmin()
    chosen = torch.empty(num, dtype=torch.long)
    chosen[0] = first
    dist = (points - points[first]).norm(dim=1)
    for i in range(1, num):
        chosen[i] = dist.argmax()
        dist = torch.minimum(dist, (points - points[chosen[i]]).norm(dim=1))
    return chosen


def cluster_mean_matrix(points: Tensor, centres: Tensor) -> Tensor:
    """(P, V) rows averaging the vertices whose nearest centre is row p
    (every row is non-empty: a centre is its own nearest centre)."""
    nearest = torch.cdist(points, points[centres]).argmin(dim=1)   # (V,)
    mat = torch.zeros(len(centres), len(points))
    mat[nearest, torch.arange(len(points))] = 1.
    return mat / mat.sum(dim=1, keepdim=True)


def _key(vertices: Tensor, faces: Tensor, num: int) -> str:
    h = hashlib.sha1()
    h.update(np.ascontiguousarray(vertices.numpy(), np.float32).tobytes())
    h.update(np.ascontiguousarray(faces.numpy(), np.int64).tobytes())
    return f'{h.hexdigest()[:16]}_{num}'


def compute_downsampling(rest_vertices: Tensor, faces: Tensor,
                         num_points: int = 431,
                         cache_dir: Optional[str] = CACHE_DIR) -> Tensor:
    """A (num_points, V) cluster-mean downsampling of a rest mesh.

    Args:
        rest_vertices: (V, 3) rest-pose vertices, metres.
        faces: (F, 3) faces (part of the cache key).
        num_points: P.
        cache_dir: where to keep the result (None: memory only).
    """
    verts = rest_vertices.detach().float().cpu()
    key = _key(verts, faces.detach().long().cpu(), num_points)
    if key in _MEMORY:
        return _MEMORY[key]
    path = osp.join(cache_dir, key + '.npz') if cache_dir else None
    if path and osp.isfile(path):
        with np.load(path) as f:
            mat = torch.from_numpy(f['matrix'])
    else:
        mat = cluster_mean_matrix(verts, farthest_points(verts, num_points))
        if path:
            os.makedirs(cache_dir, exist_ok=True)
            np.savez_compressed(path, matrix=mat.numpy())
    _MEMORY[key] = mat
    return mat


def downsampling_for(body_model, num_points: int = 431,
                     path: Optional[str] = None) -> Tensor:
    """The (P, V) map of a body model: from ``path`` (GraphCMR's file) if
    given, else computed from its rest mesh (:func:`compute_downsampling`).
    """
    if path is not None:
        # data/body_models/... is also looked for under $HMRZOO_BODY_MODELS
        path = find_model_file('mesh_downsampling', path)
        mat = load_graphcmr_downsampling(path)
        if mat.shape[1] != body_model.num_vertices:
            raise ValueError(f'{path} maps {mat.shape[1]} vertices; the body '
                             f'model has {body_model.num_vertices}')
        return mat
    rest = body_model.rest_geometry()
    return compute_downsampling(rest.vertices, rest.faces, num_points)
