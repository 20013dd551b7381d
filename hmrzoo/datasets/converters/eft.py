"""EFT pseudo-ground-truth fits -> hmrzoo annotations (``--dataset eft``).

EFT (Exemplar Fine-Tuning, ``facebookresearch/eft``) releases one json of
SMPL fits per 2D-keypoint dataset (``scripts/download_eft.sh`` ->
``eft_fit/COCO2014-All-ver01.json``, ``COCO2014-Part-ver01.json``,
``MPII_ver01.json``, ``LSPet_ver01.json``, ...).  The images come from the
original datasets, so ``--root`` is that dataset's root and the json is
the option ``fits``::

    tools/convert_datasets.py --dataset eft --root data/datasets/coco \\
        --options fits=eft_fit/COCO2014-All-ver01.json source=coco

Facts relied on (``facebookresearch/eft``: ``docs/README_dataformat.md``,
``demo/visEFTFit.py``, ``eft/train/eftFitter.py``,
``eft/utils/geometry.py``, ``eft/utils/imutils.py``,
``eft/datasets/base_dataset.py``; mmhuman3d ``data_converters/eft.py``):

* The json is ``{'ver': ..., 'data': [fit, ...]}``; a fit has
  ``parm_pose`` (24 x 3 x 3 rotation matrices, root first), ``parm_shape``
  (10), ``parm_cam`` (3: ``s, tx, ty``), ``bbox_center`` (x, y pixels),
  ``bbox_scale`` (SPIN's box side / 200), ``imageName`` (the image's base
  name), ``gt_keypoint_2d`` (49 x 3: SPIN's 25 OpenPose + 24 ground-truth
  joints in image pixels, the ``keypoints_original`` of EFT's dataset),
  ``annotId`` (COCO annotation id), ``smpltype`` (``'smpl'``) and
  ``joint_validity_openpose18``.  The model is the neutral SMPL
  (``basicModel_neutral_lbs_10_207_0_v1.0.0.pkl`` in ``visEFTFit.py``).
* The fit's camera is weak-perspective on SPIN's 224 x 224 crop of the
  box: ``x_n = s * X + (tx, ty)`` in crop coordinates normalised to
  [-1, 1] (``weakProjection_gpu``, used by the fitting loss; ``X`` is the
  SMPL output without translation); i.e. an image pixel is ``c + (b / 2)
  * (s X + t)`` with ``b = 200 * bbox_scale`` and ``c = bbox_center``.
* Image folders (SPIN ``datasets/preprocess/{coco,mpii,hr_lspet}.py``):
  COCO ``train2014/<name>`` (``val2014`` for the val fits), MPII
  ``images/<name>``, LSP-extended ``<name>`` at its root.

How the fit is stored:

* ``smpl_global_orient`` is the root rotation w.r.t. the crop camera,
  whose axes are those of the image camera (SPIN-style crops are not
  rotated); the weak-perspective model ignores the perspective rotation of
  an off-centre box (CLIFF's point), so it is exact only for a box at the
  image centre.
* ``camera='none'`` (default): the real camera is unknown, so
  ``smpl_transl`` is zeros and no intrinsics are written.
* ``camera='crop'``: SPIN's perspective stand-in of the crop camera,
  focal 5000 px for 224 px: ``tz = 2 * 5000 / (224 s)`` and, because EFT
  adds ``(tx, ty)`` after scaling, ``(tx / s, ty / s)`` for x, y; written in
  image pixels as ``focal_length = 5000 * b / 224`` and ``principal_point
  = bbox_center``.  Projecting the fit with these reproduces EFT's
  weak-perspective 2D exactly for points at depth 0 (relative error
  ``Z / tz`` elsewhere, ~1 % for a body).
* Keypoints: the 24 ground-truth joints of ``gt_keypoint_2d`` by name (the
  25 OpenPose detections have no slot in the storage convention).
* Box: SPIN's square of side ``200 * bbox_scale`` around ``bbox_center``.
"""
import json
import os.path as osp
from typing import List, Optional

import numpy as np
import torch
from tqdm import tqdm

from ...utils.rotations import rotmat_to_axis_angle
from ..human_data import save_annotations
from .base import register_converter
from .readers import require_key
from .smpl_fits import (SPIN_CROP_SIZE, SPIN_FOCAL_LENGTH,
                        box_from_center_scale, output_name, skip_other_split,
                        smpl_fields, spin24_to_superset, split_from_name,
                        warn_missing_image)

#: source -> image folder under the dataset root (split 'val': COCO val).
IMAGE_DIRS = {'coco': 'train2014', 'mpii': 'images', 'lspet': ''}
CAMERAS = ('none', 'crop')


def crop_camera(cam: np.ndarray, center: np.ndarray, scale: np.ndarray,
                source: str = '<fits>'):
    """EFT's weak-perspective cameras as perspective cameras of the image.

    Args:
        cam: (N, 3) ``s, tx, ty`` (``x_n = s X + t`` on the crop, [-1, 1]).
        center: (N, 2) box centres, pixels.
        scale: (N,) box side / 200.
        source: named in the error message.

    Returns:
        tuple: ``transl`` (N, 3) metres, ``focal_length`` (N, 2) and
        ``principal_point`` (N, 2) pixels; see the module docstring.

    Raises:
        ValueError: a camera scale ``s <= 0`` (no valid depth).
    """
    s = cam[:, 0]
    if np.any(s <= 0):
        bad = int(np.flatnonzero(s <= 0)[0])
        raise ValueError(f'{source}: fit {bad} has camera scale {s[bad]} '
                         '<= 0; use camera=none')
    transl = np.stack([cam[:, 1] / s, cam[:, 2] / s,
                       2 * SPIN_FOCAL_LENGTH / (SPIN_CROP_SIZE * s)], axis=1)
    focal = SPIN_FOCAL_LENGTH * box_from_center_scale(center, scale)[:, 2] \
        / SPIN_CROP_SIZE
    return transl, np.stack([focal, focal], axis=1), np.asarray(center)


def rotmats_to_pose(rotmats: np.ndarray) -> np.ndarray:
    """(N, 24, 3, 3) rotation matrices -> (N, 72) axis-angle."""
    aa = rotmat_to_axis_angle(torch.as_tensor(rotmats, dtype=torch.float64))
    return aa.reshape(len(rotmats), 72).numpy()


def _entry(fit: dict, key: str, index: int, source: str, shape=None):
    """``fit[key]`` (as a float array of ``shape`` when given), with
    errors naming the json, the fit's index and the key."""
    value = require_key(fit, key, f'{source} (data[{index}])')
    if shape is None:
        return value
    array = np.asarray(value, np.float64)
    if array.size != int(np.prod(shape)):
        raise ValueError(f'{source}: data[{index}][{key!r}] has '
                         f'{array.size} numbers, expected shape {shape}')
    return array.reshape(shape)


@register_converter('eft', splits=('train', 'val', 'test'),
                    description='EFT SMPL fits of COCO / MPII / LSP-extended')
def convert_eft(root: str, out_dir: str, split: str = 'train',
                fits: Optional[str] = None, source: Optional[str] = None,
                image_dir: Optional[str] = None,
                camera: str = 'none') -> List[str]:
    """Convert one EFT json to ``<out_dir>/eft_<json name>.npz``.

    Args:
        root: the image dataset's root (``image_path`` is relative to it).
        out_dir: output folder.
        split: the split to write; the json is written only for the split
            its name states (``...-Val-...`` -> val, ``..._test_...`` ->
            test, otherwise train), so a run without ``--split`` writes it
            once.
        fits: the EFT json.
        source: ``'coco'``, ``'mpii'`` or ``'lspet'``: the image folder.
        image_dir: image folder under ``root`` instead of the source's.
        camera: ``'none'`` or ``'crop'`` (see the module docstring).

    Returns:
        list[str]: the file written (empty for another split).
    """
    camera = 'none' if camera is None else camera
    if fits is None or source not in IMAGE_DIRS or camera not in CAMERAS:
        raise ValueError('eft needs --options fits=<EFT json> source=<one of '
                         f'{sorted(IMAGE_DIRS)}> [camera={"|".join(CAMERAS)}]'
                         f'; got fits={fits!r} source={source!r} '
                         f'camera={camera!r}')
    if not osp.isfile(fits):
        raise FileNotFoundError(f'EFT fits file not found: {fits} (the json '
                                'of scripts/download_eft.sh in eft_fit/)')
    if skip_other_split(split, fits):
        return []
    with open(fits) as f:
        content = json.load(f)
    entries = require_key(content, 'data', fits, 'the list of fits')
    if image_dir is None:
        image_dir = 'val2014' if (source, split_from_name(fits)) == \
            ('coco', 'val') else IMAGE_DIRS[source]
    num = len(entries)
    rotmats, betas, cams = np.zeros((num, 24, 3, 3)), np.zeros((num, 10)), \
        np.zeros((num, 3))
    centers, scales = np.zeros((num, 2)), np.zeros(num)
    keypoints = np.zeros((num, 49, 3))
    image_path, sample_id = [], []
    for i, fit in enumerate(tqdm(entries, desc=f'eft {osp.basename(fits)}')):
        if fit.get('smpltype', 'smpl') != 'smpl':
            raise ValueError(f'{fits}: data[{i}] is a {fit["smpltype"]!r} '
                             'fit; this converter reads SMPL fits')
        rotmats[i] = _entry(fit, 'parm_pose', i, fits, (24, 3, 3))
        betas[i] = _entry(fit, 'parm_shape', i, fits, (10,))
        cams[i] = _entry(fit, 'parm_cam', i, fits, (3,))
        centers[i] = _entry(fit, 'bbox_center', i, fits, (2,))
        scales[i] = _entry(fit, 'bbox_scale', i, fits, (1,))[0]
        if 'gt_keypoint_2d' in fit:
            keypoints[i] = _entry(fit, 'gt_keypoint_2d', i, fits, (49, 3))
        name = osp.basename(str(_entry(fit, 'imageName', i, fits)))
        image_path.append(osp.join(image_dir, name) if image_dir else name)
        sample_id.append(f'{osp.splitext(name)[0]}/'
                         f'{fit.get("annotId", i)}')
    warn_missing_image(root, image_path, fits)
    transl = focal = principal = None
    if camera == 'crop':
        transl, focal, principal = crop_camera(cams, centers, scales, fits)
    data = {
        'image_path': np.asarray(image_path, str),
        'sample_id': np.asarray(sample_id, str),
        'bbox_xywh': box_from_center_scale(centers, scales),
        'keypoints2d': spin24_to_superset(keypoints[:, 25:, :2],
                                          keypoints[:, 25:, 2]),
        'gender': np.full(num, 'neutral'),
        **smpl_fields(rotmats_to_pose(rotmats), betas, transl, source=fits),
    }
    if camera == 'crop':
        data.update(focal_length=focal, principal_point=principal)
    out = osp.join(out_dir, output_name('eft', fits))
    save_annotations(out, data, dataset=source, split=split,
                     smpl_source='eft',
                     protocol=f'EFT fits ({osp.basename(fits)}): neutral '
                     'SMPL, global orient w.r.t. the crop camera; '
                     f'camera={camera}')
    return [out]
