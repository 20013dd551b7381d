"""COCO-WholeBody keypoints -> hmrzoo annotations
(``--dataset coco_wholebody``): whole-body 2D keypoints from files, the
input of the whole-body method (its in-the-wild 2D data).

Official layout (github.com/jin-s13/COCO-WholeBody: the v1.0 annotation
files, with the COCO 2017 images)::

    <root>/annotations/coco_wholebody_{train,val}_v1.0.json
    <root>/{train,val}2017/<file_name>

Facts relied on:

* The json has COCO's structure (``images``, ``annotations``,
  ``categories``); each person annotation adds to COCO's 17 ``keypoints``
  the lists ``foot_kpts`` (6 x 3), ``face_kpts`` (68 x 3),
  ``lefthand_kpts`` (21 x 3) and ``righthand_kpts`` (21 x 3), each
  flattened as x, y, v (the dataset's README; mmpose's
  ``CocoWholeBodyDataset`` reads the same keys in this order, which is
  hmrzoo's ``coco_wholebody`` convention: body, feet, face, left hand,
  right hand).
* A point with v > 0 is labelled (mmpose treats it so); x = y = 0 and
  v = 0 otherwise.  Labelled points get confidence 1.
* Crowd regions (``iscrowd`` 1) carry no keypoints and are skipped; a
  person is kept with at least ``min_body_keypoints`` of the 12 body
  keypoints labelled (SPIN's rule for COCO, default 12).

Stored: ``keypoints2d`` in the ``coco_wholebody`` convention (the file's
``keypoint_convention``; a model reading another convention gets its
points by name), the box 1.2x the labelled points' extent (every
converter's convention), ``image_size``.
"""
import json
import os.path as osp
from typing import List

import numpy as np
from .base import register_converter, require_path
from .coco import (annotation_points, check_min_body_keypoints,
                   collect_persons)
from .keypoints2d import save_2d_samples

#: the annotation keys of the 133 points, in ``coco_wholebody`` order
PART_KEYS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
             ('lefthand_kpts', 21), ('righthand_kpts', 21))


@register_converter('coco_wholebody', splits=('train', 'val'),
                    description='COCO-WholeBody v1.0 (133 whole-body 2D '
                                'keypoints)')
def convert_coco_wholebody(root: str, out_dir: str, split: str = 'train',
                           min_body_keypoints: int = 12) -> List[str]:
    """Convert COCO-WholeBody's persons of one split.

    Args:
        root: the folder of the official layout above.
        out_dir: where ``coco_wholebody_<split>.npz`` is written.
        split: ``'train'`` or ``'val'``.
        min_body_keypoints: keep a person with at least this many of the
            12 body keypoints labelled.

    Returns:
        list[str]: the file written.
    """
    check_min_body_keypoints(min_body_keypoints)
    name = f'{split}2017'
    source = require_path(root, 'annotations',
                          f'coco_wholebody_{split}_v1.0.json',
                          what='COCO-WholeBody v1.0 annotations')
    require_path(root, name, what=f'COCO {name} images')
    with open(source) as f:
        content = json.load(f)

    def read_points(ann, where):
        return np.concatenate([annotation_points(ann, key, count, source, where)
                               for key, count in PART_KEYS])

    persons = collect_persons(content, source, name, min_body_keypoints,
                              read_points)
    out = osp.join(out_dir, f'coco_wholebody_{split}.npz')
    save_2d_samples(
        out, **persons, convention='coco_wholebody', bbox_scale=1.2,
        storage='coco_wholebody',
        dataset='coco_wholebody', split=split,
        protocol=f'COCO-WholeBody v1.0 {split}: non-crowd persons with >= '
        f'{int(min_body_keypoints)} of the 12 body keypoints labelled')
    return [out]
