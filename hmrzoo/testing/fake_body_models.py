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

Everything is deterministic given ``seed``.  Entry points:
:func:`write_fake_smpl`, :func:`write_fake_smplx`,
:func:`write_fake_regressor`, :func:`write_fake_mean_params`,
:func:`make_fake_body_model_dir`, and :func:`fake_chumpy` (a throw-away
``chumpy.ch`` module for writing chumpy-style pickles).
"""
import contextlib
import functools
import os
import os.path as osp
import pickle
import sys
import types
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..body_models.conventions.smpl import SMPL_PARENTS

__all__ = [
    'SMPL_PARENTS', 'SMPLX_PARENTS', 'fake_smpl_arrays', 'fake_smplx_arrays',
    'write_fake_smpl', 'write_fake_smplx', 'write_fake_regressor',
    'write_fake_mean_params', 'make_fake_body_model_dir', 'fake_chumpy',
]


# SMPL-X finger order within a hand, as smplx orders its joints.
_FINGERS = ('index', 'middle', 'pinky', 'ring', 'thumb')


def _smplx_parents() -> List[int]:
    parents = SMPL_PARENTS[:22] + [15, 15, 15]  # jaw, left eye, right eye
    for wrist in (20, 21):
        for _ in _FINGERS:
            first = len(parents)
            parents += [wrist, first, first + 1]
    return parents


#: SMPL-X's kinematic tree (55 joints): the first 22 SMPL joints, jaw and
#: eyeballs under the head, 15 finger joints under each wrist.
SMPLX_PARENTS = _smplx_parents()

_ROOT_SENTINEL = 4294967295  # how the official files store the root parent

SMPL_NUM_VERTS, SMPL_NUM_FACES = 6890, 13776
SMPLX_NUM_VERTS, SMPLX_NUM_FACES = 10475, 20908

# --------------------------------------------------------------------------
# the hand-made skeleton
# --------------------------------------------------------------------------
# (x, y, z) metres of the 24 SMPL joints at rest; y up, +z forward, +x the
# body's left.  Feet reach y = -0.95, the top of the head y = 0.75.
_SMPL_JOINTS = np.array([
    [0.00, 0.00, 0.00],     # pelvis
    [0.07, -0.09, 0.00],    # left_hip
    [-0.07, -0.09, 0.00],   # right_hip
    [0.00, 0.11, -0.01],    # spine1
    [0.10, -0.48, 0.01],    # left_knee
    [-0.10, -0.48, 0.01],   # right_knee
    [0.00, 0.24, 0.00],     # spine2
    [0.09, -0.88, -0.03],   # left_ankle
    [-0.09, -0.88, -0.03],  # right_ankle
    [0.00, 0.30, 0.02],     # spine3
    [0.11, -0.94, 0.09],    # left_foot
    [-0.11, -0.94, 0.09],   # right_foot
    [0.00, 0.50, -0.02],    # neck
    [0.08, 0.42, -0.01],    # left_collar
    [-0.08, 0.42, -0.01],   # right_collar
    [0.00, 0.57, 0.03],     # head
    [0.18, 0.44, -0.02],    # left_shoulder
    [-0.18, 0.44, -0.02],   # right_shoulder
    [0.43, 0.43, -0.04],    # left_elbow
    [-0.43, 0.43, -0.04],   # right_elbow
    [0.67, 0.44, -0.04],    # left_wrist
    [-0.67, 0.44, -0.04],   # right_wrist
    [0.76, 0.43, -0.04],    # left_hand
    [-0.76, 0.43, -0.04],   # right_hand
])

# tube radius of the segments each joint owns (segments start at it)
_SMPL_RADII = np.array([
    0.11, 0.075, 0.075, 0.12, 0.05, 0.05, 0.12, 0.04, 0.04, 0.11, 0.035,
    0.035, 0.05, 0.05, 0.05, 0.09, 0.045, 0.045, 0.038, 0.038, 0.03, 0.03,
    0.025, 0.025,
])


def _smplx_skeleton() -> Tuple[np.ndarray, np.ndarray]:
    joints = list(_SMPL_JOINTS[:22])
    radii = list(_SMPL_RADII[:22])
    head = _SMPL_JOINTS[15]
    joints += [head + (0.0, -0.03, 0.06), head + (0.03, 0.06, 0.08),
               head + (-0.03, 0.06, 0.08)]
    radii += [0.03, 0.012, 0.012]
    # finger bases relative to the left wrist (x along the hand), then the
    # step from one finger joint to the next
    bases = {'index': (0.09, -0.005, 0.03), 'middle': (0.095, -0.005, 0.01),
             'pinky': (0.08, -0.005, -0.035), 'ring': (0.09, -0.005, -0.012),
             'thumb': (0.03, -0.015, 0.04)}
    steps = {'thumb': (0.025, 0.0, 0.015)}
    for wrist, sign in ((20, 1.0), (21, -1.0)):
        w = _SMPL_JOINTS[wrist]
        for finger in _FINGERS:
            base = np.array(bases[finger])
            step = np.array(steps.get(finger, (0.03, 0.0, 0.0)))
            for k in range(3):
                p = base + k * step
                joints.append(w + (sign * p[0], p[1], p[2]))
                radii.append(0.009)
    return np.array(joints), np.array(radii)


# smplx's vertex joints: (key, joint index in SMPL / SMPL-X, offset); the
# vertex nearest ``joint + offset`` takes the id that smplx reads.
def _vertex_joint_targets(joints: np.ndarray
                          ) -> List[Tuple[str, np.ndarray]]:
    head, lfoot, rfoot = joints[15], joints[10], joints[11]
    lank, rank = joints[7], joints[8]
    t = [('nose', head + (0.0, 0.02, 0.09)),
         ('reye', head + (-0.035, 0.06, 0.08)),
         ('leye', head + (0.035, 0.06, 0.08)),
         ('rear', head + (-0.09, 0.03, 0.0)),
         ('lear', head + (0.09, 0.03, 0.0)),
         ('LBigToe', lfoot + (-0.02, -0.01, 0.09)),
         ('LSmallToe', lfoot + (0.03, -0.01, 0.07)),
         ('LHeel', lank + (0.0, -0.05, -0.05)),
         ('RBigToe', rfoot + (0.02, -0.01, 0.09)),
         ('RSmallToe', rfoot + (-0.03, -0.01, 0.07)),
         ('RHeel', rank + (0.0, -0.05, -0.05))]
    tip_offsets = {'thumb': (0.06, -0.015, 0.07), 'index': (0.17, 0.0, 0.03),
                   'middle': (0.18, 0.0, 0.01), 'ring': (0.17, 0.0, -0.012),
                   'pinky': (0.15, 0.0, -0.035)}
    for side, wrist, sign in (('l', 20, 1.0), ('r', 21, -1.0)):
        for finger, off in tip_offsets.items():
            t.append((side + finger,
                      joints[wrist] + (sign * off[0], off[1], off[2])))
    return t


# --------------------------------------------------------------------------
# the generic mesh builder
# --------------------------------------------------------------------------
_RING = 8  # vertices per ring of a tube


def _orthonormal_frame(d: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    a = np.array([1.0, 0.0, 0.0]) if abs(d[0]) < 0.9 else \
        np.array([0.0, 1.0, 0.0])
    u = np.cross(d, a)
    u /= np.linalg.norm(u)
    return u, np.cross(d, u)


def _segments(joints: np.ndarray, parents: Sequence[int], radii: np.ndarray,
              tips: Dict[int, Tuple[np.ndarray, float]]):
    """(start, end, owner joint, child joint or -1, radius) per tube."""
    segs = []
    for j, p in enumerate(parents):
        if p >= 0:
            segs.append((joints[p], joints[j], p, j, radii[p]))
    for j, (direction, length) in tips.items():
        d = np.asarray(direction, float)
        d = d / np.linalg.norm(d)
        segs.append((joints[j], joints[j] + length * d, j, -1, radii[j]))
    return segs


def _build_body(joints: np.ndarray, parents: Sequence[int],
                radii: np.ndarray, tips, n_verts: int, n_faces: int,
                vertex_ids: Dict[str, int],
                rng: np.random.Generator):
    """Vertices, faces and skinning weights of a tube body."""
    num_joints = len(parents)
    segs = _segments(joints, parents, radii, tips)
    area = np.array([np.linalg.norm(e - s) * r + 1e-3
                     for s, e, _, _, r in segs])
    rings_total = n_verts // _RING
    share = area / area.sum() * (rings_total - 2 * len(segs))
    rings = 2 + np.floor(share).astype(int)
    extra = rings_total - rings.sum()
    rings[np.argsort(-(share - np.floor(share)))[:extra]] += 1

    verts, weights, faces = [], [], []
    angles = 2 * np.pi * np.arange(_RING) / _RING
    for (start, end, owner, child, radius), n_rings in zip(segs, rings):
        d = end - start
        length = np.linalg.norm(d)
        u, w = _orthonormal_frame(d / length)
        base = sum(len(v) for v in verts)
        t = np.linspace(0.0, 1.0, n_rings)
        ring = np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * w
        pts = (start[None, None] + t[:, None, None] * d[None, None] +
               radius * ring[None])
        verts.append(pts.reshape(-1, 3))
        # weights: the owner joint, blended with its parent near the start
        # and with the child near the end of the segment
        wt = np.zeros((n_rings, num_joints))
        s0 = 0.5 * np.clip(1 - t / 0.25, 0, 1) if parents[owner] >= 0 else \
            np.zeros_like(t)
        s1 = 0.5 * np.clip((t - 0.75) / 0.25, 0, 1) if child >= 0 else \
            np.zeros_like(t)
        wt[:, owner] = 1 - s0 - s1
        if parents[owner] >= 0:
            wt[:, parents[owner]] += s0
        if child >= 0:
            wt[:, child] += s1
        weights.append(np.repeat(wt, _RING, axis=0))
        idx = base + np.arange(n_rings * _RING).reshape(n_rings, _RING)
        nxt = np.roll(idx, -1, axis=1)
        a, b, c, e = idx[:-1], nxt[:-1], nxt[1:], idx[1:]
        faces.append(np.stack([a, b, c], -1).reshape(-1, 3))
        faces.append(np.stack([a, c, e], -1).reshape(-1, 3))
        for r, flip in ((idx[0], True), (idx[-1], False)):  # caps
            fan = np.stack([np.full(_RING - 2, r[0]), r[1:-1], r[2:]], -1)
            faces.append(fan[:, ::-1] if flip else fan)
    verts = np.concatenate(verts)
    weights = np.concatenate(weights)
    faces = np.concatenate(faces)
    left = n_verts - len(verts)  # fewer than one ring: near the root
    if left:
        verts = np.concatenate([verts, joints[0] + 0.02 * rng.standard_normal(
            (left, 3))])
        wl = np.zeros((left, num_joints))
        wl[:, 0] = 1.0
        weights = np.concatenate([weights, wl])
    verts = verts + 0.002 * rng.standard_normal(verts.shape)
    if len(faces) < n_faces:  # pad with repeats of existing faces
        faces = np.concatenate([faces, faces[rng.choice(
            len(faces), n_faces - len(faces), replace=False)]])
    else:
        faces = faces[np.sort(rng.choice(len(faces), n_faces, replace=False))]

    # move smplx's vertex-joint ids to plausible places by permuting ids
    new_of_old = np.arange(n_verts)
    old_of_new = np.arange(n_verts)
    taken = np.zeros(n_verts, bool)
    for key, target in _vertex_joint_targets(joints):
        vid = vertex_ids[key]
        dist = np.linalg.norm(verts - target, axis=1)
        dist[taken] = np.inf
        k = int(np.argmin(dist))
        taken[k] = True
        other = old_of_new[vid]
        new_k = new_of_old[k]
        new_of_old[k], new_of_old[other] = vid, new_k
        old_of_new[vid], old_of_new[new_k] = k, other
    verts, weights = verts[old_of_new], weights[old_of_new]
    faces = new_of_old[faces]
    return verts, faces, weights


def _joint_regressor(verts: np.ndarray, joints: np.ndarray,
                     k: int = 16) -> np.ndarray:
    """Rows averaging the ``k`` vertices nearest each joint (sum 1)."""
    reg = np.zeros((len(joints), len(verts)))
    for j, p in enumerate(joints):
        d = np.linalg.norm(verts - p, axis=1)
        nn_idx = np.argpartition(d, k)[:k]
        w = 1.0 / (d[nn_idx] + 0.01)
        reg[j, nn_idx] = w / w.sum()
    return reg


def _shapedirs(verts: np.ndarray, weights: np.ndarray, num: int,
               rng: np.random.Generator) -> np.ndarray:
    """Smooth shape directions (V, 3, num): height, width, then per-part
    offsets spread by the skinning weights.  Metres per unit beta."""
    centred = verts - verts.mean(0)
    dirs = np.zeros(verts.shape + (num, ))
    if num > 0:
        dirs[:, 1, 0] = 0.03 * centred[:, 1]
    if num > 1:
        dirs[:, 0, 1] = 0.03 * centred[:, 0]
        dirs[:, 2, 1] = 0.03 * centred[:, 2]
    if num > 2:
        parts = 0.01 * rng.standard_normal((weights.shape[1], 3, num - 2))
        dirs[:, :, 2:] = np.einsum('vj,jcn->vcn', weights, parts)
    return dirs


def _common_arrays(joints, parents, radii, tips, n_verts, n_faces,
                   vertex_ids, num_shape_dirs, seed) -> Dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    verts, faces, weights = _build_body(joints, parents, radii, tips,
                                        n_verts, n_faces, vertex_ids, rng)
    num_joints = len(parents)
    kintree = np.stack([np.array(parents, dtype=np.int64),
                        np.arange(num_joints, dtype=np.int64)])
    kintree[0, 0] = _ROOT_SENTINEL
    posedirs = (2e-3 * rng.standard_normal(
        (n_verts, 3, 9 * (num_joints - 1)), dtype=np.float32))
    return {
        'v_template': verts,
        'shapedirs': _shapedirs(verts, weights, num_shape_dirs, rng),
        'posedirs': posedirs,
        'J_regressor': _joint_regressor(verts, joints),
        'weights': weights,
        'kintree_table': kintree,
        'f': faces.astype(np.uint32),
    }


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
    arrays = _common_arrays(_SMPL_JOINTS, SMPL_PARENTS, _SMPL_RADII, tips,
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
    joints, radii = _smplx_skeleton()
    tips = {15: ((0, 1, 0), 0.18), 10: ((0, 0, 1), 0.08),
            11: ((0, 0, 1), 0.08), 22: ((0, -0.5, 1), 0.05),
            23: ((0, 0, 1), 0.012), 24: ((0, 0, 1), 0.012)}
    for j, p in enumerate(SMPLX_PARENTS):
        if j >= 25 and j not in SMPLX_PARENTS:  # finger tips
            tips[j] = (joints[j] - joints[p], 0.02)
    arrays = _common_arrays(joints, SMPLX_PARENTS, radii, tips,
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


# --------------------------------------------------------------------------
# writing files
# --------------------------------------------------------------------------
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
