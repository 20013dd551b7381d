"""Fabricated body-model files for tests: no licensed data anywhere.

The files have the structure of the real ones (same keys, shapes, dtypes and
kinematic trees) so that hmrzoo's readers and ``smplx``'s layers accept
them, and a body that is geometrically plausible: a hand-made skeleton
(metres, y up, facing +z, the body's left on +x, about 1.7 m tall) dressed
in closed tubes of vertices around its bones.  Hence

* the joints regressed by ``J_regressor`` are distinct and lie at the
  skeleton's joints (each row averages the vertices nearest its joint);
* skinning weights follow the bones (rows sum to 1, blended near joints);
* the faces connect neighbouring vertices, so a projected / rendered mesh
  looks like a stick figure with volume;
* smplx's vertex joints (nose, eyes, ears, toes, heels, finger tips) sit at
  plausible places (the vertex ids smplx picks are moved there);
* shape directions are smooth (height, width, per-part offsets) and pose
  correctives small.

Everything is deterministic given ``seed``.  This module builds the
arrays (:func:`fake_smpl_arrays`, :func:`fake_smplx_arrays`) from the
skeletons of :mod:`.fake_skeleton` with the tube builder of
:mod:`.fake_tube_mesh`; :mod:`.fake_model_files` writes them and the other
files of a body-models root (:func:`~.fake_model_files.write_fake_smpl`,
:func:`~.fake_model_files.write_fake_smplx`,
:func:`~.fake_model_files.write_fake_regressor`,
:func:`~.fake_model_files.write_fake_mean_params`,
:func:`~.fake_model_files.make_fake_body_model_dir`, and
:func:`~.fake_model_files.fake_chumpy`, a throw-away ``chumpy.ch`` module
for writing chumpy-style pickles).
"""
import functools
from typing import Dict

import numpy as np

from ..conventions.smpl import SMPL_PARENTS
from .fake_skeleton import (SMPL_JOINTS, SMPL_NUM_FACES, SMPL_NUM_VERTS,
                            SMPL_RADII, SMPLX_NUM_FACES, SMPLX_NUM_VERTS,
                            SMPLX_PARENTS, smplx_skeleton)
from .fake_tube_mesh import tube_body_arrays

__all__ = ['SMPL_PARENTS', 'SMPLX_PARENTS', 'fake_smpl_arrays',
           'fake_smplx_arrays']


def _smplx_vertex_ids(kind: str) -> Dict[str, int]:
    from smplx.vertex_ids import vertex_ids
    return dict(vertex_ids[kind])


def _frozen(arrays: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    for v in arrays.values():
        if isinstance(v, np.ndarray):
            v.flags.writeable = False
    return arrays


def fake_smpl_arrays(num_betas: int = 10, seed: int = 0
                     ) -> Dict[str, np.ndarray]:
    """The arrays of a fake SMPL model (plain numpy, dense regressor).

    Keys and shapes as the official files: ``v_template`` (6890, 3),
    ``shapedirs`` (6890, 3, num_betas), ``posedirs`` (6890, 3, 207),
    ``J_regressor`` (24, 6890), ``weights`` (6890, 24), ``kintree_table``
    (2, 24) (root parent stored as 4294967295), ``f`` (13776, 3) uint32, plus
    the strings ``bs_style`` / ``bs_type``.  Built once per argument set and
    process: the arrays are shared and read-only (copy one to modify it).
    """
    return dict(_smpl_arrays(num_betas, seed))


@functools.lru_cache(maxsize=4)
def _smpl_arrays(num_betas: int, seed: int) -> Dict[str, np.ndarray]:
    tips = {15: ((0, 1, 0), 0.18), 10: ((0, 0, 1), 0.08),
            11: ((0, 0, 1), 0.08), 22: ((1, 0, 0), 0.08),
            23: ((-1, 0, 0), 0.08)}
    arrays = tube_body_arrays(SMPL_JOINTS, SMPL_PARENTS, SMPL_RADII, tips,
                              SMPL_NUM_VERTS, SMPL_NUM_FACES,
                              _smplx_vertex_ids('smplh'), num_betas, seed)
    arrays.update(bs_style='lbs', bs_type='lrotmin')
    return _frozen(arrays)


def fake_smplx_arrays(num_betas: int = 10, num_expression: int = 10,
                      seed: int = 0) -> Dict[str, np.ndarray]:
    """The arrays of a fake SMPL-X model.

    As the official ``SMPLX_*.npz``: ``v_template`` (10475, 3),
    ``shapedirs`` (10475, 3, num_betas + num_expression) -- smplx reads
    betas from the first 10 and expressions from the next 10 when there are
    fewer than 400 directions, else from [0, 300) and [300, 400) --,
    ``posedirs`` (10475, 3, 486), ``J_regressor`` (55, 10475), ``weights``
    (10475, 55), ``kintree_table`` (2, 55), ``f`` (20908, 3),
    ``hands_componentsl/r`` (45, 45) orthonormal, ``hands_meanl/r`` (45,),
    ``lmk_faces_idx`` (51,), ``lmk_bary_coords`` (51, 3),
    ``dynamic_lmk_faces_idx`` (79, 17), ``dynamic_lmk_bary_coords``
    (79, 17, 3), all landmarks on faces of the head.  Built once per
    argument set and process: the arrays are shared and read-only.
    """
    return dict(_smplx_arrays(num_betas, num_expression, seed))


@functools.lru_cache(maxsize=1)
def _smplx_arrays(num_betas: int, num_expression: int,
                  seed: int) -> Dict[str, np.ndarray]:
    if num_betas + num_expression < 400 and (num_betas, num_expression) != (
            10, 10):
        raise ValueError('smplx reads 10 betas + 10 expressions from files '
                         'with fewer than 400 shape directions, and 300 + 100 '
                         'otherwise: use (10, 10) or (300, 100)')
    joints, radii = smplx_skeleton()
    tips = {15: ((0, 1, 0), 0.18), 10: ((0, 0, 1), 0.08),
            11: ((0, 0, 1), 0.08), 22: ((0, -0.5, 1), 0.05),
            23: ((0, 0, 1), 0.012), 24: ((0, 0, 1), 0.012)}
    for j, p in enumerate(SMPLX_PARENTS):
        if j >= 25 and j not in SMPLX_PARENTS:  # finger tips
            tips[j] = (joints[j] - joints[p], 0.02)
    arrays = tube_body_arrays(joints, SMPLX_PARENTS, radii, tips,
                              SMPLX_NUM_VERTS, SMPLX_NUM_FACES,
                              _smplx_vertex_ids('smplx'),
                              num_betas + num_expression, seed)
    rng = np.random.default_rng(seed + 1000)
    for side in 'lr':
        q, _ = np.linalg.qr(rng.standard_normal((45, 45)))
        arrays[f'hands_components{side}'] = q
        arrays[f'hands_mean{side}'] = 0.1 * rng.standard_normal(45)
    verts, faces = arrays['v_template'], arrays['f'].astype(np.int64)
    centroids = verts[faces].mean(1)
    face_centre = joints[15] + (0.0, 0.03, 0.05)
    head_faces = np.flatnonzero(
        np.linalg.norm(centroids - face_centre, axis=1) < 0.12)

    def bary(*shape):
        b = rng.random(shape + (3, )) + 0.05
        return b / b.sum(-1, keepdims=True)

    arrays['lmk_faces_idx'] = rng.choice(head_faces, 51).astype(np.int64)
    arrays['lmk_bary_coords'] = bary(51)
    arrays['dynamic_lmk_faces_idx'] = rng.choice(
        head_faces, (79, 17)).astype(np.int64)
    arrays['dynamic_lmk_bary_coords'] = bary(79, 17)
    return _frozen(arrays)
