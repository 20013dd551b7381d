"""Reading the image of a sample."""
import os.path as osp

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Read ``img_path`` with OpenCV.

    Sets ``img`` (H, W, 3) BGR (uint8, or float32 in [0, 255] with
    ``to_float32``), ``img_shape`` and ``ori_shape`` = ``(H, W)``.

    Args:
        to_float32 (bool): convert the image to float32. Defaults to False.

    Raises:
        KeyError: the results have no ``img_path``.
        FileNotFoundError: the file is missing or cannot be decoded as an
            image; the message names the path and the ``sample_id``.
    """

    def __init__(self, to_float32: bool = False):
        self.to_float32 = to_float32

    def transform(self, results: dict) -> dict:
        sample = results.get('sample_id', results.get('sample_idx'))
        try:
            path = results['img_path']
        except KeyError:
            raise KeyError(f'LoadImage needs img_path (sample {sample}); keys '
                           f'present: {sorted(results)}') from None
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'image not found: {path} (sample {sample}); check the '
                "dataset's image root and that the images were extracted "
                '(docs/data_preparation.md)')
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(
                f'image could not be read: {path} (sample {sample}); the file '
                'exists but OpenCV cannot decode it (truncated or not an '
                'image): download or extract it again')
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(to_float32={self.to_float32})'
