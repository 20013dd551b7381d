"""A fabricated SMPL model that is exactly mirror-symmetric, for tests of
left/right flipping (no licensed data).

Mirroring is ``P = diag(-1, 1, 1)`` (x -> -x).  The model is built from
one half of :func:`hmrzoo.testing.fake_smpl_arrays` (the 3445 vertices with
the largest x) and its mirror image, so that with the vertex permutation
``sigma`` (``i <-> i + 3445``) and SMPL's joint permutation ``pi``
(left <-> right, ``get_flip_indices('smpl_24')``):

* ``v_template[sigma(i)] = P v_template[i]``;
* ``shapedirs[sigma(i), c] = s_c shapedirs[i, c]``, ``s = (-1, 1, 1)``;
* ``posedirs[sigma(i), c, j, (a, b)] = s_c s_a s_b posedirs[i, c, pi(j),
  (a, b)]`` (pose feature ``R_j - I`` of body joint j, entry (a, b));
* ``J_regressor[pi(j), sigma(i)] = J_regressor[j, i]``;
* ``weights[sigma(i), pi(j)] = weights[i, j]``;
* the kinematic tree is SMPL's (itself symmetric under ``pi``).

Hence, for any pose, the mesh of the mirrored pose is ``P`` applied to the
mesh of the pose with its vertices permuted by ``sigma``, and the rest root
joint lies on x = 0.
"""
from typing import Dict, Tuple

import numpy as np

from ..conventions import get_flip_indices
from .fake_body_models import fake_smpl_arrays
from .fake_skeleton import SMPL_NUM_FACES

__all__ = ['symmetric_smpl_arrays', 'write_symmetric_smpl']

_SIGN = np.array([-1., 1., 1.])


def symmetric_smpl_arrays(num_betas: int = 10, seed: int = 0
                          ) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """The arrays of a mirror-symmetric fake SMPL model.

    Args:
        num_betas: number of shape directions.
        seed: seed of the underlying :func:`fake_smpl_arrays`.

    Returns:
        tuple: the arrays (keys, shapes and dtypes of a SMPL file: see
        :func:`fake_smpl_arrays`) and ``sigma`` (6890,) int64, the vertex
        permutation of the mirror image (an involution).
    """
    base = fake_smpl_arrays(num_betas, seed)
    verts = base['v_template']
    n = len(verts)
    half = n // 2
    if 2 * half != n:  # pragma: no cover - SMPL has 6890 vertices
        raise ValueError(f'need an even vertex count, got {n}')
    keep = np.sort(np.argsort(-verts[:, 0], kind='stable')[:half])
    sigma = np.concatenate([np.arange(half) + half, np.arange(half)])
    joint_perm = np.asarray(get_flip_indices('smpl_24'))
    body_perm = joint_perm[1:] - 1  # the 23 joints with pose features
    feature_sign = np.outer(_SIGN, _SIGN).reshape(9)

    def mirrored(first: np.ndarray, second: np.ndarray) -> np.ndarray:
        return np.concatenate([first, second]).astype(first.dtype)

    v_half = verts[keep]
    sd_half = base['shapedirs'][keep]
    pd_half = base['posedirs'][keep].reshape(half, 3, 23, 9)
    pd_mirror = (pd_half[:, :, body_perm] * _SIGN[None, :, None, None] *
                 feature_sign)
    w_half = base['weights'][keep]
    reg_half = base['J_regressor'][:, keep]
    regressor = np.concatenate([reg_half, reg_half[joint_perm]], axis=1)
    row_sums = regressor.sum(1, keepdims=True)
    if np.any(row_sums <= 0):  # pragma: no cover - depends on the base body
        raise ValueError('a joint regressor row lost all its vertices')

    # faces of the kept half, remapped, and their mirror images (reversed
    # winding); padded with repeats to SMPL's face count
    new_id = np.full(n, -1)
    new_id[keep] = np.arange(half)
    faces = new_id[base['f'].astype(np.int64)]
    faces = faces[(faces >= 0).all(1)]
    faces = np.concatenate([faces, sigma[faces][:, ::-1]])
    reps = -(-SMPL_NUM_FACES // len(faces))
    faces = np.tile(faces, (reps, 1))[:SMPL_NUM_FACES]

    arrays = {
        'v_template': mirrored(v_half, v_half * _SIGN),
        'shapedirs': mirrored(sd_half, sd_half * _SIGN[None, :, None]),
        'posedirs': mirrored(pd_half, pd_mirror).reshape(n, 3, 207),
        'J_regressor': regressor / row_sums,
        'weights': mirrored(w_half, w_half[:, joint_perm]),
        'kintree_table': np.array(base['kintree_table']),
        'f': faces.astype(np.uint32),
        'bs_style': base['bs_style'],
        'bs_type': base['bs_type'],
    }
    return arrays, sigma.astype(np.int64)


def write_symmetric_smpl(path: str, num_betas: int = 10, seed: int = 0
                         ) -> Tuple[str, np.ndarray]:
    """Write :func:`symmetric_smpl_arrays` to ``path`` as ``.npz`` (name it
    ``SMPL_NEUTRAL.npz`` to load it from a folder).

    Returns:
        tuple: ``path`` and the vertex permutation ``sigma`` (6890,).
    """
    arrays, sigma = symmetric_smpl_arrays(num_betas, seed)
    with open(path, 'wb') as f:
        np.savez(f, **arrays)
    return path, sigma
