"""Horizontal mirroring of a full image and of everything tied to it."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from ...conventions import get_flip_indices
from ...registry import TRANSFORMS
from .keypoint_keys import KEYPOINTS2D_KEYS
from .randomness import RandomSource, generator, resolve_rng
from .smpl_flip import flip_smpl_pose


def _image_width(results: dict) -> int:
    if results.get('img') is not None:
        return int(np.asarray(results['img']).shape[1])
    if results.get('img_shape') is not None:
        return int(results['img_shape'][1])
    raise KeyError('flipping needs the image width: give img or img_shape '
                   f"(sample {results.get('sample_id')}); run LoadImage "
                   'first')


def _keypoint_perm(results: dict, num: int, key: str) -> list:
    convention = results.get('keypoint_convention')
    if convention is None:
        raise KeyError(f'flipping {key} needs keypoint_convention (sample '
                       f"{results.get('sample_id')})")
    perm = get_flip_indices(convention)
    if len(perm) != num:
        raise ValueError(f'{key} of sample {results.get("sample_id")} has '
                         f'{num} joints but keypoint_convention '
                         f'{convention!r} has {len(perm)}')
    return perm


def _as_float(x) -> np.ndarray:
    x = np.array(x)  # a copy: inputs are never modified in place
    return x if x.dtype.kind == 'f' else x.astype(np.float32)


def flip_results(results: dict, width: Optional[int] = None) -> dict:
    """Mirror a sample horizontally, in the full image (before cropping).

    With ``W`` the image width and the pixel convention of
    :mod:`.geometry` (mirroring maps ``x`` to ``W - 1 - x``):

    * ``img`` and ``depth`` (a depth map, :class:`~.loading.LoadDepth`):
      columns reversed;
    * ``bbox_center``: ``x -> W - 1 - x``; ``bbox_rotation``: negated (a
      mirrored rotation turns the other way; 0 stays 0);
    * ``keypoints2d`` (..., K, 3), and every other 2D set of
      :data:`.keypoint_keys.KEYPOINTS2D_KEYS` (``keypoints2d_detected``):
      ``x -> W - 1 - x``, then joints permuted with
      ``get_flip_indices(keypoint_convention)`` (confidence travels with
      its joint);
    * ``keypoints3d`` (..., K, 4): camera ``x -> -x``, same permutation;
    * ``principal_point`` (when known): ``cx -> W - 1 - cx``.  Mirroring the
      camera frame negates x, so a point projects to ``fx (-X) / Z + cx'``,
      which must equal the mirrored pixel ``W - 1 - (fx X / Z + cx)``: hence
      ``cx' = W - 1 - cx`` (the focal length is unchanged);
    * ``smpl_pose`` (72,): :func:`.smpl_flip.flip_smpl_pose`;
    * ``smpl_transl`` (3,): x negated.  The mirrored pose and translation
      give the mirrored mesh when the body model's rest root joint lies on
      the plane x = 0 (a mirror-symmetric model); otherwise the mesh is off
      by twice that joint's x;
    * ``flip``: toggled (False -> True; flipping twice restores every
      field).

    Absent keys and ``None`` values are left alone.

    Args:
        results: the sample; its arrays are replaced, never modified in
            place.
        width: image width W; default from ``img`` or ``img_shape``.

    Returns:
        dict: ``results``.

    Raises:
        ValueError: the sample is already cropped (has ``crop_trans``), or
            the keypoint count does not match ``keypoint_convention``.
        KeyError: no image width, or keypoints without a convention.
    """
    if results.get('crop_trans') is not None:
        raise ValueError('flipping acts on the full image, but sample '
                         f"{results.get('sample_id')} is already cropped "
                         '(it has crop_trans): place RandomFlip before '
                         'AffineCrop in the pipeline')
    w = _image_width(results) if width is None else int(width)
    for key in ('img', 'depth'):
        if results.get(key) is not None:
            results[key] = np.ascontiguousarray(
                np.asarray(results[key])[:, ::-1])
    if results.get('bbox_center') is not None:
        center = _as_float(results['bbox_center'])
        center[..., 0] = w - 1 - center[..., 0]
        results['bbox_center'] = center
    if results.get('bbox_rotation') is not None:
        results['bbox_rotation'] = -float(results['bbox_rotation']) + 0.
    mirrors = [(key, lambda x: w - 1 - x) for key in KEYPOINTS2D_KEYS]
    for key, mirror_x in mirrors + [('keypoints3d', lambda x: -x)]:
        if results.get(key) is None:
            continue
        kps = _as_float(results[key])
        kps = kps[..., _keypoint_perm(results, kps.shape[-2], key), :]
        kps[..., 0] = mirror_x(kps[..., 0])
        results[key] = kps
    if results.get('principal_point') is not None:
        pp = _as_float(results['principal_point'])
        pp[..., 0] = w - 1 - pp[..., 0]
        results['principal_point'] = pp
    if results.get('smpl_pose') is not None:
        results['smpl_pose'] = flip_smpl_pose(_as_float(results['smpl_pose']))
    if results.get('smpl_transl') is not None:
        transl = _as_float(results['smpl_transl'])
        transl[..., 0] = -transl[..., 0]
        results['smpl_transl'] = transl
    results['flip'] = not bool(results.get('flip', False))
    return results


@TRANSFORMS.register_module()
class RandomFlip(BaseTransform):
    """Mirror the sample horizontally with probability ``prob``
    (:func:`flip_results`; place it before :class:`AffineCrop`).

    Args:
        prob (float): flip probability. Defaults to 0.5.
        rng: randomness source, see :mod:`.randomness`.
    """

    def __init__(self, prob: float = 0.5, rng: RandomSource = None):
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = float(prob)
        self.rng = resolve_rng(rng)

    def transform(self, results: dict) -> dict:
        if results.get('iuv') is not None:
            raise ValueError('RandomFlip cannot mirror an IUV map (it needs '
                             "DensePose's symmetry tables): leave it out of "
                             'pipelines that run LoadIUV')
        if generator(self.rng).random() < self.prob:
            flip_results(results)
        else:
            results['flip'] = bool(results.get('flip', False))
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(prob={self.prob})'
