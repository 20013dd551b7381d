"""The hand-made skeletons of the fake body models
(:mod:`.fake_body_models`): SMPL-X's kinematic tree, the joints at rest
(metres, y up, facing +z, the body's left on +x, about 1.7 m tall), the
radius of the tube around each bone, where smplx's vertex joints (nose,
eyes, ears, toes, heels, finger tips) go, and the vertex / face counts of
the real meshes.
"""
from typing import List, Tuple

import numpy as np

from ..conventions.smpl import SMPL_PARENTS

__all__ = [
    'SMPLX_PARENTS', 'SMPL_JOINTS', 'SMPL_RADII', 'SMPL_NUM_VERTS',
    'SMPL_NUM_FACES', 'SMPLX_NUM_VERTS', 'SMPLX_NUM_FACES', 'smplx_skeleton',
    'vertex_joint_targets',
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

#: vertex and face counts of the real SMPL and SMPL-X meshes.
SMPL_NUM_VERTS, SMPL_NUM_FACES = 6890, 13776
SMPLX_NUM_VERTS, SMPLX_NUM_FACES = 10475, 20908

#: (x, y, z) metres of the 24 SMPL joints at rest; y up, +z forward, +x the
#: body's left.  Feet reach y = -0.95, the top of the head y = 0.75.
SMPL_JOINTS = np.array([
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

#: tube radius of the segments each joint owns (segments start at it)
SMPL_RADII = np.array([
    0.11, 0.075, 0.075, 0.12, 0.05, 0.05, 0.12, 0.04, 0.04, 0.11, 0.035,
    0.035, 0.05, 0.05, 0.05, 0.09, 0.045, 0.045, 0.038, 0.038, 0.03, 0.03,
    0.025, 0.025,
])


def smplx_skeleton() -> Tuple[np.ndarray, np.ndarray]:
    joints = list(SMPL_JOINTS[:22])
    radii = list(SMPL_RADII[:22])
    head = SMPL_JOINTS[15]
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
        w = SMPL_JOINTS[wrist]
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
def vertex_joint_targets(joints: np.ndarray
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
