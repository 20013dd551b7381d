"""What every person detector of hmrzoo provides: the boxes of all people
in one RGB photograph, for the inference API and the demos.

Coordinates are image pixels (the centre of pixel (row i, column j) is at
x = j, y = i); a box is ``x1, y1, x2, y2``.
"""
from typing import Tuple

import numpy as np

from ..detector_base import Detector


class BasePersonDetector(Detector):
    """Boxes of every person in an RGB image.

    Subclasses implement :meth:`detect` and, when they hold an engine,
    :meth:`close`; a detector is a context manager.
    """

    def detect(self, image: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Find the people of ``image``.

        Args:
            image: (H, W, 3) uint8 RGB.

        Returns:
            tuple: ``boxes`` (N, 4) float32 ``x1, y1, x2, y2`` pixels inside
            the image, ordered left to right, and ``scores`` (N,) float32;
            N may be 0.
        """
        raise NotImplementedError


def left_to_right(boxes: np.ndarray, scores: np.ndarray):
    """``boxes`` (N, 4) and ``scores`` (N,) sorted by the boxes' centre x
    (a stable order for the results of one photograph)."""
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    scores = np.asarray(scores, np.float32).reshape(-1)
    order = np.argsort((boxes[:, 0] + boxes[:, 2]) / 2, kind='stable')
    return boxes[order], scores[order]


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) intersection over union of xyxy boxes (N, 4) and (M, 4)."""
    a = np.asarray(a, np.float64).reshape(-1, 4)
    b = np.asarray(b, np.float64).reshape(-1, 4)
    lo = np.maximum(a[:, None, :2], b[None, :, :2])
    hi = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(hi - lo, 0, None).prod(-1)
    area = lambda x: np.clip(x[:, 2:] - x[:, :2], 0, None).prod(-1)  # noqa
    union = area(a)[:, None] + area(b)[None] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.)
