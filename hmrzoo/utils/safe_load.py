"""Safe checkpoint loading for torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default.  mmengine 0.10.7
writes into every checkpoint its message hub, which pickles
``mmengine.logging.HistoryBuffer`` and numpy arrays/scalars, so ``--resume``
fails on mmengine's own checkpoints.  Rather than falling back to
``weights_only=False`` (which can execute arbitrary code from a downloaded
file), we allow-list exactly the objects mmengine stores:

* ``HistoryBuffer`` and the numpy array / dtype / scalar reconstructors of
  its ``_log_history``;
* ``builtins.getattr``: ``HistoryBuffer.__getstate__`` pickles its
  statistics methods as ``getattr(HistoryBuffer, 'min')``.  This is safe
  under the weights-only unpickler: it only *calls* allow-listed callables,
  so ``getattr`` can look attributes up but nothing it returns can be
  invoked.
"""
import builtins
import numpy as np
import torch

_DONE = False


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
        [HistoryBuffer, builtins.getattr, collections.OrderedDict,
         collections.defaultdict]
        + _numpy_globals())
    _DONE = True
