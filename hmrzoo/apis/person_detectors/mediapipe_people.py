"""Several people with MediaPipe Pose, which finds one person per call.

MediaPipe's person detector sees the image squeezed to 224 x 224 and keeps
its best detection, so a wide photograph of several people needs help:

1. **tiles**: square windows (side = the image's shorter side, then half
   of it), overlapping by half, each searched on its own, so a person
   fills a good part of some window;
2. **hiding**: in each window, after a person is found, their box
   (enlarged by ``hide_scale``) is filled with the window's mean colour
   and the window is searched again, until no one new appears or
   ``max_per_tile`` people were found;
3. **merging**: boxes of the same person from several windows are merged
   by non-maximum suppression (IoU above ``nms_iou``, or 60 % of one box
   inside a larger one), keeping the larger box;
4. **verifying**: each merged box is searched again in its own window of
   the whole image (1.5x the box, then 2x) and kept only when the person is
   found there again (IoU >= 0.5), which removes a window's spurious finds
   (measured on a real street photograph: a building corner found in one
   window, never again).

Everything runs offline on the models bundled in the mediapipe wheel.
(OpenCV's classical HOG people detector is not an alternative: the pinned
OpenCV 5.0 no longer ships ``HOGDescriptor`` nor the Haar cascades.)
"""
from typing import List, Tuple

import numpy as np

from ...registry import KEYPOINT_DETECTORS, PERSON_DETECTORS
from ..keypoint_detectors.in_box import crop_window, detect_in_growing_box
from .base import BasePersonDetector, box_iou, left_to_right

#: windows (x the box) a candidate is searched again in
VERIFY_SCALES = (1.5, 2.0)


def tiles(width: int, height: int, levels: int = 2) -> List[tuple]:
    """Square windows ``(x0, y0, x1, y1)``: the whole image, then at each
    level windows of side ``min(W, H) / 2^level`` overlapping by half."""
    out = [(0, 0, width, height)]
    for level in range(levels):
        side = max(int(min(width, height) / 2 ** level), 32)
        step = max(side // 2, 1)
        for y0 in range(0, max(height - side, 0) + 1, step):
            for x0 in range(0, max(width - side, 0) + 1, step):
                window = (x0, y0, min(x0 + side, width),
                          min(y0 + side, height))
                if window not in out:
                    out.append(window)
    return out


def merge_boxes(boxes: np.ndarray, scores: np.ndarray, iou: float,
                inside: float = 0.6) -> Tuple[np.ndarray, np.ndarray]:
    """Non-maximum suppression keeping the larger box of a pair whose IoU
    exceeds ``iou`` or where ``inside`` of the smaller lies in the
    larger."""
    boxes = np.asarray(boxes, np.float64).reshape(-1, 4)
    area = np.prod(np.clip(boxes[:, 2:] - boxes[:, :2], 0, None), axis=1)
    order = np.argsort(-area, kind='stable')
    keep: List[int] = []
    for i in order:
        clash = False
        for j in keep:
            lo = np.maximum(boxes[i, :2], boxes[j, :2])
            hi = np.minimum(boxes[i, 2:], boxes[j, 2:])
            inter = np.prod(np.clip(hi - lo, 0, None))
            if box_iou(boxes[i], boxes[j])[0, 0] > iou or \
                    inter > inside * max(area[i], 1e-9):
                clash = True
                break
        if not clash:
            keep.append(i)
    keep = sorted(keep)
    return boxes[keep].astype(np.float32), np.asarray(scores)[keep]


@PERSON_DETECTORS.register_module()
class MediaPipePersonDetector(BasePersonDetector):
    """Every person of a photograph (module docstring).

    Args:
        max_per_tile (int): people searched per window (one call each).
        levels (int): tile levels (0: the whole image only).
        min_detection_confidence (float): mediapipe's person threshold.
        min_keypoint_confidence (float): landmarks that span a box.
        hide_scale (float): enlargement of a found box before hiding it.
        min_size (float): boxes whose longer side is under this many
            pixels are dropped (a hidden person's remains; mediapipe does
            not find people that small).
        nms_iou (float): boxes overlapping more are one person.
        min_keypoints (int): a detection needs this many of its COCO-17
            keypoints at ``min_keypoint_confidence`` (fewer: a spurious
            find, e.g. in a hidden person's remains).
        verify (bool): keep only the people found again in their own
            window (step 4 of the module docstring).
    """

    def __init__(self, max_per_tile: int = 4, levels: int = 2,
                 min_detection_confidence: float = 0.5,
                 min_keypoint_confidence: float = 0.5,
                 hide_scale: float = 1.15, min_size: float = 32.,
                 nms_iou: float = 0.4, min_keypoints: int = 6,
                 verify: bool = True):
        self.min_keypoints, self.verify = int(min_keypoints), bool(verify)
        self.min_keypoint_confidence = float(min_keypoint_confidence)
        self.max_per_tile, self.levels = int(max_per_tile), int(levels)
        self.hide_scale, self.min_size = float(hide_scale), float(min_size)
        self.nms_iou = float(nms_iou)
        self._pose = KEYPOINT_DETECTORS.build(dict(
            type='MediaPipePoseDetector',
            min_detection_confidence=min_detection_confidence,
            min_keypoint_confidence=min_keypoint_confidence))

    def _search(self, window: np.ndarray):
        """People of one window, found one at a time and hidden."""
        work = np.array(window, np.uint8, copy=True)
        height, width = work.shape[:2]
        fill = work.reshape(-1, 3).mean(0).astype(np.uint8)
        boxes, scores = [], []
        for _ in range(self.max_per_tile):
            found = self._pose.detect(work)
            if found is None:
                break
            box = found['box']
            confident = int((found['keypoints'][:, 2]
                             >= self.min_keypoint_confidence).sum())
            if max(box[2] - box[0], box[3] - box[1]) < self.min_size or \
                    confident < self.min_keypoints or (
                    boxes and box_iou(box, np.stack(boxes)).max() > 0.5):
                break
            boxes.append(box)
            scores.append(float(found['keypoints'][:, 2].mean()))
            cut = crop_window(box, self.hide_scale, width, height)
            if cut is None:
                break
            x0, y0, x1, y1 = cut
            work[y0:y1, x0:x1] = fill
        return boxes, scores

    def detect(self, image: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        image = np.ascontiguousarray(image)
        height, width = image.shape[:2]
        boxes, scores = [], []
        for x0, y0, x1, y1 in tiles(width, height, self.levels):
            found, score = self._search(image[y0:y1, x0:x1])
            for box, sc in zip(found, score):
                box = box + np.array([x0, y0, x0, y0], np.float32)
                # a box cut by a window edge inside the image is part of
                # a person that another window holds whole
                cut = [box[0] <= x0 + 1 and x0 > 0,
                       box[1] <= y0 + 1 and y0 > 0,
                       box[2] >= x1 - 2 and x1 < width,
                       box[3] >= y1 - 2 and y1 < height]
                if not any(cut):
                    boxes.append(box)
                    scores.append(sc)
        if not boxes:
            return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)
        boxes, scores = merge_boxes(np.stack(boxes), np.asarray(scores),
                                    self.nms_iou)
        if self.verify:
            boxes, scores = self._verified(image, boxes, scores)
        return left_to_right(boxes, scores)

    def _verified(self, image: np.ndarray, boxes: np.ndarray,
                  scores: np.ndarray):
        """The candidates found again by a fresh search of their own
        window of the whole image (1.5x, then 2x the box): a window's
        spurious find rarely survives another framing.  The re-found box
        replaces the candidate."""
        kept, kept_scores = [], []
        for box, score in zip(boxes, scores):
            found = detect_in_growing_box(
                self._pose, image, box, VERIFY_SCALES,
                accept=lambda f: box_iou(f['box'], box)[0, 0] >= 0.5)
            if found is not None:
                kept.append(found['box'])
                kept_scores.append(score)
        if not kept:
            return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)
        # two candidates of one person may be found again as one box
        return merge_boxes(np.stack(kept), np.asarray(kept_scores,
                                                      np.float32),
                           self.nms_iou)

    def close(self) -> None:
        self._pose.close()
