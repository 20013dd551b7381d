"""Reading a source checkpoint: safe loading, its state dict, prefixes.

Source files: ``torch.load(path)['model']`` (CLIFF, PyMAF), a
``state_dict`` entry, or a plain state dict (:func:`extract_state_dict`);
leading ``module.`` (DataParallel) and ``model.`` prefixes shared by every
key are removed (:func:`strip_prefixes`) before a format's converter sees
the keys.  Files are loaded with ``weights_only=True`` unless the caller
allows pickled Python objects (:func:`read_checkpoint`); :func:`sha256`
identifies the source in the output's ``meta``.
"""
import hashlib
import os.path as osp
from typing import List, Tuple

import torch

from ...utils.checkpoint_file import load_error_detail
from .layouts import ConversionError, StateDict, listing

#: prefixes removed when every key carries them (DataParallel, wrappers)
STRIP_PREFIXES = ('module.', 'model.')


def read_checkpoint(path: str, allow_pickle: bool = False):
    """``torch.load`` a source file on the CPU, with clear errors.

    ``allow_pickle`` loads with ``weights_only=False``, which runs arbitrary
    code from the file: only for files from a trusted source.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'source checkpoint not found: {path}')
    try:
        return torch.load(path, map_location='cpu',
                          weights_only=not allow_pickle)
    except Exception as exc:
        detail = load_error_detail(exc)
        if not allow_pickle and 'Unsupported global' in str(exc):
            raise ConversionError(
                f'{path} holds Python objects besides tensors ({detail}); if '
                'the file comes from a source you trust, pass --allow-pickle '
                '(allow_pickle=True)') from exc
        raise ConversionError(
            f'{path} cannot be read as a PyTorch checkpoint '
            f'({type(exc).__name__}: {detail}): it is truncated, corrupt or '
            'not a checkpoint; download it again') from exc


def extract_state_dict(ckpt) -> StateDict:
    """The state dict of a loaded file: its ``'model'`` entry (CLIFF), its
    ``'state_dict'`` entry, or the file itself if it is a state dict."""
    if not isinstance(ckpt, dict):
        raise ConversionError(f'the file holds a {type(ckpt).__name__}, '
                              'expected a dict')
    if 'model' in ckpt:
        sd, where = ckpt['model'], "the 'model' entry"
    elif 'state_dict' in ckpt:
        sd, where = ckpt['state_dict'], "the 'state_dict' entry"
    elif ckpt and all(isinstance(v, torch.Tensor) for v in ckpt.values()):
        return dict(ckpt)
    else:
        raise ConversionError(
            "the file has no 'model' or 'state_dict' entry and is not a "
            f'state dict (entries: {listing(sorted(map(str, ckpt)))})')
    if isinstance(sd, torch.nn.Module):
        sd = sd.state_dict()
    if not isinstance(sd, dict) or not sd:
        raise ConversionError(f'{where} is not a non-empty state dict '
                              f'({type(sd).__name__})')
    bad = [str(k) for k, v in sd.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise ConversionError(f'{where} holds non-tensor entries: '
                              f'{listing(bad)}')
    return dict(sd)


def strip_prefixes(state_dict: StateDict,
                   prefixes=STRIP_PREFIXES) -> Tuple[StateDict, List[str]]:
    """Remove each of ``prefixes`` while every key starts with it; return
    the new dict and the prefixes removed, in order."""
    removed = []
    changed = True
    while changed and state_dict:
        changed = False
        for p in prefixes:
            if all(k.startswith(p) for k in state_dict):
                state_dict = {k[len(p):]: v for k, v in state_dict.items()}
                removed.append(p)
                changed = True
    return state_dict, removed


def sha256(path: str) -> str:
    """Hex SHA-256 of the file ``path``, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()
