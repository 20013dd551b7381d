"""People across the frames of a video: box tracks and temporal smoothing.

Tracking associates each frame's boxes with the live tracks by IoU
(optimal assignment, :func:`scipy.optimize.linear_sum_assignment`); a box
left over starts a track; a track unseen for ``max_age`` frames ends.

Smoothing is the One Euro filter (Casiez, Roussel, Vogel, "1 Euro
Filter: A Simple Speed-based Low-pass Filter for Noisy Input in
Interactive Systems", CHI 2012): an exponential low-pass whose cut-off
rises with the signal's speed, ``fc = min_cutoff + beta |dx/dt|``, so a
still pose is steadied and a fast motion is not delayed.  It is causal
(each frame is filtered when it arrives), so a video of any length is
processed without buffering it.  Rotations are filtered in the
continuous 6D representation and turned back into rotation matrices.
"""
import math
from typing import Dict, List, Optional

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..person_detectors import box_iou


class IoUTracker:
    """Box tracks by IoU.

    Args:
        min_iou (float): a box continues a track only above this IoU with
            the track's last box.
        max_age (int): frames a track survives without a box.
    """

    def __init__(self, min_iou: float = 0.3, max_age: int = 10):
        self.min_iou, self.max_age = float(min_iou), int(max_age)
        self.tracks: Dict[int, dict] = {}
        self._next = 0

    def update(self, boxes: np.ndarray, frame: int) -> List[int]:
        """The track id of each of ``boxes`` (N, 4) at ``frame``."""
        boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
        live = [t for t, v in self.tracks.items()
                if frame - v['frame'] <= self.max_age]
        ids = [-1] * len(boxes)
        if live and len(boxes):
            iou = box_iou(boxes, np.stack([self.tracks[t]['box']
                                           for t in live]))
            rows, cols = linear_sum_assignment(-iou)
            for r, c in zip(rows, cols):
                if iou[r, c] >= self.min_iou:
                    ids[r] = live[c]
        for i, box in enumerate(boxes):
            if ids[i] < 0:
                ids[i], self._next = self._next, self._next + 1
            self.tracks[ids[i]] = dict(box=box, frame=frame)
        return ids


class OneEuroFilter:
    """The One Euro filter on arrays (module docstring).

    Args:
        fps (float): frames per second of the signal.
        min_cutoff (float): cut-off frequency of a still signal, Hz
            (lower: smoother, more lag at rest).
        beta (float): speed coefficient (higher: less lag in fast motion).
        d_cutoff (float): cut-off of the speed estimate, Hz.
    """

    def __init__(self, fps: float, min_cutoff: float = 1.0,
                 beta: float = 0.5, d_cutoff: float = 1.0):
        self.dt = 1. / float(fps)
        self.min_cutoff, self.beta = float(min_cutoff), float(beta)
        self.d_cutoff = float(d_cutoff)
        self.x: Optional[np.ndarray] = None
        self.dx: Optional[np.ndarray] = None

    def __call__(self, x: np.ndarray, steps: int = 1) -> np.ndarray:
        """Filter the next sample (``steps`` frames after the last one)."""
        x = np.asarray(x, np.float64)
        if self.x is None:
            self.x, self.dx = x, np.zeros_like(x)
            return x.copy()
        dt = self.dt * max(int(steps), 1)
        dx = (x - self.x) / dt
        a_d = 1. / (1. + 1. / (2 * math.pi * self.d_cutoff * dt))
        self.dx = a_d * dx + (1 - a_d) * self.dx
        cutoff = self.min_cutoff + self.beta * np.abs(self.dx)
        a = 1. / (1. + 1. / (2 * math.pi * cutoff * dt))
        self.x = a * x + (1 - a) * self.x
        return self.x.copy()
