"""The table of keypoint conventions and name look-ups."""
import logging
from typing import Dict, Iterable, List, Sequence

from .approximate import find_substitute

logger = logging.getLogger('hmrzoo.conventions')

#: convention name -> ordered joint names.  Modify only through
#: :func:`register_convention`.
KEYPOINT_CONVENTIONS: Dict[str, List[str]] = {}


def _check_names(name: str, names: Sequence[str]) -> List[str]:
    names = list(names)
    bad = [n for n in names if not isinstance(n, str) or not n]
    if bad:
        raise ValueError(f'convention {name!r}: joint names must be '
                         f'non-empty strings, got {bad}')
    seen, dup = set(), []
    for n in names:
        if n in seen:
            dup.append(n)
        seen.add(n)
    if dup:
        raise ValueError(f'convention {name!r}: duplicate joint names {dup}')
    sided = [n for n in names
             if {'left', 'right'} <= set(n.split('_'))]
    if sided:
        raise ValueError(f'convention {name!r}: names with both a left and a '
                         f'right token cannot be flipped: {sided}')
    return names


def register_convention(name: str, names: Iterable[str],
                        overwrite: bool = False) -> None:
    """Add a convention (e.g. a body model's own keypoint set at run time).

    Args:
        name: convention name, e.g. ``'anny'``.
        names: ordered joint names; a name shared with another convention
            means the same anatomical point (see the package docstring).
        overwrite: replace an existing convention of that name.

    Raises:
        ValueError: on duplicate or empty names, on a name holding both a
            ``left`` and a ``right`` token, or when ``name`` is already
            registered and ``overwrite`` is False.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f'convention name must be a non-empty string, '
                         f'got {name!r}')
    checked = _check_names(name, names)
    if name in KEYPOINT_CONVENTIONS and not overwrite:
        raise ValueError(f'keypoint convention {name!r} is already '
                         f'registered; pass overwrite=True to replace it')
    KEYPOINT_CONVENTIONS[name] = checked


def _lookup(convention: str) -> List[str]:
    try:
        return KEYPOINT_CONVENTIONS[convention]
    except (KeyError, TypeError):
        raise KeyError(f'unknown keypoint convention {convention!r}; known: '
                       f'{sorted(KEYPOINT_CONVENTIONS)}') from None


def get_keypoint_names(convention: str) -> List[str]:
    """Ordered joint names of ``convention`` (a copy).

    Raises:
        KeyError: unknown convention (the message lists the known ones).
    """
    return list(_lookup(convention))


def get_keypoint_num(convention: str) -> int:
    """Number of joints of ``convention``."""
    return len(_lookup(convention))


def get_keypoint_idx(name: str, convention: str,
                     approximate: bool = False) -> int:
    """Index of joint ``name`` in ``convention``.

    With ``approximate=True`` a missing name is replaced by the preferred
    near-equivalent of its group (:mod:`.approximate`), with a warning.

    Raises:
        KeyError: unknown convention, or no (acceptable) joint of that name.
    """
    names = _lookup(convention)
    if name in names:
        return names.index(name)
    if approximate:
        sub = find_substitute(name, names)
        if sub is not None:
            logger.warning('keypoint %r is not in convention %r; using its '
                           'approximate equivalent %r', name, convention, sub)
            return names.index(sub)
    raise KeyError(f'keypoint {name!r} is not in convention {convention!r}'
                   + ('' if approximate else
                      ' (approximate=True allows near-equivalent names)'))


def get_keypoint_idxs(names: Iterable[str], convention: str,
                      approximate: bool = False) -> List[int]:
    """Indices of several joints, see :func:`get_keypoint_idx`."""
    return [get_keypoint_idx(n, convention, approximate) for n in names]
