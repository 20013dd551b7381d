"""OpenPose BODY_25 and its whole-body output.

BODY_25 was trained on COCO's keypoints plus OpenPose's foot set, so its
face, arm, knee and ankle points are COCO's (same names), its hips are the
dataset hips ``*_hip_extra``, and its feet are the points COCO-WholeBody
also uses.  Only its synthetic points differ: ``neck_openpose`` (between
the shoulders) and ``pelvis_openpose`` ("MidHip", between the hips).  So
``openpose_25`` -> ``coco`` / ``coco_wholebody`` maps exactly.

SPIN's ``smpl_49`` stores its own OpenPose slots as ``<name>_openpose``
(see :mod:`.smpl`); ``openpose_25`` -> ``smpl_49`` fills them only with
``approximate=True``.
"""

from .face import FACE_68
from .hand import hand_21

OPENPOSE_25 = [
    'nose', 'neck_openpose', 'right_shoulder', 'right_elbow', 'right_wrist',
    'left_shoulder', 'left_elbow', 'left_wrist', 'pelvis_openpose',
    'right_hip_extra', 'right_knee', 'right_ankle', 'left_hip_extra',
    'left_knee', 'left_ankle', 'right_eye', 'left_eye', 'right_ear',
    'left_ear', 'left_bigtoe', 'left_smalltoe', 'left_heel', 'right_bigtoe',
    'right_smalltoe', 'right_heel',
]

#: OpenPose's 70 face points: the 68 iBUG points (:mod:`.face`), then the
#: pupils, the subject's right one first (as iBUG lists the right eye
#: first).
OPENPOSE_FACE_70 = FACE_68 + ['face_pupil_right', 'face_pupil_left']

#: ``openpose_137``: BODY_25, the left hand (21), the right hand (21) and
#: the face (70), the order in which hmrzoo stacks the ``pose``,
#: ``hand_left``, ``hand_right`` and ``face`` arrays of OpenPose's JSON.
OPENPOSE_137 = (OPENPOSE_25 + hand_21('left') + hand_21('right') +
                OPENPOSE_FACE_70)

CONVENTIONS = {'openpose_25': OPENPOSE_25, 'openpose_137': OPENPOSE_137}
