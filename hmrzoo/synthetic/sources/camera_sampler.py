"""Camera sources: a fixed-focal perspective camera with identity rotation
and a sampled translation (the setting of CRA §3.2)."""
from typing import Dict, Sequence

import numpy as np


class PerspectiveCameraSampler:
    """Sample the body's translation in an OpenCV camera (x right, y down,
    z forward), metres.

    ``tz ~ U(depth_range)`` (or log-uniform: as many samples in 1.3-2.6 m
    as in 6.5-13 m); ``tx, ty ~ U(-xy_range, xy_range) * tz`` so the body
    stays roughly centred whatever its depth.

    Args:
        focal_length (float): pixels, fixed.
        img_size (int): side of the square image the focal refers to.
        depth_range (tuple): metres.
        xy_range (float): lateral offset as a fraction of the depth.
        log_depth (bool): draw the depth log-uniformly.
    """

    def __init__(self, focal_length: float = 5000., img_size: int = 256,
                 depth_range: Sequence[float] = (25., 45.),
                 xy_range: float = 0.01, log_depth: bool = False):
        self.focal_length = float(focal_length)
        self.img_size = int(img_size)
        self.depth_range = tuple(depth_range)
        self.xy_range = float(xy_range)
        self.log_depth = bool(log_depth)

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        if self.log_depth:
            tz = float(np.exp(rng.uniform(*np.log(self.depth_range))))
        else:
            tz = rng.uniform(*self.depth_range)
        txy = rng.uniform(-self.xy_range, self.xy_range, size=2) * tz
        return dict(transl=np.array([txy[0], txy[1], tz]),
                    focal_length=np.float64(self.focal_length))
