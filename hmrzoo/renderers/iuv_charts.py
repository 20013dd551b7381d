"""Deriving a DensePose-style IUV atlas from a mesh, its skinning weights on
SMPL's 24 joints and its rest geometry (:func:`build_iuv_atlas`).

**Definitions** (rest pose = identity rotations, zero betas: SMPL's T-pose,
x = the body's left, y up, z = the direction the body faces).  Every *face*
gets one part, so part boundaries follow mesh edges.

1. *Coarse region* (:data:`~.iuv_parts.COARSE_PARTS`) from the face's skinning weights
   (mean over its 3 corners) summed per region: torso = pelvis, spine1-3,
   collars; head = head, plus neck where the face centroid is above the
   neck joint (DensePose's head charts include the neck; the neck's weight
   below the joint counts as torso); each arm = shoulder, elbow, wrist,
   hand of that side; each leg = hip, knee, ankle, foot.  The region with
   the largest summed weight wins.
2. *Limb segment* by projecting the face centroid ``c`` on the bones:
   ``t1 = <c - hip, knee - hip> / |knee - hip|^2``; ``t1 < 1`` is the upper
   leg, otherwise ``t2`` (the same on knee -> ankle) ``< 1`` is the lower
   leg, otherwise the foot (arms: shoulder -> elbow -> wrist, hand).  A face
   whose largest weight within the limb is the wrist / hand (ankle / foot)
   joint is hand (foot) in any case (thumb base, heel).
3. *Halves*, about a *centre line*: along an axis, the region's corners
   are cut into 24 bands and, per band, the middle of their extent across
   the axis is the centre (linearly interpolated between bands); a face
   lies on the ``+n`` side if its centroid's ``n`` coordinate exceeds the
   centre's.  Torso: axis vertical, ``n = +z``: front (2) / back (1).
   Legs: axis = the bone (hip -> knee, knee -> ankle), ``n`` = +z made
   perpendicular to it: front / back.  Arms: axis = the bone (shoulder ->
   elbow, elbow -> wrist), ``n`` = -y made perpendicular to it: *inside*
   (medial: the side that faces the torso when the arm hangs, which faces
   down in the T-pose and holds the palm of SMPL's / Anny's palm-down
   T-pose hand) / *outside*.  Head: axis vertical, ``n = +x``: left (24) /
   right (23).  (The centre line, not the joint, splits the halves, so a
   bone lying off-centre, e.g. the tibia, still gives even halves.)
4. *U, V* per face corner, in that face's part (so a vertex on a part
   boundary has one (U, V) per part, as in DensePose).

   * Limbs: ``V`` = position along the bone axis, normalised over the
     segment (both halves together, so V is continuous across the
     front/back seam): 0 at its most proximal point, 1 at its most distal.
     ``U`` = the angle about the centre line, ``phi = atan2(<r, n>, <r,
     s>)`` (``r`` the offset from the centre line, ``n`` as in 3, ``s`` a
     reference direction: the lateral side for legs, +z for arms),
     ``U = |phi| / pi`` within the half: 0 on the ``+s`` side, 1 on the
     ``-s`` side, so U is continuous across both seams between the halves.
   * Torso: the same with ``n = +z``, ``s`` = the body's right (-x);
     ``V`` = 0 at the top, 1 at the bottom.
   * Head: ``n = +x``, ``s = +z`` (U = 0 at the face, 1 at the back of the
     head); V = 0 at the top of the head, 1 at the bottom of the neck.
   * Hands: planar, ``V`` along wrist -> hand joint (0 at the wrist end),
     ``U`` along +z (0 at the back edge); feet: ``V`` along the foot's
     horizontal forward direction (0 at the heel, 1 at the toes), ``U``
     along the lateral direction (0 medial, 1 lateral); both normalised over
     the part's extent.

   Angles are evaluated per corner relative to the face's half, so no face
   spans the atan2 wrap (U never jumps 0 -> 1 inside a face); corners that
   cross a seam are clamped to 0 or 1.  Only faces touching a chart's pole
   (the crown of the head, the crotch, the inside of the mouth) can see U
   vary widely, as on any cylindrical chart (about 0.15 % of Anny's faces).

The atlas is deterministic and built in well under a second (vectorised
numpy).
"""
from typing import Tuple

import numpy as np
import torch

from ..conventions.smpl import SMPL_24
from .iuv_atlas import IUVAtlas
from .iuv_parts import NUM_PARTS, PART_INDEX

__all__ = ['build_iuv_atlas']

# SMPL joint -> coarse region (0-based into COARSE_PARTS); neck handled
# separately (head above the neck joint, torso below).
_J = {n: i for i, n in enumerate(SMPL_24)}
_HEAD, _TORSO, _LARM, _RARM, _LLEG, _RLEG = range(6)
_JOINT_REGION = np.empty(24, dtype=np.int64)
for _n, _i in _J.items():
    if _n in ('pelvis', 'spine1', 'spine2', 'spine3', 'left_collar',
              'right_collar', 'neck'):
        _JOINT_REGION[_i] = _TORSO
    elif _n == 'head':
        _JOINT_REGION[_i] = _HEAD
    else:
        side = 0 if _n.startswith('left') else 1
        is_arm = any(k in _n for k in ('shoulder', 'elbow', 'wrist', 'hand'))
        _JOINT_REGION[_i] = (_LARM if is_arm else _LLEG) + side

# limb chains: (region, side, is_arm, (proximal, middle, distal, tip) joints)
_LIMBS = (
    (_LARM, 'left', True, ('left_shoulder', 'left_elbow', 'left_wrist',
                           'left_hand')),
    (_RARM, 'right', True, ('right_shoulder', 'right_elbow', 'right_wrist',
                            'right_hand')),
    (_LLEG, 'left', False, ('left_hip', 'left_knee', 'left_ankle',
                            'left_foot')),
    (_RLEG, 'right', False, ('right_hip', 'right_knee', 'right_ankle',
                             'right_foot')),
)



def _np(x, dtype) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=dtype)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 1e-12 else v


def _perp(d: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """``d`` made perpendicular to unit ``axis``, normalised."""
    return _unit(d - np.dot(d, axis) * axis)


def _normalise(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Map ``x`` linearly so that ``ref``'s range becomes [0, 1]."""
    if ref.size == 0:
        return np.full_like(x, 0.5)
    lo, hi = ref.min(), ref.max()
    if hi - lo < 1e-12:
        return np.full_like(x, 0.5)
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def _half_u(corner_a: np.ndarray, corner_b: np.ndarray,
            positive: np.ndarray) -> np.ndarray:
    """U of each face corner in its face's half.

    Args:
        corner_a: (F, 3) component of the corner offset along ``n``.
        corner_b: (F, 3) component along ``s``.
        positive: (F,) bool, the face lies in the ``n > 0`` half.

    Returns:
        (F, 3) U in [0, 1]: ``|phi| / pi`` with ``phi`` the angle from
        ``+s`` towards ``+n`` (``-n`` for the other half), unwrapped away
        from the half so corners past a seam clamp to 0 or 1.
    """
    a = np.where(positive[:, None], corner_a, -corner_a)
    phi = np.arctan2(a, corner_b)  # the half is phi in [0, pi]
    phi = np.where(phi < -0.5 * np.pi, phi + 2 * np.pi, phi)
    return np.clip(phi / np.pi, 0.0, 1.0)


def _centre_line(along: np.ndarray, coords: np.ndarray, query: np.ndarray,
                 bins: int = 24) -> np.ndarray:
    """Centre line of a point set about an axis.

    Args:
        along: (N,) positions of the points along the axis.
        coords: (N, 2) their coordinates across the axis.
        query: (M,) positions along the axis where the centre is wanted.
        bins: number of bands along the axis.

    Returns:
        (M, 2): per band, the middle of the points' extent in each of the
        two coordinates, linearly interpolated at ``query``.
    """
    lo, hi = along.min(), along.max()
    span = max(hi - lo, 1e-9)
    idx = np.clip(((along - lo) / span * bins).astype(np.int64), 0, bins - 1)
    mins = np.full((bins, 2), np.inf)
    maxs = np.full((bins, 2), -np.inf)
    np.minimum.at(mins, idx, coords)
    np.maximum.at(maxs, idx, coords)
    ok = np.isfinite(mins[:, 0])
    centres = 0.5 * (mins[ok] + maxs[ok])
    mids = (lo + (np.arange(bins) + 0.5) * span / bins)[ok]
    return np.stack([np.interp(query, mids, centres[:, k])
                     for k in range(2)], axis=-1)


def _cylinder_chart(corners: np.ndarray, centroids: np.ndarray,
                    origin: np.ndarray, axis: np.ndarray, n: np.ndarray,
                    s: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Split faces into two halves about a centre line and give each corner
    its (U, V) (the limb / torso / head charts of the module docstring).

    Args:
        corners: (f, 3, 3) corner positions of the faces of one region.
        centroids: (f, 3) their centroids.
        origin, axis: a point and the unit direction of the axis (V grows
            along ``axis``).
        n: unit direction perpendicular to ``axis`` that picks the half.
        s: unit direction perpendicular to both: U = 0 on its side.

    Returns:
        positive (f,) bool (the face's centroid is on the ``+n`` side of the
        centre line) and uv (f, 3, 2).
    """
    off = corners - origin
    along = off @ axis                                    # (f, 3)
    cross = np.stack([off @ n, off @ s], axis=-1)         # (f, 3, 2)
    centre = _centre_line(along.reshape(-1), cross.reshape(-1, 2),
                          along.reshape(-1)).reshape(cross.shape)
    c_off = centroids - origin
    c_centre = _centre_line(along.reshape(-1), cross.reshape(-1, 2),
                            c_off @ axis)
    positive = c_off @ n > c_centre[:, 0]
    rel = cross - centre
    uv = np.empty(corners.shape[:2] + (2, ))
    uv[..., 0] = _half_u(rel[..., 0], rel[..., 1], positive)
    uv[..., 1] = _normalise(along, along)
    return positive, uv


def build_iuv_atlas(rest_vertices, faces, joint_weights, rest_joints,
                    name: str = '') -> IUVAtlas:
    """Derive a DensePose-style atlas (see the module docstring).

    Args:
        rest_vertices: (V, 3) rest-pose (T-pose) vertices, SMPL axes (y up,
            the body facing +z, x the body's left), metres.
        faces: (F, 3) vertex indices.
        joint_weights: (V, 24) skinning weights on SMPL's 24 joints
            (:func:`~hmrzoo.body_models.skeleton.weights_on_smpl_24`).
        rest_joints: (24, 3) rest-pose joints in SMPL order.
        name: stored in the atlas.

    Returns:
        IUVAtlas: ``face_part`` (F,) in 1..24, ``corner_uv`` (F, 3, 2) in
        [0, 1], ``vertex_part`` (V,).
    """
    verts = _np(rest_vertices, np.float64)
    tri = _np(faces, np.int64)
    weights = _np(joint_weights, np.float64)
    joints = _np(rest_joints, np.float64)
    nv, nf = verts.shape[0], tri.shape[0]
    if verts.shape != (nv, 3) or tri.shape != (nf, 3):
        raise ValueError(f'rest_vertices must be (V,3) and faces (F,3), got '
                         f'{verts.shape} and {tri.shape}')
    if weights.shape != (nv, 24) or joints.shape != (24, 3):
        raise ValueError(f'joint_weights must be ({nv},24) and rest_joints '
                         f'(24,3), got {weights.shape} and {joints.shape}')
    if tri.min() < 0 or tri.max() >= nv:
        raise ValueError('faces index vertices out of range')

    corners = verts[tri]                      # (F, 3, 3)
    cen = corners.mean(axis=1)                # (F, 3)
    fw = weights[tri].mean(axis=1)            # (F, 24)

    # 1. coarse region
    region_w = np.zeros((nf, 6))
    np.add.at(region_w.T, _JOINT_REGION, fw.T)
    neck = _J['neck']
    above = cen[:, 1] >= joints[neck, 1]
    region_w[:, _HEAD] += np.where(above, fw[:, neck], 0.0)
    region_w[:, _TORSO] -= np.where(above, fw[:, neck], 0.0)
    region = region_w.argmax(axis=1)

    part = np.zeros(nf, dtype=np.int64)
    uv = np.zeros((nf, 3, 2))

    # 2-4. limbs
    for reg, side, is_arm, names in _LIMBS:
        sel = np.nonzero(region == reg)[0]
        if sel.size == 0:
            continue
        p0, p1, p2, p3 = (joints[_J[n]] for n in names)
        c = cen[sel]
        d1, d2 = p1 - p0, p2 - p1
        t1 = (c - p0) @ d1 / max(np.dot(d1, d1), 1e-12)
        t2 = (c - p1) @ d2 / max(np.dot(d2, d2), 1e-12)
        seg = np.where(t1 < 1, 0, np.where(t2 < 1, 1, 2))
        limb_joints = [_J[n] for n in names]
        dom = fw[sel][:, limb_joints].argmax(axis=1)
        seg = np.where(dom >= 2, 2, seg)
        lateral = np.array([1.0 if side == 'left' else -1.0, 0.0, 0.0])
        for s_idx, (start, end) in enumerate(((p0, p1), (p1, p2))):
            f = sel[seg == s_idx]
            if f.size == 0:
                continue
            axis = _unit(end - start)
            level = f'{side}_{"upper" if s_idx == 0 else "lower"}'
            if is_arm:
                n = _perp(np.array([0.0, -1.0, 0.0]), axis)
                s = _perp(np.array([0.0, 0.0, 1.0]), axis)
                halves = (f'{level}_arm_inside', f'{level}_arm_outside')
            else:
                n = _perp(np.array([0.0, 0.0, 1.0]), axis)
                s = lateral
                halves = (f'{level}_leg_front', f'{level}_leg_back')
            s = _perp(s - np.dot(s, n) * n, axis)
            positive, uv[f] = _cylinder_chart(corners[f], cen[f], start,
                                              axis, n, s)
            part[f] = np.where(positive, PART_INDEX[halves[0]],
                               PART_INDEX[halves[1]])
        # hand / foot: planar
        f = sel[seg == 2]
        if f.size == 0:
            continue
        if is_arm:
            a = _unit(p3 - p2)
            s = _perp(np.array([0.0, 0.0, 1.0]), a)
            part[f] = PART_INDEX[f'{side}_hand']
        else:
            fwd = p3 - p2
            fwd[1] = 0.0
            a = _unit(fwd) if np.linalg.norm(fwd) > 1e-9 else \
                np.array([0.0, 0.0, 1.0])
            s = _perp(lateral, a)
            part[f] = PART_INDEX[f'{side}_foot']
        off = corners[f] - p2
        along, across = off @ a, off @ s
        uv[f, :, 1] = _normalise(along, along)
        uv[f, :, 0] = _normalise(across, across)

    # torso and head: about a vertical centre line, V from the top down
    down = np.array([0.0, -1.0, 0.0])
    ex, ez = np.eye(3)[0], np.eye(3)[2]
    for reg, n, s_dir, halves in (
            (_TORSO, ez, -ex, ('torso_front', 'torso_back')),
            (_HEAD, ex, ez, ('left_head', 'right_head'))):
        f = np.nonzero(region == reg)[0]
        if f.size == 0:
            continue
        positive, uv[f] = _cylinder_chart(corners[f], cen[f],
                                          np.zeros(3), down, n, s_dir)
        part[f] = np.where(positive, PART_INDEX[halves[0]],
                           PART_INDEX[halves[1]])

    # vertex part: majority of incident faces
    counts = np.zeros((nv, NUM_PARTS + 1), dtype=np.int64)
    np.add.at(counts, (tri.reshape(-1), np.repeat(part, 3)), 1)
    vpart = np.where(counts.sum(1) > 0, counts.argmax(1), 0)
    return IUVAtlas(faces=torch.from_numpy(tri),
                    face_part=torch.from_numpy(part),
                    corner_uv=torch.from_numpy(uv.astype(np.float32)),
                    vertex_part=torch.from_numpy(vpart.astype(np.int64)),
                    name=name)

