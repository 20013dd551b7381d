"""Data transforms for real images (mmcv ``BaseTransform`` subclasses,
registered in :data:`hmrzoo.registry.TRANSFORMS`).

They read and write the results dict of the annotation-file dataset:
``img_path``, ``bbox_center`` (2,), ``bbox_scale`` (2,) = region (w, h),
``bbox_rotation`` (degrees), ``flip``, ``keypoint_convention``,
``keypoints2d`` (K, 3), ``keypoints3d`` (K, 4), ``smpl_pose`` (72,),
``smpl_betas``, ``smpl_transl``, ``has_smpl``, ``focal_length``,
``principal_point``, ..., and ``keypoints2d_detected`` (K, 3) when the
annotation file has a detector's keypoints.  Every 2D keypoint set is
listed once, in :data:`.keypoint_keys.KEYPOINTS2D_FIELDS`: the geometric
transforms move them all alike and :class:`~.packing.PackHMRInputs` packs
each (``gt_keypoints2d``, ``det_keypoints2d``).  Pixel convention and
crop geometry: :mod:`.geometry`.  Randomness (``rng`` argument):
:mod:`.randomness`.

Recommended pipelines (:class:`~.packing.PackHMRInputs` ends both)::

    train_pipeline = [
        dict(type='LoadImage'),
        dict(type='RandomFlip', prob=0.5),            # full image
        dict(type='RandomScaleRotation', scale_factor=0.25, rot_factor=30,
             rot_prob=0.6),                           # SPIN: rot_prob=0.4
        dict(type='AffineCrop', crop_size=(224, 224)),
        dict(type='RandomChannelNoise', noise_factor=0.4),
        dict(type='SyntheticOcclusion', prob=0.5),
        dict(type='PackHMRInputs'),
    ]
    test_pipeline = [
        dict(type='LoadImage'),
        dict(type='AffineCrop', crop_size=(224, 224)),
        dict(type='PackHMRInputs'),
    ]

CLIFF uses ``crop_size=(192, 256)`` (W, H) with 4:3 regions; Multi-RoI
adds ``rois=dict()`` (its five RoIs) to ``AffineCrop``.  The order
matters: flipping acts on the full image (before the crop), the scale and
rotation are drawn before the crop that applies them, and the photometric
and occlusion transforms act on the crop.
"""
from .crop import AffineCrop, roi_regions
from .flip import RandomFlip, flip_results
from .keypoint_keys import KEYPOINTS2D_FIELDS, KEYPOINTS2D_KEYS
from .loading import LoadDepth, LoadImage, LoadIUV
from .occlusion import SyntheticOcclusion
from .packing import PackHMRInputs
from .photometric import ColorJitter, RandomChannelNoise
from .scale_rotation import RandomScaleRotation
from .smpl_flip import flip_axis_angle, flip_smpl_pose

__all__ = [
    'KEYPOINTS2D_FIELDS', 'KEYPOINTS2D_KEYS',
    'AffineCrop', 'ColorJitter', 'LoadImage', 'LoadIUV', 'LoadDepth',
    'PackHMRInputs',
    'RandomChannelNoise', 'RandomFlip', 'RandomScaleRotation',
    'SyntheticOcclusion',
    'flip_axis_angle', 'flip_results', 'flip_smpl_pose', 'roi_regions',
]
