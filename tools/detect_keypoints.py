"""Detect 2D keypoints on images and write them as an hmrzoo annotation file.

    python tools/detect_keypoints.py IMG_ROOT --out FILE.npz \
        [--detector mediapipe] [--min-confidence 0.5] \
        [--iuv-dir DIR] [--iuv-suffix _IUV.png]

Every image under IMG_ROOT (.jpg, .jpeg, .png, .bmp; subfolders included,
sorted) goes through the detector; each image where it finds a person
becomes one row (one person per image: the one the detector scores
highest): ``image_path`` relative to IMG_ROOT, ``bbox_xywh`` around the
confident landmarks (configs enlarge it with ``bbox_scale_factor``),
``keypoints2d`` (COCO-17 in the storage convention; keypoints whose
confidence is below --min-confidence are stored absent), ``image_size``,
``sample_id`` and, with --iuv-dir, ``iuv_path`` (DIR/<subfolder>/<image
stem><suffix>, relative to IMG_ROOT; files ending with the suffix are
then IUV images, never inputs, so DIR may be IMG_ROOT itself).  Load it
with ``HumanImageDataset(ann_file=FILE, data_prefix=dict(img_path=IMG_ROOT),
keypoint_convention='coco')``.  Images without a person are listed in the
log and counted; an IMG_ROOT where no image has one is an error.
The detector's model ships with its package: nothing is downloaded.
"""
import argparse
import logging
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from mmengine.logging import print_log  # noqa: E402
from tqdm import tqdm  # noqa: E402

from hmrzoo.datasets.converters.keypoints2d import superset_2d  # noqa
from hmrzoo.datasets.human_data import (boxes_with_area,  # noqa: E402
                                        save_annotations)
from hmrzoo.registry import KEYPOINT_DETECTORS  # noqa: E402

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


def iuv_paths(images: list, root: str, iuv_dir: str, suffix: str) -> list:
    """For each image path (relative to ``root``), its IUV image
    ``iuv_dir/<subfolder>/<stem><suffix>``, relative to ``root``.

    Raises:
        FileNotFoundError: naming the first missing IUV file.
    """
    out, missing = [], []
    for rel in images:
        stem = osp.splitext(rel)[0]
        path = osp.join(iuv_dir, stem + suffix)
        if not osp.isfile(path):
            missing.append((rel, path))
        out.append(osp.relpath(path, root))
    if missing:
        rel, path = missing[0]
        raise FileNotFoundError(
            f'IUV image {path} (of {rel}) does not exist; {len(missing)} of '
            f'{len(images)} images lack one (--iuv-dir {iuv_dir}, '
            f'--iuv-suffix {suffix})')
    return out


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


def run(args) -> dict:
    """Detect and write; return ``dict(out, images, detected, missed)``.

    Raises:
        FileNotFoundError: IMG_ROOT is not a folder, holds no image, or an
            IUV file is missing (named).
        ValueError: an image that cannot be read (named).
        ImportError: the detector's package is not installed.
        RuntimeError: no image has a person.
    """
    root = args.img_root
    if not osp.isdir(root):
        raise FileNotFoundError(f'image root {root!r} is not a directory')
    images = list_images(root, args.iuv_suffix if args.iuv_dir else None)
    if not images:
        raise FileNotFoundError(f'no images ({", ".join(IMAGE_EXTENSIONS)})'
                                f' under {root}')
    iuv = None if args.iuv_dir is None else \
        iuv_paths(images, root, args.iuv_dir, args.iuv_suffix)
    cfg = dict(DETECTORS[args.detector], convention=CONVENTION,
               min_keypoint_confidence=args.min_confidence)
    with KEYPOINT_DETECTORS.build(cfg) as detector:
        data, missed = detect_folder(root, images, detector,
                                     args.min_confidence, iuv)
    if data is None:
        raise RuntimeError(f'the {args.detector} detector found no person '
                           f'in any of the {len(images)} images under {root}'
                           '; nothing written')
    out_dir = osp.dirname(osp.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    num = save_annotations(
        args.out, data, dataset=osp.basename(osp.normpath(root)),
        protocol=f'{args.detector} ({cfg["type"]}) detections, one person '
        f'per image, keypoints with confidence >= {args.min_confidence}')
    print(f'wrote {args.out}: {num} of {len(images)} images with a person'
          + (f'; {len(missed)} without (logged above)' if missed else ''))
    return dict(out=args.out, images=len(images), detected=num,
                missed=missed)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('img_root', metavar='IMG_ROOT',
                        help='folder of images (searched recursively)')
    parser.add_argument('--out', required=True,
                        help='annotation file to write (.npz)')
    parser.add_argument('--detector', choices=sorted(DETECTORS),
                        default='mediapipe', help='default: mediapipe')
    parser.add_argument('--min-confidence', type=float, default=0.5,
                        help='keypoints below this confidence are stored '
                        'absent (default: 0.5)')
    parser.add_argument('--iuv-dir', help='folder of IUV images, mirroring '
                        "IMG_ROOT's subfolders; fills iuv_path")
    parser.add_argument('--iuv-suffix', default='_IUV.png',
                        help='IUV file = image stem + suffix '
                        '(default: _IUV.png)')
    args = parser.parse_args(argv)
    if not args.out.endswith('.npz'):
        parser.error(f'--out must name a .npz file, got {args.out!r}')
    if not 0 <= args.min_confidence <= 1:
        parser.error('--min-confidence must be in [0, 1]')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    try:
        return run(args)
    except (FileNotFoundError, RuntimeError, ValueError, ImportError) as err:
        raise SystemExit(f'error: {err}')


if __name__ == '__main__':
    main()
