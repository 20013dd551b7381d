"""COCO person keypoints -> hmrzoo annotations (``--dataset coco``).

Official layout (cocodataset.org: "2014 / 2017 Train/Val annotations" and
the matching image archives)::

    <root>/annotations/person_keypoints_{train,val}{2014,2017}.json
    <root>/{train,val}{2014,2017}/<file_name>

Facts relied on:

* The json holds ``images`` (``id``, ``file_name``, ``width``,
  ``height``), ``annotations`` (``id``, ``image_id``, ``keypoints``: 17
  x 3 numbers flattened as x, y, v; ``num_keypoints``; ``bbox`` x, y, w, h
  in pixels; ``iscrowd``) and ``categories`` whose ``person`` entry lists
  the 17 keypoint names in order (cocodataset.org "Data format", keypoint
  detection; SPIN's ``datasets/preprocess/coco.py`` and mmhuman3d's
  ``data_converters/coco.py`` read the same keys).
* Visibility v: 0 not labelled (then x = y = 0), 1 labelled but not
  visible, 2 labelled and visible (cocodataset.org "Data format").  Both
  labelled states get confidence 1, as SPIN does (``v > 0 -> 1``).
* Keypoints have "a 0-indexed location x, y" (cocodataset.org "Data
  format"), integer pixel indices (detectron2's ``data/datasets/coco.py``
  comment): hmrzoo's convention of pixel centres at integers, so they are
  stored unchanged.
* SPIN's selection (``datasets/preprocess/coco.py``): an annotation is
  kept when all 12 body keypoints (indices 5-16: shoulders, elbows,
  wrists, hips, knees, ankles) are labelled.  Here that threshold is the
  option ``min_body_keypoints`` (default 12, SPIN's); crowd regions
  (``iscrowd`` 1; they carry no keypoints, "crowds ... will have
  num_keypoints=0") are skipped.
* Boxes: SPIN's ``coco.py`` crops around the labelled keypoints (their
  box's longer side x 1.2, ``scaleFactor``), not COCO's ``bbox``; the
  stored box is therefore the box around the labelled points enlarged 1.2x
  (:func:`.base.bbox_from_keypoints`), the one convention of every
  converter here (the configs' ``bbox_scale_factor`` acts on it).
* SPIN and CLIFF train on the 2014 release (SPIN writes
  ``coco_2014_train.npz``; CLIFF's pseudo ground truth is
  ``coco2014part_cliffGT.npz``), hence the default ``year=2014``.
"""
import json
import os.path as osp
from typing import List

import numpy as np
from tqdm import tqdm

from .base import register_converter, require_path
from .keypoints2d import save_2d_samples
from .readers import require_key

#: ``categories[person].keypoints`` of the official files, in order.
OFFICIAL_KEYPOINTS = (
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle')
#: the 12 body keypoints of SPIN's rule (shoulders to ankles).
BODY_KEYPOINTS = slice(5, 17)
YEARS = (2014, 2017)


def _check_categories(content: dict, source: str) -> None:
    categories = require_key(content, 'categories', source)
    person = [c for c in categories if c.get('name') == 'person']
    if not person:
        raise ValueError(f'{source}: no "person" entry in "categories"')
    names = tuple(require_key(person[0], 'keypoints', source,
                              'of category "person"'))
    if names != OFFICIAL_KEYPOINTS:
        raise ValueError(f'{source}: person keypoints are {list(names)}, '
                         f'expected COCO\'s 17 {list(OFFICIAL_KEYPOINTS)}')


def annotation_points(ann: dict, key: str, count: int, source: str,
                      where: str) -> np.ndarray:
    """(count, 3) x, y, v of an annotation's flat ``key`` list (``where``
    is ``'of annotation <id>'``, for messages)."""
    values = np.asarray(require_key(ann, key, source, where), np.float64)
    if values.size != count * 3:
        raise ValueError(f'{source}: {where[3:]} has {values.size} numbers '
                         f'in {key!r}, expected {count} x 3 = {count * 3}')
    return values.reshape(count, 3)


def check_min_body_keypoints(value) -> None:
    """Refuse a ``min_body_keypoints`` option outside 0..12."""
    if not 0 <= int(value) <= 12:
        raise ValueError('min_body_keypoints counts the 12 body keypoints; '
                         f'got {value}')


def collect_persons(content: dict, source: str, image_dir: str,
                    min_body_keypoints: int, read_points) -> dict:
    """The kept persons of a COCO-style json: non-crowd, with at least
    ``min_body_keypoints`` of the 12 body keypoints (the first 17 points
    are COCO's) labelled (v > 0, confidence 1).

    Args:
        read_points: ``(annotation, where) -> (K, 3)`` x, y, v.

    Returns:
        dict: the :func:`save_2d_samples` arguments ``image_path``
        (``image_dir/<file_name>``), ``sample_id``, ``keypoints``,
        ``confidence``, ``image_size``.
    """
    images = {require_key(img, 'id', source, 'of an "images" entry'): img
              for img in require_key(content, 'images', source)}
    out = dict(image_path=[], sample_id=[], keypoints=[], confidence=[],
               image_size=[])
    for ann in tqdm(require_key(content, 'annotations', source),
                    desc=osp.basename(source), unit='person'):
        ann_id = require_key(ann, 'id', source, 'of an "annotations" entry')
        where = f'of annotation {ann_id}'
        if ann.get('iscrowd', 0):
            continue
        points = read_points(ann, where)
        labelled = points[:, 2] > 0
        if labelled[BODY_KEYPOINTS].sum() < int(min_body_keypoints):
            continue
        image_id = require_key(ann, 'image_id', source, where)
        if image_id not in images:
            raise ValueError(f'{source}: annotation {ann_id} refers to '
                             f'image_id {image_id}, absent from "images"')
        image, of_image = images[image_id], f'of image {image_id}'
        out['image_path'].append(osp.join(
            image_dir, require_key(image, 'file_name', source, of_image)))
        out['sample_id'].append(str(ann_id))
        out['keypoints'].append(points[:, :2])
        out['confidence'].append(labelled.astype(np.float64))
        out['image_size'].append([require_key(image, key, source, of_image)
                                  for key in ('width', 'height')])
    return out


@register_converter('coco', splits=('train', 'val'),
                    description='COCO person keypoints (2014 or 2017)')
def convert_coco(root: str, out_dir: str, split: str = 'train',
                 year=2014, min_body_keypoints: int = 12) -> List[str]:
    """Convert COCO person keypoints of one split.

    Args:
        root: the COCO folder (official layout above).
        out_dir: where ``coco_<year>_<split>.npz`` is written.
        split: ``'train'`` or ``'val'``.
        year: ``2014`` (SPIN / CLIFF) or ``2017``.
        min_body_keypoints: keep a person with at least this many of the
            12 body keypoints labelled (SPIN: 12, all of them).

    Returns:
        list[str]: the file written.
    """
    if str(year) not in {str(y) for y in YEARS}:
        raise ValueError(f'option year={year!r}: COCO keypoints come in the '
                         f'releases {YEARS}')
    year = int(year)
    check_min_body_keypoints(min_body_keypoints)
    name = f'{split}{year}'
    source = require_path(root, 'annotations',
                          f'person_keypoints_{name}.json',
                          what=f'COCO {year} keypoint annotations')
    require_path(root, name, what=f'COCO {name} images')
    with open(source) as f:
        content = json.load(f)
    _check_categories(content, source)
    persons = collect_persons(content, source, name, min_body_keypoints,
                              lambda ann, where: annotation_points(
                                  ann, 'keypoints', 17, source, where))

    out = osp.join(out_dir, f'coco_{year}_{split}.npz')
    save_2d_samples(
        out, **persons, convention='coco', bbox_scale=1.2,
        dataset='coco', split=split,
        protocol=f'COCO {year} {split}: non-crowd persons with >= '
        f'{int(min_body_keypoints)} of the 12 body keypoints labelled')
    return [out]
