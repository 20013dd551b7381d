"""ToyBody: a procedural body of capsule-like tubes around a skeleton of its
own, behind hmrzoo's body-model interface.

* **Pose.**  24 kinematic joints in SMPL's layout and order (so SMPL poses
  and hmrzoo's pose sources drive it), rotation matrices relative to the
  parent in the rest frame (y up, facing +z, x to the body's left); rest
  pose = T-pose; pelvis at the origin.
* **Shape.**  6 betas, each a log-scale: overall size, girth, arm, leg,
  torso and head length (``exp(0.05 b)`` ... ``exp(0.1 b)``).
* **Mesh.**  One tube per bone (8 sides, 4 rings, closed ends), rigidly
  skinned to the bone's parent joint; the upper half of the head tube is
  skinned to an extra skinning joint ``hat`` (a child of ``skull`` that
  follows it), so the skinning skeleton (25 joints with its own names) is
  not the kinematic one.
* **UV.**  Each tube gets a cell of a 6 x 5 grid: u around the tube, v
  along it (per face corner, with the seam split).
* **Keypoints.**  Native convention ``toy_body``: the 24 joints (SMPL
  names) and face / hip surface points fixed in the head / pelvis frames.
"""
import math
from typing import Dict, List, Tuple

import torch
from torch import Tensor

from hmrzoo.body_models.base import BaseBodyModel
from hmrzoo.conventions import (KEYPOINT_CONVENTIONS,
                                            register_convention)
from hmrzoo.conventions.smpl import SMPL_24, SMPL_PARENTS
from hmrzoo.body_models.skeleton import Skinning
from hmrzoo.registry import BODY_MODELS

#: The toy's own names of its 24 kinematic joints (SMPL order), then its
#: extra skinning joint.
TOY_JOINTS = ['hips', 'thigh_l', 'thigh_r', 'belly', 'shin_l', 'shin_r',
              'chest', 'heel_l', 'heel_r', 'upper_chest', 'toes_l', 'toes_r',
              'neck_base', 'clavicle_l', 'clavicle_r', 'skull', 'arm_l',
              'arm_r', 'forearm_l', 'forearm_r', 'wrist_l', 'wrist_r',
              'palm_l', 'palm_r', 'hat']
_HEAD = SMPL_24.index('head')

# Rest (T-pose) joints, metres, and tube radii of the bone ending there.
_REST = {
    'pelvis': (0., 0., 0.), 'left_hip': (.09, -.08, 0.),
    'right_hip': (-.09, -.08, 0.), 'spine1': (0., .11, 0.),
    'left_knee': (.10, -.48, 0.), 'right_knee': (-.10, -.48, 0.),
    'spine2': (0., .24, 0.), 'left_ankle': (.10, -.88, -.02),
    'right_ankle': (-.10, -.88, -.02), 'spine3': (0., .33, 0.),
    'left_foot': (.11, -.93, .11), 'right_foot': (-.11, -.93, .11),
    'neck': (0., .52, 0.), 'left_collar': (.07, .45, 0.),
    'right_collar': (-.07, .45, 0.), 'head': (0., .62, .02),
    'left_shoulder': (.18, .46, 0.), 'right_shoulder': (-.18, .46, 0.),
    'left_elbow': (.44, .46, 0.), 'right_elbow': (-.44, .46, 0.),
    'left_wrist': (.68, .46, 0.), 'right_wrist': (-.68, .46, 0.),
    'left_hand': (.76, .46, 0.), 'right_hand': (-.76, .46, 0.),
}
_RADIUS = {'left_hip': .08, 'spine1': .13, 'left_knee': .075,
           'spine2': .13, 'left_ankle': .055, 'spine3': .14,
           'left_foot': .04, 'neck': .06, 'left_collar': .05, 'head': .05,
           'left_shoulder': .05, 'left_elbow': .045, 'left_wrist': .038,
           'left_hand': .03}
# Tips (bone ends past the leaves): name -> (parent joint, rest point).
_TIPS = {'headtop': ('head', (0., .82, 0.), .10),
         'left_fingertip': ('left_hand', (.86, .46, 0.), .028),
         'right_fingertip': ('right_hand', (-.86, .46, 0.), .028),
         'left_toetip': ('left_foot', (.11, -.95, .19), .035),
         'right_toetip': ('right_foot', (-.11, -.95, .19), .035)}
# Surface points: name -> (joint whose frame holds them, rest position).
_SURFACE = {'nose': ('head', (0., .66, .11)),
            'left_eye': ('head', (.035, .69, .09)),
            'right_eye': ('head', (-.035, .69, .09)),
            'left_ear': ('head', (.10, .67, 0.)),
            'right_ear': ('head', (-.10, .67, 0.)),
            'left_hip_extra': ('pelvis', (.12, -.13, 0.)),
            'right_hip_extra': ('pelvis', (-.12, -.13, 0.))}
TOY_KEYPOINTS = SMPL_24 + list(_SURFACE)
if 'toy_body' not in KEYPOINT_CONVENTIONS:
    register_convention('toy_body', TOY_KEYPOINTS)

SIDES, RINGS, GRID = 8, 4, (6, 5)


def _radius(name: str) -> float:
    return _RADIUS.get(name.replace('right_', 'left_'), 0.05)


def _group(name: str) -> int:
    """Shape group of the bone ending at ``name``: 2 arm, 3 leg, 4 torso,
    5 head (beta indices)."""
    if any(k in name for k in ('shoulder', 'elbow', 'wrist', 'hand',
                               'finger')):
        return 2
    if any(k in name for k in ('knee', 'ankle', 'foot', 'toe')):
        return 3
    if name in ('head', 'headtop'):
        return 5
    return 4


def _tube_frame(direction: Tensor) -> Tuple[Tensor, Tensor]:
    d = direction / direction.norm()
    helper = torch.tensor([0., 0., 1.]) if abs(float(d[2])) < .9 else \
        torch.tensor([1., 0., 0.])
    u = torch.linalg.cross(d, helper)
    u = u / u.norm()
    return u, torch.linalg.cross(d, u)


def _build_mesh():
    """Tubes per bone: per vertex (start point, end point, t, unit radial
    offset, radius, skinning joint); faces; per-corner UV."""
    names = SMPL_24 + list(_TIPS)
    rest = [_REST[n] for n in SMPL_24] + [t[1] for t in _TIPS.values()]
    parents = SMPL_PARENTS + [SMPL_24.index(t[0]) for t in _TIPS.values()]
    rest = torch.tensor(rest)
    start, end, tpos, radial, radius, skin = [], [], [], [], [], []
    faces, corner_uv = [], []
    bones = [i for i in range(1, len(names))]
    for cell, child in enumerate(bones):
        parent = parents[child]
        u_axis, w_axis = _tube_frame(rest[child] - rest[parent])
        r = _TIPS[names[child]][2] if names[child] in _TIPS else \
            _radius(names[child])
        cu, cv = cell % GRID[0] / GRID[0], cell // GRID[0] / GRID[1]
        base = len(start)
        grid = {}
        for ring in range(RINGS):
            t = ring / (RINGS - 1)
            for side in range(SIDES):
                angle = 2 * math.pi * side / SIDES
                grid[ring, side] = len(start)
                start.append(parent), end.append(child), tpos.append(t)
                radial.append(math.cos(angle) * u_axis +
                              math.sin(angle) * w_axis)
                radius.append(r)
                hat = names[child] == 'headtop' and t > .5
                skin.append(len(SMPL_24) if hat else parent)
        caps = []
        for t in (0., 1.):
            caps.append(len(start))
            start.append(parent), end.append(child), tpos.append(t)
            radial.append(torch.zeros(3)), radius.append(0.)
            skin.append(len(SMPL_24) if names[child] == 'headtop' and t
                        else parent)

        def uv(ring, side):
            return (cu + side / SIDES / GRID[0],
                    cv + ring / (RINGS - 1) / GRID[1] * .9)
        for ring in range(RINGS - 1):
            for side in range(SIDES):
                nxt = (side + 1) % SIDES
                a, b = grid[ring, side], grid[ring, nxt]
                c, d = grid[ring + 1, nxt], grid[ring + 1, side]
                faces += [(a, b, c), (a, c, d)]
                corner_uv += [(uv(ring, side), uv(ring, side + 1),
                               uv(ring + 1, side + 1)),
                              (uv(ring, side), uv(ring + 1, side + 1),
                               uv(ring + 1, side))]
        for cap, ring, flip in ((caps[0], 0, True),
                                (caps[1], RINGS - 1, False)):
            centre = (cu + .5 / GRID[0], cv + (ring / (RINGS - 1) * .9
                                               ) / GRID[1])
            for side in range(SIDES):
                a, b = grid[ring, side], grid[ring, (side + 1) % SIDES]
                faces.append((cap, b, a) if flip else (cap, a, b))
                pair = (uv(ring, side + 1), uv(ring, side)) if flip else \
                    (uv(ring, side), uv(ring, side + 1))
                corner_uv.append((centre,) + pair)
        assert len(start) - base == RINGS * SIDES + 2
    return dict(points=rest, point_parents=parents, point_names=names,
                start=torch.tensor(start), end=torch.tensor(end),
                t=torch.tensor(tpos), radial=torch.stack(radial),
                radius=torch.tensor(radius), skin=torch.tensor(skin),
                faces=torch.tensor(faces), corner_uv=torch.tensor(corner_uv))


@BODY_MODELS.register_module()
class ToyBody(BaseBodyModel):
    """The procedural toy body (see the module docstring)."""

    native_convention = 'toy_body'
    num_joints = 24
    num_betas = 6

    def __init__(self, keypoint_convention=None, approximate=False):
        super().__init__(keypoint_convention, approximate)
        mesh = _build_mesh()
        for key in ('points', 'start', 'end', 't', 'radial', 'radius',
                    'skin'):
            self.register_buffer(f'_{key}', mesh[key], persistent=False)
        self._point_parents = mesh['point_parents']
        self._groups = torch.tensor([0] + [_group(n) for n in
                                           mesh['point_names'][1:]])
        self.register_buffer('faces', mesh['faces'], persistent=False)
        self.register_buffer('corner_texture_uv', mesh['corner_uv'],
                             persistent=False)
        self.register_buffer('parents', torch.tensor(SMPL_PARENTS),
                             persistent=False)
        frames = [SMPL_24.index(f) for f, _ in _SURFACE.values()]
        self.register_buffer('_surface_frame', torch.tensor(frames),
                             persistent=False)
        self.register_buffer('_surface_rest', torch.tensor(
            [p for _, p in _SURFACE.values()]), persistent=False)

    @property
    def num_vertices(self) -> int:
        return int(self._start.shape[0])

    def _shaped_points(self, betas: Tensor) -> Tuple[Tensor, Tensor]:
        """Rest points (B, P, 3) and per-bone scales (B, P) for betas."""
        rates = betas.new_tensor([.05, .1, .08, .08, .08, .1])
        scale = torch.exp(betas * rates)                        # (B, 6)
        bone_scale = scale[:, self._groups.to(betas.device)] * scale[:, :1]
        rest = self._points.to(betas)
        points = [rest[0].expand(betas.shape[0], 3)]
        for i in range(1, rest.shape[0]):
            p = self._point_parents[i]
            points.append(points[p] + bone_scale[:, i:i + 1] *
                          (rest[i] - rest[p]))
        return torch.stack(points, 1), bone_scale

    def skinning(self) -> Skinning:
        """One-hot weights on the toy's 25 skinning joints (its own names);
        the 24 kinematic ones start SMPL's parts, ``hat`` falls to
        ``skull`` (its parent)."""
        weights = torch.zeros(self.num_vertices, len(TOY_JOINTS))
        weights[torch.arange(self.num_vertices), self._skin.cpu()] = 1.
        parents = SMPL_PARENTS + [_HEAD]
        return Skinning(weights, TOY_JOINTS, parents,
                        dict(zip(TOY_JOINTS[:24], SMPL_24)))

    def _forward_native(self, global_orient, body_pose, betas, transl,
                        **kwargs) -> Dict[str, Tensor]:
        if kwargs:
            raise TypeError(f'ToyBody got unexpected inputs {sorted(kwargs)}')
        batch = body_pose.shape[0]
        points, bone_scale = self._shaped_points(betas)
        joints = points[:, :24]
        # rest vertices: along each tube, radii scaled by girth (and head)
        start, end = points[:, self._start], points[:, self._end]
        girth = torch.exp(.1 * betas[:, 1:2]) * bone_scale[:, self._end]
        verts = start + self._t.to(betas)[None, :, None] * (end - start) + \
            (girth * self._radius.to(betas))[..., None] * \
            self._radial.to(betas)
        rots = torch.cat([global_orient.reshape(batch, 1, 3, 3), body_pose],
                         1)
        world_r: List[Tensor] = [rots[:, 0]]
        world_t: List[Tensor] = [joints[:, 0]]
        for j in range(1, 24):
            p = SMPL_PARENTS[j]
            world_r.append(world_r[p] @ rots[:, j])
            world_t.append(world_t[p] + (world_r[p] @ (
                joints[:, j] - joints[:, p])[..., None])[..., 0])
        world_r = torch.stack(world_r + [world_r[_HEAD]], 1)   # (B, 25,...)
        world_t = torch.stack(world_t + [world_t[_HEAD]], 1)
        rest_j = torch.cat([joints, joints[:, _HEAD:_HEAD + 1]], 1)
        skin = self._skin
        local = (verts - rest_j[:, skin])[..., None]
        posed = (world_r[:, skin] @ local)[..., 0] + world_t[:, skin]
        frame = self._surface_frame
        head_scale = torch.exp(.1 * betas[:, 5:6]) * torch.exp(
            .05 * betas[:, :1])
        offset = (self._surface_rest.to(betas) -
                  self._points.to(betas)[frame]) * head_scale[..., None]
        surface = (world_r[:, frame] @ offset[..., None])[..., 0] + \
            world_t[:, frame]
        out_joints = torch.cat([world_t[:, :24], surface], 1)
        if transl is not None:
            posed = posed + transl[:, None]
            out_joints = out_joints + transl[:, None]
        return dict(vertices=posed, joints=out_joints)
