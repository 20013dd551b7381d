"""MPI-INF-3DHP -> hmrzoo annotations (3D / 2D joints; no SMPL).

Official layout (the release's download script; SPIN
``datasets/preprocess/mpi_inf_3dhp.py``, mmhuman3d
``data_converters/mpi_inf_3dhp.py`` and mmpose
``tools/dataset_converters/preprocess_mpi_inf_3dhp.py`` read it)::

    <root>/S{1..8}/Seq{1,2}/annot.mat
    <root>/S{1..8}/Seq{1,2}/camera.calibration
    <root>/S{1..8}/Seq{1,2}/imageSequence/video_<camera>.avi
    <root>/mpi_inf_3dhp_test_set/TS{1..6}/annot_data.mat
    <root>/mpi_inf_3dhp_test_set/TS{1..6}/imageSequence/img_%06d.jpg

Training set facts:

* ``annot.mat`` is MATLAB v5 (``scipy.io.loadmat``); ``annot2``,
  ``annot3`` and ``univ_annot3`` are cells with one entry per camera (14
  cameras, shape (14, 1)); entry ``[c][0]`` is (frames, 28 * 2) pixels or
  (frames, 28 * 3) millimetres in camera ``c``'s frame (``univ_annot3``:
  the same skeleton rescaled to a universal body height).  The 28 joints
  are hmrzoo's ``mpi_inf_3dhp_28`` convention (SPIN's ``joints17_idx``
  picks the 17 H36M-like ones out of them by the same names).
* ``camera.calibration`` is a "Skeletool Camera Calibration File V1.0":
  per camera a ``name <id>`` line followed by ``sensor``, ``size W H``,
  ``animated``, ``intrinsic`` (4 x 4 row-major: fx, cx in row 0, fy, cy in
  row 1), ``extrinsic`` and ``radial`` lines.
* Cameras 0, 1, 2, 4, 5, 6, 7, 8 are used for training (SPIN, mmhuman3d,
  mmpose).  SPIN extracts every frame of ``video_<c>.avi`` to
  ``imageFrames/video_<c>/frame_%06d.jpg`` (counted from 1); the same
  paths are used here, and ``extract_frames=True`` writes the kept frames
  there.
* Frames kept (SPIN): those whose 17 joints all lie inside the image, then
  every 10th of them (``frame_step``) counted across subjects, sequences
  and cameras in that order.

Test set facts:

* ``annot_data.mat`` is MATLAB v7.3, i.e. HDF5 (``h5py``): ``annot2``
  (frames, 1, 17, 2), ``annot3`` / ``univ_annot3`` (frames, 1, 17, 3)
  millimetres, ``valid_frame`` (frames, 1); the 17 joints are hmrzoo's
  ``mpi_inf_3dhp`` convention.  Images ``imageSequence/img_%06d.jpg`` are
  counted from 1.
* Frames kept: ``valid_frame`` set and (SPIN) all 17 joints inside the
  image, which is 2048 x 2048 for TS1-TS4 (studio) and 1920 x 1080 for
  TS5-TS6 (outdoor; mmpose's preprocessing).
* The test set ships no intrinsics; like mmpose's preprocessing they are
  fitted per sequence by least squares from ``annot3`` / ``annot2``
  (:func:`~.camera_fit.fit_pinhole_intrinsics`).
* ``keypoints3d`` hold ``univ_annot3`` by default, the ground truth of the
  official evaluation script and of SPIN's / mmhuman3d's test files
  (``annot3_key='annot3'`` stores the metric skeleton instead); training
  uses ``annot3``.

The release has no SMPL fits, so the output has no ``smpl_*`` keys.  Of
the 28 training joints only the 17 names the storage convention
(``smpl_54``) holds are kept.  ``keypoints3d`` are metres in the camera
frame, not root-centred; ``bbox_xywh`` is the box of the 2D joints
enlarged 1.2 times (SPIN's factor).
"""
import logging
import os.path as osp
from typing import Dict, List, Optional, Tuple

import numpy as np
from tqdm import tqdm

from ..human_data import keypoints_to_superset, save_annotations
from .base import bbox_from_keypoints, register_converter, require_path
from .camera_fit import fit_pinhole_intrinsics
from .readers import as_flag, as_index_list, as_positive_int, require_key
from .video_frames import extract_frames as extract_video_frames

logger = logging.getLogger(__name__)

SPLITS = ('train', 'test')
TRAIN_SUBJECTS = tuple(range(1, 9))
TRAIN_SEQUENCES = (1, 2)
TRAIN_CAMERAS = (0, 1, 2, 4, 5, 6, 7, 8)
TEST_SEQUENCES = tuple(range(1, 7))
TEST_IMAGE_SIZE = {1: (2048, 2048), 2: (2048, 2048), 3: (2048, 2048),
                   4: (2048, 2048), 5: (1920, 1080), 6: (1920, 1080)}
TEST_DIR = 'mpi_inf_3dhp_test_set'
ANNOT3_KEYS = ('annot3', 'univ_annot3')
BBOX_SCALE = 1.2
CALIBRATION_HEADER = 'Skeletool Camera Calibration File V1.0'


def read_calibration(path: str) -> Dict[int, dict]:
    """Parse a ``camera.calibration`` file.

    Returns:
        dict: camera id -> ``dict(size=(W, H), focal_length=(2,),
        principal_point=(2,))``.
    """
    with open(path) as f:
        lines = [line.split() for line in f]
    if not lines or ' '.join(lines[0]) != CALIBRATION_HEADER:
        raise ValueError(f'{path}: expected a first line '
                         f'{CALIBRATION_HEADER!r}')
    cameras, current = {}, None
    for number, fields in enumerate(lines[1:], start=2):
        if not fields:
            continue
        key, values = fields[0], fields[1:]
        try:
            if key == 'name':
                current = cameras.setdefault(int(values[0]), {})
            elif key == 'size' and current is not None:
                current['size'] = (int(values[0]), int(values[1]))
            elif key == 'intrinsic' and current is not None:
                matrix = np.asarray(values, np.float64).reshape(4, 4)
                current['focal_length'] = matrix[[0, 1], [0, 1]]
                current['principal_point'] = matrix[[0, 1], [2, 2]]
        except (ValueError, IndexError):
            raise ValueError(f'{path}, line {number}: cannot read '
                             f'{key!r} values {values}') from None
    for camera, entry in cameras.items():
        for key in ('size', 'focal_length'):
            if key not in entry:
                raise ValueError(f'{path}: camera {camera} has no '
                                 f'{"intrinsic" if key != "size" else key} '
                                 'line')
    return cameras


def _rows(image_path, sample_id, kp2d, kp3d, focal, principal, size
          ) -> Dict[str, np.ndarray]:
    n = len(image_path)
    return dict(
        image_path=np.asarray(image_path),
        sample_id=np.asarray(sample_id),
        bbox_xywh=bbox_from_keypoints(kp2d, BBOX_SCALE),
        keypoints2d=kp2d,
        keypoints3d=kp3d,
        focal_length=np.tile(np.asarray(focal, np.float64), (n, 1)),
        principal_point=np.tile(np.asarray(principal, np.float64), (n, 1)),
        image_size=np.tile(np.asarray(size, np.int64), (n, 1)),
    )


def inside_image(kp2d: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """(N,) whether every stored (confidence > 0) 2D joint of (N, K, 3)
    lies in ``[0, W) x [0, H)``."""
    x, y, stored = kp2d[..., 0], kp2d[..., 1], kp2d[..., 2] > 0
    ok = (x >= 0) & (x < size[0]) & (y >= 0) & (y < size[1])
    return (ok | ~stored).all(axis=1)


def _camera_cell(cells, camera: int, path: str, key: str, dims: int
                 ) -> np.ndarray:
    try:
        array = np.asarray(cells[camera][0], np.float64)
    except IndexError:
        raise ValueError(f'{path}: {key!r} has no entry for camera '
                         f'{camera} (shape {np.shape(cells)})') from None
    if array.ndim != 2 or array.shape[1] != 28 * dims:
        raise ValueError(f'{path}: {key}[{camera}] has shape {array.shape}, '
                         f'expected (frames, {28 * dims})')
    return array.reshape(len(array), 28, dims)


def convert_train(root: str, subjects: List[int], cameras: List[int],
                  frame_step: int, extract: bool, annot3_key: str
                  ) -> List[Dict[str, np.ndarray]]:
    """Rows of the training set (see the module docstring)."""
    from scipy.io import loadmat
    parts, counter = [], 0
    jobs = [(s, q) for s in subjects for q in TRAIN_SEQUENCES]
    for subject, seq in tqdm(jobs, desc='mpi_inf_3dhp train', unit='seq'):
        seq_dir = osp.join(f'S{subject}', f'Seq{seq}')
        annot_path = require_path(root, seq_dir, 'annot.mat',
                                  what='MATLAB annotations of the sequence')
        annot = loadmat(annot_path)
        annot2 = require_key(annot, 'annot2', annot_path, '2D joints')
        annot3 = require_key(annot, annot3_key, annot_path, '3D joints')
        calibration = read_calibration(require_path(
            root, seq_dir, 'camera.calibration', what='camera parameters'))
        for camera in cameras:
            if camera not in calibration:
                raise ValueError(f'{root}/{seq_dir}/camera.calibration has '
                                 f'no camera {camera}')
            joints2d = _camera_cell(annot2, camera, annot_path, 'annot2', 2)
            joints3d = _camera_cell(annot3, camera, annot_path, annot3_key,
                                    3)
            if len(joints2d) != len(joints3d):
                raise ValueError(f'{annot_path}: camera {camera} has '
                                 f'{len(joints2d)} 2D but {len(joints3d)} '
                                 '3D frames')
            kp2d = keypoints_to_superset(joints2d, 'mpi_inf_3dhp_28')
            cam = calibration[camera]
            keep = []
            for frame in np.nonzero(inside_image(kp2d, cam['size']))[0]:
                counter += 1
                if (counter - 1) % frame_step == 0:
                    keep.append(frame)
            keep = np.asarray(keep, np.int64)
            video_dir = osp.join(seq_dir, 'imageFrames', f'video_{camera}')
            names = [osp.join(video_dir, f'frame_{f + 1:06d}.jpg')
                     for f in keep]
            if extract and len(keep):
                video = osp.join(root, seq_dir, 'imageSequence',
                                 f'video_{camera}.avi')
                missing = set(extract_video_frames(
                    video, {f: osp.join(root, n)
                            for f, n in zip(keep, names)}))
                if missing:
                    logger.warning('%s ends before frames %s; dropping '
                                   'those rows', video, sorted(missing)[:5])
                    ok = [f not in missing for f in keep]
                    keep = keep[ok]
                    names = [n for n, k in zip(names, ok) if k]
            if not len(keep):
                continue
            parts.append(_rows(
                names,
                [f'S{subject}/Seq{seq}/video_{camera}/{f + 1:06d}'
                 for f in keep],
                kp2d[keep],
                keypoints_to_superset(joints3d[keep] / 1000.,
                                      'mpi_inf_3dhp_28'),
                cam['focal_length'], cam['principal_point'], cam['size']))
    return parts


def _test_array(annot, key: str, path: str, dims: int) -> np.ndarray:
    array = np.asarray(require_key(annot, key, path), np.float64)
    if array.size % (17 * dims):
        raise ValueError(f'{path}: {key!r} has shape {array.shape}, '
                         f'expected (frames, 1, 17, {dims})')
    return array.reshape(-1, 17, dims)


def convert_test(root: str, sequences: List[int], frame_step: int,
                 annot3_key: str) -> List[Dict[str, np.ndarray]]:
    """Rows of the test set (see the module docstring)."""
    import h5py
    parts = []
    for seq in tqdm(sequences, desc='mpi_inf_3dhp test', unit='seq'):
        if seq not in TEST_IMAGE_SIZE:
            raise ValueError(f'the test set has sequences TS1-TS6, not '
                             f'TS{seq}')
        seq_dir = osp.join(TEST_DIR, f'TS{seq}')
        path = require_path(root, seq_dir, 'annot_data.mat',
                            what='MATLAB v7.3 annotations of the sequence')
        with h5py.File(path, 'r') as annot:
            joints2d = _test_array(annot, 'annot2', path, 2)
            metric3d = _test_array(annot, 'annot3', path, 3)
            joints3d = _test_array(annot, annot3_key, path, 3)
            valid = np.asarray(require_key(annot, 'valid_frame', path)
                               ).reshape(-1).astype(bool)
        if not (len(joints2d) == len(metric3d) == len(joints3d) ==
                len(valid)):
            raise ValueError(f'{path}: annot2, annot3, {annot3_key} and '
                             'valid_frame hold different frame counts')
        size = TEST_IMAGE_SIZE[seq]
        fit = fit_pinhole_intrinsics(metric3d[valid], joints2d[valid], path)
        kp2d = keypoints_to_superset(joints2d, 'mpi_inf_3dhp')
        frames = np.nonzero(valid & inside_image(kp2d, size))[0]
        frames = frames[::frame_step]
        if not len(frames):
            continue
        parts.append(_rows(
            [osp.join(seq_dir, 'imageSequence', f'img_{f + 1:06d}.jpg')
             for f in frames],
            [f'TS{seq}/img_{f + 1:06d}' for f in frames],
            kp2d[frames],
            keypoints_to_superset(joints3d[frames] / 1000., 'mpi_inf_3dhp'),
            fit.focal_length, fit.principal_point, size))
    return parts


@register_converter('mpi_inf_3dhp', SPLITS, 'MPI-INF-3DHP training '
                    'sequences / test set (17 joints; optional frame '
                    'extraction)')
def convert_mpi_inf_3dhp(root: str, out_dir: str, split: str = 'train',
                         frame_step: Optional[int] = None,
                         extract_frames: bool = False,
                         subjects: Optional[List[int]] = None,
                         cameras: Optional[List[int]] = None,
                         annot3_key: Optional[str] = None) -> List[str]:
    """Convert one split of MPI-INF-3DHP to
    ``out_dir/mpi_inf_3dhp_<split>.npz``.

    Args:
        root: the release root (``S1`` ... ``S8``, ``mpi_inf_3dhp_test_set``).
        out_dir: output folder.
        split: ``'train'`` or ``'test'``.
        frame_step: keep every n-th usable frame; default 10 for train
            (SPIN), 1 for test.
        extract_frames: train only: write the kept frames of the videos.
        subjects: train: subject numbers (default 1-8); test: TS numbers
            (default 1-6).
        cameras: train cameras (default 0, 1, 2, 4, 5, 6, 7, 8).
        annot3_key: ``'annot3'`` or ``'univ_annot3'`` (default: ``annot3``
            for train, ``univ_annot3`` for test).

    Returns:
        list[str]: the file written.
    """
    if split not in SPLITS:
        raise ValueError(f'mpi_inf_3dhp has splits {SPLITS}, not {split!r}')
    if frame_step is None:
        frame_step = 10 if split == 'train' else 1
    step = as_positive_int(frame_step, 'frame_step')
    extract = as_flag(extract_frames, 'extract_frames')
    key = annot3_key or ('annot3' if split == 'train' else 'univ_annot3')
    if key not in ANNOT3_KEYS:
        raise ValueError(f'option annot3_key={key!r}: expected one of '
                         f'{ANNOT3_KEYS}')
    if split == 'train':
        subject_list = as_index_list(subjects, TRAIN_SUBJECTS, 'subjects')
        camera_list = as_index_list(cameras, TRAIN_CAMERAS, 'cameras')
        parts = convert_train(root, subject_list, camera_list, step, extract,
                              key)
        what = (f'train: S{",S".join(map(str, subject_list))}, cameras '
                f'{",".join(map(str, camera_list))}; joints inside the '
                f'image; every {step}th such frame')
    else:
        subject_list = as_index_list(subjects, TEST_SEQUENCES, 'subjects')
        parts = convert_test(root, subject_list, step, key)
        what = (f'test: TS{",TS".join(map(str, subject_list))}; valid_frame '
                f'and joints inside the image; every {step}th such frame')
    if not parts:
        raise ValueError(f'mpi_inf_3dhp {split}: no frame left to write')
    data = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    out = osp.join(out_dir, f'mpi_inf_3dhp_{split}.npz')
    n = save_annotations(out, data, dataset='mpi_inf_3dhp', split=split,
                         protocol=f'mpi_inf_3dhp {what}; keypoints3d from '
                                  f'{key}')
    logger.info('mpi_inf_3dhp %s: %d samples -> %s', split, n, out)
    return [out]
