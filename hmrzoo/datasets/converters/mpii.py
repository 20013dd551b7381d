"""MPII Human Pose -> hmrzoo annotations (``--dataset mpii``).

Official layout (human-pose.mpi-inf.mpg.de: ``mpii_human_pose_v1.tar.gz``
unpacks to ``images/``, ``mpii_human_pose_v1_u12_2.zip`` to the annotation
folder)::

    <root>/mpii_human_pose_v1_u12_2/mpii_human_pose_v1_u12_1.mat
    <root>/images/<name>

Facts relied on (read in the annotation readers of stacked hourglass,
``pose-hg-train/src/misc/mpii.py``, and HMR,
``src/datasets/mpii_to_tfrecords.py``; HRNet's ``lib/dataset/mpii.py``):

* The ``.mat`` (read by ``scipy.io.loadmat``) holds the struct ``RELEASE``
  with ``annolist`` (one entry per image), ``img_train`` (1 for training
  images), ``single_person``, ``act`` and ``video_list``.
* ``annolist(i).image.name`` is the image file; ``annolist(i).annorect``
  lists the persons: ``x1, y1, x2, y2`` (head box), ``scale``, ``objpos``
  and ``annopoints.point``, each point with ``id`` (0-15), ``x``, ``y``
  and ``is_visible``.  A person annotated only roughly has an empty
  ``annopoints``; an image none of whose persons has points has no
  ``annopoints`` field at all (pose-hg-train tests for the field).
* Joint ids 0-15: r ankle, r knee, r hip, l hip, l knee, l ankle, pelvis,
  thorax, upper neck, head top, r wrist, r elbow, r shoulder, l shoulder,
  l elbow, l wrist (pose-hg-train's ``parts``): the ``mpii`` convention's
  order.
* ``is_visible`` is text (``'1'``, ``'0'``), a number, empty or absent
  (both readers handle all four).  It marks occlusion and the position of
  an occluded joint is annotated as well, so every annotated point gets
  confidence 1 (HMR: "If it's annotated, then use it as visible"; SPIN
  gives all 16 joints confidence 1; COCO's "labelled, not visible" gets 1
  likewise).
* Coordinates are MATLAB 1-based pixel indices: HRNet's reader subtracts
  1 ("MPII uses matlab format, index is based 1").  They are made 0-based
  (hmrzoo's pixel centres at integers) unless ``zero_based=False`` (SPIN
  keeps them as released).
* ``loadmat(..., struct_as_record=False, squeeze_me=True)`` returns a
  struct array of one element as a bare struct and an empty MATLAB value
  as an empty array (HMR: "If there's only 1 person in the image, annorect
  is not an array"): :func:`_as_list` evens that out.

Selection: every person of a training image (``img_train`` 1) with at
least ``min_keypoints`` annotated joints (default 1: every annotated
person); the box is the one around the joints enlarged 1.2 times
(``objpos`` / ``scale`` give only a rough centre and height).  SPIN reads
MPII from an h5 file in pose-hg-train's annotation format (``center``,
``imgname``, ``part``, ``scale``) and keeps the persons with all 16 joints:
``min_keypoints=16``.
"""
import os.path as osp
from typing import List

import numpy as np
from scipy.io import loadmat
from tqdm import tqdm

from .base import register_converter, require_path
from .keypoints2d import save_2d_samples
from .readers import as_flag, as_positive_int, require_key

ANNOTATION_FILE = ('mpii_human_pose_v1_u12_2', 'mpii_human_pose_v1_u12_1.mat')
NUM_JOINTS = 16


def _as_list(value) -> list:
    """A squeezed MATLAB struct array / cell / empty value as a list."""
    if isinstance(value, np.ndarray):
        return list(value.ravel())
    return [value]


def _is_empty(value) -> bool:
    return isinstance(value, np.ndarray) and value.size == 0


def read_points(rect, source: str = '<annorect>') -> np.ndarray:
    """(16, 3) x, y (as released) and 1 for the annotated joints of one
    ``annorect`` entry; zeros where a joint is not annotated (``source``
    names the entry in errors)."""
    joints = np.zeros((NUM_JOINTS, 3))
    annopoints = getattr(rect, 'annopoints', None)
    if annopoints is None or _is_empty(annopoints):
        return joints
    for point in _as_list(getattr(annopoints, 'point', np.zeros(0))):
        if _is_empty(point.x) or _is_empty(point.y):
            continue
        joint = int(point.id)
        if not 0 <= joint < NUM_JOINTS:
            raise ValueError(f'{source}: joint id {joint} is outside 0-15')
        joints[joint] = float(point.x), float(point.y), 1.
    return joints


def _load_release(path: str):
    release = require_key(
        loadmat(path, struct_as_record=False, squeeze_me=True), 'RELEASE',
        path, 'the struct of the MPII annotations')
    for key in ('annolist', 'img_train'):
        if key not in release._fieldnames:
            raise ValueError(f'{path}: RELEASE has no field {key!r} '
                             f'(fields: {release._fieldnames})')
    return release


@register_converter('mpii', splits=('train',),
                    description='MPII Human Pose (training images)')
def convert_mpii(root: str, out_dir: str, split: str = 'train',
                 min_keypoints: int = 1, zero_based: bool = True
                 ) -> List[str]:
    """Convert the annotated persons of MPII's training images.

    Args:
        root: the MPII folder (official layout above).
        out_dir: where ``mpii_train.npz`` is written.
        split: ``'train'`` (MPII's test annotations are not public).
        min_keypoints: keep a person with at least this many annotated
            joints (1-16; SPIN: 16).
        zero_based: subtract 1 from MATLAB's 1-based coordinates.

    Returns:
        list[str]: the file written.
    """
    min_keypoints = as_positive_int(min_keypoints, 'min_keypoints')
    zero_based = as_flag(zero_based, 'zero_based')
    if min_keypoints > NUM_JOINTS:
        raise ValueError(f'option min_keypoints={min_keypoints}: MPII has '
                         f'{NUM_JOINTS} joints')
    source = require_path(root, *ANNOTATION_FILE, what='MPII annotations, '
                          'from mpii_human_pose_v1_u12_2.zip')
    require_path(root, 'images',
                 what='MPII images, from mpii_human_pose_v1.tar.gz')
    release = _load_release(source)
    annolist = _as_list(release.annolist)
    is_train = np.asarray(release.img_train).ravel()
    if len(is_train) != len(annolist):
        raise ValueError(f'{source}: img_train has {len(is_train)} entries '
                         f'for {len(annolist)} images in annolist')

    paths, ids, kps = [], [], []
    for image, train in tqdm(list(zip(annolist, is_train)),
                             desc='mpii images', unit='image'):
        if not train:
            continue
        name = str(image.image.name)
        rects = _as_list(getattr(image, 'annorect', np.zeros(0)))
        for index, rect in enumerate(rects, start=1):
            joints = read_points(rect, f'{source}: {name} person {index}')
            if joints[:, 2].sum() < min_keypoints:
                continue
            paths.append(osp.join('images', name))
            ids.append(f'{osp.splitext(name)[0]}_{index}')
            kps.append(joints)

    kps = np.asarray(kps, np.float64).reshape(-1, NUM_JOINTS, 3)
    if zero_based:
        kps[..., :2] -= 1.
    out = osp.join(out_dir, f'mpii_{split}.npz')
    save_2d_samples(
        out, image_path=paths, sample_id=ids, keypoints=kps[..., :2],
        confidence=kps[..., 2], convention='mpii', dataset='mpii',
        split=split,
        protocol=f'MPII training images: persons with >= {min_keypoints} '
        'annotated joints; '
        f'{"0" if zero_based else "1"}-based pixel coordinates')
    return [out]
