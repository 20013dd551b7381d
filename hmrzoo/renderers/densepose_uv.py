"""DensePose's own IUV atlas of SMPL, read from ``UV_Processed.mat``.

DensePose (Güler et al. 2018) ships its SMPL atlas as ``UV_Processed.mat``
in its UV data (``densepose_uv_data.tar.gz``, fetched by
``DensePoseData/get_densepose_uv.sh`` of
https://github.com/facebookresearch/DensePose; PyMAF expects it as
``data/UV_data/UV_Processed.mat``).  hmrzoo never
downloads it; where the file is at hand, :func:`load_densepose_uv` turns it
into the same :class:`~.iuv_atlas.IUVAtlas` as the derived atlases, so SMPL
renders can use DensePose's exact charts.  Without it, the derived atlas of
:func:`~.iuv_body_models.atlas_for` works for SMPL too.

Structure of the file (MATLAB v5, read with :func:`scipy.io.loadmat`):

* ``All_vertices`` (Vs, 1): 1-based SMPL vertex of each *atlas* vertex.
  DensePose splits the SMPL vertices on chart seams (Vs = 7829 > 6890), so
  one SMPL vertex can have several (U, V), one per chart it lies on.
* ``All_Faces`` (F, 3): 1-based indices into ``All_vertices`` (F = 13774,
  two fewer than SMPL's 13776 faces).
* ``All_FaceIndices`` (F, 1): part 1..24 of each face (DensePose order,
  :data:`~.iuv_parts.DENSEPOSE_PARTS`).
* ``All_U_norm``, ``All_V_norm`` (Vs, 1): U, V in [0, 1] of each atlas
  vertex.

The atlas keeps DensePose's faces (mapped to SMPL vertex indices) with the
(U, V) of their own corners, so split vertices keep their per-chart values.
Given the body model's ``faces``, the atlas is re-indexed onto them instead
(:func:`load_densepose_uv`'s ``faces`` argument).
"""
import os
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
import torch

from ..body_models.model_files import (BodyModelFileNotFoundError,
                                       body_models_roots)
from .iuv_atlas import IUVAtlas
from .iuv_parts import NUM_PARTS

__all__ = ['DensePoseUVNotFoundError', 'find_densepose_uv',
           'load_densepose_uv', 'DENSEPOSE_UV_NAMES']

#: where the file is looked for under each body-models root
#: (``data/body_models`` / ``$HMRZOO_BODY_MODELS``), and under ``data/``
#: (PyMAF's layout).
DENSEPOSE_UV_NAMES = ('UV_data/UV_Processed.mat', 'UV_Processed.mat')
_KEYS = ('All_FaceIndices', 'All_Faces', 'All_vertices', 'All_U_norm',
         'All_V_norm')
_SOURCE = ("DensePose's UV data: densepose_uv_data.tar.gz, fetched by "
           'DensePoseData/get_densepose_uv.sh in '
           'https://github.com/facebookresearch/DensePose')


class DensePoseUVNotFoundError(BodyModelFileNotFoundError):
    """``UV_Processed.mat`` is missing; the message lists the paths tried
    and where the file comes from.

    Attributes:
        looked_at (list[str]): absolute paths tried, in order.
    """

    def __init__(self, looked_at: Sequence[str]):
        self.kind = 'densepose_uv'
        self.looked_at = list(looked_at)
        self.gender = None
        lines = ["DensePose's SMPL atlas UV_Processed.mat not found. "
                 'Looked for:']
        lines += [f'  - {p}' for p in self.looked_at]
        lines += [
            f'Where to get it: {_SOURCE}; put UV_Processed.mat in '
            '<root>/UV_data/ (<root> = data/body_models or '
            '$HMRZOO_BODY_MODELS) or pass its path.',
            'No file at hand? '
            'hmrzoo.renderers.iuv_body_models.atlas_for(body_model) derives a '
            'DensePose-style atlas for SMPL (and Anny, SMPL-X) from the '
            'skinning weights, with no file.',
        ]
        FileNotFoundError.__init__(self, '\n'.join(lines))

    def __reduce__(self):
        return (type(self), (self.looked_at, ))


def find_densepose_uv(path: Optional[str] = None) -> str:
    """Locate ``UV_Processed.mat``.

    Args:
        path: a file, a folder holding it (or ``UV_data/`` with it), or
            ``None``: each body-models root
            (:func:`~hmrzoo.body_models.model_files.body_models_roots`),
            then ``data/`` of the working directory (PyMAF's layout).

    Returns:
        The absolute path.

    Raises:
        DensePoseUVNotFoundError: not found; lists every path tried.
    """
    if path is not None and osp.isfile(path):
        return osp.abspath(path)
    if path is not None:
        bases = [os.fspath(path)]
    else:
        bases = body_models_roots() + ['data']
    tried: List[str] = []
    for base in bases:
        if path is not None and osp.splitext(base)[1]:
            candidates = [base]  # a file name that does not exist
        else:
            candidates = [osp.join(base, n) for n in DENSEPOSE_UV_NAMES]
        for c in candidates:
            c = osp.abspath(osp.expanduser(c))
            if c in tried:
                continue
            tried.append(c)
            if osp.isfile(c):
                return c
    raise DensePoseUVNotFoundError(tried)


def _column(mat: dict, key: str, path: str) -> np.ndarray:
    if key not in mat:
        keys = sorted(k for k in mat if not k.startswith('__'))
        raise ValueError(f'{path} is not a DensePose UV_Processed.mat: '
                         f'missing {key!r} (has {keys})')
    return np.asarray(mat[key])


def load_densepose_uv(path: Optional[str] = None,
                      faces=None,
                      num_vertices: Optional[int] = None) -> IUVAtlas:
    """Read DensePose's SMPL atlas into an :class:`~.iuv_atlas.IUVAtlas`.

    Args:
        path: the ``.mat`` file or a folder (see :func:`find_densepose_uv`);
            ``None`` searches the default places.
        faces: optional (F', 3) faces of the body model (e.g. ``SMPL.faces``,
            13776 faces).  If given, the atlas is expressed on them: each
            face takes the part and corner (U, V) of DensePose's face with
            the same three vertices; a face DensePose lacks takes the part
            most DensePose faces around its vertices have, and at each
            corner the (U, V) of that vertex in that part (the mean of its
            copies if it has none there).  If ``None``, the atlas keeps
            DensePose's own faces, mapped to SMPL vertex indices.
        num_vertices: vertex count of the body model (``vertex_part``'s
            length); default: the largest vertex index used + 1 (6890 for
            SMPL's atlas).

    Returns:
        IUVAtlas with ``faces`` (F, 3) SMPL vertex indices, ``face_part``
        (F,) in 1..24, ``corner_uv`` (F, 3, 2) in [0, 1], ``vertex_part``.

    Raises:
        DensePoseUVNotFoundError: the file is missing.
        ValueError: the file lacks a key or its arrays are inconsistent.
    """
    import scipy.io
    path = find_densepose_uv(path)
    mat = scipy.io.loadmat(path)
    part = _column(mat, 'All_FaceIndices', path).reshape(-1).astype(np.int64)
    dp_faces = _column(mat, 'All_Faces', path).astype(np.int64) - 1
    vmap = _column(mat, 'All_vertices', path).reshape(-1).astype(np.int64) - 1
    u = _column(mat, 'All_U_norm', path).reshape(-1).astype(np.float64)
    v = _column(mat, 'All_V_norm', path).reshape(-1).astype(np.float64)
    ns = vmap.shape[0]
    if dp_faces.ndim != 2 or dp_faces.shape[1] != 3 or \
            part.shape[0] != dp_faces.shape[0]:
        raise ValueError(f'{path}: All_Faces must be (F,3) and '
                         f'All_FaceIndices (F,1); got {dp_faces.shape} and '
                         f'{part.shape}')
    if u.shape[0] != ns or v.shape[0] != ns:
        raise ValueError(f'{path}: All_U_norm / All_V_norm must have one '
                         f'value per All_vertices row ({ns})')
    if dp_faces.min() < 0 or dp_faces.max() >= ns or vmap.min() < 0:
        raise ValueError(f'{path}: face or vertex indices out of range '
                         '(expected 1-based MATLAB indices)')
    if part.min() < 1 or part.max() > NUM_PARTS:
        raise ValueError(f'{path}: All_FaceIndices must be in 1..24')
    nv = int(num_vertices) if num_vertices is not None else int(vmap.max()) + 1
    if vmap.max() >= nv:
        raise ValueError(f'{path}: All_vertices refers to vertex '
                         f'{vmap.max() + 1} but the body model has {nv}')
    uv = np.clip(np.stack([u, v], axis=-1), 0.0, 1.0)     # (Vs, 2)
    tri = vmap[dp_faces]                                   # (F, 3) SMPL ids
    corner_uv = uv[dp_faces]                               # (F, 3, 2)

    if faces is not None:
        tri, part, corner_uv = _onto_faces(faces, tri, part, corner_uv, nv,
                                           path)

    counts = np.zeros((nv, NUM_PARTS + 1), dtype=np.int64)
    np.add.at(counts, (tri.reshape(-1), np.repeat(part, 3)), 1)
    vpart = np.where(counts.sum(1) > 0, counts.argmax(1), 0)
    return IUVAtlas(faces=torch.from_numpy(tri.astype(np.int64)),
                    face_part=torch.from_numpy(part.astype(np.int64)),
                    corner_uv=torch.from_numpy(corner_uv.astype(np.float32)),
                    vertex_part=torch.from_numpy(vpart.astype(np.int64)),
                    name='DensePose UV_Processed')


def _onto_faces(faces, tri, part, corner_uv, nv, path):
    """Re-express DensePose's faces on the body model's ``faces``."""
    if isinstance(faces, torch.Tensor):
        faces = faces.detach().cpu().numpy()
    faces = np.asarray(faces, dtype=np.int64)
    if faces.ndim != 2 or faces.shape[1] != 3 or faces.min() < 0 or \
            faces.max() >= nv:
        raise ValueError(f'faces must be (F,3) indices below {nv}')
    key_dp = np.sort(tri, axis=1)
    key_bm = np.sort(faces, axis=1)
    # match by sorted vertex triple, encoded as one integer
    code_dp = (key_dp[:, 0] * nv + key_dp[:, 1]) * nv + key_dp[:, 2]
    code_bm = (key_bm[:, 0] * nv + key_bm[:, 1]) * nv + key_bm[:, 2]
    order = np.argsort(code_dp, kind='stable')
    pos = np.searchsorted(code_dp[order], code_bm)
    pos = np.clip(pos, 0, len(order) - 1)
    match = order[pos]
    found = code_dp[match] == code_bm
    nf = faces.shape[0]
    out_part = np.zeros(nf, dtype=np.int64)
    out_uv = np.zeros((nf, 3, 2))
    m = np.nonzero(found)[0]
    j = match[m]
    out_part[m] = part[j]
    # corner k of body face -> the corner of DensePose's face with its vertex
    which = (faces[m][:, :, None] == tri[j][:, None, :]).argmax(axis=2)
    out_uv[m] = np.take_along_axis(corner_uv[j], which[..., None], axis=1)
    missing = np.nonzero(~found)[0]
    if missing.size:
        flat_v = tri.reshape(-1)
        flat_p = np.repeat(part, 3)
        flat_uv = corner_uv.reshape(-1, 2)
        for i in missing:
            near = np.isin(flat_v, faces[i])
            if not near.any():
                raise ValueError(f'{path}: face {i} {faces[i].tolist()} of '
                                 'the body model touches no atlas vertex')
            p = int(np.bincount(flat_p[near], minlength=NUM_PARTS + 1)
                    .argmax())
            out_part[i] = p
            for k, vid in enumerate(faces[i]):
                same = flat_v == vid
                in_part = same & (flat_p == p)
                pick = in_part if in_part.any() else same
                out_uv[i, k] = flat_uv[pick].mean(0) if pick.any() else 0.5
    return faces, out_part, out_uv
