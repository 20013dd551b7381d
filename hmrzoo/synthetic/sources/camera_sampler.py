"""Camera sources: a fixed-focal perspective camera with identity rotation
and a sampled translation (the setting of CRA §3.2).

CRA takes its synthetic distribution from STRAPS (its reference [43]),
whose code samples the translation as ``(0, 0.2, 42) m + (N(0, 0.05^2),
N(0, 0.05^2), U(-5, 5))`` with a 5000-pixel focal on 256-pixel images:
``depth_range=(37, 47), mean_xy=(0, 0.2), xy_std=0.05`` here.
"""
from typing import Dict, Sequence

import numpy as np


class PerspectiveCameraSampler:
    """Sample the body's translation in an OpenCV camera (x right, y down,
    z forward), metres.

    ``tz ~ U(depth_range)`` (or log-uniform: as many samples in 1.3-2.6 m
    as in 6.5-13 m); ``tx, ty ~ mean_xy + U(-xy_range, xy_range) * tz``
    (the body stays roughly centred whatever its depth) ``+ N(0,
    xy_std^2)`` metres.

    Args:
        focal_length (float): pixels, fixed.
        img_size (int): side of the square image the focal refers to.
        depth_range (tuple): metres.
        xy_range (float): lateral offset as a fraction of the depth.
        log_depth (bool): draw the depth log-uniformly.
        mean_xy (tuple): mean lateral translation, metres.
        xy_std (float): std of a normal lateral offset, metres.
    """

    def __init__(self, focal_length: float = 5000., img_size: int = 256,
                 depth_range: Sequence[float] = (25., 45.),
                 xy_range: float = 0.01, log_depth: bool = False,
                 mean_xy: Sequence[float] = (0., 0.), xy_std: float = 0.):
        self.focal_length = float(focal_length)
        self.img_size = int(img_size)
        self.depth_range = tuple(depth_range)
        self.xy_range = float(xy_range)
        self.log_depth = bool(log_depth)
        self.mean_xy = np.asarray(mean_xy, np.float64).reshape(2)
        self.xy_std = float(xy_std)

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        if self.log_depth:
            tz = float(np.exp(rng.uniform(*np.log(self.depth_range))))
        else:
            tz = rng.uniform(*self.depth_range)
        txy = self.mean_xy + rng.uniform(-self.xy_range, self.xy_range,
                                         size=2) * tz
        if self.xy_std:
            txy = txy + rng.standard_normal(2) * self.xy_std
        return dict(transl=np.array([txy[0], txy[1], tz]),
                    focal_length=np.float64(self.focal_length))
