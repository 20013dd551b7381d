"""Reading body-model files without chumpy: the restricted unpickler and
the conversion of what it reads to plain numpy arrays.

Official ``.pkl`` files pickle ``chumpy`` objects (chumpy does not work
with current numpy); :class:`ChumpyFreeUnpickler` replaces every ``chumpy``
class by a stand-in and :func:`to_plain` keeps only the numpy array each one
holds.  ``scipy.sparse`` matrices (SMPL's ``J_regressor``) become dense
arrays.  The unpickler only accepts the globals such files need (numpy
arrays, scipy sparse matrices, a few builtins), so a model file cannot run
code when it is read; object arrays of a ``.npz`` go through it too
(:func:`read_npz` never uses ``allow_pickle=True``).

:func:`~.model_files.load_model_arrays` is the entry point that reads a file
with these.
"""
import pickle
import zipfile
from typing import Any, Dict

import numpy as np

__all__ = ['ChumpyFreeUnpickler', 'read_npz', 'read_pickle', 'to_plain']


class _ChumpyStandIn:
    """Takes the place of any ``chumpy`` object while unpickling.

    It records what the pickle gives it (constructor arguments and state);
    :func:`to_plain` then keeps only the array under the state key ``'x'``
    (where chumpy's ``Ch`` stores its value).
    """

    chumpy_class = 'chumpy'
    # defaults for objects made by copy_reg._reconstructor (protocols 0, 1),
    # which bypasses __new__
    args: tuple = ()
    kwargs: dict = {}
    state: Any = None

    def __new__(cls, *args, **kwargs):
        obj = object.__new__(cls)
        obj.args, obj.kwargs, obj.state = args, kwargs, None
        return obj

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            self.args, self.kwargs = args, kwargs

    def __setstate__(self, state):
        self.state = state

    def array(self, key: str) -> np.ndarray:
        state = self.state
        if isinstance(state, tuple) and len(state) == 2 and isinstance(
                state[0], (dict, type(None))):
            state = state[0]  # (dict, slots) form
        value = state.get('x') if isinstance(state, dict) else None
        if value is None and not state and len(self.args) == 1:
            value = self.args[0]  # a chumpy object built from an array
        if isinstance(value, _ChumpyStandIn):
            value = value.array(key)
        if isinstance(value, np.ndarray) or np.isscalar(value):
            return np.asarray(value)
        raise ValueError(
            f'key {key!r}: the pickled {self.chumpy_class} object holds no '
            'recoverable array (no numpy array under its state key "x"); '
            'this file needs chumpy to be read. Convert it once on a machine '
            'with chumpy, or obtain the .npz release of the model.')


_STAND_INS: Dict[str, type] = {}


def _stand_in(module: str, name: str) -> type:
    full = f'{module}.{name}'
    if full not in _STAND_INS:
        _STAND_INS[full] = type(name, (_ChumpyStandIn, ),
                                {'chumpy_class': full})
    return _STAND_INS[full]


_NUMPY_MODULES = ('numpy', 'numpy.core.multiarray', 'numpy._core.multiarray',
                  'numpy.core.numeric', 'numpy._core.numeric',
                  'numpy.core.fromnumeric', 'numpy._core.fromnumeric')
_NUMPY_NAMES = ('_reconstruct', 'ndarray', 'dtype', 'scalar', '_frombuffer',
                'frombuffer')
_BUILTINS = ('object', 'set', 'frozenset', 'list', 'dict', 'tuple', 'slice',
             'complex', 'bytearray', 'bytes', 'int', 'float', 'str', 'bool',
             'range')


class ChumpyFreeUnpickler(pickle.Unpickler):
    """Unpickler for body-model files (use ``encoding='latin1'`` for the
    Python-2 pickles of the official releases).

    ``find_class`` resolves:

    * any ``chumpy.*`` class to a stand-in recording its pickled state;
    * numpy's array / dtype / scalar reconstructors (also the
      ``numpy.core`` names of numpy 1.x pickles) and ``numpy.dtypes``;
    * ``scipy.sparse`` matrix / array classes, by class name (old module
      paths such as ``scipy.sparse.csc`` included);
    * ``copy_reg._reconstructor``, ``_codecs.encode``,
      ``collections.OrderedDict`` and plain builtin types.

    Anything else raises :class:`pickle.UnpicklingError`, so reading a
    model file never imports or calls arbitrary code.
    """

    def find_class(self, module: str, name: str):
        if module == 'chumpy' or module.startswith('chumpy.'):
            return _stand_in(module, name)
        if module in _NUMPY_MODULES and name in _NUMPY_NAMES:
            if name in ('ndarray', 'dtype', 'frombuffer'):
                return getattr(np, name)
            try:
                from numpy._core import multiarray, numeric
            except ImportError:  # numpy < 2
                from numpy.core import multiarray, numeric
            for mod in (multiarray, numeric):
                if hasattr(mod, name):
                    return getattr(mod, name)
        if module == 'numpy.dtypes' and name.endswith('DType'):
            import numpy.dtypes
            return getattr(numpy.dtypes, name)
        if module.startswith('scipy.sparse') and (
                name.endswith('_matrix') or name.endswith('_array')):
            import scipy.sparse
            if hasattr(scipy.sparse, name):
                return getattr(scipy.sparse, name)
        if module in ('copy_reg', 'copyreg') and name == '_reconstructor':
            import copyreg
            return copyreg._reconstructor
        if module == '_codecs' and name == 'encode':
            import codecs
            return codecs.encode
        if module == 'collections' and name == 'OrderedDict':
            import collections
            return collections.OrderedDict
        if module in ('builtins', '__builtin__') and name in _BUILTINS:
            import builtins
            return getattr(builtins, name)
        raise pickle.UnpicklingError(
            f'body-model pickle refers to {module}.{name}, which hmrzoo does '
            'not load from model files (only numpy arrays, scipy sparse '
            'matrices and chumpy arrays are expected)')


def _is_sparse(value: Any) -> bool:
    try:
        import scipy.sparse
    except ImportError:  # pragma: no cover - scipy is a dependency
        return False
    return scipy.sparse.issparse(value)


def _sparse_to_dense(value: Any, key: str) -> np.ndarray:
    try:
        return np.asarray(value.toarray())
    except Exception:  # an old pickle whose attributes differ: rebuild
        import scipy.sparse
        d = vars(value)
        shape = d.get('_shape', d.get('shape'))
        fmt = getattr(value, 'format', None) or d.get('format')
        try:
            if fmt in ('csc', 'csr'):
                cls = scipy.sparse.csc_matrix if fmt == 'csc' else \
                    scipy.sparse.csr_matrix
                m = cls((d['data'], d['indices'], d['indptr']), shape=shape)
            elif fmt == 'coo':
                m = scipy.sparse.coo_matrix(
                    (d['data'], (d['row'], d['col'])), shape=shape)
            else:
                raise KeyError(fmt)
        except KeyError:
            raise ValueError(f'key {key!r}: cannot read the pickled sparse '
                             f'matrix (format {fmt!r})') from None
        return np.asarray(m.toarray())


def to_plain(value: Any, key: str) -> Any:
    """Chumpy stand-ins -> their array, sparse -> dense, else unchanged."""
    if isinstance(value, _ChumpyStandIn):
        return value.array(key)
    if _is_sparse(value):
        return _sparse_to_dense(value, key)
    if isinstance(value, np.ndarray) and value.dtype == object:
        if any(isinstance(v, _ChumpyStandIn) or _is_sparse(v)
               for v in value.flat):
            out = np.empty(value.shape, dtype=object)
            for idx, v in np.ndenumerate(value):
                out[idx] = to_plain(v, key)
            return out
    return value


def read_pickle(path: str) -> Dict[str, Any]:
    with open(path, 'rb') as f:
        data = ChumpyFreeUnpickler(f, encoding='latin1').load()
    if not isinstance(data, dict):
        raise ValueError(f'{path}: expected a pickled dict of model arrays, '
                         f'got {type(data).__name__}')
    return data


def _read_npz_member_with_objects(zf: zipfile.ZipFile, member: str) -> Any:
    """Read an object-dtype ``.npy`` member through the restricted
    unpickler (never ``allow_pickle=True``)."""
    from numpy.lib import format as npformat
    with zf.open(member) as f:
        version = npformat.read_magic(f)
        if version == (1, 0):
            npformat.read_array_header_1_0(f)
        else:
            npformat.read_array_header_2_0(f)
        return ChumpyFreeUnpickler(f, encoding='latin1').load()


def read_npz(path: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    with np.load(path, allow_pickle=False) as npz:
        keys = list(npz.files)
        for key in keys:
            try:
                out[key] = npz[key]
            except ValueError:  # object array: needs pickle
                with zipfile.ZipFile(path) as zf:
                    out[key] = _read_npz_member_with_objects(
                        zf, key + '.npy')
    return out
