"""Reading the image of a sample."""
import os.path as osp

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS


def jpeg_is_truncated(path: str) -> bool:
    """True for a JPEG without its end-of-image marker (FF D9) in its last
    kilobyte: a cut-off download or extraction.  OpenCV decodes such a file
    without an error, filling the missing part with grey, and libjpeg's
    warning names no file."""
    if not path.lower().endswith(('.jpg', '.jpeg')):
        return False
    with open(path, 'rb') as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 1024))
        return b'\xff\xd9' not in f.read()


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Read ``img_path`` with OpenCV.

    Sets ``img`` (H, W, 3) BGR (uint8, or float32 in [0, 255] with
    ``to_float32``), ``img_shape`` and ``ori_shape`` = ``(H, W)``.

    Args:
        to_float32 (bool): convert the image to float32. Defaults to False.

    Raises:
        KeyError: the results have no ``img_path``.
        FileNotFoundError: the file is missing, cannot be decoded as an
            image, or is a truncated JPEG (refused rather than read as a
            half-grey image: training on it would be silently wrong, and a
            run stopped here resumes once the file is extracted again); the
            message names the path and the ``sample_id``.
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
        if jpeg_is_truncated(path):
            raise FileNotFoundError(
                f'image is truncated: {path} (sample {sample}); the JPEG has '
                'no end-of-image marker (a cut-off download or extraction): '
                'extract or download it again')
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(to_float32={self.to_float32})'


def evidence_path(results: dict, key: str, owner: str):
    """``(results[key], sample id)``; KeyError naming ``owner``, the key
    and the sample when the annotation file has no such key."""
    sample = results.get('sample_id', results.get('sample_idx'))
    path = results.get(key)
    if path is None:
        raise KeyError(f'{owner} needs {key} (sample {sample}): the '
                       f"annotation file has no '{key}' key")
    return path, sample


@TRANSFORMS.register_module()
class LoadIUV(BaseTransform):
    """Read ``iuv_path``: a dense-correspondence image of the whole frame.

    The file is an IUV image as DensePose's inference writes it
    (``*_IUV.png``, 8-bit, 3 channels): in the order OpenCV reads them,
    channel 0 is the part index I (0 = background, 1..24), channels 1 and 2
    are U and V scaled to 0..255.  Sets ``iuv`` (H, W, 3) uint8 in that
    order; ``AffineCrop`` cuts it with the image (nearest neighbour) and
    ``PackHMRInputs`` turns it into the compact map ``input_iuv``
    ``[I / 24, U, V]``.

    Raises:
        FileNotFoundError: a missing or undecodable file (path and sample).
        ValueError: not 3 channels, a part index above 24, or a size that
            differs from the loaded image's.
    """

    def transform(self, results: dict) -> dict:
        path, sample = evidence_path(results, 'iuv_path', 'LoadIUV')
        iuv = cv2.imread(path, cv2.IMREAD_UNCHANGED) if osp.isfile(path) \
            else None
        if iuv is None:
            raise FileNotFoundError(f'IUV image not found or unreadable: '
                                    f'{path} (sample {sample})')
        if iuv.ndim != 3 or iuv.shape[2] != 3 or iuv.dtype != np.uint8:
            raise ValueError(f'{path}: an IUV image has 3 8-bit channels '
                             f'(I, U, V), got shape {iuv.shape} {iuv.dtype}')
        if iuv[..., 0].max() > 24:
            raise ValueError(f'{path}: part index up to {iuv[..., 0].max()}'
                             ' in channel 0; DensePose has 24 parts')
        shape = results.get('ori_shape')
        if shape is not None and tuple(iuv.shape[:2]) != tuple(shape[:2]):
            raise ValueError(f'{path}: IUV image {iuv.shape[:2]} is not the '
                             f'size of its image {tuple(shape[:2])}')
        results['iuv'] = iuv
        return results


@TRANSFORMS.register_module()
class LoadDepth(BaseTransform):
    """Read ``depth_path``: a depth estimator's output for the whole image.

    The format (docs/data_preparation.md, "Depth maps"): one file per
    image, aligned with it pixel for pixel (same height and width), larger
    = farther, any unit (metres or a relative scale: hmrzoo compares depth
    up to an offset), 0 = no value (background or invalid);

    * ``.npy``: a 2-D float array (float16 / float32 / float64), read with
      ``allow_pickle=False``;
    * ``.png``: a 16-bit single-channel image holding ``depth x
      png_scale`` (``png_scale`` 1000: millimetres).

    Sets ``depth`` (H, W) float32; :class:`AffineCrop` cuts it with the
    image (nearest neighbour), :func:`flip_results` mirrors it and
    :class:`PackHMRInputs` packs it as ``input_depth`` (1, H, W).

    Args:
        png_scale (float): stored value per depth unit in PNG files.

    Raises:
        FileNotFoundError: a missing or undecodable file (path and sample).
        ValueError: not 2-D, negative or non-finite values, or a size that
            differs from the loaded image's.
    """

    def __init__(self, png_scale: float = 1000.):
        self.png_scale = float(png_scale)

    def _read(self, path: str, sample):
        if not osp.isfile(path):
            raise FileNotFoundError(f'depth map not found: {path} (sample '
                                    f'{sample})')
        if path.endswith('.npy'):
            try:
                return np.load(path, allow_pickle=False)
            except ValueError as exc:
                raise FileNotFoundError(
                    f'depth map {path} (sample {sample}) cannot be read as '
                    f'a plain .npy array: {exc}') from None
        depth = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        if depth is None:
            raise FileNotFoundError(f'depth map unreadable: {path} (sample '
                                    f'{sample}); .npy or 16-bit .png')
        if depth.dtype != np.uint16:
            raise ValueError(f'{path}: a PNG depth map is 16-bit (depth x '
                             f'{self.png_scale:g}), got {depth.dtype}')
        return depth.astype(np.float32) / self.png_scale

    def transform(self, results: dict) -> dict:
        path, sample = evidence_path(results, 'depth_path', 'LoadDepth')
        depth = np.asarray(self._read(path, sample))
        if depth.ndim != 2 or depth.dtype.kind != 'f' and \
                depth.dtype != np.uint16:
            raise ValueError(f'{path}: a depth map is a 2-D float array, got '
                             f'shape {depth.shape} {depth.dtype}')
        depth = depth.astype(np.float32)
        if not np.isfinite(depth).all() or (depth < 0).any():
            raise ValueError(f'{path}: depth maps hold finite values >= 0 '
                             '(0 = no value); found NaN, inf or negative '
                             'values: replace them by 0')
        shape = results.get('ori_shape')
        if shape is not None and tuple(depth.shape) != tuple(shape[:2]):
            raise ValueError(f'{path}: depth map {depth.shape} is not the '
                             f'size of its image {tuple(shape[:2])}')
        results['depth'] = depth
        return results
