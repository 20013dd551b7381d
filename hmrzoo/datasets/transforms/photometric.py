"""Colour augmentations of the (cropped) image.

Images are BGR with values in [0, 255], uint8 or float; the output has the
input's dtype (uint8 results are rounded and saturated).  Stacked crops
(M, H, W, C) get the same random factors (they show one photograph).
"""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .randomness import RandomSource, generator, resolve_rng

#: ITU-R BT.601 luma weights in B, G, R order (OpenCV's BGR2GRAY and
#: torchvision's rgb_to_grayscale use these).
GRAY_WEIGHTS_BGR = (0.114, 0.587, 0.299)


def _to_work(img) -> np.ndarray:
    return np.asarray(img, np.float32)


def _from_work(work: np.ndarray, like: np.ndarray) -> np.ndarray:
    work = np.clip(work, 0., 255.)
    if like.dtype == np.uint8:
        return np.rint(work).astype(np.uint8)
    return work.astype(like.dtype)


def _get_img(results: dict, name: str) -> np.ndarray:
    if results.get('img') is None:
        raise KeyError(f'{name} needs img (sample '
                       f"{results.get('sample_id')}); run LoadImage first")
    return np.asarray(results['img'])


def grayscale(img: np.ndarray) -> np.ndarray:
    """(..., 3) BGR -> (...,) luma (BT.601), float32."""
    return np.asarray(img, np.float32) @ np.asarray(GRAY_WEIGHTS_BGR,
                                                    np.float32)


@TRANSFORMS.register_module()
class RandomChannelNoise(BaseTransform):
    """SPIN's per-channel pixel noise: every channel is multiplied by its
    own factor drawn uniformly from ``[1 - noise_factor, 1 + noise_factor]``
    and the result clipped to [0, 255].

    Provenance (public code read): SPIN's ``BaseDataset.augm_params`` draws
    ``pn = np.random.uniform(1 - noise_factor, 1 + noise_factor, 3)`` with
    ``noise_factor = 0.4`` and ``rgb_processing`` multiplies channel c by
    ``pn[c]`` and clips to [0, 255]; mmhuman3d's ``RandomChannelNoise`` is
    the same.  The three factors are i.i.d., so applying them to B, G, R
    rather than R, G, B draws from the same distribution.

    Modified key: ``img``; sets ``channel_noise`` (3,) (the factors, in the
    image's channel order).

    Args:
        noise_factor (float): in [0, 1]. Defaults to 0.4.
        rng: randomness source, see :mod:`.randomness`.
    """

    def __init__(self, noise_factor: float = 0.4, rng: RandomSource = None):
        if not 0 <= noise_factor <= 1:
            raise ValueError(f'noise_factor must be in [0, 1], got '
                             f'{noise_factor}')
        self.noise_factor = float(noise_factor)
        self.rng = resolve_rng(rng)

    def transform(self, results: dict) -> dict:
        img = _get_img(results, type(self).__name__)
        f = self.noise_factor
        pn = np.asarray(generator(self.rng).uniform(1 - f, 1 + f, 3),
                        np.float32)
        results['img'] = _from_work(_to_work(img) * pn, img)
        results['channel_noise'] = pn
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(noise_factor={self.noise_factor})'


@TRANSFORMS.register_module()
class ColorJitter(BaseTransform):
    """Random brightness, contrast, saturation and hue (torchvision's
    definitions, applied in this fixed order, clipping to [0, 255] after
    each step):

    * brightness ``b ~ U[max(0, 1 - brightness), 1 + brightness]``:
      ``img * b``;
    * contrast ``c`` (same range rule): ``c img + (1 - c) mean(gray)``, the
      mean luma of each image;
    * saturation ``s`` (same range rule): ``s img + (1 - s) gray``, per
      pixel;
    * hue ``h ~ U[-hue, hue]`` (fraction of a full turn, ``hue <= 0.5``):
      the HSV hue is turned by ``360 h`` degrees.

    A grey image is unchanged by contrast, saturation and hue.  Sets
    ``color_jitter`` (4,): the drawn ``(b, c, s, h)``.

    Args:
        brightness, contrast, saturation (float): >= 0. Default 0.
        hue (float): in [0, 0.5]. Default 0.
        rng: randomness source, see :mod:`.randomness`.
    """

    def __init__(self, brightness: float = 0., contrast: float = 0.,
                 saturation: float = 0., hue: float = 0.,
                 rng: RandomSource = None):
        if min(brightness, contrast, saturation) < 0 or not 0 <= hue <= 0.5:
            raise ValueError('brightness, contrast, saturation must be >= 0 '
                             f'and hue in [0, 0.5], got {brightness}, '
                             f'{contrast}, {saturation}, {hue}')
        self.brightness = float(brightness)
        self.contrast = float(contrast)
        self.saturation = float(saturation)
        self.hue = float(hue)
        self.rng = resolve_rng(rng)

    def sample(self) -> np.ndarray:
        """Draw ``(b, c, s, h)``."""
        rng = generator(self.rng)
        factors = [rng.uniform(max(0., 1 - v), 1 + v)
                   for v in (self.brightness, self.contrast, self.saturation)]
        return np.array(factors + [rng.uniform(-self.hue, self.hue)])

    @staticmethod
    def apply(img: np.ndarray, factors) -> np.ndarray:
        """Apply given ``(b, c, s, h)`` to a BGR image (..., H, W, 3)."""
        b, c, s, h = (float(v) for v in factors)
        work = np.clip(_to_work(img) * b, 0, 255)
        mean = grayscale(work).mean(axis=(-2, -1))[..., None, None, None]
        work = np.clip(c * work + (1 - c) * mean, 0, 255)
        work = np.clip(s * work + (1 - s) * grayscale(work)[..., None], 0,
                       255)
        if h != 0:
            flat = np.ascontiguousarray(work.reshape(-1, 1, 3) / 255.)
            hsv = cv2.cvtColor(flat, cv2.COLOR_BGR2HSV)  # H in [0, 360)
            hsv[..., 0] = np.mod(hsv[..., 0] + 360. * h, 360.)
            work = (cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR) * 255.).reshape(
                work.shape)
        return _from_work(work, np.asarray(img))

    def transform(self, results: dict) -> dict:
        img = _get_img(results, type(self).__name__)
        factors = self.sample()
        results['img'] = self.apply(img, factors)
        results['color_jitter'] = factors.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(brightness={self.brightness}, '
                f'contrast={self.contrast}, saturation={self.saturation}, '
                f'hue={self.hue})')
