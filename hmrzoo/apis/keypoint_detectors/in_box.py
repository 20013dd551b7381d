"""Detecting the person of a known box: run a one-person detector on the
(enlarged) box cut out of the image, so that in a multi-person image it
finds that person and not the one it would score highest in the frame.

Pixel convention as in :mod:`.base`: the centre of pixel (row i, column j)
is at x = j, y = i; a box ``x1, y1, x2, y2`` spans those centres.
"""
import math
from typing import Callable, Optional, Sequence, Tuple

import numpy as np


def crop_window(box_xyxy: Sequence[float], scale: float, width: int,
                height: int) -> Optional[Tuple[int, int, int, int]]:
    """The pixels to cut for a box enlarged about its centre.

    Args:
        box_xyxy: (4,) x1, y1, x2, y2 image pixels.
        scale: enlargement of the box's width and height (> 0; 1.2 adds
            10 % on each side).
        width, height: image size, pixels.

    Returns:
        ``(x0, y0, x1, y1)`` ints: the window ``image[y0:y1, x0:x1]``
        (every pixel whose centre lies in the enlarged box, clipped to the
        image), or None when it holds no pixel (a box outside the image, or
        not finite).

    Raises:
        ValueError: ``scale`` <= 0.
    """
    if not scale > 0:
        raise ValueError(f'the box scale must be > 0, got {scale}')
    x1, y1, x2, y2 = (float(v) for v in box_xyxy)
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return None
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    half_w, half_h = abs(x2 - x1) * scale / 2, abs(y2 - y1) * scale / 2
    x0, y0 = max(math.ceil(cx - half_w), 0), max(math.ceil(cy - half_h), 0)
    xe = min(math.floor(cx + half_w) + 1, int(width))
    ye = min(math.floor(cy + half_h) + 1, int(height))
    if xe <= x0 or ye <= y0:
        return None
    return x0, y0, xe, ye


def detect_in_box(detector, image: np.ndarray, box_xyxy: Sequence[float],
                  scale: float = 1.2) -> Optional[dict]:
    """Detect the person of ``box_xyxy``: ``detector`` runs on the box
    enlarged by ``scale`` and cut out of ``image`` (:func:`crop_window`),
    and its keypoints and box are mapped back to full-image pixels.

    Args:
        detector: a keypoint detector (:class:`.base.BaseKeypointDetector`
            or any callable with its contract).
        image: (H, W, 3) uint8 RGB, the full image.
        box_xyxy: (4,) x1, y1, x2, y2 image pixels of the person.
        scale: enlargement of the box (> 0). Defaults to 1.2.

    Returns:
        None when the window is empty or the detector finds no person in
        it, else the detector's dict in full-image pixels: ``keypoints``
        (K, 3) float32 x, y pixels (points may lie outside the window) and
        confidence, ``box`` (4,) float32 x1, y1, x2, y2 pixels (inside the
        window), plus ``window`` (4,) int: the ``x0, y0, x1, y1`` cut.
    """
    image = np.asarray(image)
    window = crop_window(box_xyxy, scale, image.shape[1], image.shape[0])
    if window is None:
        return None
    x0, y0, x1, y1 = window
    found = detector(np.ascontiguousarray(image[y0:y1, x0:x1]))
    if found is None:
        return None
    offset = np.array([x0, y0], np.float32)
    keypoints = np.array(found['keypoints'], np.float32)
    keypoints[:, :2] += offset
    box = np.asarray(found['box'], np.float32) + np.tile(offset, 2)
    return dict(found, keypoints=keypoints, box=box.astype(np.float32),
                window=np.array(window, np.int64))


def detect_in_growing_box(detector, image: np.ndarray,
                          box_xyxy: Sequence[float],
                          scales: Sequence[float],
                          accept: Optional[Callable[[dict], bool]] = None
                          ) -> Optional[dict]:
    """:func:`detect_in_box` with each of ``scales`` in turn (smallest
    first, so that a neighbour is rarely in the window) until the detector
    finds a person (that ``accept`` takes, when given); None when no
    window shows one."""
    for scale in scales:
        found = detect_in_box(detector, image, box_xyxy, scale)
        if found is not None and (accept is None or accept(found)):
            return found
    return None
