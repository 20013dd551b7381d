"""The people of a photograph and the evidence each one brings: boxes
(given, or from a ``PERSON_DETECTORS`` detector) and 2D keypoints (given,
or from a ``KEYPOINT_DETECTORS`` detector run inside each box).

Defaults (offline, bundled in the mediapipe wheel):
:class:`~hmrzoo.apis.person_detectors.MediaPipePersonDetector` and
:class:`~hmrzoo.apis.keypoint_detectors.MediaPipePoseDetector`; built once
per model and kept with it.  Keypoints whose confidence is below
:data:`MIN_CONFIDENCE` are marked absent (confidence 0), as
``tools/detect_keypoints.py`` does.
"""
from typing import List, Optional, Tuple

import numpy as np

from ...conventions import get_keypoint_num
from ...registry import KEYPOINT_DETECTORS, PERSON_DETECTORS
from ...utils.errors import UserValueError
from ..keypoint_detectors import detect_in_growing_box

DEFAULT_PERSON_DETECTOR = dict(type='MediaPipePersonDetector')
DEFAULT_KEYPOINT_DETECTOR = dict(type='MediaPipePoseDetector')
MIN_CONFIDENCE = 0.5
#: a person box (tight around the body) is enlarged by these, in turn,
#: until the keypoint detector finds the person: mediapipe needs the whole
#: body with a margin (tools/detect_keypoints.py enlarges annotation-file
#: boxes, 1.2x the keypoints already, by 1.2 more: 1.44); the smallest
#: window first, so that a neighbour is rarely in it
KEYPOINT_BOX_SCALES = (1.5, 2.0, 2.5)


def _detector(model, key: str, given, registry, default: dict):
    """A built detector: ``given`` (built or a config), else the model's
    cached default."""
    if given is not None and not isinstance(given, dict):
        return given
    cache = model.__dict__.setdefault('_inference_detectors', {})
    cfg = given or default
    name = f'{key}:{sorted(cfg.items())}'
    if name not in cache:
        cache[name] = registry.build(cfg if key != 'keypoints' else
                                     dict(cfg, convention=model.inference
                                          .keypoints))
    return cache[name]


def release_detectors(model) -> None:
    """Close the detectors :func:`inference_mesh` built and kept with
    ``model`` (their engines hold native resources); later calls build
    them again."""
    for detector in model.__dict__.pop('_inference_detectors', {}).values():
        detector.close()


def person_boxes(model, rgb: np.ndarray, bboxes, detector) -> np.ndarray:
    """(N, 4) float32 boxes: ``bboxes`` checked, or detected."""
    if bboxes is not None:
        boxes = np.asarray(bboxes, np.float32).reshape(-1, 4)
        bad = ~np.isfinite(boxes).all(1) | (boxes[:, 2] <= boxes[:, 0]) | \
            (boxes[:, 3] <= boxes[:, 1])
        if bad.any():
            raise UserValueError(
                f'bboxes: row(s) {np.flatnonzero(bad).tolist()} are not '
                'x1, y1, x2, y2 boxes with x2 > x1 and y2 > y1 (pixels)')
        return boxes
    found, _ = _detector(model, 'people', detector, PERSON_DETECTORS,
                         DEFAULT_PERSON_DETECTOR)(rgb)
    return found


def person_keypoints(model, rgb: np.ndarray, boxes: np.ndarray,
                     given: Optional[np.ndarray], detector
                     ) -> Tuple[np.ndarray, List[str]]:
    """(N, K, 3) keypoints (pixels + confidence) in the model's input
    convention and, per person, where they came from ('given',
    'detector', or 'none' when the detector found no one in the box)."""
    convention = model.inference.keypoints
    num = get_keypoint_num(convention)
    if given is not None:
        kps = np.asarray(given, np.float32)
        if kps.shape != (len(boxes), num, 3):
            raise UserValueError(
                f'evidence keypoints have shape {kps.shape}; the model reads '
                f'{num} {convention!r} keypoints per person: expected '
                f'({len(boxes)}, {num}, 3) (x, y pixels, confidence)')
        return kps, ['given'] * len(boxes)
    det = _detector(model, 'keypoints', detector, KEYPOINT_DETECTORS,
                    model.inference.detector or DEFAULT_KEYPOINT_DETECTOR)
    kps = np.zeros((len(boxes), num, 3), np.float32)
    sources = []
    for i, box in enumerate(boxes):
        found = detect_in_growing_box(det, rgb, box, KEYPOINT_BOX_SCALES)
        if found is None:
            sources.append('none')
            continue
        points = found['keypoints'].copy()
        points[points[:, 2] < MIN_CONFIDENCE, 2] = 0.
        kps[i] = points
        sources.append('detector')
    return kps, sources
