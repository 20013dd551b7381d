"""SMPL-family keypoint layouts: SMPL kinematic joints, smplx's vertex
joints, and SPIN's 49 / 54 joint layouts.

* ``smpl_24``: the 24 joints of SMPL's kinematic tree, in SMPL order (what
  ``J_regressor`` of the model file gives).
* ``smpl_45``: what ``smplx.SMPL`` returns as ``joints``: the 24 joints
  followed by the 21 points its ``VertexJointSelector`` picks on the mesh
  (5 face points, 6 foot points, 10 finger tips, in that order).
* ``smpl_54``: ``smpl_45`` followed by the 9 rows of SPIN's
  ``J_regressor_extra.npy``.
* ``smpl_49``: SPIN's training layout: 25 OpenPose BODY_25 slots (names
  ``<openpose point>_openpose``) then SPIN's 24 "ground-truth" joints.
"""

SMPL_24 = [
    'pelvis', 'left_hip', 'right_hip', 'spine1', 'left_knee', 'right_knee',
    'spine2', 'left_ankle', 'right_ankle', 'spine3', 'left_foot',
    'right_foot', 'neck', 'left_collar', 'right_collar', 'head',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hand', 'right_hand',
]
#: Parent of each of :data:`SMPL_24` in SMPL's kinematic tree (-1: root).
SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14,
                16, 17, 18, 19, 20, 21]

# Order of smplx's VertexJointSelector: face points (nose, right eye, left
# eye, right ear, left ear), feet (left big toe, left small toe, left heel,
# then the right ones), finger tips (left thumb..pinky, right thumb..pinky).
FINGERS = ('thumb', 'index', 'middle', 'ring', 'pinky')
VERTEX_JOINTS_21 = [
    'nose', 'right_eye', 'left_eye', 'right_ear', 'left_ear',
    'left_bigtoe', 'left_smalltoe', 'left_heel',
    'right_bigtoe', 'right_smalltoe', 'right_heel',
] + [f'{side}_{finger}_tip' for side in ('left', 'right')
     for finger in FINGERS]

SMPL_45 = SMPL_24 + VERTEX_JOINTS_21

# Rows of SPIN's J_regressor_extra.npy: hips, neck and head top as LSP
# annotates them, pelvis and thorax as MPII does, spine, jaw and head as
# Human3.6M's mocap skeleton has them.
SPIN_EXTRA_9 = [
    'right_hip_extra', 'left_hip_extra', 'neck_extra', 'headtop',
    'pelvis_extra', 'thorax_extra', 'spine_extra', 'jaw_extra', 'head_extra',
]

SMPL_54 = SMPL_45 + SPIN_EXTRA_9

# OpenPose BODY_25 point order, by base name; SPIN regresses these slots
# from SMPL joints, so each carries the ``_openpose`` suffix to stay
# distinct from the ground-truth slots that follow.
OPENPOSE_25_BASE = [
    'nose', 'neck', 'right_shoulder', 'right_elbow', 'right_wrist',
    'left_shoulder', 'left_elbow', 'left_wrist', 'pelvis', 'right_hip',
    'right_knee', 'right_ankle', 'left_hip', 'left_knee', 'left_ankle',
    'right_eye', 'left_eye', 'right_ear', 'left_ear',
    'left_bigtoe', 'left_smalltoe', 'left_heel',
    'right_bigtoe', 'right_smalltoe', 'right_heel',
]

# SPIN's 24 ground-truth joints (the 14 LSP joints first).
SPIN_GT_24 = [
    'right_ankle', 'right_knee', 'right_hip_extra', 'left_hip_extra',
    'left_knee', 'left_ankle', 'right_wrist', 'right_elbow',
    'right_shoulder', 'left_shoulder', 'left_elbow', 'left_wrist',
    'neck_extra', 'headtop', 'pelvis_extra', 'thorax_extra', 'spine_extra',
    'jaw_extra', 'head_extra', 'nose', 'left_eye', 'right_eye', 'left_ear',
    'right_ear',
]

SMPL_49 = [f'{name}_openpose' for name in OPENPOSE_25_BASE] + SPIN_GT_24

CONVENTIONS = {
    'smpl_24': SMPL_24,
    'smpl_45': SMPL_45,
    'smpl_49': SMPL_49,
    'smpl_54': SMPL_54,
}
