"""The last transform: results dict -> model input + :class:`HMRDataSample`."""
from typing import Optional

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ...utils.rotations import axis_angle_to_rotmat
from ...registry import TRANSFORMS
from ...structures import HMRDataSample
from .geometry import crop_to_normalised
from .keypoint_keys import KEYPOINTS2D_FIELDS


def to_edge_convention(trans: np.ndarray) -> np.ndarray:
    """An image -> crop affine map (..., 2, 3) between pixel-centre
    coordinates (the transforms' convention: pixel ``(i, j)`` centred at
    ``x = j``) rewritten between pixel-edge coordinates (pixel ``(i, j)``
    covers ``[j, j + 1)``), the convention of hmrzoo's projections: their
    principal point ``(W / 2, H / 2)`` is the image centre and
    ``2 p / crop_size - 1`` spans the crop edge to edge.  With
    ``x_edge = x_centre + 0.5`` on both sides, ``b' = b + 0.5 - 0.5 A 1``.
    """
    trans = np.array(trans, np.float64)
    trans[..., 2] += 0.5 - 0.5 * trans[..., :2].sum(-1)
    return trans


@TRANSFORMS.register_module()
class PackHMRInputs(BaseTransform):
    """Pack a cropped sample for the estimators.

    Reads the keys the dataset and the crop transform set (``img`` (H, W, 3)
    or (M, H, W, 3) BGR uint8, ``keypoints2d`` (K, 3) or (M, K, 3) crop
    pixels + confidence, ``keypoints3d`` (K, 4), ``smpl_*``, ``crop_trans``
    (2, 3) / (M, 2, 3), ``bbox_center``, ``bbox_scale``, ``ori_shape``,
    ``focal_length``) and returns ``dict(inputs, data_samples)``:

    * ``inputs``: uint8 tensor (3, H, W) or (M, 3, H, W) (the model's data
      preprocessor normalises it);
    * ground truth: ``gt_keypoints2d`` (K, 2) / (M, K, 2) in normalised crop
      coordinates (-1 / +1 on the crop's outer pixel edges:
      :func:`~.geometry.crop_to_normalised`), ``gt_keypoints2d_mask``
      (K,) (confidence > 0; of the first crop), ``gt_keypoints3d`` (K, 3)
      metres and its mask, ``gt_global_orient`` (3, 3), ``gt_body_pose``
      (23, 3, 3), ``gt_betas`` (10,), ``gt_transl`` (3,), ``gt_has_smpl``
      (0-d float); with ``iuv`` (:class:`~.loading.LoadIUV`), the compact
      map ``input_iuv`` (3, H, W) / (M, 3, H, W) ``[I / 24, U, V]``; with
      ``depth`` (:class:`~.loading.LoadDepth`), ``input_depth`` (1, H, W) /
      (M, 1, H, W) in the file's unit;
    * detections: with ``keypoints2d_detected`` (a 2D detector's keypoints
      of the annotation file, moved by the transforms like
      ``keypoints2d``), ``det_keypoints2d`` (K, 2) / (M, K, 2) and
      ``det_keypoints2d_mask`` (K,), mapped exactly as ``gt_keypoints2d``
      (the field of each 2D set: :data:`.keypoint_keys.KEYPOINTS2D_FIELDS`);
    * metainfo: ``sample_idx``, ``sample_id``, ``img_path``, ``img_wh``
      (2,) of the full image, ``roi_center`` (M, 2) and ``roi_size`` (M,)
      (the longer side of each cropped region, image pixels: CLIFF's box
      size), ``crop_trans`` (M, 2, 3) image -> crop pixels, ``crop_wh``
      (2,), ``focal_length`` (fx, pixels) when the camera is known,
      ``gender``, ``flip``, ``keypoint_convention``.  ``roi_center`` and
      ``crop_trans`` are in pixel-edge coordinates
      (:func:`to_edge_convention`), so the full-image camera of CLIFF's
      projection (principal point at the image centre) maps 3D keypoints
      exactly onto ``gt_keypoints2d``.

    Args:
        use_camera_focal (bool): pass a known focal length on (the bbox
            information and full-frame camera then use it); False keeps
            CLIFF's estimate, the image diagonal, even when the dataset
            knows the camera (as the official CLIFF training does).
        meta_keys (tuple[str]): extra result keys copied into metainfo.
    """

    def __init__(self, use_camera_focal: bool = True, meta_keys: tuple = ()):
        self.use_camera_focal = use_camera_focal
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        img = np.asarray(results['img'])
        crops = img if img.ndim == 4 else img[None]
        crop_wh = (crops.shape[2], crops.shape[1])
        inputs = torch.from_numpy(
            np.ascontiguousarray(crops.transpose(0, 3, 1, 2)))
        sample = HMRDataSample()
        if results.get('keypoints2d') is None:
            raise KeyError('PackHMRInputs needs keypoints2d (sample '
                           f"{results.get('sample_id')}); the dataset "
                           'gives it (zeros when the file has none)')
        for key, field in KEYPOINTS2D_FIELDS.items():
            if results.get(key) is not None:
                kp, mask = self._pack_keypoints2d(results[key], crop_wh)
                sample.set_field(kp, field)
                sample.set_field(mask, f'{field}_mask')
        kp3d = np.asarray(results['keypoints3d'], np.float32)
        sample.gt_keypoints3d = torch.from_numpy(kp3d[:, :3].copy())
        sample.gt_keypoints3d_mask = torch.from_numpy(
            (kp3d[:, 3] > 0).astype(np.float32))
        rotmats = axis_angle_to_rotmat(
            torch.from_numpy(np.asarray(results['smpl_pose'], np.float32)
                             .reshape(24, 3)))
        sample.gt_global_orient = rotmats[:1]
        sample.gt_body_pose = rotmats[1:]
        sample.gt_betas = torch.as_tensor(results['smpl_betas'],
                                          dtype=torch.float32)
        sample.gt_transl = torch.as_tensor(results['smpl_transl'],
                                           dtype=torch.float32)
        sample.gt_has_smpl = torch.tensor(float(results['has_smpl']))
        if results.get('iuv') is not None:
            iuv = np.asarray(results['iuv'], np.float32)
            iuv = iuv.transpose(*range(iuv.ndim - 3), -1, -3, -2)
            scale = np.array([24., 255., 255.], np.float32).reshape(3, 1, 1)
            sample.input_iuv = torch.from_numpy(iuv / scale)
        if results.get('depth') is not None:
            depth = np.asarray(results['depth'], np.float32)
            sample.input_depth = torch.from_numpy(depth[..., None, :, :])
        sample.set_metainfo(self._metainfo(results, crop_wh, len(crops)))
        return dict(inputs=inputs if img.ndim == 4 else inputs[0],
                    data_samples=sample)

    @staticmethod
    def _pack_keypoints2d(kp2d, crop_wh):
        """(K, 3) / (M, K, 3) crop pixels + confidence -> normalised crop
        coordinates (K, 2) / (M, K, 2) and the mask (K,) of the first crop
        (confidence > 0), float32 tensors."""
        kp2d = np.asarray(kp2d, np.float32)
        first = kp2d if kp2d.ndim == 2 else kp2d[0]
        coords = torch.from_numpy(
            crop_to_normalised(kp2d[..., :2], crop_wh).astype(np.float32))
        mask = torch.from_numpy((first[:, 2] > 0).astype(np.float32))
        return coords, mask

    def _metainfo(self, results: dict, crop_wh, num_crops: int) -> dict:
        h, w = results.get('ori_shape', results['img_shape'])[:2]
        trans = to_edge_convention(np.reshape(
            results['crop_trans'], (num_crops, 2, 3))).astype(np.float32)
        if 'roi_center' in results:
            center = np.asarray(results['roi_center'], np.float32) + .5
            size = np.asarray(results['roi_size'], np.float32)
        else:
            center = np.asarray(results['bbox_center'], np.float32)[None] + .5
            size = np.asarray(results['bbox_scale'], np.float32).max()[None]
        meta = dict(
            sample_idx=results.get('sample_idx'),
            sample_id=results.get('sample_id'),
            img_path=results.get('img_path'),
            img_wh=torch.tensor([w, h], dtype=torch.float32),
            roi_center=torch.from_numpy(center.reshape(num_crops, 2)),
            roi_size=torch.from_numpy(size.reshape(num_crops)),
            crop_trans=torch.from_numpy(trans),
            crop_wh=torch.tensor(crop_wh, dtype=torch.float32),
            gender=results.get('gender', 'neutral'),
            flip=bool(results.get('flip', False)),
            keypoint_convention=results.get('keypoint_convention'))
        focal: Optional[np.ndarray] = results.get('focal_length')
        if focal is not None and self.use_camera_focal:
            meta['focal_length'] = float(np.asarray(focal).reshape(-1)[0])
        meta.update({k: results[k] for k in self.meta_keys if k in results})
        return meta
