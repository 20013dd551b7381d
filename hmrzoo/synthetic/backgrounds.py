"""Backgrounds for synthetic RGB from a folder of the user's images (e.g.
LSUN / COCO images without people, as synthetic-data papers use)."""
import os
import os.path as osp
from functools import lru_cache
from typing import List, Sequence

import cv2
import numpy as np
import torch
from torch import Tensor

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')


@lru_cache(maxsize=8)
def list_images(folder: str) -> List[str]:
    """Sorted image paths under ``folder`` (recursive)."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'background folder not found: {folder}')
    paths = sorted(
        osp.join(root, name) for root, _, names in os.walk(folder)
        for name in names if name.lower().endswith(IMAGE_SUFFIXES))
    if not paths:
        raise FileNotFoundError(f'no image ({", ".join(IMAGE_SUFFIXES)}) '
                                f'under background folder {folder}')
    return paths


def background_crops(folder: str, seeds: Sequence[int], size: Sequence[int]
                     ) -> Tensor:
    """One random crop per seed from the folder's images, resized.

    Image ``seed % N`` is chosen, a square crop of a random side (between
    half and all of the shorter image side) at a random place, resized to
    ``size`` (H, W).  Deterministic in the seed.

    Returns:
        (B, H, W, 3) float RGB in [0, 1].
    """
    paths = list_images(folder)
    height, width = size
    out = []
    for seed in seeds:
        rng = np.random.default_rng(int(seed))
        path = paths[int(seed) % len(paths)]
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise OSError(f'cannot read background image {path}')
        h, w = img.shape[:2]
        side = int(rng.uniform(0.5, 1.0) * min(h, w))
        y0 = int(rng.integers(0, h - side + 1))
        x0 = int(rng.integers(0, w - side + 1))
        crop = cv2.resize(img[y0:y0 + side, x0:x0 + side], (width, height),
                          interpolation=cv2.INTER_AREA)
        out.append(torch.from_numpy(crop[..., ::-1].copy()))
    return torch.stack(out).float() / 255
