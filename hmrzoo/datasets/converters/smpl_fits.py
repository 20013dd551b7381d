"""Pieces shared by the converters of datasets that come with SMPL fits
(UP-3D, SSP-3D) and of pseudo-ground-truth fit files (EFT, SPIN-style
``.npz``).

* SPIN's box convention: a square of side ``200 * scale`` pixels centred on
  ``center`` (SPIN ``datasets/base_dataset.py`` crops with ``center`` and
  ``scale``; ``datasets/preprocess/*.py`` write ``scale = side / 200``).
* SPIN's crop camera: focal length 5000 px for a 224 px crop
  (``constants.py``: ``FOCAL_LENGTH = 5000.``, ``IMG_RES = 224``).
* SPIN's 24 "ground-truth" joints (the ``part`` / ``S`` arrays) are the
  last 24 of ``smpl_49``; they are placed into the storage convention by
  name.
* A 2D point with confidence 0 is absent: its coordinates are stored as 0
  (the rule of :mod:`.keypoints2d`).
* File names state their split (``coco_2014_train.npz``,
  ``h36m_valid_protocol2.npz``, ``COCO2014-Val-ver10.json``):
  :func:`split_from_name` reads it, so that a converter of one such file
  writes it once, under its own split.
"""
import os.path as osp
import re
from typing import Dict, Sequence

import numpy as np
from mmengine.logging import print_log

from ...conventions import get_keypoint_num
from ..human_data import keypoints_to_superset
from .keypoints2d import superset_2d

#: SPIN's focal length (pixels) of its 224 x 224 crop camera.
SPIN_FOCAL_LENGTH = 5000.
#: SPIN's crop size (pixels).
SPIN_CROP_SIZE = 224
#: SPIN's box unit: ``scale`` is the box side in units of 200 pixels.
PIXEL_STD = 200.
#: the pseudo split name of files that state none.
DEFAULT_SPLIT = 'train'

_SPLIT_TOKENS = {'train': 'train', 'trainval': 'train', 'val': 'val',
                 'valid': 'val', 'validation': 'val', 'test': 'test'}
_GENDER_CODES = {'m': 'male', 'male': 'male', 'f': 'female',
                 'female': 'female', 'n': 'neutral', 'neutral': 'neutral'}


def box_from_center_scale(center, scale) -> np.ndarray:
    """SPIN's (center, scale) boxes as (N, 4) xywh pixels.

    Args:
        center: (N, 2) box centres x, y (pixels).
        scale: (N,) or (N, 1) box side / 200.

    Returns:
        np.ndarray: (N, 4) float64 squares of side ``200 * scale``.
    """
    center = np.asarray(center, np.float64).reshape(-1, 2)
    side = np.asarray(scale, np.float64).reshape(-1) * PIXEL_STD
    return np.concatenate([center - side[:, None] / 2,
                           np.stack([side, side], axis=1)], axis=1)


def square_box(center, side, factor: float = 1.) -> np.ndarray:
    """(N, 4) xywh squares of side ``side * factor`` centred on ``center``
    (N, 2) x, y pixels."""
    return box_from_center_scale(
        center, np.asarray(side, np.float64).reshape(-1) * factor / PIXEL_STD)


def spin24_to_superset(keypoints, confidence) -> np.ndarray:
    """SPIN's 24 ground-truth joints (N, 24, D) (D = 2 pixels or 3 metres)
    with confidence (N, 24) in the storage convention, by name (they are
    the last 24 names of ``smpl_49``); 2D absent points get 0."""
    kps = np.asarray(keypoints, np.float64)
    num = len(kps)
    open_slots = get_keypoint_num('smpl_49') - 24
    kps = np.concatenate([np.zeros((num, open_slots, kps.shape[-1])), kps],
                         axis=1)
    conf = np.concatenate([np.zeros((num, open_slots)),
                           np.asarray(confidence, np.float64)], axis=1)
    if kps.shape[-1] == 2:
        return superset_2d(kps, conf, 'smpl_49')
    return keypoints_to_superset(kps, 'smpl_49', conf)


def smpl_fields(pose, betas, transl=None, has_smpl=None,
                source: str = '<fits>') -> Dict[str, np.ndarray]:
    """The annotation format's SMPL keys from SMPL's 72 pose numbers.

    Args:
        pose: (N, 72) axis-angle of SMPL's 24 joints (root first).
        betas: (N, B) shape coefficients; the first 10 are kept, fewer are
            padded with zeros.
        transl: (N, 3) metres, camera frame; None: zeros (unknown).
        has_smpl: (N,) which rows hold a fit; None: all.
        source: named in error messages.

    Returns:
        dict: ``smpl_global_orient`` (N, 3), ``smpl_body_pose`` (N, 69),
        ``smpl_betas`` (N, 10), ``smpl_transl`` (N, 3), ``has_smpl`` (N,).

    Raises:
        ValueError: pose is not (N, 72) or betas has another N.
    """
    pose = np.asarray(pose, np.float64)
    if pose.ndim != 2 or pose.shape[1] != 72:
        raise ValueError(f'{source}: SMPL pose has shape {pose.shape}, '
                         'expected (N, 72) axis-angle')
    num = len(pose)
    betas = np.asarray(betas, np.float64).reshape(num, -1)[:, :10]
    betas = np.pad(betas, ((0, 0), (0, 10 - betas.shape[1])))
    transl = np.zeros((num, 3)) if transl is None else \
        np.asarray(transl, np.float64).reshape(num, 3)
    has_smpl = np.ones(num, bool) if has_smpl is None else \
        np.asarray(has_smpl).reshape(num).astype(bool)
    return {'smpl_global_orient': pose[:, :3], 'smpl_body_pose': pose[:, 3:],
            'smpl_betas': betas, 'smpl_transl': transl,
            'has_smpl': has_smpl}


def gender_names(codes: Sequence, source: str) -> np.ndarray:
    """Gender codes of a release (``'m'`` / ``'f'``, also full words,
    bytes or 1-element arrays) as the format's names.

    Raises:
        ValueError: a code that is none of these, naming ``source``.
    """
    out = []
    for code in np.asarray(codes).reshape(len(codes), -1)[:, 0]:
        text = code.decode() if isinstance(code, bytes) else str(code)
        if text.strip().lower() not in _GENDER_CODES:
            raise ValueError(f'{source}: gender {text!r} is none of '
                             f'{sorted(_GENDER_CODES)}')
        out.append(_GENDER_CODES[text.strip().lower()])
    return np.asarray(out, dtype=str)


def as_text(values) -> np.ndarray:
    """(N,) strings from a str / bytes array (npz files written by Python 2
    hold bytes)."""
    values = np.asarray(values).reshape(-1)
    if values.dtype.kind == 'S':
        values = np.char.decode(values, 'utf-8')
    return values.astype(str)


def split_from_name(path: str) -> str:
    """The split a file name states: a ``_``/``-``/``.`` separated token
    ``train``/``trainval`` -> ``'train'``, ``val``/``valid``/``validation``
    -> ``'val'``, ``test`` -> ``'test'``; none -> :data:`DEFAULT_SPLIT`."""
    tokens = re.split(r'[^a-z0-9]+', osp.splitext(osp.basename(path))[0]
                      .lower())
    found = [_SPLIT_TOKENS[t] for t in tokens if t in _SPLIT_TOKENS]
    return found[-1] if found else DEFAULT_SPLIT


def output_name(prefix: str, path: str) -> str:
    """``<prefix>_<file stem>.npz`` with the stem lower-cased and runs of
    other characters than letters / digits as ``_``
    (``COCO2014-All-ver01.json`` -> ``eft_coco2014_all_ver01.npz``)."""
    stem = osp.splitext(osp.basename(path))[0].lower()
    return f'{prefix}_{re.sub(r"[^a-z0-9]+", "_", stem).strip("_")}.npz'


def skip_other_split(split: str, path: str) -> bool:
    """True (and a log line) when ``path`` holds another split than the
    requested one: file-driven converters then write nothing for it."""
    own = split_from_name(path)
    if own != split:
        print_log(f'{osp.basename(path)} holds the {own!r} split (from its '
                  f'name): nothing to write for split {split!r}',
                  logger='current')
    return own != split


def warn_missing_image(root: str, image_paths: Sequence[str],
                       source: str) -> None:
    """Log a warning when the first image is not under ``root``: the
    output is still written (converters read no pixels), but ``--root``
    is probably not the image root that ``image_path`` is relative to."""
    if len(image_paths) and not osp.exists(osp.join(root, image_paths[0])):
        print_log(f'{source}: image {str(image_paths[0])!r} is not under '
                  f'{root!r}; image_path is relative to --root, which should '
                  'be the dataset\'s image root', logger='current',
                  level=30)
