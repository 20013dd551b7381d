"""MediaPipe Pose (the legacy ``mediapipe.solutions.pose`` solution) as an
offline 2D keypoint detector.

The mediapipe wheel (0.10.14, pinned in ``constraints.txt``) bundles the
person detector and the "full" landmark model (``model_complexity=1``), so
detection needs no network.  The solution finds **one person per image**
(the one its person detector scores highest) and returns its 33 landmarks
(convention ``mediapipe_33``), converted here by joint name to any
convention, COCO-17 by default.
"""
import os.path as osp
import warnings
from typing import Optional

import numpy as np

from ...conventions import get_keypoint_num
from ...registry import KEYPOINT_DETECTORS
from .base import BaseKeypointDetector, landmarks_result

LANDMARK_CONVENTION = 'mediapipe_33'
INSTALL_HINT = (
    'run `bash tools/install.sh` (it installs the detector stack), or '
    '`.venv/bin/python -m pip install --no-deps -c constraints.txt '
    'mediapipe absl-py attrs flatbuffers protobuf` (--no-deps: mediapipe '
    "declares opencv-contrib-python and jax, which hmrzoo's detector does "
    'not use and which would add a second cv2 beside '
    'opencv-python-headless)')
#: landmark model of each ``model_complexity``, inside the mediapipe package.
LANDMARK_MODELS = {0: 'pose_landmark_lite.tflite',
                   1: 'pose_landmark_full.tflite',
                   2: 'pose_landmark_heavy.tflite'}


def import_mediapipe_pose():
    """Return ``(mediapipe package, mediapipe.solutions.pose)``.

    Raises:
        ImportError: mediapipe is missing or broken, with how to install it.
    """
    try:
        import mediapipe
        from mediapipe.python.solutions import pose
    except ImportError as err:
        raise ImportError(f'MediaPipePoseDetector needs mediapipe ({err}): '
                          f'{INSTALL_HINT}') from err
    return mediapipe, pose


def bundled_landmark_model(mediapipe, model_complexity: int) -> str:
    """Path of the landmark model of ``model_complexity`` in the installed
    mediapipe package.

    Raises:
        ValueError: an unknown complexity, or one whose model the wheel
            does not bundle (mediapipe would download it at run time).
    """
    if model_complexity not in LANDMARK_MODELS:
        raise ValueError(f'model_complexity must be one of '
                         f'{sorted(LANDMARK_MODELS)}, got {model_complexity}')
    path = osp.join(osp.dirname(mediapipe.__file__), 'modules',
                    'pose_landmark', LANDMARK_MODELS[model_complexity])
    if not osp.isfile(path):
        raise ValueError(
            f'model_complexity={model_complexity} needs {path}, which the '
            'mediapipe wheel does not bundle (mediapipe would download it); '
            'hmrzoo detects offline: use model_complexity=1 (the bundled '
            f'{LANDMARK_MODELS[1]})')
    return path


@KEYPOINT_DETECTORS.register_module()
class MediaPipePoseDetector(BaseKeypointDetector):
    """One person's 2D keypoints per RGB image with MediaPipe Pose.

    Each image is processed on its own (``static_image_mode``: person
    detection, then landmarks; no tracking between calls).  One
    ``mediapipe.solutions.pose.Pose`` graph is built at construction and
    reused for every image; release it with :meth:`close` or a ``with``
    block.

    Args:
        model_complexity (int): mediapipe's landmark model; 1 ("full") is
            the one the wheel bundles, 0 and 2 are refused because
            mediapipe would download them.
        min_detection_confidence (float): mediapipe's person-detection
            threshold in [0, 1]; below it the image has no person.
        convention (str): keypoint convention of the output (``'coco'``:
            COCO-17; any convention of
            :mod:`hmrzoo.conventions`, joints mapped by name
            from ``mediapipe_33``, confidence 0 where it has no landmark).
        min_keypoint_confidence (float): landmarks whose visibility reaches
            it span the returned box.

    Raises:
        ImportError: mediapipe is not installed (the message says how).
        ValueError: a ``model_complexity`` whose model is not bundled.
    """

    def __init__(self, model_complexity: int = 1,
                 min_detection_confidence: float = 0.5,
                 convention: str = 'coco',
                 min_keypoint_confidence: float = 0.5):
        mediapipe, pose = import_mediapipe_pose()
        bundled_landmark_model(mediapipe, model_complexity)
        get_keypoint_num(convention)  # KeyError for an unknown convention
        self.convention = convention
        self.min_keypoint_confidence = float(min_keypoint_confidence)
        self._pose = pose.Pose(
            static_image_mode=True, model_complexity=model_complexity,
            enable_segmentation=False,
            min_detection_confidence=float(min_detection_confidence))

    def detect_landmarks(self, image: np.ndarray) -> Optional[np.ndarray]:
        """MediaPipe's 33 landmarks of the person in ``image``.

        Args:
            image: (H, W, 3) uint8 RGB.

        Returns:
            None when no person is found, else (33, 3) float32 in
            ``mediapipe_33`` order: x, y pixels (pixel centres at integers;
            points may lie outside the image) and visibility in [0, 1].
        """
        image = self.check_image(image)
        if self._pose is None:
            raise RuntimeError('MediaPipePoseDetector was closed')
        with warnings.catch_warnings():
            # mediapipe 0.10.14 calls a protobuf API that protobuf 4.25
            # marks deprecated, once per process; nothing hmrzoo can act on
            warnings.filterwarnings('ignore', message='SymbolDatabase')
            result = self._pose.process(image)
        if result.pose_landmarks is None:
            return None
        height, width = image.shape[:2]
        # mediapipe's x, y are fractions of the image width / height from
        # its outer edge: pixel j's centre is at (j + 0.5) / W
        return np.array([[lm.x * width - 0.5, lm.y * height - 0.5,
                          lm.visibility]
                         for lm in result.pose_landmarks.landmark],
                        np.float32)

    def detect(self, image: np.ndarray) -> Optional[dict]:
        """Detect one person (the one mediapipe scores highest) in ``image``.

        Args:
            image: (H, W, 3) uint8 RGB.

        Returns:
            None when mediapipe finds no person, else a dict:
            ``keypoints`` (K, 3) float32: x, y pixels and mediapipe's
            visibility in [0, 1], in :attr:`convention` (K joints);
            ``box`` (4,) float32: x1, y1, x2, y2 pixels around the 33
            landmarks whose visibility reaches
            ``min_keypoint_confidence`` (all of them if none does), clipped
            to the image.
        """
        landmarks = self.detect_landmarks(image)
        if landmarks is None:
            return None
        return landmarks_result(landmarks, LANDMARK_CONVENTION,
                                self.convention, image,
                                self.min_keypoint_confidence)

    def close(self) -> None:
        """Release mediapipe's graph."""
        if self._pose is not None:
            self._pose.close()
            self._pose = None
