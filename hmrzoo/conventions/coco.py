"""COCO keypoint layouts.

* ``coco``: the 17 COCO person keypoints.  COCO's hips are annotated on
  the surface, lower and wider than SMPL's hip joint centres, so they are
  the dataset hips ``left_hip_extra`` / ``right_hip_extra``.
* ``coco_wholebody``: COCO-WholeBody's 133 points: the 17 body points, 6
  foot points (big toe, small toe, heel; left first), the 68 iBUG face
  points (:mod:`.face`), 21 left-hand and 21 right-hand points
  (:mod:`.hand`).
"""
from .face import FACE_68
from .hand import hand_21

COCO_17 = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip_extra', 'right_hip_extra',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
]

FEET_6 = [
    'left_bigtoe', 'left_smalltoe', 'left_heel',
    'right_bigtoe', 'right_smalltoe', 'right_heel',
]

COCO_WHOLEBODY_133 = (COCO_17 + FEET_6 + FACE_68 + hand_21('left') +
                      hand_21('right'))

CONVENTIONS = {
    'coco': COCO_17,
    'coco_wholebody': COCO_WHOLEBODY_133,
}
