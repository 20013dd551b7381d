"""3DPW (3D Poses in the Wild) -> hmrzoo annotations.

Official layout (the release's readme; SPIN ``datasets/preprocess/pw3d.py``,
VIBE ``lib/data_utils/threedpw_utils.py`` and mmhuman3d
``data_converters/pw3d.py`` read it the same way)::

    <root>/sequenceFiles/{train,validation,test}/<sequence>.pkl
    <root>/imageFiles/<sequence>/image_%05d.jpg      (frame index, 0-based)

Each ``.pkl`` is a Python 2 pickle of a dict (read with
:func:`~.safe_pickle.load_pickle`).  Facts relied on here:

* ``sequence`` (str); per actor (lists of length P, one or two actors):
  ``poses`` (F, 72) SMPL axis-angles in the world frame, ``trans`` (F, 3)
  metres, ``betas`` (10,) (SPIN, VIBE and mmhuman3d take ``[:10]``; longer
  vectors are cut the same way), ``genders`` ('m' / 'f'; the readme calls
  the key ``gender``, the files and all three readers use ``genders``),
  ``jointPositions`` (F, 72): the 24 SMPL joints in the world frame,
  metres; ``poses2d`` (F, 3, 18): OpenPose detections, rows x, y,
  confidence, in OpenPose's COCO-18 joint order (mmhuman3d's ``pw3d``
  convention and VIBE's ``get_3dpw_joint_names``: nose, neck, right
  shoulder / elbow / wrist, left shoulder / elbow / wrist, right hip / knee
  / ankle, left hip / knee / ankle, right eye, left eye, right ear, left
  ear); ``campose_valid`` (F,): whether the camera pose of that frame is
  aligned with the image.
* ``cam_poses`` (F, 4, 4): world -> camera extrinsics per frame (SPIN and
  VIBE rotate the world global orientation by ``cam_poses[:, :3, :3]``);
  ``cam_intrinsics`` (3, 3): ``[[fx, 0, cx], [0, fy, cy], [0, 0, 1]]``.
* SMPL parameters and images are at 30 Hz, one row per image frame
  (``poses_60Hz`` / ``trans_60Hz`` hold the IMU rate and are not used).

What the converter writes (``pw3d_<split>.npz``), one row per actor per
frame with ``campose_valid``:

* SMPL in the **camera frame of that frame**: the global orientation is
  ``R_cam @ R_world``; the translation needs the rest-pose pelvis ``J0``
  (which depends on the betas and gender), recovered without a SMPL file:
  SMPL's posed pelvis is ``J0 + trans`` (the root joint is not moved by
  its own rotation), so ``J0 = jointPositions[0] - trans`` and the
  camera-frame translation is ``R_cam @ pelvis_world + t_cam - J0``.
* ``keypoints3d``: the 24 ``jointPositions`` in the camera frame
  (``smpl_24`` names, confidence 1).
* ``keypoints2d``: the OpenPose points by name (OpenPose's neck has no slot
  in ``smpl_54`` and is dropped), with their detection confidence.
* ``bbox_xywh``: the box of the 2D points with confidence > 0, enlarged
  1.2 times (SPIN's factor); frames whose detections span no area (none,
  or one point) take the box of the projected 24 joints instead.
  Detections with confidence 0 are absent and stored as zeros.
* ``focal_length`` / ``principal_point`` from ``cam_intrinsics``,
  ``image_size`` from the header of the sequence's first image, ``gender``
  from ``genders``, ``sample_id`` ``<sequence>/image_%05d/person<k>``.
"""
import glob
import logging
import os.path as osp
from typing import Dict, List

import numpy as np
import torch
from tqdm import tqdm

from ...conventions import get_keypoint_names
from ...utils.rotations import axis_angle_to_rotmat, rotmat_to_axis_angle
from ..human_data import keypoints_to_superset, save_annotations
from .base import bbox_from_keypoints, register_converter, require_path
from .camera_fit import project_points
from .readers import read_image_size, require_key
from .safe_pickle import load_pickle

logger = logging.getLogger(__name__)

SPLITS = ('train', 'validation', 'test')
BBOX_SCALE = 1.2
GENDERS = {'m': 'male', 'f': 'female', 'male': 'male', 'female': 'female'}

# OpenPose's COCO-18 order is BODY_25 without "MidHip" (BODY_25 index 8)
# and without the six foot points (19-24): COCO-18 index k is BODY_25
# index _BODY25_OF_COCO18[k].
_BODY25_OF_COCO18 = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16,
                     17, 18]
COCO18_NAMES = [get_keypoint_names('openpose_25')[i]
                for i in _BODY25_OF_COCO18]


def openpose18_to_superset(points: np.ndarray) -> np.ndarray:
    """3DPW ``poses2d`` rows (N, 18, 3) (x, y, confidence; COCO-18 order)
    -> (N, K, 3) in the storage convention."""
    points = np.asarray(points, np.float32)
    points = np.where(points[..., 2:] > 0, points, 0.)  # absent: zeros
    body25 = np.zeros(points.shape[:1] + (25, 3), np.float32)
    body25[:, _BODY25_OF_COCO18] = points
    return keypoints_to_superset(body25[..., :2], 'openpose_25',
                                 body25[..., 2])


def _per_actor(seq: dict, key: str, path: str, num: int) -> list:
    value = require_key(seq, key, path)
    if len(value) != num:
        raise ValueError(f'{path}: key {key!r} has {len(value)} entries, '
                         f'expected one per actor ({num})')
    return list(value)


def _frames_array(value, path: str, key: str, shape: tuple) -> np.ndarray:
    """``value`` as float64 of shape (F,) + shape, or a ValueError."""
    array = np.asarray(value, np.float64)
    try:
        return array.reshape((array.shape[0],) + shape)
    except (ValueError, IndexError):
        raise ValueError(f'{path}: key {key!r} has shape {array.shape}, '
                         f'expected (frames,) + {shape}') from None


def convert_sequence(path: str, root: str) -> Dict[str, np.ndarray]:
    """Rows of one sequence file (every actor, every valid frame).

    Args:
        path: ``sequenceFiles/<split>/<sequence>.pkl``.
        root: the dataset root (for the image header and relative paths).

    Returns:
        dict: per-sample arrays of :mod:`hmrzoo.datasets.human_data`
        (without the file-level fields).
    """
    seq = load_pickle(path)
    name = str(require_key(seq, 'sequence', path, 'sequence name'))
    poses = require_key(seq, 'poses', path, 'SMPL poses per actor')
    num_actors = len(poses)
    poses = [_frames_array(p, path, 'poses', (72,)) for p in poses]
    trans = [_frames_array(t, path, 'trans', (3,))
             for t in _per_actor(seq, 'trans', path, num_actors)]
    joints = [_frames_array(j, path, 'jointPositions', (24, 3))
              for j in _per_actor(seq, 'jointPositions', path, num_actors)]
    kp2d = [_frames_array(k, path, 'poses2d', (3, 18))
            for k in _per_actor(seq, 'poses2d', path, num_actors)]
    valid = [np.asarray(v).reshape(-1).astype(bool)
             for v in _per_actor(seq, 'campose_valid', path, num_actors)]
    betas = _per_actor(seq, 'betas', path, num_actors)
    genders = _per_actor(seq, 'genders', path, num_actors)
    cam_poses = _frames_array(require_key(seq, 'cam_poses', path), path,
                              'cam_poses', (4, 4))
    intrinsics = np.asarray(require_key(seq, 'cam_intrinsics', path),
                            np.float64).reshape(3, 3)
    num_frames = len(cam_poses)
    for key, arrays in (('poses', poses), ('trans', trans),
                        ('jointPositions', joints), ('poses2d', kp2d),
                        ('campose_valid', valid)):
        for actor, array in enumerate(arrays):
            if len(array) != num_frames:
                raise ValueError(f'{path}: {key}[{actor}] has {len(array)} '
                                 f'frames, cam_poses has {num_frames}')
    image_size = read_image_size(require_path(
        root, 'imageFiles', name, 'image_00000.jpg',
        what=f'first image of sequence {name}'))
    focal = intrinsics[[0, 1], [0, 1]]
    principal = intrinsics[[0, 1], [2, 2]]

    rows: Dict[str, list] = {}
    for actor in range(num_actors):
        frames = np.nonzero(valid[actor])[0]
        if not len(frames):
            continue
        gender = GENDERS.get(str(genders[actor]).lower())
        if gender is None:
            raise ValueError(f'{path}: genders[{actor}] is '
                             f'{genders[actor]!r}; expected m or f')
        shape = np.asarray(betas[actor], np.float64).reshape(-1)
        if shape.size < 10:
            raise ValueError(f'{path}: betas[{actor}] has {shape.size} '
                             'values, expected 10')
        rot = cam_poses[frames, :3, :3]
        shift = cam_poses[frames, :3, 3]
        pose = poses[actor][frames]
        orient_world = axis_angle_to_rotmat(torch.from_numpy(pose[:, :3]))
        orient = rotmat_to_axis_angle(torch.from_numpy(rot) @ orient_world)
        joints_world = joints[actor][frames]
        joints_cam = np.einsum('nij,nkj->nki', rot, joints_world) + \
            shift[:, None]
        rest_pelvis = joints_world[:, 0] - trans[actor][frames]
        transl = joints_cam[:, 0] - rest_pelvis

        detections = kp2d[actor][frames].transpose(0, 2, 1)  # (n, 18, 3)
        with np.errstate(invalid='ignore'):  # rows without any detection
            bbox = bbox_from_keypoints(detections, BBOX_SCALE)
        undetected = (bbox[:, 2] <= 0) | (bbox[:, 3] <= 0)
        if undetected.any():
            projected = project_points(joints_cam[undetected], focal,
                                       principal)
            conf = np.ones(projected.shape[:2] + (1,))
            bbox[undetected] = bbox_from_keypoints(
                np.concatenate([projected, conf], -1), BBOX_SCALE)

        n = len(frames)
        new = dict(
            image_path=[f'imageFiles/{name}/image_{f:05d}.jpg'
                        for f in frames],
            sample_id=[f'{name}/image_{f:05d}/person{actor}'
                       for f in frames],
            bbox_xywh=bbox,
            keypoints2d=openpose18_to_superset(detections),
            keypoints3d=keypoints_to_superset(joints_cam, 'smpl_24'),
            smpl_global_orient=orient.numpy(),
            smpl_body_pose=pose[:, 3:],
            smpl_betas=np.tile(shape[:10], (n, 1)),
            smpl_transl=transl,
            has_smpl=np.ones(n, bool),
            gender=[gender] * n,
            focal_length=np.tile(focal, (n, 1)),
            principal_point=np.tile(principal, (n, 1)),
            image_size=np.tile(np.asarray(image_size, np.int64), (n, 1)),
        )
        for key, value in new.items():
            rows.setdefault(key, []).append(np.asarray(value))
    return {k: np.concatenate(v) for k, v in rows.items()}


@register_converter('3dpw', SPLITS, '3DPW sequence files (SMPL in the '
                    'camera frame, OpenPose 2D, 24 SMPL joints)')
def convert_pw3d(root: str, out_dir: str, split: str = 'test') -> List[str]:
    """Convert one split of 3DPW to ``out_dir/pw3d_<split>.npz``.

    Args:
        root: the dataset root holding ``sequenceFiles`` and ``imageFiles``.
        out_dir: output folder.
        split: ``'train'``, ``'validation'`` or ``'test'``.

    Returns:
        list[str]: the file written.
    """
    if split not in SPLITS:
        raise ValueError(f'3dpw has splits {SPLITS}, not {split!r}')
    folder = require_path(root, 'sequenceFiles', split,
                          what=f'3DPW sequence files of the {split} split')
    files = sorted(glob.glob(osp.join(folder, '*.pkl')))
    if not files:
        raise FileNotFoundError(f'no .pkl sequence files in {folder}')
    parts = [convert_sequence(path, root)
             for path in tqdm(files, desc=f'3dpw {split}', unit='seq')]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError(f'{folder}: no frame of any sequence has '
                         'campose_valid set; nothing to write')
    data = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    out = osp.join(out_dir, f'pw3d_{split}.npz')
    n = save_annotations(
        out, data, dataset='3dpw', split=split, smpl_source='dataset',
        protocol=f'3dpw {split}: every actor in every frame with '
                 'campose_valid; SMPL and joints in the camera frame')
    logger.info('3dpw %s: %d samples from %d sequences -> %s', split, n,
                len(files), out)
    return [out]
