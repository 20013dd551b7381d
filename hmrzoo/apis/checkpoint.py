"""Checking a checkpoint file before handing it to mmengine, and finding
the checkpoint ``--resume`` continues from."""
import glob
import os.path as osp
import pickle
import re

import torch

from ..engine.work_dir import last_checkpoint
from .checkpoint_formats.files import load_error_detail
from ..utils.errors import UserInputError


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
            'newest).')
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


def _iteration(path: str) -> int:
    match = re.search(r'(?:iter|epoch)_(\d+)\.pth$', path)
    return int(match.group(1)) if match else -1


def find_resume_checkpoint(work_dir: str) -> str:
    """The checkpoint ``--resume`` (without a path) continues from: the one
    ``work_dir/last_checkpoint`` names, checked.

    Raises:
        MissingCheckpointError: there is nothing to resume in ``work_dir``.
        CheckpointError: ``last_checkpoint`` names a missing or damaged
            file; the message offers the newest intact checkpoint beside it.
    """
    marker = osp.join(work_dir, 'last_checkpoint')
    path = last_checkpoint(work_dir)
    if path is None:
        raise MissingCheckpointError(
            f'--resume: there is no checkpoint to resume in {work_dir} (no '
            'last_checkpoint file). Train without --resume to start fresh, '
            'or give the checkpoint: --resume PATH.')
    try:
        check_checkpoint(path)
        return path
    except CheckpointError as err:
        damaged = str(err)
    others = sorted((p for p in glob.glob(osp.join(work_dir, '*.pth'))
                     if osp.abspath(p) != osp.abspath(path)),
                    key=_iteration, reverse=True)
    for other in others:
        try:
            check_checkpoint(other)
        except CheckpointError:
            continue
        raise CheckpointError(
            f'--resume: {marker} names {path}, which cannot be used '
            f'({damaged}). The newest intact checkpoint beside it is '
            f'{other}: resume from it with --resume {other}.')
    raise CheckpointError(
        f'--resume: {marker} names {path}, which cannot be used ({damaged}),'
        f' and {work_dir} holds no other intact checkpoint; train without '
        '--resume to start fresh.')
