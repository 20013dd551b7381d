"""The generic mesh builder of the fake body models
(:mod:`.fake_body_models`): closed tubes of vertices around the bones of a
skeleton (:mod:`.fake_skeleton`), skinning weights that follow the bones
(rows sum to 1, blended near joints), faces between neighbouring vertices, a
joint regressor whose rows average the vertices nearest each joint, smooth
shape directions and small pose correctives.
"""
from typing import Dict, Sequence, Tuple

import numpy as np

from .fake_skeleton import vertex_joint_targets

__all__ = ['tube_body_arrays']

_ROOT_SENTINEL = 4294967295  # how the official files store the root parent
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
    for key, target in vertex_joint_targets(joints):
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


def tube_body_arrays(joints, parents, radii, tips, n_verts, n_faces,
                     vertex_ids, num_shape_dirs, seed
                     ) -> Dict[str, np.ndarray]:
    """The arrays every SMPL-family file has (``v_template``,
    ``shapedirs``, ``posedirs``, ``J_regressor``, ``weights``,
    ``kintree_table`` with the root parent stored as 4294967295, ``f``)
    for the tube body of a skeleton; deterministic given ``seed``."""
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
