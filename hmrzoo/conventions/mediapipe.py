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
"""

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

CONVENTIONS = {'mediapipe_33': MEDIAPIPE_33}
