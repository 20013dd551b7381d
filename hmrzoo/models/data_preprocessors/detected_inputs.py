"""Input joints from a 2D keypoint detector run on rendered RGB crops: the
synthetic engine's stand-in for detections on photographs."""
from typing import Tuple

import numpy as np
import torch
from torch import Tensor

from ...conventions import get_keypoint_num
from ...datasets.transforms.geometry import crop_to_normalised


def crops_to_images(rgb: Tensor) -> np.ndarray:
    """(B, 3, H, W) RGB crops in [0, 1] -> (B, H, W, 3) uint8 RGB images
    (rounded, clipped), what an image detector takes."""
    images = (rgb.detach().permute(0, 2, 3, 1).clamp(0, 1) * 255).round()
    return images.to(torch.uint8).cpu().numpy()


def detect_crop_keypoints(detector, rgb: Tensor, min_confidence: float = 0.5
                          ) -> Tuple[Tensor, Tensor]:
    """Run ``detector`` on each RGB crop.

    Args:
        detector: a built keypoint detector
            (:mod:`hmrzoo.apis.keypoint_detectors`), whose convention is
            the one the caller wants.
        rgb: (B, 3, S, S) crops, values in [0, 1].
        min_confidence: keypoints whose confidence is below it are absent.

    Returns:
        ``keypoints`` (B, K, 2) in normalised crop coordinates (-1 and 1 at
        the crop's outer edges; 0 where absent) and ``keep`` (B, K) float,
        1 for present keypoints, 0 for absent ones and for every keypoint
        of a crop where the detector finds no person.
    """
    batch, _, height, width = rgb.shape
    images = crops_to_images(rgb)
    crop_wh = (width, height)
    num = get_keypoint_num(detector.convention)
    keypoints = np.zeros((batch, num, 2), np.float32)
    keep = np.zeros((batch, num), np.float32)
    for i, image in enumerate(images):
        found = detector(image)
        if found is None:
            continue
        kp = found['keypoints']
        present = kp[:, 2] >= min_confidence
        keypoints[i] = np.where(present[:, None],
                                crop_to_normalised(kp[:, :2], crop_wh), 0.)
        keep[i] = present
    return (torch.from_numpy(keypoints).to(rgb.device),
            torch.from_numpy(keep).to(rgb.device))
