"""MediaPipe Pose (BlazePose) 33 landmarks, in landmark-id order.

The landmarks that COCO also has carry COCO's names (nose, eyes, ears,
shoulders, elbows, wrists, knees, ankles), so the 17 COCO keypoints are
read from MediaPipe by name.  hmrzoo's choice for the hips: BlazePose's
topology extends COCO's and its hips sit where image annotators put them
(on the body outline, lower and wider than SMPL's hip joint centres), so
they are the dataset hips ``*_hip_extra`` (like COCO's).  Its heels
are the same points as COCO-WholeBody's heels.  Landmarks specific to
MediaPipe carry the suffix ``_mediapipe``: eye inner / outer corners, mouth
corners, the pinky / index / thumb hand points and the foot tips ("foot
index"); some of them are near-equivalent to other points (see
:mod:`.approximate`).

``mediapipe_holistic`` adds Holistic's hands and 14 face points.
"""
from .hand import hand_21

MEDIAPIPE_33 = [
    'nose',
    'left_eye_inner_mediapipe', 'left_eye', 'left_eye_outer_mediapipe',
    'right_eye_inner_mediapipe', 'right_eye', 'right_eye_outer_mediapipe',
    'left_ear', 'right_ear', 'mouth_left_mediapipe', 'mouth_right_mediapipe',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_pinky_mediapipe',
    'right_pinky_mediapipe', 'left_index_mediapipe', 'right_index_mediapipe',
    'left_thumb_mediapipe', 'right_thumb_mediapipe', 'left_hip_extra',
    'right_hip_extra', 'left_knee', 'right_knee', 'left_ankle',
    'right_ankle', 'left_heel', 'right_heel', 'left_foot_index_mediapipe',
    'right_foot_index_mediapipe',
]

#: MediaPipe face-mesh vertex -> iBUG landmark (:mod:`.face`), for the 14
#: points whose place on the 468-vertex mesh is unambiguous: nose tip,
#: chin, lip corners and midpoints, brow ends, eye corners.  hmrzoo's
#: choice; the face mesh has no official iBUG correspondence.
MEDIAPIPE_FACE_TO_IBUG = {
    1: 'face_nose_bridge_4', 152: 'face_chin',
    61: 'face_lip_right_corner', 291: 'face_lip_left_corner',
    0: 'face_lip_upper_mid', 17: 'face_lip_lower_mid',
    70: 'face_brow_right_1', 107: 'face_brow_right_5',
    336: 'face_brow_left_5', 300: 'face_brow_left_1',
    33: 'face_eye_right_outer', 133: 'face_eye_right_inner',
    362: 'face_eye_left_inner', 263: 'face_eye_left_outer',
}

#: ``mediapipe_holistic`` (89): MediaPipe Holistic's output as hmrzoo
#: stacks it: the 33 pose landmarks, the subject's left hand and right hand
#: (21 each; MediaPipe's hand landmark order is the 21-point order of
#: :mod:`.hand`), then the face points of :data:`MEDIAPIPE_FACE_TO_IBUG`.
MEDIAPIPE_HOLISTIC = (MEDIAPIPE_33 + hand_21('left') + hand_21('right') +
                      list(MEDIAPIPE_FACE_TO_IBUG.values()))

CONVENTIONS = {'mediapipe_33': MEDIAPIPE_33,
               'mediapipe_holistic': MEDIAPIPE_HOLISTIC}
