"""BVH motion files of recovered people (Biovision hierarchy; Blender,
MotionBuilder and most animation tools import it).

The skeleton is SMPL's 24-joint kinematic tree (every hmrzoo body model
poses it: :data:`hmrzoo.conventions.smpl.SMPL_PARENTS`), with the rest
offsets of the person's shape.  Frames are written in a Y-up world (the
photograph camera's frame turned 180 degrees about x: x right, y up, z
towards the camera), metres; the rest skeleton is the body model's rest
pose in its own frame (upright, y up).  The root has position and rotation
channels, every other joint rotation channels, all in ``Zrotation
Xrotation Yrotation`` order (``R = Rz Rx Ry``, degrees); the rotations are
the body model's local joint rotations, so forward kinematics of the file
gives back the posed joints.
"""
from typing import Sequence

import numpy as np

from ...conventions.smpl import SMPL_24, SMPL_PARENTS
from ...utils.atomic import atomic_path

#: photograph camera frame (y down, z forward) -> BVH world (y up)
CAMERA_TO_WORLD = np.diag([1., -1., -1.])


def rotmat_to_zxy(rot: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotations ``R = Rz(z) Rx(x) Ry(y)`` -> (..., 3) angles
    ``(z, x, y)`` in degrees."""
    rot = np.asarray(rot, np.float64)
    x = np.arcsin(np.clip(rot[..., 2, 1], -1., 1.))
    y = np.arctan2(-rot[..., 2, 0], rot[..., 2, 2])
    z = np.arctan2(-rot[..., 0, 1], rot[..., 1, 1])
    return np.degrees(np.stack([z, x, y], axis=-1))


def write_bvh(path: str, rest_joints: np.ndarray, root_positions: np.ndarray,
              rotations: np.ndarray, fps: float,
              names: Sequence[str] = SMPL_24,
              parents: Sequence[int] = SMPL_PARENTS) -> str:
    """Write one person's motion.

    Args:
        path: the ``.bvh`` file.
        rest_joints: (24, 3) joints of the person's shape at rest (identity
            rotations), metres, the body model's own frame (y up).
        root_positions: (T, 3) root (pelvis) joint per frame, metres,
            camera frame.
        rotations: (T, 24, 3, 3) local joint rotations per frame (the body
            model's ``global_orient`` then ``body_pose``), camera frame.
        fps: frames per second.
        names, parents: the skeleton.

    Returns:
        str: ``path``.
    """
    # world = C camera: the root turns by C R0; the rest skeleton stays in
    # the body model's frame (y up, upright in the file's rest pose), so
    # the other joints keep their local rotations
    rest = np.asarray(rest_joints, np.float64)
    roots = np.asarray(root_positions, np.float64) @ CAMERA_TO_WORLD.T
    rots = np.array(rotations, np.float64)
    root = list(parents).index(-1)
    rots[:, root] = CAMERA_TO_WORLD @ rots[:, root]
    children = {k: [c for c, p in enumerate(parents) if p == k]
                for k in range(len(names))}
    lines = ['HIERARCHY']

    def joint(k, depth):
        pad = '  ' * depth
        offset = rest[k] - (rest[parents[k]] if parents[k] >= 0 else rest[k])
        head = 'ROOT' if parents[k] < 0 else 'JOINT'
        lines.append(f'{pad}{head} {names[k]}')
        lines.append(f'{pad}{{')
        lines.append(f'{pad}  OFFSET {offset[0]:.6f} {offset[1]:.6f} '
                     f'{offset[2]:.6f}')
        if parents[k] < 0:
            lines.append(f'{pad}  CHANNELS 6 Xposition Yposition Zposition '
                         'Zrotation Xrotation Yrotation')
        else:
            lines.append(f'{pad}  CHANNELS 3 Zrotation Xrotation Yrotation')
        for c in children[k]:
            joint(c, depth + 1)
        if not children[k]:
            lines.append(f'{pad}  End Site')
            lines.append(f'{pad}  {{')
            lines.append(f'{pad}    OFFSET 0.000000 0.000000 0.000000')
            lines.append(f'{pad}  }}')
        lines.append(f'{pad}}}')

    order = []

    def visit(k):
        order.append(k)
        for c in children[k]:
            visit(c)
    joint(root, 0)
    visit(root)
    angles = rotmat_to_zxy(rots)                        # (T, 24, 3)
    lines += ['MOTION', f'Frames: {len(roots)}',
              f'Frame Time: {1. / float(fps):.8f}']
    for t in range(len(roots)):
        values = list(roots[t]) + [v for k in order for v in angles[t, k]]
        lines.append(' '.join(f'{v:.6f}' for v in values))
    with atomic_path(path) as tmp, open(tmp, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path
