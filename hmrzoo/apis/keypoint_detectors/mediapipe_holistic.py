"""MediaPipe Holistic (the legacy ``mediapipe.solutions.holistic``
solution) as an offline whole-body 2D keypoint detector: body, hands and
face of one person.

The mediapipe wheel (0.10.14) bundles every model Holistic runs (pose
detection and landmarks, the hand and face re-crop models, hand and face
landmarks), so it needs no network.  Its output (convention
``mediapipe_holistic``: 33 pose landmarks, 21 points per hand, 14 face
points read off the 468-vertex face mesh, see
:mod:`hmrzoo.conventions.mediapipe`) is converted by name to any
convention, COCO-WholeBody by default.  A hand or the face Holistic does
not find is absent (confidence 0); found hand and face points get
confidence 1 (Holistic gives them none).
"""
import warnings
from typing import Optional

import numpy as np

from ...conventions import get_keypoint_num
from ...conventions.mediapipe import MEDIAPIPE_FACE_TO_IBUG
from ...registry import KEYPOINT_DETECTORS
from .base import BaseKeypointDetector, landmarks_result
from .mediapipe_pose import INSTALL_HINT, bundled_landmark_model

LANDMARK_CONVENTION = 'mediapipe_holistic'
_FACE_VERTICES = list(MEDIAPIPE_FACE_TO_IBUG)


def _points(landmarks, width: int, height: int, indices=None,
            visibility: bool = False) -> np.ndarray:
    """(N, 3) pixels (pixel centres at integers) and confidence."""
    marks = list(landmarks.landmark)
    if indices is not None:
        marks = [marks[i] for i in indices]
    return np.array([[m.x * width - 0.5, m.y * height - 0.5,
                      m.visibility if visibility else 1.] for m in marks],
                    np.float32)


@KEYPOINT_DETECTORS.register_module()
class MediaPipeHolisticDetector(BaseKeypointDetector):
    """One person's whole-body 2D keypoints per RGB image.

    Args:
        min_detection_confidence (float): Holistic's person-detection
            threshold in [0, 1].
        convention (str): keypoint convention of the output
            (``'coco_wholebody'``; any convention, mapped by name).
        min_keypoint_confidence (float): pose landmarks whose visibility
            reaches it span the returned box.

    Raises:
        ImportError: mediapipe is not installed (the message says how).
    """

    def __init__(self, min_detection_confidence: float = 0.5,
                 convention: str = 'coco_wholebody',
                 min_keypoint_confidence: float = 0.5):
        try:
            import mediapipe
            from mediapipe.python.solutions import holistic
        except ImportError as err:
            raise ImportError(f'MediaPipeHolisticDetector needs mediapipe '
                              f'({err}): {INSTALL_HINT}') from err
        bundled_landmark_model(mediapipe, 1)
        get_keypoint_num(convention)  # KeyError for an unknown convention
        self.convention = convention
        self.min_keypoint_confidence = float(min_keypoint_confidence)
        self._holistic = holistic.Holistic(
            static_image_mode=True, model_complexity=1,
            refine_face_landmarks=False,
            min_detection_confidence=float(min_detection_confidence))

    def detect_landmarks(self, image: np.ndarray) -> Optional[np.ndarray]:
        """(89, 3) ``mediapipe_holistic`` points (x, y pixels,
        confidence) of the person in ``image`` (RGB uint8), or None."""
        image = self.check_image(image)
        if self._holistic is None:
            raise RuntimeError('MediaPipeHolisticDetector was closed')
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='SymbolDatabase')
            result = self._holistic.process(image)
        if result.pose_landmarks is None:
            return None
        height, width = image.shape[:2]
        parts = [_points(result.pose_landmarks, width, height,
                         visibility=True)]
        for found, size, idx in (
                (result.left_hand_landmarks, 21, None),
                (result.right_hand_landmarks, 21, None),
                (result.face_landmarks, len(_FACE_VERTICES),
                 _FACE_VERTICES)):
            parts.append(np.zeros((size, 3), np.float32) if found is None
                         else _points(found, width, height, idx))
        return np.concatenate(parts)

    def detect(self, image: np.ndarray) -> Optional[dict]:
        """``keypoints`` (K, 3) in :attr:`convention` and ``box`` (4,)
        around the confident pose landmarks (see
        :class:`.base.BaseKeypointDetector`), or None."""
        landmarks = self.detect_landmarks(image)
        if landmarks is None:
            return None
        return landmarks_result(landmarks, LANDMARK_CONVENTION,
                                self.convention, image,
                                self.min_keypoint_confidence, 33)

    def close(self) -> None:
        """Release mediapipe's graph."""
        if self._holistic is not None:
            self._holistic.close()
            self._holistic = None
