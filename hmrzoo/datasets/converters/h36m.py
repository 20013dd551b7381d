"""Human3.6M -> hmrzoo annotations (3D / 2D joints; no SMPL).

Official layout (the release as downloaded per subject; SPIN
``datasets/preprocess/h36m_train.py`` / ``h36m.py`` and mmhuman3d
``data_converters/h36m.py`` read it)::

    <root>/S<k>/MyPoseFeatures/D3_Positions_mono/<Action>.<camera>.cdf
    <root>/S<k>/MyPoseFeatures/D2_Positions/<Action>.<camera>.cdf
    <root>/S<k>/Videos/<Action>.<camera>.mp4

Facts relied on:

* Each CDF holds the variable ``Pose``: one record of (frames, 32 * 3)
  for ``D3_Positions_mono`` (the 32 skeleton joints in the camera frame of
  that camera, millimetres) and (frames, 32 * 2) for ``D2_Positions``
  (pixels); SPIN reads ``CDF(...)['Pose'][0]``.  Pose rows and video
  frames correspond one to one, at 50 Hz.
* Sequences named ``_ALL...`` are not actions and are skipped (SPIN).
* The 17 joints of SPIN's ``J_regressor_h36m`` order (hmrzoo's ``h36m``
  convention) are the skeleton joints ``[11, 6, 7, 8, 1, 2, 3, 12, 24, 14,
  15, 17, 18, 19, 25, 26, 27]`` (SPIN's and mmhuman3d's ``h36m_idx``).
  Joints 11 and 24 sit at the same places as 0 and 13 (zero-length bones
  of the 32-joint skeleton), which is why VideoPose3D's 17-joint subset
  lists 0 and 13 instead.
* Splits: train = S1, S5, S6, S7, S8; test = S9, S11; every 5th frame
  (SPIN, mmhuman3d).  Protocol 1 tests on the four cameras, protocol 2 on
  the front camera 60457274 only.
* Image sizes (W, H): 1000 x 1002 for cameras 54138969 and 60457274,
  1000 x 1000 for 55011271 and 58860488 (``res_w`` / ``res_h`` of the
  camera table in VideoPose3D's ``common/h36m_dataset.py``).

Camera intrinsics: the release keeps them in a metadata file rather than
next to the poses, so fx, fy, cx, cy are recovered per sequence file by
least squares from its D3 / D2 correspondences
(:func:`~.camera_fit.fit_pinhole_intrinsics`; D2 includes the lenses'
distortion, which the pinhole fit absorbs approximately).

Images: ``images/S<k>_<Action>.<camera>_<frame:06d>.jpg`` with the action's
spaces replaced by ``_`` and the frame counted from 1: SPIN's naming, so
frames already extracted by SPIN's or mmhuman3d's scripts are reused as
they are.  With ``extract_frames=True`` the converter writes the frames it
keeps from the videos into ``<root>/images/`` (frames that exist are
skipped; rows whose frame the video lacks are dropped with a warning).

The release has no SMPL parameters (the MoSh fits are not distributed), so
the output has no ``smpl_*`` keys.  ``keypoints3d`` are metres in the
camera frame, not root-centred; ``bbox_xywh`` is the box of the 17 2D
joints enlarged 1.2 times.
"""
import glob
import logging
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
from tqdm import tqdm

from ..human_data import keypoints_to_superset, save_annotations
from .base import bbox_from_keypoints, register_converter, require_path
from .camera_fit import fit_pinhole_intrinsics
from .readers import (as_flag, as_index_list, as_positive_int,
                      read_cdf_variable)
from .video_frames import extract_frames as extract_video_frames

logger = logging.getLogger(__name__)

SPLITS = ('train', 'test')
SUBJECTS = {'train': (1, 5, 6, 7, 8), 'test': (9, 11)}
NUM_JOINTS = 32
#: skeleton joint index of each ``h36m`` joint (SPIN's ``h36m_idx``).
H36M_17_OF_32 = [11, 6, 7, 8, 1, 2, 3, 12, 24, 14, 15, 17, 18, 19, 25, 26,
                 27]
FRONT_CAMERA = '60457274'
IMAGE_SIZE = {'54138969': (1000, 1002), '55011271': (1000, 1000),
              '58860488': (1000, 1000), '60457274': (1000, 1002)}
BBOX_SCALE = 1.2


def read_poses(path: str, dims: int) -> np.ndarray:
    """``Pose`` of an H36M CDF file as (frames, 32, dims) float64."""
    pose = read_cdf_variable(path, 'Pose').astype(np.float64)
    if pose.size % (NUM_JOINTS * dims):
        raise ValueError(f'{path}: Pose has shape {pose.shape}, expected '
                         f'(1, frames, {NUM_JOINTS * dims})')
    return pose.reshape(-1, NUM_JOINTS, dims)


def image_name(subject: int, action: str, camera: str, frame: int) -> str:
    """SPIN's image name of a 0-based ``frame``, relative to the root."""
    return (f'images/S{subject}_{action.replace(" ", "_")}.{camera}_'
            f'{frame + 1:06d}.jpg')


def convert_sequence(root: str, subject: int, d3_path: str,
                     frame_step: int, extract: bool
                     ) -> Optional[Dict[str, np.ndarray]]:
    """Rows of one ``<Action>.<camera>`` sequence of one subject."""
    stem = osp.basename(d3_path)[:-len('.cdf')]
    action, camera = stem.rsplit('.', 1)
    if camera not in IMAGE_SIZE:
        raise ValueError(f'{d3_path}: unknown camera {camera!r}; Human3.6M '
                         f'has {sorted(IMAGE_SIZE)}')
    subject_dir = f'S{subject}'
    d2_path = require_path(root, subject_dir, 'MyPoseFeatures',
                           'D2_Positions', osp.basename(d3_path),
                           what='2D joints matching ' + d3_path)
    joints3d = read_poses(d3_path, 3)
    joints2d = read_poses(d2_path, 2)
    if len(joints3d) != len(joints2d):
        raise ValueError(f'{d3_path} has {len(joints3d)} frames but '
                         f'{d2_path} has {len(joints2d)}')
    fit = fit_pinhole_intrinsics(joints3d, joints2d, d3_path)
    frames = np.arange(0, len(joints3d), frame_step)
    names = [image_name(subject, action, camera, f) for f in frames]
    if extract:
        video = osp.join(root, subject_dir, 'Videos', f'{stem}.mp4')
        missing = set(extract_video_frames(
            video, {f: osp.join(root, n) for f, n in zip(frames, names)}))
        if missing:
            logger.warning('%s ends before frames %s; dropping those rows',
                           video, sorted(missing)[:5])
            keep = [f not in missing for f in frames]
            frames = frames[keep]
            names = [n for n, k in zip(names, keep) if k]
    if not len(frames):
        return None
    kp3d = keypoints_to_superset(joints3d[frames][:, H36M_17_OF_32] / 1000.,
                                 'h36m')
    kp2d = keypoints_to_superset(joints2d[frames][:, H36M_17_OF_32], 'h36m')
    n = len(frames)
    return dict(
        image_path=np.asarray(names),
        sample_id=np.asarray([osp.splitext(osp.basename(x))[0]
                              for x in names]),
        bbox_xywh=bbox_from_keypoints(kp2d, BBOX_SCALE),
        keypoints2d=kp2d,
        keypoints3d=kp3d,
        focal_length=np.tile(fit.focal_length, (n, 1)),
        principal_point=np.tile(fit.principal_point, (n, 1)),
        image_size=np.tile(np.asarray(IMAGE_SIZE[camera], np.int64),
                           (n, 1)),
    )


def output_name(split: str, protocol: int) -> str:
    """``h36m_train.npz`` / ``h36m_valid_protocol<p>.npz`` (SPIN's and
    mmhuman3d's names, which hmrzoo's configs read)."""
    return 'h36m_train.npz' if split == 'train' else \
        f'h36m_valid_protocol{protocol}.npz'


@register_converter('h36m', SPLITS, 'Human3.6M D3_Positions_mono / '
                    'D2_Positions (17 joints; optional frame extraction)')
def convert_h36m(root: str, out_dir: str, split: str = 'train',
                 protocol: int = 2, frame_step: int = 5,
                 extract_frames: bool = False,
                 subjects: Optional[List[int]] = None) -> List[str]:
    """Convert one split of Human3.6M.

    Args:
        root: the release root holding ``S1``, ``S5``, ... ``S11``.
        out_dir: output folder.
        split: ``'train'`` (S1, S5-S8, every camera) or ``'test'`` (S9, S11).
        protocol: test only: 1 = the four cameras, 2 = camera 60457274.
        frame_step: keep every ``frame_step``-th frame (from frame 0).
        extract_frames: write the kept video frames to ``<root>/images``.
        subjects: subject numbers to convert instead of the split's.

    Returns:
        list[str]: the file written (``h36m_train.npz`` or
        ``h36m_valid_protocol<protocol>.npz``).
    """
    if split not in SPLITS:
        raise ValueError(f'h36m has splits {SPLITS}, not {split!r}')
    protocol = as_positive_int(protocol, 'protocol')
    if protocol not in (1, 2):
        raise ValueError(f'option protocol={protocol}: expected 1 or 2')
    frame_step = as_positive_int(frame_step, 'frame_step')
    extract = as_flag(extract_frames, 'extract_frames')
    subject_list = as_index_list(subjects, SUBJECTS[split], 'subjects')
    front_only = split == 'test' and protocol == 2

    jobs = []
    for subject in subject_list:
        folder = require_path(root, f'S{subject}', 'MyPoseFeatures',
                              'D3_Positions_mono',
                              what=f'3D joints of subject S{subject}')
        for path in sorted(glob.glob(osp.join(folder, '*.cdf'))):
            action, camera = osp.basename(path)[:-4].rsplit('.', 1)
            if action.startswith('_ALL'):
                continue
            if front_only and camera != FRONT_CAMERA:
                continue
            jobs.append((subject, path))
    if not jobs:
        raise FileNotFoundError(f'no D3_Positions_mono/*.cdf sequence files '
                                f'for subjects {subject_list} under {root}')
    parts = [convert_sequence(root, subject, path, frame_step, extract)
             for subject, path in tqdm(jobs, desc=f'h36m {split}',
                                       unit='seq')]
    parts = [p for p in parts if p is not None]
    if not parts:
        raise ValueError(f'h36m {split}: no frame left to write')
    data = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    what = ('train: every camera' if split == 'train' else
            f'protocol {protocol}: ' + (f'camera {FRONT_CAMERA}'
                                        if front_only else 'every camera'))
    out = osp.join(out_dir, output_name(split, protocol))
    n = save_annotations(
        out, data, dataset='h36m', split=split,
        protocol=f'h36m {what}; subjects '
                 f'{",".join("S%d" % s for s in subject_list)}; every '
                 f'{frame_step}th frame of 50 Hz')
    logger.info('h36m %s: %d samples from %d sequences -> %s', split, n,
                len(jobs), out)
    return [out]
