"""Locating and reading body-model files (SMPL, SMPL-X, joint regressors,
mean parameters) without chumpy.

**Where files are looked for.**  hmrzoo uses mmhuman3d's layout under one
*body-models root*::

    <root>/smpl/SMPL_{NEUTRAL,MALE,FEMALE}.{npz,pkl}
    <root>/smplx/SMPLX_{NEUTRAL,MALE,FEMALE}.{npz,pkl}
    <root>/J_regressor_extra.npy        # SPIN's 9 extra joints (9, 6890)
    <root>/J_regressor_h36m.npy         # Human3.6M joints (17, 6890)
    <root>/smpl_mean_params.npz         # pose (144,), shape (10,), cam (3,)
    <root>/smpl/smpl_uv.obj             # optional UV layouts (.uv_layout)
    <root>/smplx/smplx_uv.obj

The root is ``data/body_models`` (relative to the working directory, then to
the repository holding the ``hmrzoo`` package).  The environment variable
``HMRZOO_BODY_MODELS`` names another root, searched first; an explicit
path given to a body model or to :func:`find_model_file` overrides both
(a relative path that starts with ``data/body_models/`` is also looked for
under ``$HMRZOO_BODY_MODELS``, so configs keep working unchanged).

**Reading.**  :func:`load_model_arrays` reads ``.npz`` and ``.pkl`` files
into a dict of plain numpy arrays.  Official ``.pkl`` files pickle
``chumpy`` objects (chumpy does not work with current numpy); they are read
without chumpy by the restricted unpickler of :mod:`.chumpy_free`, which
keeps only the numpy array each chumpy object holds and makes
``scipy.sparse`` matrices (SMPL's ``J_regressor``) dense.  A model file
cannot run code when it is read.

``tools/convert_body_model.py`` writes such a dict to ``.npz`` once, for
files that load faster and need no pickle at all.
"""
import os
import os.path as osp
import pickle
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .chumpy_free import ChumpyFreeUnpickler, read_npz, read_pickle, to_plain
from ..utils.errors import UserInputError

__all__ = [
    'DEFAULT_BODY_MODELS_ROOT', 'BODY_MODELS_ENV',
    'BodyModelFileNotFoundError', 'ChumpyFreeUnpickler', 'body_models_roots',
    'find_model_file', 'load_model_arrays', 'load_regressor',
    'MODEL_FILE_KINDS',
]

#: the default body-models root (mmhuman3d's layout), relative to the
#: working directory (then to the repository root).
DEFAULT_BODY_MODELS_ROOT = 'data/body_models'
#: environment variable naming another body-models root, searched first.
BODY_MODELS_ENV = 'HMRZOO_BODY_MODELS'

_REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

_SMPL_URL = 'https://smpl.is.tue.mpg.de'
_SMPLX_URL = 'https://smpl-x.is.tue.mpg.de'
_SPIN_DATA = ("SPIN's data archive (e.g. the `fetch_data.sh` script of the "
              'SPIN repository, https://github.com/nkolot/SPIN)')

#: kind -> (description, candidate names relative to a root (``{G}`` is the
#: upper-case gender), where the file comes from).
MODEL_FILE_KINDS: Dict[str, tuple] = {
    'smpl': ('SMPL model',
             ('smpl/SMPL_{G}.npz', 'smpl/SMPL_{G}.pkl', 'SMPL_{G}.npz',
              'SMPL_{G}.pkl'),
             f'register at {_SMPL_URL} and download "SMPL for Python" '
             '(v1.0.0 or v1.1.0); rename the neutral model '
             '(basicModel_neutral_lbs_10_207_0_v1.0.0.pkl) to '
             'SMPL_NEUTRAL.pkl, the male / female ones to SMPL_MALE.pkl / '
             'SMPL_FEMALE.pkl, and put them in <root>/smpl/'),
    'smplx': ('SMPL-X model',
              ('smplx/SMPLX_{G}.npz', 'smplx/SMPLX_{G}.pkl', 'SMPLX_{G}.npz',
               'SMPLX_{G}.pkl'),
              f'register at {_SMPLX_URL} and download the SMPL-X model '
              '(v1.1, SMPLX_{NEUTRAL,MALE,FEMALE}.npz); put the files in '
              '<root>/smplx/'),
    'J_regressor_extra': ('SPIN extra-joint regressor',
                          ('J_regressor_extra.npy',),
                          f'it is part of {_SPIN_DATA}; put it in <root>/'),
    'J_regressor_h36m': ('Human3.6M joint regressor',
                         ('J_regressor_h36m.npy',),
                         f'it is part of {_SPIN_DATA}; put it in <root>/'),
    'smpl_mean_params': ('SMPL mean parameters',
                         ('smpl_mean_params.npz',),
                         f'it is part of {_SPIN_DATA}; put it in <root>/'),
    'mesh_downsampling': ('GraphCMR mesh downsampling (SMPL, 6890 -> 431)',
                          ('mesh_downsampling.npz',),
                          'it is part of GraphCMR\'s data '
                          '(https://github.com/nkolot/GraphCMR, '
                          'data/mesh_downsampling.npz); put it in <root>/'),
    # optional UV layouts (texture coordinates), read by .uv_layout
    'smpl_uv': ('SMPL UV layout (optional; textures synthetic RGB)',
                ('smpl/smpl_uv.obj', 'smpl_uv.obj'),
                f'register at {_SMPL_URL} and download the "UV map" '
                '(smpl_uv_20200910.zip); put its smpl_uv.obj in '
                '<root>/smpl/'),
    'smplx_uv': ('SMPL-X UV layout (optional; textures synthetic RGB)',
                 ('smplx/smplx_uv.obj', 'smplx_uv.obj'),
                 f'register at {_SMPLX_URL} and download the "UV map" '
                 '(smplx_uv.zip); put its smplx_uv.obj in <root>/smplx/'),
    # any other regressor named by a config (given as a file path)
    'joint_regressor': ('joint regressor', (),
                        'regressors come with the method that uses them '
                        f'(J_regressor_extra / J_regressor_h36m: {_SPIN_DATA})'
                        '; put it in <root>/ or give its path'),
}

_GENDERS = ('neutral', 'male', 'female')


class BodyModelFileError(UserInputError, ValueError):
    """A body-model file that exists but cannot be read (truncated, not a
    model file, or holding objects model files never contain); the message
    names the file, the cause and what to do."""


class UnsafeBodyModelFileError(BodyModelFileError, pickle.UnpicklingError):
    """A body-model pickle referring to a global model files never
    contain (refused, never executed)."""


def _unreadable(path: str, exc: Exception) -> BodyModelFileError:
    cause = f'{type(exc).__name__}: {exc}'.splitlines()[0]
    unsafe = isinstance(exc, pickle.UnpicklingError) and (
        'refers to' in str(exc) or 'global' in str(exc).lower())
    if unsafe:
        what = ('it refers to Python objects body-model files never contain, '
                'so hmrzoo will not unpickle it; use the file as released '
                '(SMPL / SMPL-X sites) or one written by '
                'tools/convert_body_model.py')
    else:
        what = ('it is truncated or not a body-model file; download it again '
                '(SMPL / SMPL-X sites) or re-run tools/convert_body_model.py')
    kind = UnsafeBodyModelFileError if unsafe else BodyModelFileError
    return kind(f'body-model file {path} cannot be read ({cause}): {what}')


class BodyModelFileNotFoundError(FileNotFoundError):
    """A licensed / downloaded body-model file is missing.

    The message says which file, every path that was tried, where the file
    comes from, how to convert an official ``.pkl`` and that the Anny
    variants of the configs need no licensed file.

    Attributes:
        kind (str): ``'smpl'``, ``'smplx'``, ``'J_regressor_extra'``,
            ``'J_regressor_h36m'``, ``'smpl_mean_params'``, ``'smpl_uv'``,
            ``'smplx_uv'`` or ``'file'``.
        looked_at (list[str]): absolute paths that were tried, in order.
    """

    def __init__(self, kind: str, looked_at: Sequence[str],
                 gender: Optional[str] = None):
        self.kind = kind
        self.looked_at = list(looked_at)
        self.gender = gender
        desc, _, source = MODEL_FILE_KINDS.get(
            kind, ('body-model file', (), 'see docs on body models'))
        what = desc + (f' (gender {gender!r})' if gender else '')
        lines = [f'{what} not found. Looked for:']
        lines += [f'  - {p}' for p in self.looked_at]
        uv = kind.endswith('_uv')
        lines += [
            f'Where to get it: {source}.',
            f'The default root is {DEFAULT_BODY_MODELS_ROOT}/ (mmhuman3d '
            f'layout); set {BODY_MODELS_ENV}=/path/to/body_models or pass '
            'the path explicitly (e.g. '
            f'{"uv_file" if uv else "model_path"}=...) to use another '
            'place.',
        ]
        if uv:
            lines.append('The UV layout is optional: leave uv_file unset '
                         'and renderers colour the body by part.')
        else:
            lines += [
                'Official .pkl files need chumpy to unpickle; hmrzoo reads '
                'them without it, and `python tools/convert_body_model.py '
                'INPUT.pkl` writes a chumpy-free .npz next to it (`python '
                'tools/convert_body_model.py --all data/body_models` '
                'converts every .pkl under a folder).',
                'No licensed file at hand? The Anny variant of each config '
                '(`configs/<method>/..._anny.py`) uses the open Anny body '
                'model and runs without any licensed file.',
            ]
        super().__init__('\n'.join(lines))

    def __reduce__(self):  # keep it picklable (multiprocessing workers)
        return (type(self), (self.kind, self.looked_at, self.gender))


# --------------------------------------------------------------------------
# locating files
# --------------------------------------------------------------------------
def _unique(paths: Sequence[str]) -> List[str]:
    seen, out = set(), []
    for p in paths:
        p = osp.abspath(osp.expanduser(p))
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def body_models_roots(root: Optional[str] = None) -> List[str]:
    """Candidate body-models roots, in search order (absolute paths).

    Args:
        root: an explicit root.  ``None`` or the default
            ``'data/body_models'`` means: ``$HMRZOO_BODY_MODELS`` (if set),
            then ``data/body_models`` under the working directory, then
            under the repository that holds the ``hmrzoo`` package.
    """
    if root is not None and osp.normpath(root) != osp.normpath(
            DEFAULT_BODY_MODELS_ROOT):
        return _unique([root])
    roots = []
    env = os.environ.get(BODY_MODELS_ENV)
    if env:
        roots.append(env)
    roots.append(DEFAULT_BODY_MODELS_ROOT)
    roots.append(osp.join(_REPO_ROOT, DEFAULT_BODY_MODELS_ROOT))
    return _unique(roots)


def _names_for(kind: str, gender: Optional[str]) -> Sequence[str]:
    if kind not in MODEL_FILE_KINDS:
        raise KeyError(f'unknown body-model file kind {kind!r}; known: '
                       f'{sorted(MODEL_FILE_KINDS)}')
    names = MODEL_FILE_KINDS[kind][1]
    g = (gender or 'neutral').upper()
    return [n.replace('{G}', g) for n in names]


def _check_gender(gender: Optional[str]) -> Optional[str]:
    if gender is None:
        return None
    g = str(gender).lower()
    if g not in _GENDERS:
        raise ValueError(f'gender must be one of {_GENDERS}, got {gender!r}')
    return g


def find_model_file(kind: str, path: Optional[str] = None,
                    gender: Optional[str] = None) -> str:
    """Find a body-model file.

    Args:
        kind: one of :data:`MODEL_FILE_KINDS` (``'smpl'``, ``'smplx'``,
            ``'J_regressor_extra'``, ``'J_regressor_h36m'``,
            ``'smpl_mean_params'``, the UV layouts ``'smpl_uv'`` /
            ``'smplx_uv'``, ...).
        path: ``None`` / ``'data/body_models'`` (search the default roots,
            see :func:`body_models_roots`), a directory (searched with the
            layout above: ``smpl/SMPL_NEUTRAL.npz``, then ``.pkl``, then the
            same names directly in it, so mmhuman3d's
            ``data/body_models/smpl`` works too), or a file path.  A
            relative path under ``data/body_models/`` is also looked for
            under ``$HMRZOO_BODY_MODELS``.
        gender: ``'neutral'``, ``'male'`` or ``'female'`` (SMPL / SMPL-X).

    Returns:
        The absolute path of the first candidate that exists (``.npz``
        preferred over ``.pkl``).

    Raises:
        BodyModelFileNotFoundError: nothing found; the message lists every
            path tried.
    """
    gender = _check_gender(gender)
    if kind in ('smpl', 'smplx') and gender is None:
        gender = 'neutral'
    shown_gender = gender if kind in ('smpl', 'smplx') else None
    names = _names_for(kind, gender)
    if path is not None and osp.isfile(path):
        return osp.abspath(path)
    path = os.fspath(path) if path is not None else None
    if path is None or osp.normpath(path) == osp.normpath(
            DEFAULT_BODY_MODELS_ROOT):
        bases = body_models_roots(path)
    else:
        bases = [path]
        # 'data/body_models/...' also under $HMRZOO_BODY_MODELS (and the
        # repository's data/body_models when run from elsewhere)
        prefix = osp.normpath(DEFAULT_BODY_MODELS_ROOT) + os.sep
        norm = osp.normpath(path)
        if not osp.isabs(path) and norm.startswith(prefix):
            rest = norm[len(prefix):]
            bases += [osp.join(r, rest) for r in body_models_roots()]
    candidates: List[str] = []
    for base in bases:
        if osp.isdir(base) or not osp.splitext(base)[1]:
            candidates += [osp.join(base, n) for n in names]
        else:  # a file name
            candidates.append(base)
    candidates = _unique(candidates)
    for c in candidates:
        if osp.isfile(c):
            return c
    raise BodyModelFileNotFoundError(kind, candidates, shown_gender)


# --------------------------------------------------------------------------
# reading files
# --------------------------------------------------------------------------
def load_model_arrays(path: str) -> Dict[str, Any]:
    """Read a body-model file into a dict of plain numpy arrays.

    Args:
        path: a ``.npz`` or ``.pkl`` file (SMPL, SMPL-X, ... as released, or
            converted by ``tools/convert_body_model.py``).

    Returns:
        ``{key: value}``: numpy arrays for every array-like entry (chumpy
        objects replaced by the numpy array they hold, scipy sparse
        matrices made dense); strings and other entries kept as they are.

    Raises:
        BodyModelFileNotFoundError: ``path`` does not exist.
        ValueError: unknown extension, a chumpy object without a
            recoverable array (the message names its key), or a pickle that
            is not a dict.
        BodyModelFileError: the file is truncated, not a model file, or
            its pickle refers to a global that model files never contain.
    """
    path = os.fspath(path)
    if not osp.isfile(path):
        raise BodyModelFileNotFoundError('file', [osp.abspath(path)])
    ext = osp.splitext(path)[1].lower()
    if ext not in ('.npz', '.pkl', '.pickle'):
        raise ValueError(f'{path}: body-model files are .npz or .pkl, got '
                         f'{ext!r}')
    try:
        data = read_npz(path) if ext == '.npz' else read_pickle(path)
    except (ValueError, TypeError) as exc:
        if str(path) in str(exc):    # already names the file and the key
            raise
        raise _unreadable(path, exc) from exc
    except Exception as exc:   # BadZipFile, UnpicklingError, EOFError ...
        raise _unreadable(path, exc) from exc
    return {str(k): to_plain(v, str(k)) for k, v in data.items()}


def load_regressor(path: str) -> np.ndarray:
    """Read a joint regressor (``.npy`` (J, V), or a ``.npz`` / ``.pkl``
    holding one array) as a dense float32 array of shape (J, V)."""
    path = os.fspath(path)
    if not osp.isfile(path):
        raise BodyModelFileNotFoundError('file', [osp.abspath(path)])
    if path.lower().endswith('.npy'):
        try:
            arr = np.load(path, allow_pickle=False)
        except Exception as exc:
            raise _unreadable(path, exc) from exc
    else:
        arrays = [v for v in load_model_arrays(path).values()
                  if isinstance(v, np.ndarray) and v.ndim == 2]
        if len(arrays) != 1:
            raise ValueError(f'{path}: expected exactly one 2-D array (a '
                             f'joint regressor), found {len(arrays)}')
        arr = arrays[0]
    if arr.ndim != 2:
        raise ValueError(f'{path}: a joint regressor is (J, V), got shape '
                         f'{arr.shape}')
    return np.ascontiguousarray(arr, dtype=np.float32)
