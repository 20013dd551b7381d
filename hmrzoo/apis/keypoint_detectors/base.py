"""What every 2D keypoint detector of hmrzoo provides.

A detector takes one RGB image and returns the keypoints of **one person**
(or None) in a keypoint convention of :mod:`hmrzoo.conventions`
and a box around them.  Coordinates are image pixels with hmrzoo's
convention for annotations: the centre of pixel (row i, column j) is at
x = j, y = i.
"""
from typing import Optional

import numpy as np

from ..detector_base import Detector


class BaseKeypointDetector(Detector):
    """One person's 2D keypoints per RGB image.

    Subclasses implement :meth:`detect` and, when they hold an inference
    engine, :meth:`close`.  A detector is a context manager::

        with KEYPOINT_DETECTORS.build(dict(type='MediaPipePoseDetector')) \\
                as detector:
            for image in images:
                result = detector(image)

    Attributes:
        convention (str): keypoint convention of the returned keypoints.
    """

    convention: str = 'coco'

    def detect(self, image: np.ndarray) -> Optional[dict]:
        """Detect one person.

        Args:
            image: (H, W, 3) uint8 RGB.

        Returns:
            None when no person is found, else a dict with ``keypoints``
            (K, 3) float32: x, y pixels and confidence in [0, 1], K the
            size of :attr:`convention` (confidence 0 for joints the
            detector lacks), and ``box`` (4,) float32: x1, y1, x2, y2
            pixels around the person's confident keypoints, inside the
            image.
        """
        raise NotImplementedError

    @staticmethod
    def check_image(image: np.ndarray) -> np.ndarray:
        """Return ``image`` as a C-contiguous (H, W, 3) uint8 array.

        Raises:
            ValueError: another dtype or shape (e.g. a float image in
                [0, 1] or a (3, H, W) tensor layout).
        """
        image = np.asarray(image)
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError('a keypoint detector takes one RGB image as an '
                             '(H, W, 3) uint8 array, got shape '
                             f'{image.shape} dtype {image.dtype}')
        return np.ascontiguousarray(image)


def landmarks_result(landmarks: np.ndarray, landmark_convention: str,
                     convention: str, image: np.ndarray,
                     min_confidence: float, box_rows: int = None) -> dict:
    """A detector's result from its raw landmarks: ``keypoints`` converted
    by name to ``convention``, and ``box`` around the confident landmarks
    among the first ``box_rows`` (all by default), see :func:`box_around`.
    """
    from ...conventions import convert_kps
    keypoints, _ = convert_kps(landmarks, landmark_convention, convention)
    height, width = np.asarray(image).shape[:2]
    rows = landmarks[:box_rows]
    box = box_around(rows[:, :2], rows[:, 2], min_confidence, width, height)
    return dict(keypoints=keypoints.astype(np.float32), box=box)


def box_around(points: np.ndarray, confidence: np.ndarray,
               min_confidence: float, width: int, height: int
               ) -> np.ndarray:
    """Box around the confident points, clipped to the image.

    Args:
        points: (J, 2) x, y pixels.
        confidence: (J,) confidence of each point.
        min_confidence: points below it are left out, unless none reaches
            it (then the box is around all points).
        width, height: image size, pixels.

    Returns:
        np.ndarray: (4,) float32 x1, y1, x2, y2 pixels, within the image's
        pixel centres ``[0, W - 1] x [0, H - 1]``; it has no area when the
        points lie outside the image.
    """
    points = np.asarray(points, np.float64)
    keep = np.asarray(confidence) >= min_confidence
    if not keep.any():
        keep = np.ones(len(points), bool)
    lo, hi = points[keep].min(axis=0), points[keep].max(axis=0)
    limit = np.array([width - 1, height - 1], np.float64)
    lo, hi = np.clip(lo, 0, limit), np.clip(hi, 0, limit)
    return np.concatenate([lo, hi]).astype(np.float32)
