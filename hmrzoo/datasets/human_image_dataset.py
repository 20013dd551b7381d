"""Real images of people described by an hmrzoo annotation file."""
import logging
import os.path as osp
from typing import List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from ..conventions import convert_kps, get_keypoint_num
from ..registry import DATASETS
from .transforms.geometry import box_crop_region
from .human_data import (DEFAULT_CONVENTION, AnnotationError, boxes_with_area,
                         load_annotations)

#: default pipelines by mode; every name is a transform of
#: :mod:`hmrzoo.datasets.transforms` and ``{crop}`` is the crop size.
TRAIN_PIPELINE = ('LoadImage', 'RandomFlip', 'RandomScaleRotation',
                  'AffineCrop', 'RandomChannelNoise', 'PackHMRInputs')
TEST_PIPELINE = ('LoadImage', 'AffineCrop', 'PackHMRInputs')


def default_pipeline(crop_size: Sequence[int], test_mode: bool,
                     num_rois: int = 1, rotate: bool = True,
                     load_iuv: bool = False,
                     load_depth: bool = False) -> List[dict]:
    """SPIN's augmentation for training (flip, scale / rotation, channel
    noise) or a plain crop for testing, cut at ``crop_size`` (W, H);
    ``num_rois`` > 1 cuts Multi-RoI's M RoIs (its offsets and scales);
    ``rotate=False`` keeps the scale augmentation but no rotation;
    ``load_iuv`` reads each sample's IUV image too (and does not flip: a
    mirrored IUV map needs DensePose's symmetry tables); ``load_depth``
    reads each sample's depth map (flipped with the image)."""
    names = TEST_PIPELINE if test_mode else TRAIN_PIPELINE
    if load_depth:
        names = names[:1] + ('LoadDepth', ) + names[1:]
    if load_iuv:
        names = tuple(n for n in names if n != 'RandomFlip')
        names = names[:1] + ('LoadIUV', ) + names[1:]
    steps = [dict(type=name) for name in names]
    for step in steps:
        if step['type'] == 'RandomScaleRotation':
            # SPIN's augm_params (used by PyMAF and CLIFF) rotates 40 % of
            # the samples; no rotation for full-frame reprojection
            step.update(rot_prob=0.4 if rotate else 0.)
        if step['type'] == 'AffineCrop':
            step.update(crop_size=tuple(crop_size),
                        rois=dict(num_rois=num_rois) if num_rois > 1
                        else None)
    return steps


@DATASETS.register_module()
class HumanImageDataset(BaseDataset):
    """One person per sample, read from an hmrzoo annotation file
    (:mod:`hmrzoo.datasets.human_data`).

    The annotation arrays stay in memory as arrays (forked dataloader
    workers share them); :meth:`get_data_info` builds one sample's dict, the
    contract of the transforms (:mod:`hmrzoo.datasets.transforms`):
    ``img_path``, ``sample_idx``, ``sample_id``, ``bbox_center`` (2,),
    ``bbox_scale`` (2,) = (w, h) of the region to crop (the person box
    enlarged by ``bbox_scale_factor`` and widened to the crop's aspect),
    ``bbox_rotation`` 0, ``flip`` False, ``keypoint_convention``,
    ``keypoints2d`` (K, 3) image pixels + confidence, ``keypoints3d``
    (K, 4) metres + confidence, ``smpl_pose`` (72,), ``smpl_betas`` (10,),
    ``smpl_transl`` (3,), ``has_smpl``, ``gender``, ``focal_length`` (2,)
    / ``principal_point`` (2,) or None; ``keypoints2d_detected`` (K, 3)
    image pixels + confidence (a 2D detector's output, kept apart from the
    ground truth), ``iuv_path`` and ``depth_path`` only when the file has
    them.
    Keypoints are converted by name from the file's storage convention to
    ``keypoint_convention``.

    Args:
        ann_file (str): the annotation ``.npz``.
        data_prefix (str | dict): the dataset's image root (``image_path``
            is relative to it); ``dict(img_path=...)`` as in mmengine.
        crop_size (tuple[int, int]): crop (W, H) of the default pipeline
            and the aspect ratio of ``bbox_scale``.
        keypoint_convention (str): convention of the keypoints handed to
            the model (the body model's, e.g. ``'smpl_54'``).
        bbox_scale_factor (float): enlargement of the stored box.
        num_rois (int): M RoIs per person cut by the default pipeline
            (Multi-RoI; 1 = the box only).
        rotate (bool): in-plane rotation in the default training pipeline.
            Configs that reproject through the full-image camera (CLIFF,
            Multi-RoI) turn it off: a rotated crop is no longer a window of
            the image that camera sees, so the 2D target and the full-frame
            projection would disagree.
        load_iuv (bool): the default pipeline also reads ``iuv_path`` (the
            annotation file must have it) into ``input_iuv``.
        load_depth (bool): the default pipeline also reads ``depth_path``
            (:class:`~hmrzoo.datasets.transforms.LoadDepth`) into
            ``input_depth``.
        pipeline (list, optional): transforms; None = :func:`default_pipeline`.
        required (sequence[str]): annotation keys this use needs (e.g.
            ``('keypoints3d',)`` for an evaluation set); missing ones fail
            at load time naming the file.
        test_mode (bool): test pipeline and no random refetch.
    """

    def __init__(self,
                 ann_file: str,
                 data_prefix: Union[str, dict] = '',
                 crop_size: Sequence[int] = (224, 224),
                 keypoint_convention: str = 'smpl_54',
                 bbox_scale_factor: float = 1.0,
                 num_rois: int = 1,
                 rotate: bool = True,
                 load_iuv: bool = False,
                 load_depth: bool = False,
                 pipeline: Optional[list] = None,
                 required: Sequence[str] = (),
                 test_mode: bool = False,
                 data_root: str = '',
                 **kwargs):
        if isinstance(data_prefix, str):
            data_prefix = dict(img_path=data_prefix)
        self.crop_size = tuple(int(v) for v in crop_size)
        self.keypoint_convention = keypoint_convention
        self.bbox_scale_factor = float(bbox_scale_factor)
        self.required = tuple(required) + (
            ('iuv_path', ) if load_iuv else ()) + (
            ('depth_path', ) if load_depth else ())
        self._arrays: dict = {}
        self._rows = np.zeros(0, np.int64)
        if pipeline is None:
            pipeline = default_pipeline(self.crop_size, test_mode, num_rois,
                                        rotate, load_iuv, load_depth)
        super().__init__(ann_file=ann_file, data_root=data_root,
                         data_prefix=data_prefix, pipeline=pipeline,
                         test_mode=test_mode, serialize_data=False, **kwargs)

    # ---- loading ------------------------------------------------------
    def full_init(self) -> None:
        if self._fully_initialized:
            return
        data = load_annotations(self.ann_file, self.required)
        self._storage = str(data.pop('keypoint_convention',
                                     DEFAULT_CONVENTION))
        self._arrays = data
        self._rows = self._valid_rows(data)
        if self._indices is not None:
            self._rows = self._rows[np.asarray(self._indices).reshape(-1)] \
                if not isinstance(self._indices, int) \
                else self._rows[:self._indices]
        self._metainfo.update(dataset_name=str(data.get('dataset', '')),
                              split=str(data.get('split', '')),
                              keypoint_convention=self.keypoint_convention)
        self._fully_initialized = True

    def _valid_rows(self, data: dict) -> np.ndarray:
        """Rows with a box of positive size; the others are dropped with a
        count in the log."""
        ok = boxes_with_area(data['bbox_xywh'])
        dropped = int((~ok).sum())
        if dropped:
            print_log(f'{self.ann_file}: dropped {dropped} of {len(ok)} '
                      'samples without a valid bbox_xywh', logger='current',
                      level=logging.WARNING)
        if not ok.any():
            what = 'has no rows' if not len(ok) else \
                f'has no usable row: all {len(ok)} lack a valid bbox_xywh'
            raise AnnotationError(
                f'{self.ann_file} {what}; convert the dataset again with '
                'tools/convert_datasets.py or remove it from the config')
        return np.flatnonzero(ok)

    def load_data_list(self) -> list:
        """Unused: samples are built on demand by :meth:`get_data_info`."""
        return []

    def __len__(self) -> int:
        if not self._fully_initialized:
            self.full_init()
        return len(self._rows)

    def smpl_fraction(self) -> float:
        """Fraction of the rows with SMPL parameters (``has_smpl``); 0 for
        a file without any."""
        if not self._fully_initialized:
            self.full_init()
        has = self._arrays.get('has_smpl')
        if has is None or len(self._rows) == 0:
            return 0.0
        return float((np.asarray(has)[self._rows] > 0).mean())

    # ---- one sample ---------------------------------------------------
    def _row(self, key: str, row: int, default=None):
        array = self._arrays.get(key)
        return default if array is None else array[row]

    def _keypoints(self, key: str, row: int, dims: int) -> np.ndarray:
        kps = self._arrays.get(key)
        if kps is None:
            return np.zeros((get_keypoint_num(self.keypoint_convention),
                             dims + 1), np.float32)
        out, _ = convert_kps(np.asarray(kps[row], np.float32),
                             self._storage, self.keypoint_convention)
        return out

    def _crop_region(self, row: int):
        """Centre (2,) and (w, h) (2,) of the region to crop: the stored
        box, enlarged, with the aspect ratio of the crop."""
        return box_crop_region(self._arrays['bbox_xywh'][row],
                               self.bbox_scale_factor, self.crop_size)

    def get_data_info(self, idx: int) -> dict:
        if not self._fully_initialized:
            self.full_init()
        row = int(self._rows[idx])
        center, scale = self._crop_region(row)
        has_smpl = bool(self._row('has_smpl', row, False))
        pose = np.zeros(72, np.float32)
        if has_smpl:
            pose[:3] = self._arrays['smpl_global_orient'][row]
            pose[3:] = self._arrays['smpl_body_pose'][row]

        def vector(key, size):
            value = self._row(key, row)
            return np.zeros(size, np.float32) if value is None else \
                np.asarray(value, np.float32)
        focal = self._row('focal_length', row)
        principal = self._row('principal_point', row)
        extra = {}
        if 'keypoints2d_detected' in self._arrays:
            extra['keypoints2d_detected'] = self._keypoints(
                'keypoints2d_detected', row, 2)
        for key in ('iuv_path', 'depth_path'):
            if key in self._arrays:
                extra[key] = osp.join(self.data_prefix.get('img_path', ''),
                                      str(self._arrays[key][row]))
        return dict(**extra,
            img_path=osp.join(self.data_prefix.get('img_path', ''),
                              str(self._arrays['image_path'][row])),
            sample_idx=idx,
            sample_id=str(self._row('sample_id', row, f'{row}')),
            bbox_center=center, bbox_scale=scale, bbox_rotation=0.,
            flip=False, keypoint_convention=self.keypoint_convention,
            keypoints2d=self._keypoints('keypoints2d', row, 2),
            keypoints3d=self._keypoints('keypoints3d', row, 3),
            smpl_pose=pose, smpl_betas=vector('smpl_betas', 10),
            smpl_transl=vector('smpl_transl', 3), has_smpl=has_smpl,
            gender=str(self._row('gender', row, 'neutral')),
            focal_length=None if focal is None else
            np.asarray(focal, np.float32),
            principal_point=None if principal is None else
            np.asarray(principal, np.float32))
