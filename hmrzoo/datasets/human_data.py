"""hmrzoo's annotation format: one HumanData-like ``.npz`` per dataset split.

Every converter in :mod:`hmrzoo.datasets.converters` writes this format and
:class:`~hmrzoo.datasets.HumanImageDataset` reads it.  A file holds N
samples (one person in one image each) as plain arrays (no pickles:
``np.load(..., allow_pickle=False)`` reads it).

Per-sample fields (first dimension N; K = number of keypoints of the file's
``keypoint_convention``, ``smpl_54`` unless the converter says otherwise):

========================  ===========  ====================================
key                       shape        content
========================  ===========  ====================================
``image_path``            (N,) str     image file relative to the
                                       dataset's image root (the
                                       ``--root`` of the converter)
``bbox_xywh``             (N, 4)       person box: top-left x, y, width,
                                       height; image pixels
``keypoints2d``           (N, K, 3)    x, y image pixels, confidence
                                       (0: absent)
``keypoints2d_detected``  (N, K, 3)    a 2D detector's output for the
                                       row's person, kept apart from the
                                       ground truth: x, y image pixels,
                                       confidence (0: absent or not
                                       found); ``tools/detect_keypoints.py
                                       --ann-file`` writes it
``keypoints3d``           (N, K, 4)    x, y, z metres in the OpenCV camera
                                       frame of the image, confidence
                                       (0: absent)
``smpl_global_orient``    (N, 3)       axis-angle, camera frame
``smpl_body_pose``        (N, 69)      axis-angle of SMPL's 23 body joints
``smpl_betas``            (N, 10)
``smpl_transl``           (N, 3)       metres, camera frame (zeros when
                                       unknown)
``has_smpl``              (N,) bool    which rows hold a SMPL fit
``gender``                (N,) str     ``'neutral'``, ``'male'`` or
                                       ``'female'``
``focal_length``          (N, 2)       fx, fy pixels (absent: unknown
                                       camera)
``principal_point``       (N, 2)       cx, cy pixels
``image_size``            (N, 2) int   W, H pixels
``sample_id``             (N,) str     stable id (sequence / frame /
                                       person), written to per-sample
                                       evaluation output
``iuv_path``              (N,) str     dense-correspondence evidence: an
                                       IUV image of the whole frame
                                       (DensePose's ``*_IUV.png``),
                                       relative to the image root
``depth_path``            (N,) str     depth evidence: a depth estimator's
                                       map of the whole frame (``.npy`` /
                                       16-bit ``.png``, see
                                       ``LoadDepth``), relative to the
                                       image root
========================  ===========  ====================================

Only ``image_path`` and ``bbox_xywh`` are required; the ``smpl_*`` keys and
``has_smpl`` come together.  A converter writes only what its dataset has.

File-level fields (0-d arrays): ``format_version`` (int, :data:`VERSION`),
``keypoint_convention`` (str), ``dataset`` (str, e.g. ``'3dpw'``),
``split`` (str), ``smpl_source`` (str, where SMPL fits come from: ``'mosh'``,
``'eft'``, ``'spin'``, ``'dataset'``, ...) and ``protocol`` (str, free text,
e.g. ``'h36m protocol 2: camera 60457274'``).

Keypoints are stored in one *superset* convention (``smpl_54`` covers SMPL's
24 joints, COCO-17, LSP-14, MPII-16, Human3.6M-17 and MPI-INF-3DHP-17 by
name, see :mod:`hmrzoo.conventions`), so one file can carry the
joints of several sources and datasets convert to any model's convention
by name.  :func:`keypoints_to_superset` builds such arrays.

Errors name the file and the key: a missing required key, a shape that does
not match N / K, a wrong dtype.
"""
from typing import Dict, Iterable, Mapping, Optional, Tuple

import numpy as np

from ..conventions import convert_kps, get_keypoint_num
from ..utils.atomic import atomic_path
from ..utils.errors import UserInputError

#: version written to every file; readers accept versions <= VERSION.
VERSION = 1
#: storage convention of keypoints unless a converter chooses another.
DEFAULT_CONVENTION = 'smpl_54'
GENDERS = ('neutral', 'male', 'female')

# key -> (shape after N, with 'K' for the keypoint count; dtype kind;
#         description).  dtype kinds: 'f' float, 'i' integer, 'b' bool,
#         'U' string.
FIELDS: Dict[str, Tuple[tuple, str, str]] = {
    'image_path': ((), 'U', 'image path relative to the image root'),
    'bbox_xywh': ((4,), 'f', 'person box x, y, w, h (pixels)'),
    'keypoints2d': (('K', 3), 'f', '2D keypoints x, y, confidence'),
    'keypoints2d_detected': (('K', 3), 'f', "a 2D detector's keypoints x, "
                             'y, confidence (not ground truth)'),
    'keypoints3d': (('K', 4), 'f', '3D keypoints x, y, z (m), confidence'),
    'smpl_global_orient': ((3,), 'f', 'SMPL root axis-angle'),
    'smpl_body_pose': ((69,), 'f', 'SMPL body axis-angles'),
    'smpl_betas': ((10,), 'f', 'SMPL shape'),
    'smpl_transl': ((3,), 'f', 'SMPL translation (m)'),
    'has_smpl': ((), 'b', 'row holds a SMPL fit'),
    'gender': ((), 'U', "'neutral' | 'male' | 'female'"),
    'focal_length': ((2,), 'f', 'fx, fy (pixels)'),
    'principal_point': ((2,), 'f', 'cx, cy (pixels)'),
    'image_size': ((2,), 'i', 'image W, H (pixels)'),
    'sample_id': ((), 'U', 'stable sample id'),
    'iuv_path': ((), 'U', 'IUV image path relative to the image root'),
    'depth_path': ((), 'U', 'depth map path relative to the image root'),
}
META_FIELDS = {
    'format_version': 'i', 'keypoint_convention': 'U', 'dataset': 'U',
    'split': 'U', 'smpl_source': 'U', 'protocol': 'U',
}
REQUIRED = ('image_path', 'bbox_xywh')
#: float fields whose non-finite rows are dropped by the dataset with a
#: counted warning (a person without a usable box) instead of refusing the
#: file; every other float field must be finite.
FINITE_BY_DROPPING = ('bbox_xywh', )
SMPL_KEYS = ('smpl_global_orient', 'smpl_body_pose', 'smpl_betas',
             'smpl_transl', 'has_smpl')
_HOW_TO_FIX = ('convert the dataset again with tools/convert_datasets.py '
               '(docs/data_preparation.md describes the format)')


class AnnotationError(UserInputError, ValueError):
    """An annotation file (or dict) that breaks the format; the message
    names the file and the key."""


def _kind_ok(array: np.ndarray, kind: str) -> bool:
    if kind == 'f':
        return np.issubdtype(array.dtype, np.floating) or \
            np.issubdtype(array.dtype, np.integer)
    if kind == 'i':
        return np.issubdtype(array.dtype, np.integer)
    if kind == 'b':
        return array.dtype == bool or np.issubdtype(array.dtype, np.integer)
    return array.dtype.kind == 'U'


def validate(data: Mapping[str, np.ndarray], source: str = '<annotations>',
             required: Iterable[str] = REQUIRED) -> int:
    """Check ``data`` against the format; return N.

    Args:
        data: key -> array, as read from a file or built by a converter.
        source: the file name used in error messages.
        required: keys that must be present (:data:`REQUIRED` plus whatever
            the caller needs, e.g. ``keypoints3d`` for an evaluation set).

    Raises:
        AnnotationError: naming ``source`` and the offending key.
    """
    def fail(key, problem):
        raise AnnotationError(f'{source}: key {key!r} {problem}; '
                              f'{_HOW_TO_FIX}')

    for key in required:
        if key not in data:
            what = FIELDS[key][2] if key in FIELDS else 'needed here'
            fail(key, f'is missing ({what}); keys present: {sorted(data)}')
    unknown = set(data) - set(FIELDS) - set(META_FIELDS)
    if unknown:
        raise AnnotationError(f'{source}: unknown keys {sorted(unknown)}; '
                              f'known: {sorted(FIELDS)} and file-level '
                              f'{sorted(META_FIELDS)}')
    present_smpl = [k for k in SMPL_KEYS if k in data]
    if present_smpl and len(present_smpl) != len(SMPL_KEYS):
        missing = sorted(set(SMPL_KEYS) - set(present_smpl))
        fail(missing[0], f'is missing while {present_smpl} are present '
             '(the SMPL keys come together)')
    for key, kind in META_FIELDS.items():
        if key in data:
            value = np.asarray(data[key])
            if value.ndim != 0 or not _kind_ok(value, kind):
                fail(key, f'must be a 0-d {kind!r} array, got shape '
                     f'{value.shape} dtype {value.dtype}')
    version = int(np.asarray(data.get('format_version', VERSION)))
    if version > VERSION:
        raise AnnotationError(f'{source}: format_version {version} is newer '
                              f'than this hmrzoo reads ({VERSION}); update '
                              'hmrzoo')
    convention = str(np.asarray(data.get('keypoint_convention',
                                         DEFAULT_CONVENTION)))
    try:
        num_kp = get_keypoint_num(convention)
    except KeyError:
        fail('keypoint_convention', f'names an unknown convention '
             f'{convention!r}')
    n = len(np.asarray(data['image_path'])) if 'image_path' in data else None
    for key, (tail, kind, what) in FIELDS.items():
        if key not in data:
            continue
        array = np.asarray(data[key])
        n = len(array) if n is None and array.ndim else n
        expected = (n,) + tuple(num_kp if d == 'K' else d for d in tail)
        if array.shape != expected:
            fail(key, f'({what}) has shape {array.shape}, expected '
                 f'{expected} (N={n}, K={num_kp} for {convention!r})')
        if not _kind_ok(array, kind):
            fail(key, f'({what}) has dtype {array.dtype}, expected kind '
                 f'{kind!r}')
        if kind == 'f' and key not in FINITE_BY_DROPPING and array.size:
            bad = ~np.isfinite(array.reshape(len(array), -1)).all(1)
            if bad.any():
                fail(key, f'({what}) holds NaN / Inf in {int(bad.sum())} of '
                     f'{len(array)} rows, the first at row '
                     f'{int(np.flatnonzero(bad)[0])} (an unlabelled value '
                     'is 0 with confidence 0, never NaN)')
    if 'gender' in data:
        bad = sorted(set(np.asarray(data['gender']).tolist()) - set(GENDERS))
        if bad:
            fail('gender', f'has values {bad}; allowed: {GENDERS}')
    return 0 if n is None else n


def save_annotations(path: str, data: Mapping[str, np.ndarray],
                     **meta) -> int:
    """Validate and write an annotation file; return N.

    ``meta`` sets file-level fields (``dataset='3dpw', split='test'``);
    ``format_version`` and ``keypoint_convention`` are filled in.  The
    file is written beside ``path`` and renamed over it when complete, so
    an interrupted conversion leaves no half-written file (``.npz`` is
    appended to a path without it, as ``np.savez`` does).
    """
    out = {k: np.asarray(v) for k, v in data.items()}
    out.update({k: np.asarray(v) for k, v in meta.items()})
    out.setdefault('format_version', np.asarray(VERSION))
    out.setdefault('keypoint_convention', np.asarray(DEFAULT_CONVENTION))
    for key, (_, kind, _) in FIELDS.items():
        if key in out and kind == 'f':
            out[key] = out[key].astype(np.float32)
        if key in out and kind == 'b':
            out[key] = out[key].astype(bool)
    n = validate(out, path)
    if not str(path).endswith('.npz'):
        path = f'{path}.npz'
    with atomic_path(path) as tmp:
        np.savez(tmp, **out)
    return n


def load_annotations(path: str, required: Iterable[str] = REQUIRED
                     ) -> Dict[str, np.ndarray]:
    """Read and validate an annotation file.

    Raises:
        FileNotFoundError: naming the path and how to produce it.
        AnnotationError: see :func:`validate`.
    """
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except FileNotFoundError:
        raise FileNotFoundError(f'annotation file not found: {path}; '
                                f'{_HOW_TO_FIX}') from None
    except ValueError as err:  # object arrays need pickles: not our format
        raise AnnotationError(f'{path}: not an hmrzoo annotation file '
                              f'({err}); {_HOW_TO_FIX}') from None
    validate(data, path, tuple(REQUIRED) + tuple(required))
    return data


def keypoints_to_superset(keypoints: np.ndarray, src: str,
                          confidence: Optional[np.ndarray] = None,
                          dst: str = DEFAULT_CONVENTION) -> np.ndarray:
    """Place keypoints of convention ``src`` into the storage convention.

    Args:
        keypoints: (N, J, D) coordinates in ``src`` order (D = 2 or 3).
        src: their convention.
        confidence: (N, J) or (J,) confidence / visibility; default 1.
        dst: storage convention.

    Returns:
        np.ndarray: (N, K, D + 1) float32: coordinates and confidence, zero
        for joints ``src`` lacks.
    """
    keypoints = np.asarray(keypoints, np.float32)
    if confidence is None:
        confidence = np.ones(keypoints.shape[:2], np.float32)
    confidence = np.broadcast_to(np.asarray(confidence, np.float32),
                                 keypoints.shape[:2])
    full = np.concatenate([keypoints, confidence[..., None]], axis=-1)
    out, _ = convert_kps(full, src, dst)
    return out.astype(np.float32)


def boxes_with_area(bbox_xywh: np.ndarray) -> np.ndarray:
    """(N,) True for the rows of ``bbox_xywh`` (N, 4) that can be cropped:
    finite, with positive width and height."""
    box = np.asarray(bbox_xywh, np.float64)
    return (box[:, 2] > 0) & (box[:, 3] > 0) & np.isfinite(box).all(1)


def empty_keypoints(n: int, dims: int,
                    convention: str = DEFAULT_CONVENTION) -> np.ndarray:
    """(N, K, dims + 1) zeros: keypoints with confidence 0 everywhere."""
    return np.zeros((n, get_keypoint_num(convention), dims + 1), np.float32)
