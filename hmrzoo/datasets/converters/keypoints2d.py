"""Writing the samples of a dataset that has 2D keypoints only (COCO, MPII,
LSP, LSP-ET): one rule for absent points, boxes and degenerate samples.

* A point with confidence 0 is absent: its coordinates are stored as 0
  (releases put arbitrary numbers there, e.g. COCO ``x = y = 0``, LSP-ET
  negative positions) (:func:`superset_2d`).
* Keypoints are stored in the default superset convention by name
  (:func:`~hmrzoo.datasets.human_data.keypoints_to_superset`).
* Without a box from the dataset, the box is the one around the confident
  points enlarged by ``bbox_scale`` (:func:`.base.bbox_from_keypoints`).
* A sample whose box has no area (one point, or points on a line) cannot
  be cropped and is dropped; the count is logged
  (:func:`drop_boxes_without_area`).
"""
import os.path as osp
from typing import Dict, Sequence

import numpy as np
from mmengine.logging import print_log

from ...conventions import get_keypoint_num
from ..human_data import (DEFAULT_CONVENTION, boxes_with_area,
                          keypoints_to_superset, save_annotations)
from .base import bbox_from_keypoints


def superset_2d(keypoints, confidence, convention: str,
                dst: str = DEFAULT_CONVENTION) -> np.ndarray:
    """2D keypoints of ``convention`` in the storage convention, with the
    coordinates of absent points (confidence 0) set to 0.

    Args:
        keypoints: (N, J, 2) x, y pixels.
        confidence: (N, J) confidence; 0 marks an absent point.
        convention: their keypoint convention.
        dst: the storage convention (a file's ``keypoint_convention``).

    Returns:
        np.ndarray: (N, K, 3) float32.
    """
    kps = np.asarray(keypoints, np.float64)
    conf = np.asarray(confidence, np.float64)
    kps = np.where(conf[..., None] > 0, kps, 0.)
    return keypoints_to_superset(kps, convention, conf, dst=dst)


def drop_boxes_without_area(data: Dict[str, np.ndarray], source: str
                            ) -> Dict[str, np.ndarray]:
    """Drop the rows whose ``bbox_xywh`` cannot be cropped
    (:func:`~hmrzoo.datasets.human_data.boxes_with_area`) from every
    per-sample array of ``data`` and log how many (``source`` names the
    output)."""
    keep = boxes_with_area(data['bbox_xywh'])
    if not keep.all():
        print_log(f'{source}: {int((~keep).sum())} of {len(keep)} samples '
                  'dropped (box without area)', logger='current')
    return {key: np.asarray(value)[keep] for key, value in data.items()}


def save_2d_samples(path: str, *, image_path: Sequence[str],
                    sample_id: Sequence[str], keypoints, confidence,
                    convention: str, bbox_xywh=None, bbox_scale: float = 1.2,
                    image_size=None, storage: str = DEFAULT_CONVENTION,
                    **meta) -> int:
    """Write 2D-keypoint samples to an annotation file.

    Args:
        path: the ``.npz`` to write.
        image_path: (N,) image paths relative to the dataset root.
        sample_id: (N,) stable ids.
        keypoints: (N, J, 2) x, y pixels in ``convention`` order.
        confidence: (N, J) confidence; 0 marks an absent point.
        convention: the keypoints' convention (``'coco'``, ``'mpii'``, ...).
        bbox_xywh: (N, 4) boxes from the dataset (pixels); None = around
            the confident points.
        bbox_scale: enlargement of boxes made from points.
        image_size: (N, 2) image W, H (pixels), when the release has it.
        storage: the file's keypoint convention (default the superset
            ``smpl_54``; whole-body files keep ``coco_wholebody``).
        **meta: file-level fields (``dataset``, ``split``, ``protocol``).

    Returns:
        int: the number of samples written.
    """
    num_joints = get_keypoint_num(convention)
    kps = np.asarray(keypoints, np.float64).reshape(-1, num_joints, 2)
    conf = np.asarray(confidence, np.float64).reshape(-1, num_joints)
    if bbox_xywh is None:
        bbox = bbox_from_keypoints(
            np.concatenate([kps, conf[..., None]], axis=-1), bbox_scale)
    else:
        bbox = np.asarray(bbox_xywh, np.float64).reshape(-1, 4)
    data = {
        'image_path': np.asarray(image_path, dtype=str).reshape(-1),
        'sample_id': np.asarray(sample_id, dtype=str).reshape(-1),
        'bbox_xywh': bbox,
        'keypoints2d': superset_2d(kps, conf, convention, storage),
    }
    if image_size is not None:
        data['image_size'] = np.asarray(image_size, np.int32).reshape(-1, 2)
    num = save_annotations(path, drop_boxes_without_area(data, path),
                           keypoint_convention=storage, **meta)
    print_log(f'{osp.basename(path)}: {num} samples', logger='current')
    return num
