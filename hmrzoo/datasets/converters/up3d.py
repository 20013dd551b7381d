"""UP-3D -> hmrzoo annotations (``--dataset up3d``).

Official layout (``up-3d.zip`` from the "Unite the People" site,
files.is.tuebingen.mpg.de/classner/up), one flat folder::

    <root>/trainval.txt, test.txt          lines "/%05d_image.png"
    <root>/%05d_image.png                  the image
    <root>/%05d_body.pkl                   the SMPL fit
    <root>/%05d_joints.npy                 14 LSP joints
    <root>/%05d_fit_crop_info.txt          where the fit's image lies
    <root>/%05d_dataset_info.txt, %05d_render*.png, ...   (not read)

Facts relied on (``classner/up``: ``3dfit/bodyfit.py``,
``3dfit/render.py``, ``up_tools/render_segmented_views.py``,
``segmentation/tools/create_dataset.py``; readers: GraphCMR
``datasets/preprocess/up_3d.py``, mmhuman3d ``data_converters/up3d.py``):

* Split lists: each line is ``/<index>_image.png`` (GraphCMR and mmhuman3d
  strip the leading ``/`` and the 10-character ``_image.png``).
* ``_joints.npy``: (3, 14) rows x, y (image pixels), visibility, in LSP
  order (GraphCMR: ``vis = keypoints[2]; keypoints[:2].T``).
* ``_body.pkl``: a (Python 2) pickle of ``{'pose': (72,), 'betas': (10,),
  'trans': (3,), 't': (3,), 'rt': (3,), 'f': 5000., 'j2d': ...}`` written
  by ``bodyfit.run_single_fit`` with the neutral SMPL model.  The body is
  ``V = SMPL(pose, betas) + trans`` (the chumpy model's ``trans`` shifts
  every vertex) seen by OpenDR's ``ProjectPoints(rt, t, f=(f, f),
  c=(W/2, H/2))``: ``X = Rodrigues(rt) V + t``, ``u = f X/Z + W/2``.
  SMPLify optimises only the camera translation ``t`` and the body
  (``rt`` starts at 0 and is never a free variable; ``trans`` stays 0).
* ``_fit_crop_info.txt``: six integers ``H W y0 y1 x0 x1``: the fit ran on
  an H x W image that is the region ``[y0:y1, x0:x1]`` of
  ``_image.png`` resized (``uncrop`` pastes an H x W rendering, resized to
  ``(y1 - y0, x1 - x0)``, at that region; the landmark code divides by the
  resize factors and adds ``x0``, ``y0``).

How the fit is stored (exact, no SMPL model needed while ``rt = 0``):

* ``smpl_global_orient = pose[:3]``, ``smpl_body_pose = pose[3:]``: the
  camera has no rotation, so SMPL's frame is the camera frame (OpenCV
  axes, as OpenDR's projection).
* ``smpl_transl = trans + t``: SMPL's ``transl`` shifts every vertex, as
  ``trans`` does, and the camera adds ``t``.
* With ``sx = (x1 - x0) / W`` and ``sy = (y1 - y0) / H``, an image pixel
  is ``x0 + sx * u_fit``: ``focal_length = (f sx, f sy)`` and
  ``principal_point = ((x0 + x1) / 2, (y0 + y1) / 2)`` (half-pixel
  conventions of OpenDR's renderer are not modelled).

A fit with ``rt != 0`` would need SMPL's rest-pose pelvis to move the
rotation into ``global_orient``; such a file is refused with its name.
Boxes: around the visible joints, enlarged by ``bbox_scale`` (1.2, SPIN's
factor).  ``image_size`` is read from the PNG header.
"""
import os.path as osp
from typing import List

import numpy as np
from tqdm import tqdm

from ..human_data import save_annotations
from .base import bbox_from_keypoints, register_converter, require_path
from .readers import read_image_size, require_key
from .safe_pickle import load_pickle
from .keypoints2d import drop_boxes_without_area, superset_2d
from .smpl_fits import smpl_fields

SPLITS = ('trainval', 'test')
_IMAGE_SUFFIX = '_image.png'
#: largest camera rotation (radians) treated as none.
_RT_TOLERANCE = 1e-6


def read_split_list(path: str) -> List[str]:
    """The 5-digit sample indices of a split list (``/%05d_image.png`` a
    line)."""
    indices = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            name = osp.basename(line.split()[0])
            if not name.endswith(_IMAGE_SUFFIX):
                raise ValueError(f'{path}:{number}: expected '
                                 f'"/<index>{_IMAGE_SUFFIX}", got '
                                 f'{line.strip()!r}')
            indices.append(name[:-len(_IMAGE_SUFFIX)])
    return indices


def read_crop_info(path: str) -> np.ndarray:
    """``H W y0 y1 x0 x1`` of a ``_fit_crop_info.txt`` as 6 floats."""
    with open(path) as f:
        values = f.read().split()
    try:
        info = np.asarray([float(v) for v in values])
    except ValueError:
        info = np.zeros(0)
    if info.shape != (6,) or info[0] <= 0 or info[1] <= 0:
        raise ValueError(f'{path}: expected six numbers "H W y0 y1 x0 x1" '
                         f'with H, W > 0, got {values}')
    return info


def fit_camera(crop_info: np.ndarray, focal: float):
    """Focal length (fx, fy) and principal point (cx, cy) in pixels of
    ``_image.png`` for a fit camera of focal ``focal`` whose H x W image
    is the region ``crop_info`` (``H W y0 y1 x0 x1``) of it."""
    height, width, y0, y1, x0, x1 = crop_info
    scale = np.array([(x1 - x0) / width, (y1 - y0) / height])
    return focal * scale, np.array([(x0 + x1) / 2, (y0 + y1) / 2])


def read_fit(path: str):
    """(pose (72,), betas (10,), transl (3,), focal) of a ``_body.pkl`` in
    the camera frame (see the module docstring); betas are cut or
    zero-padded to 10."""
    fit = load_pickle(path)
    pose, betas, t, rt, trans, focal = (
        np.asarray(require_key(fit, key, path, what), np.float64)
        for key, what in (('pose', 'SMPL pose, 72'), ('betas', 'SMPL shape'),
                          ('t', 'camera translation'),
                          ('rt', 'camera rotation'),
                          ('trans', 'body translation'),
                          ('f', 'focal length')))
    if pose.size != 72:
        raise ValueError(f'{path}: pose has {pose.size} numbers, expected '
                         '72 (SMPL axis-angle)')
    if np.abs(rt).max() > _RT_TOLERANCE:
        raise ValueError(f'{path}: camera rotation rt={rt.tolist()} is not '
                         'zero; UP-3D fits have none (SMPLify optimises '
                         'only the camera translation), and moving it into '
                         'the global orientation needs the SMPL model')
    betas = betas.reshape(-1)[:10]
    return (pose.reshape(72), np.pad(betas, (0, 10 - len(betas))),
            trans.reshape(3) + t.reshape(3), float(focal.reshape(-1)[0]))


def read_joints(path: str):
    """(14, 2) x, y and (14,) visibility of a ``_joints.npy``; a (2, 14)
    file (no visibility row) counts points with x, y > 0 as visible."""
    joints = np.asarray(np.load(path), np.float64)
    if joints.shape not in ((3, 14), (2, 14)):
        raise ValueError(f'{path}: joints have shape {joints.shape}, '
                         'expected (3, 14): x, y, visibility of 14 LSP joints')
    vis = joints[2] if len(joints) == 3 else \
        np.all(joints > 0, axis=0).astype(np.float64)
    return joints[:2].T, vis


@register_converter('up3d', splits=SPLITS,
                    description='UP-3D: SMPLify fits, LSP joints, cameras')
def convert_up3d(root: str, out_dir: str, split: str = 'trainval',
                 bbox_scale: float = 1.2) -> List[str]:
    """Convert one UP-3D split to ``<out_dir>/up3d_<split>.npz``.

    Args:
        root: the unzipped ``up-3d`` folder.
        out_dir: output folder.
        split: ``'trainval'`` or ``'test'`` (the official lists).
        bbox_scale: enlargement of the box around the visible joints.

    Returns:
        list[str]: the file written.
    """
    names = read_split_list(require_path(root, f'{split}.txt',
                                         what=f'UP-3D {split} list'))
    rows = {key: [] for key in ('image_path', 'sample_id', 'pose', 'betas',
                                'transl', 'focal_length', 'principal_point',
                                'image_size', 'joints', 'visibility')}
    for name in tqdm(names, desc=f'up3d {split}'):
        image = require_path(root, name + _IMAGE_SUFFIX, what='UP-3D image')
        pose, betas, transl, focal = read_fit(
            require_path(root, f'{name}_body.pkl', what='UP-3D SMPL fit'))
        focal_length, principal = fit_camera(
            read_crop_info(require_path(root, f'{name}_fit_crop_info.txt',
                                        what='UP-3D fit crop')), focal)
        joints, vis = read_joints(require_path(root, f'{name}_joints.npy',
                                               what='UP-3D LSP joints'))
        for key, value in (('image_path', name + _IMAGE_SUFFIX),
                           ('sample_id', name), ('pose', pose),
                           ('betas', betas), ('transl', transl),
                           ('focal_length', focal_length),
                           ('principal_point', principal),
                           ('image_size', read_image_size(image)),
                           ('joints', joints), ('visibility', vis)):
            rows[key].append(value)
    num = len(names)
    keypoints2d = superset_2d(np.reshape(rows['joints'], (num, 14, 2)),
                              np.reshape(rows['visibility'], (num, 14)),
                              'lsp')
    data = {
        'image_path': np.asarray(rows['image_path'], str),
        'sample_id': np.asarray(rows['sample_id'], str),
        'bbox_xywh': bbox_from_keypoints(keypoints2d, bbox_scale),
        'keypoints2d': keypoints2d,
        'gender': np.full(num, 'neutral'),
        'focal_length': np.reshape(rows['focal_length'], (num, 2)),
        'principal_point': np.reshape(rows['principal_point'], (num, 2)),
        'image_size': np.reshape(rows['image_size'], (num, 2)),
        **smpl_fields(np.reshape(rows['pose'], (num, 72)),
                      np.reshape(rows['betas'], (num, 10)),
                      np.reshape(rows['transl'], (num, 3)), source=root),
    }
    out = osp.join(out_dir, f'up3d_{split}.npz')
    save_annotations(out, drop_boxes_without_area(data, out),
                     dataset='up3d', split=split, smpl_source='smplify',
                     protocol='UP-3D: SMPLify fits (neutral SMPL) in the '
                     'camera of the fit, mapped to _image.png pixels '
                     '(fit_crop_info); 2D: 14 LSP joints')
    return [out]
