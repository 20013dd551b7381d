"""Run a 2D keypoint detector over images and turn its output into the
arrays of hmrzoo's annotation format (:mod:`hmrzoo.datasets.human_data`).

Two uses, both behind ``tools/detect_keypoints.py``:

* :func:`detect_folder`: every image of a folder, one person each, gives a
  new file's rows (``keypoints2d`` = the detections);
* :func:`detect_rows`: the person of each row of an existing file, looked
  for inside that row's box, gives ``keypoints2d_detected`` beside the
  file's ground truth.

Keypoints are pixels of the full image with hmrzoo's pixel-centre
convention; the detector's convention is :data:`CONVENTION` (COCO-17).
"""
import logging
import os
import os.path as osp

import cv2
import numpy as np
from mmengine.logging import print_log
from tqdm import tqdm

from ..conventions import get_keypoint_num
from ..datasets.converters.keypoints2d import superset_2d
from ..datasets.human_data import boxes_with_area
from .inference.setup import FILE_BOX_SCALE
from .keypoint_detectors import detect_in_box

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
#: ``--detector`` name -> config of the registered detector.
DETECTORS = {'mediapipe': dict(type='MediaPipePoseDetector',
                               model_complexity=1)}
#: keypoint convention the file's keypoints come from.
CONVENTION = 'coco'


def list_images(root: str, skip_suffix: str = None) -> list:
    """Image files under ``root`` (not those whose name ends with
    ``skip_suffix``: IUV images kept beside the frames), as sorted paths
    relative to it."""
    found = []
    for folder, subdirs, files in os.walk(root):
        subdirs.sort()
        found += [osp.relpath(osp.join(folder, f), root) for f in files
                  if osp.splitext(f)[1].lower() in IMAGE_EXTENSIONS
                  and not (skip_suffix and f.endswith(skip_suffix))]
    return sorted(found)


def evidence_paths(images: list, root: str, folder: str, suffix: str,
                   what: str = 'IUV image', option: str = 'iuv') -> list:
    """For each image path (relative to ``root``), its evidence file
    ``folder/<subfolder>/<stem><suffix>`` (an IUV image, a depth map),
    relative to ``root``.

    Raises:
        FileNotFoundError: naming the first missing file and the options
            (``--<option>-dir``, ``--<option>-suffix``) that located it.
    """
    out, missing = [], []
    for rel in images:
        stem = osp.splitext(rel)[0]
        path = osp.join(folder, stem + suffix)
        if not osp.isfile(path):
            missing.append((rel, path))
        out.append(osp.relpath(path, root))
    if missing:
        rel, path = missing[0]
        raise FileNotFoundError(
            f'{what} {path} (of {rel}) does not exist; {len(missing)} of '
            f'{len(images)} images lack one (--{option}-dir {folder}, '
            f'--{option}-suffix {suffix})')
    return out


def iuv_paths(images: list, root: str, iuv_dir: str, suffix: str) -> list:
    """:func:`evidence_paths` of IUV images."""
    return evidence_paths(images, root, iuv_dir, suffix)


def read_rgb(path: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB; ValueError naming an unreadable file."""
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f'cannot read image {path}')
    return np.ascontiguousarray(image[..., ::-1])


def usable(found, min_confidence: float):
    """``(box_xywh (4,), confidence (K,))`` of a detection, or a string
    saying why it gives no row (no person, no confident keypoint, a box
    without area)."""
    if found is None:
        return 'no person found'
    confidence = found['keypoints'][:, 2]
    confidence = np.where(confidence >= min_confidence, confidence, 0.)
    x1, y1, x2, y2 = found['box']
    box = np.array([x1, y1, x2 - x1, y2 - y1], np.float32)
    if not confidence.any():
        return f'a person without keypoints of confidence >= ' \
            f'{min_confidence}'
    if not boxes_with_area(box[None])[0]:
        return 'a person whose box has no area inside the image'
    return box, confidence


def detect_folder(root: str, images: list, detector, min_confidence: float,
                  iuv: list = None):
    """Run ``detector`` on each image.

    Args:
        root: image root.
        images: image paths relative to ``root``.
        detector: a built keypoint detector (convention :data:`CONVENTION`).
        min_confidence: keypoints below it are stored absent.
        iuv: IUV path of each image (relative to ``root``), or None.

    Returns:
        ``(data, missed)``: the per-sample arrays of the rows (one per
        image with a person; None when there is none) and the paths of the
        images without one.
    """
    rows, missed = [], []
    for i, rel in enumerate(tqdm(images, desc='detecting', unit='image')):
        image = read_rgb(osp.join(root, rel))
        found = detector(image)
        result = usable(found, min_confidence)
        if isinstance(result, str):
            print_log(f'{rel}: {result}', logger='current',
                      level=logging.WARNING)
            missed.append(rel)
            continue
        box, confidence = result
        # annotation files store 1.2x the keypoints' extent (every
        # converter does; the configs' bbox_scale_factor acts on that)
        centre, size = box[:2] + box[2:] / 2, box[2:] * FILE_BOX_SCALE
        box = np.concatenate([centre - size / 2, size]).astype(np.float32)
        rows.append(dict(image_path=rel, sample_id=osp.splitext(rel)[0],
                         bbox_xywh=box, keypoints=found['keypoints'][:, :2],
                         confidence=confidence,
                         image_size=image.shape[1::-1],
                         iuv_path=None if iuv is None else iuv[i]))
    if not rows:
        return None, missed
    column = {key: np.stack([np.asarray(r[key]) for r in rows])
              for key in rows[0] if rows[0][key] is not None}
    data = dict(image_path=column['image_path'].astype(str),
                sample_id=column['sample_id'].astype(str),
                bbox_xywh=column['bbox_xywh'],
                keypoints2d=superset_2d(column['keypoints'],
                                        column['confidence'], CONVENTION),
                image_size=column['image_size'].astype(np.int32))
    if iuv is not None:
        data['iuv_path'] = column['iuv_path'].astype(str)
    return data, missed


def rows_by_image(image_paths) -> dict:
    """Image path -> the row indices showing it, in order of first
    appearance."""
    groups = {}
    for row, rel in enumerate(np.asarray(image_paths).tolist()):
        groups.setdefault(rel, []).append(row)
    return groups


def detect_rows(root: str, data: dict, detector, min_confidence: float,
                box_scale: float):
    """Detect the person of each row of an annotation file in its box.

    Args:
        root: image root of the file (``image_path`` is relative to it).
        data: the file's arrays (``image_path``, ``bbox_xywh``, optional
            ``image_size`` checked against each image).
        detector: a built keypoint detector (convention :data:`CONVENTION`).
        min_confidence: keypoints below it are stored absent.
        box_scale: enlargement of each row's box before it is cut out.

    Returns:
        ``(keypoints (N, J, 2) full-image pixels, confidence (N, J), missed)``
        with J the joints of :data:`CONVENTION`; ``missed``: ``(row,
        reason)`` of the rows without a usable detection (confidence 0).

    Raises:
        FileNotFoundError: an image that does not exist (named).
        ValueError: an unreadable image, or one whose size is not the
            row's ``image_size`` (IMG_ROOT is not the file's image root).
    """
    num = len(data['image_path'])
    joints = get_keypoint_num(CONVENTION)
    keypoints = np.zeros((num, joints, 2), np.float32)
    confidence = np.zeros((num, joints), np.float32)
    boxes = np.asarray(data['bbox_xywh'], np.float64)
    sizes = data.get('image_size')
    missed = []
    with tqdm(total=num, desc='detecting', unit='person') as bar:
        for rel, rows in rows_by_image(data['image_path']).items():
            path = osp.join(root, rel)
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'image {path} of row {rows[0]} does not exist; IMG_ROOT '
                    f'must be the image root of the annotation file (its '
                    f'image_path are relative to it), got {root!r}')
            image = read_rgb(path)
            for row in rows:
                if sizes is not None and \
                        tuple(sizes[row]) != image.shape[1::-1]:
                    raise ValueError(
                        f'{path} is {image.shape[1]}x{image.shape[0]} but '
                        f'row {row} says image_size {tuple(sizes[row])}: '
                        'IMG_ROOT is not the image root of the file')
                x, y, w, h = boxes[row]
                found = None
                result = 'a box without area'
                if boxes_with_area(boxes[row][None])[0]:
                    found = detect_in_box(detector, image,
                                          (x, y, x + w, y + h), box_scale)
                    result = usable(found, min_confidence)
                if isinstance(result, str):
                    print_log(f'row {row} ({rel}): {result}',
                              logger='current', level=logging.WARNING)
                    missed.append((row, result))
                else:
                    keypoints[row] = found['keypoints'][:, :2]
                    confidence[row] = result[1]
                bar.update()
    return keypoints, confidence, missed
