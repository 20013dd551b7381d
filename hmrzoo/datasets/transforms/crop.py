"""Cutting the (rotated) person region, or Multi-RoI's M regions, out of
the full image with one affine warp each."""
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ...cameras.multiroi import ROI_OFFSETS, ROI_SCALES, roi_boxes
from ...registry import TRANSFORMS
from .geometry import (apply_affine, crop_transform, inplane_rotation,
                       invert_affine, rotate_axis_angle)
from .keypoint_keys import KEYPOINTS2D_KEYS

_INTERPOLATION = {'nearest': cv2.INTER_NEAREST, 'bilinear': cv2.INTER_LINEAR,
                  'bicubic': cv2.INTER_CUBIC, 'area': cv2.INTER_AREA}


def roi_regions(center: np.ndarray, size: np.ndarray, offsets: Sequence,
                scales: Sequence, num_rois: Optional[int] = None
                ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multi-RoI's M regions around one person region.

    The bbox size ``b`` of :func:`hmrzoo.cameras.roi_boxes` is the region's
    longer side (CLIFF's ``scale * 200``: the height of the region of its
    192 x 256 crops; the side of a square crop): RoI k >= 1 is moved by
    ``offsets[k-1] * b`` and its region ``(w, h)`` resized by
    ``scales[k-1]``.

    Args:
        center: (2,) region centre, image pixels.
        size: (2,) region ``(w, h)``, image pixels.
        offsets, scales: see :func:`hmrzoo.cameras.roi_boxes`.
        num_rois: M; default ``len(offsets) + 1``.

    Returns:
        tuple: centres (M, 2), region sizes (M, 2) and bbox sizes ``b_m``
        (M,), image pixels, float64.
    """
    size = np.asarray(size, np.float64).reshape(2)
    m = len(offsets) + 1 if num_rois is None else int(num_rois)
    centers, b = roi_boxes(
        torch.as_tensor(np.asarray(center, np.float64).reshape(1, 2)),
        torch.as_tensor([size.max()], dtype=torch.float64), m, offsets,
        scales)
    b = b[0].numpy()
    return centers[0].numpy(), size[None] * (b / size.max())[:, None], b


@TRANSFORMS.register_module()
class AffineCrop(BaseTransform):
    """Cut the region (``bbox_center``, ``bbox_scale``, ``bbox_rotation``)
    to ``crop_size`` with one ``cv2.warpAffine`` (geometry and pixel
    convention in :mod:`.geometry`; outside the image: ``border_value``).

    Sets / modifies:

    * ``img``: (H, W, C) crop, the input dtype;
    * ``crop_trans`` (2, 3) float32, image pixels -> crop pixels, and
      ``crop_inv_trans`` (2, 3), its inverse; ``img_shape`` = ``(H, W)``;
      ``crop_size`` = ``(W, H)``;
    * ``keypoints2d`` (K, 3): x, y in crop pixels, confidence kept.  Points
      mapped outside the crop keep their confidence (they are still valid
      2D evidence of where the joint is; a loss may still use them).  The
      other 2D sets of :data:`.keypoint_keys.KEYPOINTS2D_KEYS`
      (``keypoints2d_detected``) are mapped the same way;
    * ``keypoints3d`` (K, 4), ``smpl_pose[:3]`` (global orient) and
      ``smpl_transl``: rotated about the camera z axis by
      :func:`.geometry.inplane_rotation` (SPIN's ``rot_aa``), so they match
      the rotated crop (exactly so when the crop is centred on the principal
      point).  The global orient is rotated when ``has_smpl`` is true or
      absent.  A SMPL mesh posed with the rotated orient and translation is
      the rotated mesh up to ``(I - R) J0``, ``J0`` the model's rest root
      joint (the body turns about its root, the keypoints about the
      camera).

    With ``rois`` (Multi-RoI), M regions are cut (:func:`roi_regions`, all
    with the same rotation, each about its own centre): ``img`` (M, H, W,
    C), ``crop_trans`` / ``crop_inv_trans`` (M, 2, 3), ``keypoints2d``
    (M, K, 3) (one set per RoI; so is every 2D set), plus ``roi_center``
    (M, 2) and ``roi_size`` (M,) (``b_m``, image pixels) as float32.

    Args:
        crop_size (int | tuple[int, int]): ``(W, H)`` pixels (an int: a
            square). Defaults to (224, 224).
        rois (dict, optional): ``offsets``, ``scales`` (defaults:
            :data:`hmrzoo.cameras.multiroi.ROI_OFFSETS` / ``ROI_SCALES``)
            and ``num_rois`` (default ``len(offsets) + 1``).
        interpolation (str): ``'bilinear'`` (default), ``'nearest'``,
            ``'bicubic'`` or ``'area'``.
        border_value (float): fill outside the image. Defaults to 0.
    """

    def __init__(self, crop_size: Union[int, Sequence[int]] = (224, 224),
                 rois: Optional[dict] = None,
                 interpolation: str = 'bilinear', border_value: float = 0.):
        if isinstance(crop_size, (int, np.integer)):
            crop_size = (crop_size, crop_size)
        crop_size = tuple(int(c) for c in crop_size)
        if len(crop_size) != 2 or min(crop_size) <= 0:
            raise ValueError(f'crop_size must be (W, H) > 0, got {crop_size}')
        if interpolation not in _INTERPOLATION:
            raise ValueError(f'interpolation must be one of '
                             f'{sorted(_INTERPOLATION)}, got '
                             f'{interpolation!r}')
        self.crop_size = crop_size
        self.interpolation = interpolation
        self.border_value = float(border_value)
        self.rois = None
        if rois is not None:
            unknown = set(rois) - {'offsets', 'scales', 'num_rois'}
            if unknown:
                raise ValueError(f'rois has unknown keys {sorted(unknown)}; '
                                 'expected offsets, scales, num_rois')
            self.rois = dict(
                offsets=tuple(tuple(float(v) for v in o)
                              for o in rois.get('offsets', ROI_OFFSETS)),
                scales=tuple(float(s) for s in rois.get('scales',
                                                        ROI_SCALES)),
                num_rois=rois.get('num_rois'))
            roi_regions(np.zeros(2), np.ones(2), **self.rois)  # validate

    def _region(self, results: dict):
        missing = [k for k in ('img', 'bbox_center', 'bbox_scale')
                   if results.get(k) is None]
        if missing:
            raise KeyError(f'AffineCrop needs {missing} (sample '
                           f"{results.get('sample_id')}); run LoadImage "
                           'first and give bbox_center / bbox_scale')
        center = np.asarray(results['bbox_center'], np.float64).reshape(2)
        size = np.asarray(results['bbox_scale'], np.float64).reshape(2)
        return center, size, float(results.get('bbox_rotation', 0.) or 0.)

    def _warp(self, img: np.ndarray, trans: np.ndarray) -> np.ndarray:
        out = cv2.warpAffine(img, trans, self.crop_size,
                             flags=_INTERPOLATION[self.interpolation],
                             borderMode=cv2.BORDER_CONSTANT,
                             borderValue=(self.border_value, ) * 4)
        return out.reshape(self.crop_size[::-1] + img.shape[2:])

    def transform(self, results: dict) -> dict:
        center, size, rot = self._region(results)
        img = np.asarray(results['img'])
        if self.rois is None:
            centers, sizes = center[None], size[None]
        else:
            centers, sizes, b = roi_regions(center, size, **self.rois)
        trans = np.stack([crop_transform(c, s, rot, self.crop_size)
                          for c, s in zip(centers, sizes)])   # (M, 2, 3)
        crops = np.stack([self._warp(img, t) for t in trans])
        # part indices and depths: nearest neighbour, no blending across
        # part or silhouette edges
        for key, dtype in (('iuv', None), ('depth', np.float32)):
            if results.get(key) is None:
                continue
            evidence = np.asarray(results[key], dtype)
            results[key] = np.stack([cv2.warpAffine(
                evidence, t, self.crop_size, flags=cv2.INTER_NEAREST,
                borderMode=cv2.BORDER_CONSTANT, borderValue=0)
                for t in trans])
            if self.rois is None:
                results[key] = results[key][0]
        for key in KEYPOINTS2D_KEYS:
            if results.get(key) is not None:
                results[key] = self._map_keypoints(results[key], trans)
        self._rotate_3d(results, rot)
        squeeze = (lambda x: x) if self.rois else (lambda x: x[0])
        results['img'] = squeeze(crops)
        results['crop_trans'] = squeeze(trans.astype(np.float32))
        results['crop_inv_trans'] = squeeze(
            invert_affine(trans).astype(np.float32))
        results['img_shape'] = self.crop_size[::-1]
        results['crop_size'] = self.crop_size
        if self.rois is not None:
            results['roi_center'] = centers.astype(np.float32)
            results['roi_size'] = b.astype(np.float32)
        return results

    def _map_keypoints(self, kp, trans: np.ndarray) -> np.ndarray:
        """(K, 3) image pixels + confidence -> (K, 3) crop pixels, or
        (M, K, 3) with RoIs (one set per transform of ``trans`` (M, 2, 3));
        the confidence is kept."""
        kp = np.asarray(kp)
        dtype = kp.dtype if kp.dtype.kind == 'f' else np.float32
        out = np.repeat(kp[None].astype(dtype), len(trans), axis=0)
        for m, t in enumerate(trans):
            out[m, :, :2] = apply_affine(kp[:, :2], t)
        return out if self.rois else out[0]

    @staticmethod
    def _rotate_3d(results: dict, rot: float) -> None:
        if rot == 0:
            return
        rotmat = inplane_rotation(rot)
        if results.get('keypoints3d') is not None:
            kp = np.array(results['keypoints3d'])
            kp = kp if kp.dtype.kind == 'f' else kp.astype(np.float32)
            kp[..., :3] = kp[..., :3] @ rotmat.T
            results['keypoints3d'] = kp
        if results.get('smpl_transl') is not None:
            results['smpl_transl'] = (np.asarray(results['smpl_transl'])
                                      @ rotmat.T).astype(np.float32)
        if results.get('smpl_pose') is not None and \
                results.get('has_smpl', True):
            pose = np.array(results['smpl_pose'])
            pose = pose if pose.dtype.kind == 'f' else pose.astype(np.float32)
            pose[..., :3] = rotate_axis_angle(pose[..., :3], rotmat)
            results['smpl_pose'] = pose

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(crop_size={self.crop_size}, '
                f'rois={self.rois}, interpolation={self.interpolation!r})')
