"""SSP-3D -> hmrzoo annotations (``--dataset ssp3d``).

Official layout (``ssp_3d.zip`` in the repository
``akashsengupta1997/SSP-3D``, unzipped)::

    <root>/labels.npz
    <root>/images/<fname>
    <root>/silhouettes/<fname>           (not stored: no field for masks)

Facts relied on (that repository: ``README.md``, ``data/ssp3d_dataset.py``,
``visualisation.py``, ``config.py``, ``utils/cam_utils.py``,
``utils/image_utils.py``; mmhuman3d ``data_converters/ssp3d.py`` reads the
same keys):

* ``labels.npz`` holds, per image: ``fnames`` (N,) file names under
  ``images/``, ``shapes`` (N, 10) SMPL betas, ``poses`` (N, 72) SMPL
  axis-angle (root first), ``cam_trans`` (N, 3), ``genders`` (N,) ``'m'``
  / ``'f'`` (the male / female SMPL model), ``joints2D`` (N, 17, 3) COCO
  keypoints x, y, confidence, ``bbox_centres`` (N, 2) and ``bbox_whs``
  (N,) (a tight square box).
* Camera: ``visualisation.py`` runs SMPL without translation and projects
  ``vertices + cam_trans`` with no rotation, ``FOCAL_LENGTH = 5000.``
  (``config.py``) and the principal point at the centre of the 512 x 512
  image (``get_intrinsics_matrix(512, 512, f)``), OpenCV axes.  Hence
  ``smpl_transl = cam_trans`` exactly (SMPL's ``transl`` shifts every
  vertex), ``focal_length = (5000, 5000)``, ``principal_point = (256,
  256)``; every image must be 512 x 512 (read from its header).
* ``bbox_centres`` are (row, column) = (y, x): the box comes from
  ``np.argwhere`` on the silhouette (rows first, STRAPS
  ``utils/image_utils.py``), and the dataset class crops
  ``image[c0 - wh/2 : c0 + wh/2, c1 - wh/2 : c1 + wh/2]``.  The stored box
  is that square enlarged by ``bbox_scale`` (1.2, the factor STRAPS crops
  with).
"""
import os.path as osp
from typing import List

import numpy as np
from tqdm import tqdm

from ..human_data import save_annotations
from .base import register_converter, require_path
from .readers import read_image_size, require_key
from .keypoints2d import superset_2d
from .smpl_fits import as_text, gender_names, smpl_fields, square_box

#: SSP-3D's focal length (pixels) and image side (pixels).
FOCAL_LENGTH = 5000.
IMAGE_SIZE = 512
#: key -> (expected shape after N, what it holds).
LABELS = {
    'fnames': ((), 'image file names'),
    'shapes': ((10,), 'SMPL betas'),
    'poses': ((72,), 'SMPL axis-angle'),
    'cam_trans': ((3,), 'SMPL translation in the camera frame'),
    'genders': ((), "'m' / 'f'"),
    'joints2D': ((17, 3), 'COCO keypoints x, y, confidence'),
    'bbox_centres': ((2,), 'box centre (row, column)'),
    'bbox_whs': ((), 'square box side'),
}


def read_labels(path: str) -> dict:
    """``labels.npz`` as a dict, every key checked for its shape."""
    with np.load(path, allow_pickle=False) as npz:
        labels = {key: require_key(npz, key, path, what)
                  for key, (_, what) in LABELS.items()}
    num = len(labels['fnames'])
    for key, (tail, what) in LABELS.items():
        array = np.asarray(labels[key])
        if key == 'bbox_whs' and array.shape == (num, 1):
            array = array[:, 0]
        if array.shape != (num,) + tail:
            raise ValueError(f'{path}: key {key!r} ({what}) has shape '
                             f'{array.shape}, expected {(num,) + tail}')
        labels[key] = array
    return labels


@register_converter('ssp3d', splits=('test',),
                    description='SSP-3D: sports images, SMPL shape labels')
def convert_ssp3d(root: str, out_dir: str, split: str = 'test',
                  bbox_scale: float = 1.2) -> List[str]:
    """Convert SSP-3D to ``<out_dir>/ssp3d_test.npz``.

    Args:
        root: the unzipped ``ssp_3d`` folder.
        out_dir: output folder.
        split: ``'test'`` (SSP-3D is an evaluation set).
        bbox_scale: enlargement of the official tight square box.

    Returns:
        list[str]: the file written.
    """
    path = require_path(root, 'labels.npz', what='SSP-3D labels')
    labels = read_labels(path)
    fnames = as_text(labels['fnames'])
    for fname in tqdm(fnames, desc='ssp3d'):
        image = require_path(root, 'images', fname, what='SSP-3D image')
        size = read_image_size(image)
        if size != (IMAGE_SIZE, IMAGE_SIZE):
            raise ValueError(f'{image}: size {size}, but '
                             f'SSP-3D images are {IMAGE_SIZE} x {IMAGE_SIZE} '
                             '(its camera assumes that)')
    num = len(fnames)
    joints = np.asarray(labels['joints2D'], np.float64)
    centre_xy = np.asarray(labels['bbox_centres'], np.float64)[:, ::-1]
    data = {
        'image_path': np.asarray([osp.join('images', f) for f in fnames]),
        'sample_id': np.asarray([osp.splitext(f)[0] for f in fnames]),
        'bbox_xywh': square_box(centre_xy, labels['bbox_whs'], bbox_scale),
        'keypoints2d': superset_2d(joints[..., :2], joints[..., 2], 'coco'),
        'gender': gender_names(labels['genders'], path),
        'focal_length': np.full((num, 2), FOCAL_LENGTH),
        'principal_point': np.full((num, 2), IMAGE_SIZE / 2),
        'image_size': np.full((num, 2), IMAGE_SIZE, np.int32),
        **smpl_fields(labels['poses'], labels['shapes'], labels['cam_trans'],
                      source=path),
    }
    out = osp.join(out_dir, f'ssp3d_{split}.npz')
    save_annotations(out, data, dataset='ssp3d', split=split,
                     smpl_source='multiframe_fit',
                     protocol='SSP-3D: pseudo-ground-truth SMPL (gendered) '
                     'from multi-frame optimisation; body shape benchmark '
                     '(PVE-T-SC, silhouette mIoU)')
    return [out]
