"""Random number sources of the random transforms.

Every random transform takes ``rng``:

* ``None`` (the default, what configs use): numpy's global generator
  (``np.random``).  mmengine's dataloader seeds it differently in every
  worker (``worker_init_fn`` with ``randomness=dict(seed=...)``), so
  workers draw different augmentations and a seeded run is reproducible.
* an ``int``: a private ``np.random.Generator`` seeded with it.  Every
  dataloader worker then holds a copy of the *same* stream, so workers
  repeat each other's augmentations: meant for tests and debugging.
* a ``np.random.Generator``: used as is (tests).

All three are picklable, so the transforms can be sent to workers.
"""
from typing import Optional, Union

import numpy as np

RandomSource = Optional[Union[int, np.random.Generator]]


def resolve_rng(rng: RandomSource):
    """Turn a transform's ``rng`` argument into what it is stored as.

    Args:
        rng: ``None``, an ``int`` seed or a ``np.random.Generator``.

    Returns:
        None or np.random.Generator.

    Raises:
        TypeError: for anything else.
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError('rng must be None (numpy\'s global generator), an int '
                    f'seed or a numpy.random.Generator, got {type(rng)}')


def generator(rng: Optional[np.random.Generator]):
    """The object to draw from: ``rng`` or the ``np.random`` module.

    Only methods both offer are used by the transforms: ``random``,
    ``uniform`` and ``standard_normal``.
    """
    return np.random if rng is None else rng


def randint(rng, low: int, high: int) -> int:
    """One integer uniform in ``[low, high]`` (both included), drawn with
    ``uniform`` so that it works on both kinds of source."""
    if high < low:
        raise ValueError(f'empty integer range [{low}, {high}]')
    value = int(np.floor(rng.uniform(low, high + 1)))
    return min(value, high)
