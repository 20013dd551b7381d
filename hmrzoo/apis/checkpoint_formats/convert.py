"""Converting a source by format name, and writing the hmrzoo checkpoint.

The result is an mmengine-style file ``{'meta': {...}, 'state_dict': {...}}``
whose keys are those of an hmrzoo :class:`MeshEstimator` (``backbone.*``,
``head.*``; PyMAF also ``neck.*``, ``head.point_reducers.*``,
``iuv_head.*``), so it can be given to ``tools/test.py`` or ``load_from``.
The body model and the projection have no weights in it: SMPL comes from
the user's own model files.  ``meta`` records the format, the source's name
and SHA-256, the prefixes removed, the keys dropped, the number of keys,
hmrzoo's version and the converter's notes.
"""
import os
import os.path as osp
from typing import List, Tuple

import torch

from ...version import __version__
from .files import extract_state_dict, read_checkpoint, sha256, strip_prefixes
from .formats import get_format
from .layouts import ConversionError, Converted, StateDict, listing


def convert_state_dict(state_dict: StateDict,
                       fmt: str) -> Tuple[Converted, List[str]]:
    """Strip prefixes and convert; returns ``(Converted, prefixes)``.

    Raises:
        ValueError: ``fmt`` is not a registered format.
        TypeError: its converter returned something else than Converted.
    """
    converter = get_format(fmt)
    state_dict, prefixes = strip_prefixes(state_dict)
    converted = converter(state_dict)
    if not isinstance(converted, Converted):
        raise TypeError(f'the converter of format {fmt!r} ({converter!r}) '
                        f'returned a {type(converted).__name__}, expected '
                        'Converted')
    return converted, prefixes


def convert_checkpoint(src: str, dst: str, fmt: str,
                       allow_pickle: bool = False) -> dict:
    """Convert the file ``src`` of format ``fmt`` and save it as ``dst``.

    Returns:
        dict with ``dst``, ``meta`` (as written) and ``summary`` (one line).

    Raises:
        FileNotFoundError: ``src`` does not exist.
        ConversionError: ``src`` cannot be read or is not of format ``fmt``
            (unexpected / missing keys are named, wrong shapes listed).
        ValueError: unknown ``fmt`` (the registered ones are listed), or
            ``dst`` is ``src``.
    """
    get_format(fmt)
    ckpt = read_checkpoint(src, allow_pickle)
    if osp.exists(dst) and osp.samefile(src, dst):
        raise ValueError(f'the output would overwrite the source: {dst}')
    try:
        converted, prefixes = convert_state_dict(extract_state_dict(ckpt),
                                                 fmt)
    except ConversionError as exc:
        raise ConversionError(f'{src} (--format {fmt}): {exc}') from None
    meta = dict(converted_from=converted.converted_from, format=fmt,
                source=osp.basename(src), source_sha256=sha256(src),
                stripped_prefixes=prefixes,
                dropped_keys=list(converted.dropped_keys),
                num_keys=len(converted.state_dict),
                hmrzoo_version=__version__)
    if converted.notes:
        meta['notes'] = list(converted.notes)
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    torch.save(dict(meta=meta, state_dict=converted.state_dict), dst)
    summary = (f'{src} -> {dst}: {len(converted.state_dict)} keys converted '
               f'from {converted.converted_from}')
    if converted.dropped_keys:
        summary += (f'; dropped {len(converted.dropped_keys)} with no hmrzoo '
                    f'counterpart: {listing(converted.dropped_keys)}')
    for note in converted.notes:
        summary += f'; {note}'
    return dict(dst=dst, meta=meta, summary=summary)
