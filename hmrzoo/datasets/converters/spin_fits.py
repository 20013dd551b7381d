"""SPIN-style preprocessed ``.npz`` -> hmrzoo annotations
(``--dataset spin_fits``).

SPIN (``nkolot/SPIN``: ``fetch_data.sh``, ``datasets/preprocess/*.py``)
and works built on it (EFT's ``eftToNpz.py``, CLIFF) distribute one
``.npz`` per dataset split (``coco_2014_train.npz``, ``mpii_train.npz``,
``mpi_inf_3dhp_train.npz``, ``3dpw_test.npz``, ...).  ``--root`` is the
image root its ``imgname`` entries are relative to (SPIN's
``config.DATASET_FOLDERS``) and the file is the option ``npz``::

    tools/convert_datasets.py --dataset spin_fits --root data/datasets/coco \\
        --options npz=data/dataset_extras/coco_2014_train.npz dataset=coco

Facts relied on (SPIN ``datasets/base_dataset.py``,
``datasets/preprocess/{coco,mpii,mpi_inf_3dhp,h36m_train,pw3d}.py``,
``constants.py``; mmhuman3d ``data_converters/spin.py``):

* Keys: ``imgname`` (N,), ``center`` (N, 2) pixels, ``scale`` (N,) box
  side / 200 (SPIN's preprocessing enlarges the tight box by 1.2 first);
  optional ``part`` (N, 24, 3) x, y pixels + visibility, ``S`` (N, 24, 4)
  metres + confidence, ``pose`` (N, 72) and ``shape`` (N, 10) with
  ``has_smpl`` (N,) (missing: every row has a fit, as ``BaseDataset``
  reads it), ``openpose`` (N, 25, 3) detections, ``gender`` (N,) ``'m'`` /
  ``'f'``; ``maskname`` / ``partname`` are not read.
* ``part`` and ``S`` follow SPIN's 24 ground-truth joints: the last 24 of
  ``constants.JOINT_NAMES`` (hmrzoo's ``smpl_49`` tail): LSP's 14, MPII's
  pelvis and thorax, Human3.6M's spine, jaw and head, then nose, eyes,
  ears.  ``part_convention`` names another 24-joint convention for files
  that use one.
* ``S`` is root-relative: the Human3.6M / MPI-INF-3DHP scripts subtract the
  root joint (``S17 -= S17[0]``); it keeps the camera's axes.  It is stored
  as ``keypoints3d`` unchanged (the protocol field says so).
* ``pose`` is in the camera frame (the 3DPW script rotates the root by the
  camera extrinsics); no translation is given: ``smpl_transl`` is zeros.
* OpenPose detections are not stored: the storage convention has no slot
  for detector output (SPIN trains with ``openpose_train_weight`` 0).
* Box: the square of side ``200 * scale`` around ``center``.
"""
import os.path as osp
from typing import List, Optional

import numpy as np

from ...conventions import get_keypoint_num
from ..human_data import keypoints_to_superset, save_annotations
from .base import register_converter
from .readers import require_key
from .keypoints2d import superset_2d
from .smpl_fits import (as_text, box_from_center_scale, gender_names,
                        output_name, skip_other_split, smpl_fields,
                        spin24_to_superset, warn_missing_image)

SPIN_24 = 'spin_24'


def _array(data, key: str, path: str, tail: tuple, num: int) -> np.ndarray:
    array = np.asarray(require_key(data, key, path))
    if key == 'scale' and array.shape == (num, 1):
        array = array[:, 0]
    if array.shape != (num,) + tail:
        raise ValueError(f'{path}: key {key!r} has shape {array.shape}, '
                         f'expected {(num,) + tail}')
    return array


def _joints(points: np.ndarray, convention: str) -> np.ndarray:
    """(N, 24, D + 1) coordinates + confidence of ``convention`` in the
    storage convention (D = 2: absent points get 0)."""
    coords, conf = points[..., :-1], points[..., -1]
    if convention == SPIN_24:
        return spin24_to_superset(coords, conf)
    if coords.shape[-1] == 2:
        return superset_2d(coords, conf, convention)
    return keypoints_to_superset(coords, convention, conf)


def read_spin_npz(path: str, part_convention: str = SPIN_24) -> dict:
    """A SPIN-style ``.npz`` as annotation arrays (no file-level fields).

    Raises:
        KeyError: a required key is missing (names the file and the key).
        ValueError: a key has the wrong shape, ``pose`` comes without
            ``shape`` (or the reverse), an unknown gender code, or a
            ``part_convention`` without 24 joints.
    """
    if part_convention != SPIN_24 and \
            get_keypoint_num(part_convention) != 24:
        raise ValueError(f'part_convention={part_convention!r} has '
                         f'{get_keypoint_num(part_convention)} joints, '
                         'expected 24')
    with np.load(path, allow_pickle=False) as npz:
        num = len(require_key(npz, 'imgname', path, 'image paths'))
        stem = osp.splitext(osp.basename(path))[0]
        data = {'image_path': as_text(npz['imgname']),
                'sample_id': np.asarray([f'{stem}/{i:06d}'
                                         for i in range(num)]),
                'bbox_xywh': box_from_center_scale(
                    _array(npz, 'center', path, (2,), num),
                    _array(npz, 'scale', path, (), num))}
        if 'part' in npz:
            data['keypoints2d'] = _joints(
                _array(npz, 'part', path, (24, 3), num), part_convention)
        if 'S' in npz:
            data['keypoints3d'] = _joints(
                _array(npz, 'S', path, (24, 4), num), part_convention)
        if ('pose' in npz) != ('shape' in npz):
            present = 'pose' if 'pose' in npz else 'shape'
            raise ValueError(f'{path}: has {present!r} without the other of '
                             "'pose' / 'shape'; SMPL fits need both")
        if 'pose' in npz:
            has_smpl = _array(npz, 'has_smpl', path, (), num) \
                if 'has_smpl' in npz else None
            data.update(smpl_fields(_array(npz, 'pose', path, (72,), num),
                                    _array(npz, 'shape', path, (10,), num),
                                    has_smpl=has_smpl, source=path))
        if 'gender' in npz:
            data['gender'] = gender_names(npz['gender'], path)
    return data


@register_converter('spin_fits', splits=('train', 'val', 'test'),
                    description='a SPIN-style preprocessed .npz (option npz)')
def convert_spin_fits(root: str, out_dir: str, split: str = 'train',
                      npz: Optional[str] = None,
                      dataset: Optional[str] = None,
                      smpl_source: str = 'spin',
                      part_convention: str = SPIN_24) -> List[str]:
    """Convert one SPIN-style file to ``<out_dir>/spin_<file name>.npz``.

    Args:
        root: the image root ``imgname`` is relative to.
        out_dir: output folder.
        split: the split to write; the file is written only for the split
            its name states (``_train`` / ``_valid`` / ``_test``; none:
            train), so a run without ``--split`` writes it once.
        npz: the SPIN-style file.
        dataset: the dataset's name (file-level ``dataset`` field).
        smpl_source: where its SMPL fits come from (``'spin'``,
            ``'eft'``, ``'mosh'``, ...).
        part_convention: convention of ``part`` / ``S`` (default SPIN's 24
            ground-truth joints).

    Returns:
        list[str]: the file written (empty for another split).
    """
    if npz is None or dataset is None:
        raise ValueError('spin_fits needs --options npz=<SPIN-style .npz> '
                         f'dataset=<name>; got npz={npz!r} '
                         f'dataset={dataset!r}')
    if not osp.isfile(npz):
        raise FileNotFoundError(f'SPIN-style file not found: {npz}')
    if skip_other_split(split, npz):
        return []
    data = read_spin_npz(npz, part_convention)
    warn_missing_image(root, data['image_path'], npz)
    out = osp.join(out_dir, output_name('spin', npz))
    root_note = '; keypoints3d root-relative (SPIN S)' \
        if 'keypoints3d' in data else ''
    save_annotations(out, data, dataset=str(dataset), split=split,
                     smpl_source=str(smpl_source),
                     protocol=f'converted from {osp.basename(npz)} '
                     f'(SPIN layout){root_note}')
    return [out]
