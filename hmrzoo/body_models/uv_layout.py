"""UV layouts (texture coordinates) of SMPL and SMPL-X, read from the
Wavefront OBJ files their owners distribute separately from the models.

**The files** (licensed, never shipped; put them beside the model files):

* SMPL: ``smpl_uv.obj`` from the "UV map" download of the SMPL website
  (``smpl_uv_20200910.zip``) -> ``data/body_models/smpl/smpl_uv.obj``;
  6890 ``v``, 7576 ``vt``, 13776 triangular ``f`` lines.
* SMPL-X: ``smplx_uv.obj`` from the "UV map" download of the SMPL-X
  website (``smplx_uv.zip``) -> ``data/body_models/smplx/smplx_uv.obj``;
  10475 ``v``, 11313 ``vt``, 20908 triangular ``f`` lines.

There are more texture vertices than mesh vertices because the layout cuts
the surface along seams: a vertex on a seam has one texture vertex per side,
so texture coordinates belong to face *corners* (``f v/vt`` or
``f v/vt/vn``), not to vertices.  (Counts as reported publicly, e.g. in the
issues of the ``smplx`` and ``smplify-x`` repositories; none of it is
checked here against a real file: the layout is only required to have the
model's triangles, see :func:`corner_texture_uv`.)

**What a body model does with it.**  :class:`~.smpl.SMPL` and
:class:`~.smplx_model.SMPLX` turn the layout into ``corner_texture_uv``
(F, 3, 2) float32, the texture coordinates of each corner of each of the
model's faces, in the OBJ convention ((0, 0) is the texture image's
bottom-left corner, (1, 1) its top-right).  Renderers then texture the body
(synthetic RGB, ``rgb_albedo='texture'``); without one they colour it by
body part.  The layout is optional: it is looked for beside the model files
(:func:`find_uv_layout`) and silently skipped when absent.

Entry points: :func:`read_uv_layout` (the OBJ reader),
:func:`corner_texture_uv` (layout -> per-corner coordinates for a model's
faces), :func:`find_uv_layout` (where the file is).
"""
import logging
import os
import os.path as osp
from typing import List, NamedTuple, Optional, Tuple

import numpy as np
import torch

from .model_files import BodyModelFileNotFoundError, find_model_file

__all__ = ['UVLayout', 'read_uv_layout', 'corner_texture_uv',
           'find_uv_layout', 'load_corner_texture_uv']

logger = logging.getLogger('hmrzoo.body_models')


class UVLayout(NamedTuple):
    """A triangle mesh's UV layout, 0-based.

    Attributes:
        faces: (F, 3) long, vertex index of each face corner.
        face_uvs: (F, 3) long, texture-vertex index of each face corner.
        uvs: (T, 2) float32, texture coordinates (u, v) in [0, 1], (0, 0) at
            the texture's bottom-left (OBJ convention).
        num_vertices: number of ``v`` lines (mesh vertices) in the file.
        path: the file it was read from.
    """
    faces: torch.Tensor
    face_uvs: torch.Tensor
    uvs: torch.Tensor
    num_vertices: int
    path: str


def _index(token: str, count: int, what: str, where: str) -> int:
    """One OBJ index (1-based, or negative = relative to the ``count``
    elements read so far) -> 0-based; ``what`` names the elements
    (plural)."""
    try:
        i = int(token)
    except ValueError:
        raise ValueError(f'{where}: index {token!r} into the {what} is not '
                         'an integer') from None
    if i == 0:
        raise ValueError(f'{where}: index 0 into the {what} (OBJ indices '
                         'start at 1)')
    i = i - 1 if i > 0 else count + i
    if not 0 <= i < count:
        raise ValueError(f'{where}: index {token} refers to none of the '
                         f'{count} {what} defined before this line')
    return i


def read_uv_layout(path: str) -> UVLayout:
    """Read a UV layout from a Wavefront OBJ file.

    Reads ``v`` (counted only), ``vt`` (u, v; a third component is ignored)
    and ``f`` lines whose corners are ``v/vt`` or ``v/vt/vn``; indices are
    1-based or negative (relative to the elements defined so far).  Comments
    (``#`` to the end of the line), blank lines and other statements (``vn``,
    ``o``, ``g``, ``s``, ``usemtl``, ``mtllib``, ...) are skipped.

    Args:
        path: the ``.obj`` file.

    Returns:
        :class:`UVLayout`.

    Raises:
        BodyModelFileNotFoundError: ``path`` does not exist.
        ValueError: a face that is not a triangle (body UV layouts are
            triangulated), a corner without a texture index (``f a`` or
            ``f a//c``), a bad index or number, or no face at all; the
            message names the file and the line.
    """
    path = os.fspath(path)
    if not osp.isfile(path):
        raise BodyModelFileNotFoundError('file', [osp.abspath(path)])
    uvs: List[List[float]] = []
    faces: List[List[int]] = []
    face_uvs: List[List[int]] = []
    num_v = 0
    with open(path, 'r', encoding='utf-8', errors='replace') as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split('#', 1)[0].split()
            if not parts:
                continue
            where = f'{path}, line {lineno}'
            tag = parts[0]
            if tag == 'v':
                num_v += 1
            elif tag == 'vt':
                try:
                    uvs.append([float(parts[1]), float(parts[2])])
                except (IndexError, ValueError):
                    raise ValueError(f'{where}: a texture vertex is "vt u v",'
                                     f' got {line.strip()!r}') from None
            elif tag == 'f':
                corners = parts[1:]
                if len(corners) != 3:
                    raise ValueError(
                        f'{where}: a face with {len(corners)} corners; a body '
                        'UV layout must be made of triangles (triangulate '
                        'the mesh, keeping its vertex order, and export it '
                        'again)')
                fv, ft = [], []
                for c in corners:
                    fields = c.split('/')
                    if len(fields) < 2 or not fields[1]:
                        raise ValueError(
                            f'{where}: face corner {c!r} has no texture '
                            'index; a UV layout needs "f v/vt" or '
                            '"f v/vt/vn" corners (is this the mesh without '
                            'its UV map?)')
                    fv.append(_index(fields[0], num_v, 'vertices', where))
                    ft.append(_index(fields[1], len(uvs),
                                     'texture vertices', where))
                faces.append(fv)
                face_uvs.append(ft)
    if not faces:
        raise ValueError(f'{path}: no faces ("f" lines); not a UV layout')
    return UVLayout(
        faces=torch.tensor(faces, dtype=torch.long),
        face_uvs=torch.tensor(face_uvs, dtype=torch.long),
        uvs=torch.tensor(uvs, dtype=torch.float32).reshape(-1, 2),
        num_vertices=num_v, path=path)


def _sorted_corners(faces: np.ndarray):
    """Each face's vertex indices sorted (the triangle's identity whatever
    its corner order) and the argsort that sorts them."""
    order = np.argsort(faces, axis=1, kind='stable')
    return np.take_along_axis(faces, order, 1), order


def _lexsort_rows(keys: np.ndarray) -> np.ndarray:
    return np.lexsort(keys.T[::-1])


def corner_texture_uv(layout: UVLayout, faces: torch.Tensor,
                      num_vertices: int,
                      model_name: str = 'body model') -> torch.Tensor:
    """Texture coordinates of each corner of a model's faces.

    The layout's triangles must be the model's triangles (same vertex
    indices).  They may be listed in another order and each with its
    corners in another order; corner ``j`` of model face ``i`` gets the
    texture coordinate the layout gives the same vertex in the same
    triangle.

    Args:
        layout: from :func:`read_uv_layout`.
        faces: (F, 3) long, the model's faces.
        num_vertices: the model's vertex count (for the error message).
        model_name: named in the error message.

    Returns:
        (F, 3, 2) float32: ``uvs[face_uvs]`` re-ordered to ``faces``.

    Raises:
        ValueError: the layout is not one of this model: its face count or
            its triangles differ (the message gives both meshes' counts and
            what to do).
    """
    model = faces.detach().cpu().numpy().astype(np.int64)
    lay = layout.faces.numpy()
    lay_t = layout.face_uvs.numpy()
    uvs = layout.uvs
    if lay.shape == model.shape and np.array_equal(lay, model):
        return uvs[layout.face_uvs].contiguous()

    def mismatch(detail: str) -> ValueError:
        return ValueError(
            f'{layout.path} is not a UV layout of this {model_name}: '
            f'{detail}. The file has {layout.num_vertices} vertices, '
            f'{len(lay)} faces and {len(uvs)} texture vertices; the model has '
            f'{num_vertices} vertices and {len(model)} faces. Use the UV map '
            f'released for this {model_name} (SMPL: smpl_uv.obj, SMPL-X: '
            'smplx_uv.obj; see hmrzoo/body_models/uv_layout.py), or remove '
            'the file / leave uv_file unset to colour the body by part.')

    if lay.shape != model.shape:
        raise mismatch(f'{len(lay)} faces instead of {len(model)}')
    model_key, model_order = _sorted_corners(model)
    lay_key, lay_order = _sorted_corners(lay)
    lay_t = np.take_along_axis(lay_t, lay_order, 1)
    m_sort, l_sort = _lexsort_rows(model_key), _lexsort_rows(lay_key)
    differ = (model_key[m_sort] != lay_key[l_sort]).any(1)
    if differ.any():
        missing = len(model) - _count_common(model_key, lay_key)
        raise mismatch(f'{missing} of its {len(lay)} triangles are not '
                       'triangles of the model')
    match = np.empty(len(model), dtype=np.int64)
    match[m_sort] = l_sort                   # model face -> layout face
    rank = np.argsort(model_order, axis=1)   # corner -> its sorted position
    texture_index = np.take_along_axis(lay_t[match], rank, 1)
    return uvs[torch.from_numpy(texture_index)].contiguous()


def _count_common(a: np.ndarray, b: np.ndarray) -> int:
    """How many rows of ``a`` (with multiplicity) have a twin in ``b``."""
    va = a.view([('', a.dtype)] * 3).ravel()
    vb = b.view([('', b.dtype)] * 3).ravel()
    ua, ca = np.unique(va, return_counts=True)
    ub, cb = np.unique(vb, return_counts=True)
    _, ia, ib = np.intersect1d(ua, ub, return_indices=True)
    return int(np.minimum(ca[ia], cb[ib]).sum())


def find_uv_layout(kind: str, model_file: str,
                   model_path: Optional[str] = None,
                   uv_file: Optional[str] = None) -> Optional[str]:
    """Where a model's UV layout is.

    Args:
        kind: ``'smpl_uv'`` or ``'smplx_uv'`` (file names ``smpl_uv.obj`` /
            ``smplx_uv.obj``, see :data:`.model_files.MODEL_FILE_KINDS`).
        model_file: the model file in use (its folder is searched first).
        model_path: what the model was given (a root, a folder or a file);
            a root or folder is searched as for the model files
            (``None`` / the default ``data/body_models``: under
            ``$HMRZOO_BODY_MODELS`` first).
        uv_file: an explicit ``.obj`` path, or a folder searched like a
            root; ``None`` looks for the layout as above.

    Returns:
        The absolute path, or ``None`` when ``uv_file`` is ``None`` and no
        layout was found (debug log).

    Raises:
        BodyModelFileNotFoundError: ``uv_file`` was given and does not
            exist (the message lists the paths tried).
    """
    if uv_file is not None:
        return find_model_file(kind, uv_file)
    # beside the model file, then where the model was looked for if that
    # was a root or folder (the default root: $HMRZOO_BODY_MODELS, then
    # data/body_models); a model given as a file is only looked beside
    bases = [osp.dirname(osp.abspath(model_file))]
    if model_path is None or osp.isdir(model_path) or \
            not osp.splitext(os.fspath(model_path))[1]:
        bases.append(model_path)
    looked_at: List[str] = []
    for base in bases:
        try:
            return find_model_file(kind, base)
        except BodyModelFileNotFoundError as err:
            looked_at += err.looked_at
    logger.debug('no %s found (looked at %s); renderers colour the body by '
                 'part', kind, ', '.join(dict.fromkeys(looked_at)))
    return None


def load_corner_texture_uv(kind: str, model_file: str, faces: torch.Tensor,
                           num_vertices: int, model_name: str,
                           model_path: Optional[str] = None,
                           uv_file: Optional[str] = None
                           ) -> Tuple[Optional[str], Optional[torch.Tensor]]:
    """Find (:func:`find_uv_layout`), read and match
    (:func:`corner_texture_uv`) a model's UV layout; arguments as there.

    Returns:
        ``(path, corner_uv)``: the layout's path and its (F, 3, 2) float32
        per-corner texture coordinates, or ``(None, None)`` when no layout
        was given or found.
    """
    path = find_uv_layout(kind, model_file, model_path, uv_file)
    if path is None:
        return None, None
    return path, corner_texture_uv(read_uv_layout(path), faces,
                                   num_vertices, model_name)
