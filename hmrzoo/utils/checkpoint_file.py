"""Loading a checkpoint file safely (``weights_only=True``), with errors
that name the file and the fix: the one reader of trusted-format
checkpoints for every floor (the tools' checks in :mod:`hmrzoo.apis`, the
pose prior a model loads in ``init_weights``)."""
import os.path as osp
import pickle

import torch

from .errors import UserInputError


def load_error_detail(exc: Exception) -> str:
    """The informative line of a ``torch.load`` error."""
    text = str(exc)
    marker = 'WeightsUnpickler error:'
    if marker in text:
        text = text[text.index(marker) + len(marker):]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    line = lines[0] if lines else ''
    return line if len(line) <= 160 else line[:157] + '...'


class CheckpointError(UserInputError, RuntimeError):
    """A checkpoint file is missing, unreadable or unsafe; the message
    names it and what to do (the tools print it without a traceback)."""


class MissingCheckpointError(CheckpointError, FileNotFoundError):
    """The checkpoint file does not exist."""


def check_checkpoint(path: str) -> dict:
    """Load ``path`` safely (``weights_only=True``) and return it.

    Raises:
        FileNotFoundError: the file does not exist.
        RuntimeError: the file holds objects that cannot be loaded safely
            (the refused global named), or it is truncated, corrupt or not a
            PyTorch file; the message says which and what to do.
    """
    if not osp.isfile(path):
        raise MissingCheckpointError(
            f'checkpoint not found: {path}. Training writes them to '
            'work_dirs/<config name>/iter_<N>.pth (last_checkpoint names the '
            'newest); a zoo name or an http(s) URL works too (python '
            'tools/zoo.py list).')
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as exc:
        cause = load_error_detail(exc)   # torch's own first lines are generic
        raise CheckpointError(
            f'checkpoint {path} cannot be read: it holds objects that are '
            f'not safe to unpickle ({cause}). It is not a plain PyTorch / '
            'mmengine checkpoint, or it was crafted; hmrzoo never loads '
            'with weights_only=False. If you trust its source, re-save only '
            'its tensors (torch.save({"state_dict": model.state_dict()}, '
            '...)) there, or convert an official release with '
            'tools/convert_checkpoint.py.') from exc
    except Exception as exc:
        raise CheckpointError(
            f'checkpoint {path} cannot be read: {type(exc).__name__}: '
            f'{str(exc).splitlines()[0] if str(exc) else ""}. The file is '
            'truncated, corrupt or not a PyTorch checkpoint. Re-download or '
            're-create it, or pick an earlier checkpoint of the run.'
            ) from exc
    if not isinstance(ckpt, dict):
        raise CheckpointError(f'checkpoint {path} holds a '
                              f'{type(ckpt).__name__}, expected a dict with '
                              'a state_dict')
    return ckpt
