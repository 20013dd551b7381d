"""Small readers for the file types of official dataset releases, with
errors that name the file and the key.

* :func:`require_key`: one entry of a loaded container (dict from a pickle
  or a MATLAB file, an open ``h5py.File``).
* :func:`read_cdf_variable`: one variable of a NASA CDF file (Human3.6M's
  pose files), read with ``cdflib``.
* :func:`read_image_size`: (W, H) from an image file's header (no pixels
  are decoded).
* :func:`as_index_list`, :func:`as_positive_int`, :func:`as_flag`:
  converter options as ``tools/convert_datasets.py --options`` passes them
  (``subjects=1`` or ``subjects=1,5``; ``frame_step=5``;
  ``extract_frames=True``), checked with a message naming the option.
"""
from typing import Any, List, Sequence, Tuple, Union

import numpy as np


def require_key(container: Any, key: str, source: str, what: str = '') -> Any:
    """``container[key]``, or a KeyError naming ``source`` and ``key``.

    Args:
        container: anything with ``in`` and ``[]`` (dict, ``h5py.File``).
        key: the official key.
        source: the file the container was read from (for the message).
        what: what the key should hold, added to the message.
    """
    if key not in container:
        hint = f' ({what})' if what else ''
        try:
            present = sorted(str(k) for k in container.keys())
        except AttributeError:  # pragma: no cover - containers without keys
            present = []
        raise KeyError(f'{source}: key {key!r}{hint} is missing; keys '
                       f'present: {present}. Is this file from the official '
                       'release?')
    return container[key]


def read_cdf_variable(path: str, name: str) -> np.ndarray:
    """All records of variable ``name`` of the CDF file ``path``.

    Returns:
        np.ndarray: the variable as ``cdflib`` returns it (records first).

    Raises:
        FileNotFoundError: no such file.
        KeyError: the file has no variable ``name`` (lists those it has).
    """
    import cdflib  # optional dependency: the 'datasets' extra
    try:
        cdf = cdflib.CDF(path)
    except FileNotFoundError:
        raise FileNotFoundError(f'CDF file not found: {path}') from None
    info = cdf.cdf_info()
    names = list(info.zVariables) + list(info.rVariables)
    if name not in names:
        raise KeyError(f'{path}: CDF variable {name!r} is missing; variables '
                       f'present: {names}')
    return np.asarray(cdf.varget(name))


def read_image_size(path: str) -> Tuple[int, int]:
    """(W, H) in pixels of an image file, read from its header.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not an image file that Pillow recognises.
    """
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as image:
            return int(image.size[0]), int(image.size[1])
    except UnidentifiedImageError:
        raise ValueError(f'{path}: not a readable image file') from None


def as_index_list(value: Union[int, Sequence[int], None],
                  default: Sequence[int], name: str) -> List[int]:
    """An option holding one integer or several, as a list of ints.

    Args:
        value: the option (None: ``default``).
        default: used when ``value`` is None.
        name: the option's name, for the error message.

    Raises:
        ValueError: ``value`` holds something that is not an integer.
    """
    if value is None:
        return list(default)
    items = [value] if np.isscalar(value) else list(value)
    try:
        out = [int(v) for v in items]
    except (TypeError, ValueError):
        raise ValueError(f'option {name}={value!r}: expected integers, e.g. '
                         f'{name}={",".join(str(d) for d in default)}'
                         ) from None
    if [float(v) for v in items] != [float(v) for v in out]:
        raise ValueError(f'option {name}={value!r}: expected integers')
    return out


def as_positive_int(value: Any, name: str) -> int:
    """An option that must be an integer >= 1 (e.g. a frame step)."""
    try:
        out = int(value)
    except (TypeError, ValueError):
        out = None
    if out is None or out < 1 or float(value) != out:
        raise ValueError(f'option {name}={value!r}: expected an integer >= 1')
    return out


def as_flag(value: Any, name: str) -> bool:
    """A yes / no option: a bool, 0 / 1, or the strings true / false."""
    if isinstance(value, str) and value.lower() in ('true', 'false'):
        return value.lower() == 'true'
    if isinstance(value, (bool, int, np.bool_)) and value in (0, 1):
        return bool(value)
    raise ValueError(f'option {name}={value!r}: expected True or False')
