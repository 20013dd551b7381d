"""Detect 2D keypoints on images and write them as an hmrzoo annotation file.

Folder mode: a new file of detections::

    python tools/detect_keypoints.py IMG_ROOT --out FILE.npz \
        [--detector mediapipe] [--min-confidence 0.5] \
        [--image-list LIST.txt] [--iuv-dir DIR] [--iuv-suffix _IUV.png]

Every image under IMG_ROOT (.jpg, .jpeg, .png, .bmp; subfolders included,
sorted), or only those named in LIST.txt (paths relative to IMG_ROOT, one
per line), goes through the detector; each image where it finds a person
becomes one row (one person per image: the one the detector scores
highest): ``image_path`` relative to IMG_ROOT, ``bbox_xywh`` 1.2x the box
around the confident landmarks (the box convention of every annotation
file; configs enlarge it further with ``bbox_scale_factor``),
``keypoints2d`` (COCO-17 in the storage convention; keypoints whose
confidence is below --min-confidence are stored absent), ``image_size``,
``sample_id`` and, with --iuv-dir, ``iuv_path`` (DIR/<subfolder>/<image
stem><suffix>, relative to IMG_ROOT; files ending with the suffix are
then IUV images, never inputs, so DIR may be IMG_ROOT itself).  Load it
with ``HumanImageDataset(ann_file=FILE, data_prefix=dict(img_path=IMG_ROOT),
keypoint_convention='coco')``.  Images without a person are listed in the
log and counted; an IMG_ROOT where no image has one is an error.

Annotation mode: detections for the rows of an existing file (e.g. a
converted test set, to evaluate on detected evidence)::

    python tools/detect_keypoints.py IMG_ROOT --ann-file EXISTING.npz \
        --out FILE.npz [--box-scale 1.2] [--min-confidence 0.5] \
        [--iuv-dir DIR] [--iuv-suffix _IUV.png] \
        [--depth-dir DIR] [--depth-suffix _depth.npy]

IMG_ROOT is the image root of EXISTING (its ``image_path`` are relative to
it).  For each row the detector runs on the row's person box
(``bbox_xywh``) enlarged by --box-scale and cut out of the image, so it
finds that person in a multi-person image; its keypoints, mapped back to
full-image pixels, become the row's ``keypoints2d_detected`` (COCO-17 in
the file's storage convention, below --min-confidence stored absent).
FILE is a copy of EXISTING with that field added (and, with --iuv-dir,
``iuv_path`` set as above; with --depth-dir, ``depth_path`` likewise: a
depth estimator's map per image, the format of
``hmrzoo.datasets.transforms.LoadDepth``); every other field is kept as it
is.  Rows where
nothing is found keep confidence 0 everywhere (they still count in an
evaluation); they are logged and listed in the summary.  Each image is
read once for all of its rows.

The detector's model ships with its package: nothing is downloaded.
"""
import argparse
import logging
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
from mmengine.logging import print_log  # noqa: E402

from hmrzoo.apis.keypoint_detection import (  # noqa: E402
    CONVENTION, DETECTORS, IMAGE_EXTENSIONS, detect_folder, detect_rows,
    evidence_paths, iuv_paths, list_images, rows_by_image)
from hmrzoo.datasets.converters.keypoints2d import superset_2d  # noqa
from hmrzoo.datasets.human_data import (  # noqa: E402
    DEFAULT_CONVENTION, load_annotations, save_annotations)
from hmrzoo.registry import KEYPOINT_DETECTORS  # noqa: E402

def run_ann_file(args) -> dict:
    """Annotation mode: add ``keypoints2d_detected`` to a copy of
    ``args.ann_file``; return ``dict(out, rows, images, detected, missed)``
    (``missed``: row indices without a detection).

    Raises:
        FileNotFoundError, AnnotationError (a ValueError): the annotation
            file; FileNotFoundError / ValueError: an image (named).
        ImportError: the detector's package is not installed.
        RuntimeError: no row has a detection (nothing written).
    """
    root = args.img_root
    if not osp.isdir(root):
        raise FileNotFoundError(f'image root {root!r} is not a directory')
    data = load_annotations(args.ann_file)
    num = len(data['image_path'])
    if num == 0:
        raise ValueError(f'{args.ann_file} has no rows; nothing to detect')
    images = rows_by_image(data['image_path'])
    if args.iuv_dir is not None:   # before the detector runs: fail fast
        data['iuv_path'] = np.asarray(iuv_paths(
            list(data['image_path']), root, args.iuv_dir, args.iuv_suffix))
    if args.depth_dir is not None:
        data['depth_path'] = np.asarray(evidence_paths(
            list(data['image_path']), root, args.depth_dir,
            args.depth_suffix, 'depth map', 'depth'))
    cfg = dict(DETECTORS[args.detector], convention=CONVENTION,
               min_keypoint_confidence=args.min_confidence)
    with KEYPOINT_DETECTORS.build(cfg) as detector:
        keypoints, confidence, missed = detect_rows(
            root, data, detector, args.min_confidence, args.box_scale)
    if len(missed) == num:
        raise RuntimeError(
            f'the {args.detector} detector found no person in any of the '
            f'{num} boxes of {args.ann_file} (images under {root}, boxes '
            f'enlarged {args.box_scale}x); nothing written')
    if 'keypoints2d_detected' in data:
        print_log(f'{args.ann_file} already has keypoints2d_detected: '
                  'replaced in the copy', logger='current',
                  level=logging.WARNING)
    storage = str(data.get('keypoint_convention', DEFAULT_CONVENTION))
    data['keypoints2d_detected'] = superset_2d(keypoints, confidence,
                                               CONVENTION, dst=storage)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_annotations(args.out, data)
    ids = data.get('sample_id', data['image_path'])
    summary = (f'wrote {args.out}: keypoints2d_detected ({args.detector}, '
               f'boxes enlarged {args.box_scale}x) for {num - len(missed)} '
               f'of {num} rows ({len(images)} images)')
    if missed:
        listed = [f'row {row} ({ids[row]})' for row, _ in missed[:20]]
        more = f', ... {len(missed) - 20} more' if len(missed) > 20 else ''
        rows = 'row' if len(missed) == 1 else 'rows'
        summary += (f'; {len(missed)} {rows} without a detection, kept with '
                    f'confidence 0 (reasons logged above): '
                    f'{", ".join(listed)}{more}')
    print(summary)
    return dict(out=args.out, rows=num, images=len(images),
                detected=num - len(missed), missed=[r for r, _ in missed])


def read_image_list(path: str, root: str) -> list:
    """The image paths (relative to ``root``) listed in ``path``, one per
    line (blank lines and ``#`` comments skipped), in the file's order.

    Raises:
        FileNotFoundError: the list, or a listed image (the first missing
            one named, with how many are missing).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'image list {path} does not exist')
    with open(path) as f:
        images = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')]
    missing = [rel for rel in images if not osp.isfile(osp.join(root, rel))]
    if missing:
        raise FileNotFoundError(
            f'{len(missing)} of the {len(images)} images listed in {path} '
            f'are not under {root}, e.g. {osp.join(root, missing[0])}; the '
            'list holds paths relative to IMG_ROOT')
    return images


def run(args) -> dict:
    """Detect and write; return ``dict(out, images, detected, missed)``.

    Raises:
        FileNotFoundError: IMG_ROOT is not a folder, holds no image, or an
            IUV file is missing (named).
        ValueError: an image that cannot be read (named).
        ImportError: the detector's package is not installed.
        RuntimeError: no image has a person.

    With ``args.ann_file``: :func:`run_ann_file`.
    """
    if args.ann_file is not None:
        return run_ann_file(args)
    root = args.img_root
    if not osp.isdir(root):
        raise FileNotFoundError(f'image root {root!r} is not a directory')
    if args.image_list is not None:
        images = read_image_list(args.image_list, root)
    else:
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
                        help='folder of images (searched recursively); '
                        'with --ann-file, the image root of that file')
    parser.add_argument('--ann-file', help='an existing annotation file: '
                        "detect each row's person inside its box and write "
                        'a copy with keypoints2d_detected (annotation '
                        'mode)')
    parser.add_argument('--box-scale', type=float, help='with --ann-file: '
                        'enlargement of each row\'s box before it is cut '
                        'out for the detector (default: 1.2)')
    parser.add_argument('--out', required=True,
                        help='annotation file to write (.npz)')
    parser.add_argument('--detector', choices=sorted(DETECTORS),
                        default='mediapipe', help='default: mediapipe')
    parser.add_argument('--min-confidence', type=float, default=0.5,
                        help='keypoints below this confidence are stored '
                        'absent (default: 0.5)')
    parser.add_argument('--image-list', help='folder mode: a text file of '
                        'the images to detect, one path relative to '
                        'IMG_ROOT per line (default: every image under '
                        'IMG_ROOT), e.g. the training frames of a dataset '
                        'whose frames share one folder')
    parser.add_argument('--iuv-dir', help='folder of IUV images, mirroring '
                        "IMG_ROOT's subfolders; fills iuv_path")
    parser.add_argument('--iuv-suffix', default='_IUV.png',
                        help='IUV file = image stem + suffix '
                        '(default: _IUV.png)')
    parser.add_argument('--depth-dir', help='annotation-file mode: folder '
                        "of depth maps (LoadDepth's format), mirroring "
                        "IMG_ROOT's subfolders; fills depth_path")
    parser.add_argument('--depth-suffix', default='_depth.npy',
                        help='depth file = image stem + suffix '
                        '(default: _depth.npy)')
    args = parser.parse_args(argv)
    if args.depth_dir is not None and args.ann_file is None:
        parser.error('--depth-dir needs --ann-file (the rows to attach the '
                     'depth maps to)')
    if not args.out.endswith('.npz'):
        parser.error(f'--out must name a .npz file, got {args.out!r}')
    if not 0 <= args.min_confidence <= 1:
        parser.error('--min-confidence must be in [0, 1]')
    if args.ann_file is not None and args.image_list is not None:
        parser.error('--image-list applies to the folder mode only (with '
                     '--ann-file the rows name the images)')
    if args.ann_file is None:
        if args.box_scale is not None:
            parser.error('--box-scale applies to --ann-file only (the '
                         'folder mode detects on whole images)')
    else:
        if args.box_scale is None:
            args.box_scale = 1.2
        if not args.box_scale > 0:
            parser.error(f'--box-scale must be > 0, got {args.box_scale}')
        if osp.abspath(args.out) == osp.abspath(args.ann_file):
            parser.error('--out must differ from --ann-file (the tool '
                         'writes a copy)')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    try:
        return run(args)
    except (FileNotFoundError, RuntimeError, ValueError, ImportError) as err:
        raise SystemExit(f'error: {err}')


if __name__ == '__main__':
    main()
