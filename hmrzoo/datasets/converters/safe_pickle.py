"""Read the pickles some official releases ship (3DPW sequence files, UP-3D
fits) without executing arbitrary code.

Python's ``pickle`` can call any importable function while loading.  These
files only hold dicts, lists, strings, numbers and numpy arrays, so the
unpickler below resolves exactly the globals that numpy arrays and scalars
need and refuses everything else with an error naming the file and the
global.  Python 2 pickles (3DPW) are read with ``encoding='latin1'``.
"""
import pickle
from typing import Any

#: (module, name) pairs a numpy array / scalar pickle refers to.
_ALLOWED = {
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', 'scalar'),
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
    ('collections', 'OrderedDict'),
    # protocol-2 pickles of numpy data store raw bytes through it
    ('_codecs', 'encode'),
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    def __init__(self, file, path):
        super().__init__(file, encoding='latin1')
        self._path = path

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f'{self._path}: refusing to load {module}.{name} (only numpy '
            'arrays and plain containers are read from dataset pickles)')


def load_pickle(path: str) -> Any:
    """Load a dataset pickle holding plain containers and numpy arrays.

    Raises:
        FileNotFoundError: the file does not exist.
        pickle.UnpicklingError: the file refers to anything else.
    """
    with open(path, 'rb') as f:
        return _NumpyOnlyUnpickler(f, path).load()
