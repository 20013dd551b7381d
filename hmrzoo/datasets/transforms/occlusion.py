"""Synthetic occlusion of the crop by random rectangles (no external
occluder dataset)."""
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .randomness import RandomSource, generator, randint, resolve_rng

FILLS = ('noise', 'patch', 'random')


@TRANSFORMS.register_module()
class SyntheticOcclusion(BaseTransform):
    """Paste random rectangles over the crop.

    With probability ``prob`` an image receives ``num_rects`` rectangles.
    Each side of a rectangle is a fraction of the crop's side drawn
    uniformly from ``size_range`` (``w = round(f W)``, at least 1 pixel);
    its position is uniform among those that keep it inside the crop.  Its
    texture is

    * ``'noise'``: uniform random colour noise per pixel and channel in
      [0, 255];
    * ``'patch'``: a patch of the same size cut from a uniformly random
      place of the same crop (as it was before any rectangle was pasted);
    * ``'random'``: one of the two, with equal probability, per rectangle.

    Stacked crops (M, H, W, C) are occluded independently.  Nothing else
    changes (keypoint confidences are kept: the joints are still there,
    only hidden).

    Sets ``occlusion_boxes`` (..., num_rects, 4) int32 ``[x0, y0, x1, y1)``
    (crop pixels, end exclusive; zeros where nothing was pasted) and
    ``occluded`` (...) bool, with ``...`` the stack dimensions of ``img``
    (none for one crop).

    Args:
        prob (float): probability per image. Defaults to 0.5.
        size_range (tuple[float, float]): side fractions, in (0, 1].
            Defaults to (0.1, 0.5).
        num_rects (int): rectangles per occluded image. Defaults to 1.
        fill (str): ``'noise'``, ``'patch'`` or ``'random'`` (default).
        rng: randomness source, see :mod:`.randomness`.
    """

    def __init__(self, prob: float = 0.5,
                 size_range: Sequence[float] = (0.1, 0.5),
                 num_rects: int = 1, fill: str = 'random',
                 rng: RandomSource = None):
        lo, hi = (float(v) for v in size_range)
        if not 0 < lo <= hi <= 1:
            raise ValueError(f'size_range must satisfy 0 < lo <= hi <= 1, '
                             f'got {tuple(size_range)}')
        if not 0 <= prob <= 1 or int(num_rects) < 1:
            raise ValueError(f'need prob in [0, 1] and num_rects >= 1, got '
                             f'{prob}, {num_rects}')
        if fill not in FILLS:
            raise ValueError(f'fill must be one of {FILLS}, got {fill!r}')
        self.prob = float(prob)
        self.size_range = (lo, hi)
        self.num_rects = int(num_rects)
        self.fill = fill
        self.rng = resolve_rng(rng)

    def _rect(self, rng, height: int, width: int) -> np.ndarray:
        lo, hi = self.size_range
        w = max(1, min(width, int(round(rng.uniform(lo, hi) * width))))
        h = max(1, min(height, int(round(rng.uniform(lo, hi) * height))))
        x0, y0 = randint(rng, 0, width - w), randint(rng, 0, height - h)
        return np.array([x0, y0, x0 + w, y0 + h], np.int32)

    def _occlude(self, img: np.ndarray, rng):
        """Occlude one (H, W, C) image; returns (image, boxes, occluded)."""
        boxes = np.zeros((self.num_rects, 4), np.int32)
        if not rng.random() < self.prob:
            return img, boxes, False
        height, width = img.shape[:2]
        source, out = img, img.copy()
        for k in range(self.num_rects):
            x0, y0, x1, y1 = boxes[k] = self._rect(rng, height, width)
            fill = self.fill
            if fill == 'random':
                fill = 'noise' if rng.random() < 0.5 else 'patch'
            if fill == 'noise':
                shape = (y1 - y0, x1 - x0) + img.shape[2:]
                noise = rng.uniform(0., 256., shape)
                patch = np.minimum(np.floor(noise), 255.) \
                    if img.dtype.kind in 'ui' else noise
            else:
                sx = randint(rng, 0, width - (x1 - x0))
                sy = randint(rng, 0, height - (y1 - y0))
                patch = source[sy:sy + y1 - y0, sx:sx + x1 - x0]
            out[y0:y1, x0:x1] = patch.astype(img.dtype)
        return out, boxes, True

    def transform(self, results: dict) -> dict:
        if results.get('img') is None:
            raise KeyError('SyntheticOcclusion needs img (sample '
                           f"{results.get('sample_id')})")
        img = np.asarray(results['img'])
        rng = generator(self.rng)
        stack = img.shape[:-3] if img.ndim >= 4 else ()
        flat = img.reshape((-1, ) + img.shape[-3:]) if stack else img[None]
        outs = [self._occlude(one, rng) for one in flat]
        results['img'] = np.stack([o[0] for o in outs]).reshape(img.shape)
        results['occlusion_boxes'] = np.stack([o[1] for o in outs]).reshape(
            stack + (self.num_rects, 4))
        results['occluded'] = np.array([o[2] for o in outs]).reshape(stack)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, size_range='
                f'{self.size_range}, num_rects={self.num_rects}, '
                f'fill={self.fill!r})')
