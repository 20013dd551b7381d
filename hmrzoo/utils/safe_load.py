"""Safe checkpoint loading for torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default.  mmengine 0.10.7
writes into every checkpoint its message hub, which pickles
``mmengine.logging.HistoryBuffer`` and numpy arrays/scalars, so ``--resume``
fails on mmengine's own checkpoints.  Rather than falling back to
``weights_only=False`` (which can execute arbitrary code from a downloaded
file), we allow-list exactly the objects mmengine stores:

* ``HistoryBuffer`` and the numpy array / dtype / scalar reconstructors of
  its ``_log_history``;
* ``builtins.getattr`` -- **not** the real one.  ``HistoryBuffer`` pickles
  its statistics methods as ``getattr(HistoryBuffer, 'min')``.  Allowing
  the builtin would let a crafted file walk from any allow-listed object
  to arbitrary ones (``getattr(getattr(HistoryBuffer, '__init__'),
  '__globals__')`` ...) and plant them in the buffer's statistics table,
  which mmengine later calls by name.  The name ``builtins.getattr`` is
  therefore bound to :func:`history_statistic`, which returns only
  ``HistoryBuffer``'s own statistics methods and refuses everything else.
"""
import pickle

import numpy as np
import torch

_DONE = False


def history_statistic(owner, name: str):
    """What ``getattr(owner, name)`` in a checkpoint may mean: one of
    mmengine ``HistoryBuffer``'s statistics methods (``min``, ``max``,
    ``mean``, ``current`` or one registered with
    ``HistoryBuffer.register_statistics``); anything else is refused."""
    from mmengine.logging import HistoryBuffer
    allowed = set(getattr(HistoryBuffer, '_statistics_methods', {})) | {
        'min', 'max', 'mean', 'current'}
    if owner is not HistoryBuffer or not isinstance(name, str) \
            or name not in allowed:
        raise pickle.UnpicklingError(
            f'refused getattr({getattr(owner, "__name__", type(owner))!r}, '
            f'{name!r}) in a checkpoint: only HistoryBuffer statistics '
            f'{sorted(allowed)} may be looked up (the file is crafted or not '
            'an mmengine checkpoint)')
    return getattr(HistoryBuffer, name)


def _numpy_globals():
    """The numpy objects needed to unpickle arrays, dtypes and scalars."""
    out = [np.ndarray, np.dtype]
    try:  # numpy >= 2 keeps the reconstructor in numpy._core
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    out += [_reconstruct, scalar]
    # dtype classes (np.dtypes.Float64DType, ...) that numpy >= 1.25 pickles
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        out += [getattr(dtypes, n) for n in dir(dtypes)
                if n.endswith('DType') and isinstance(getattr(dtypes, n),
                                                       type)]
    # scalar types pickled as the first argument of ``scalar``
    out += [np.float64, np.float32, np.int64, np.int32, np.bool_]
    return out


def allow_mmengine_checkpoints():
    """Allow-list the classes mmengine 0.10.7 pickles into checkpoints.

    Idempotent; called when ``hmrzoo`` is imported.
    """
    global _DONE
    if _DONE or not hasattr(torch.serialization, 'add_safe_globals'):
        return
    from mmengine.logging import HistoryBuffer
    import collections
    torch.serialization.add_safe_globals(
        [HistoryBuffer, (history_statistic, 'builtins.getattr'),
         collections.OrderedDict,
         collections.defaultdict]
        + _numpy_globals())
    _DONE = True
