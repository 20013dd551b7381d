"""Checking a checkpoint file before handing it to mmengine."""
import os.path as osp

import torch


def check_checkpoint(path: str) -> dict:
    """Load ``path`` safely (``weights_only=True``) and return it.

    Raises:
        FileNotFoundError: the file does not exist.
        RuntimeError: the file is truncated, corrupt, not a PyTorch file or
            holds objects that cannot be loaded safely; the message says
            which and what to do.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'checkpoint not found: {path}. Training writes them to '
            'work_dirs/<config name>/iter_<N>.pth (last_checkpoint names the '
            'newest).')
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as exc:
        raise RuntimeError(
            f'checkpoint {path} cannot be read: {type(exc).__name__}: '
            f'{str(exc).splitlines()[0] if str(exc) else ""}. The file is '
            'truncated, corrupt, not a PyTorch checkpoint, or holds objects '
            'that are not safe to unpickle (hmrzoo never loads with '
            'weights_only=False). Re-download or re-create it, or pick an '
            'earlier checkpoint of the run.') from exc
    if not isinstance(ckpt, dict):
        raise RuntimeError(f'checkpoint {path} holds a {type(ckpt).__name__}'
                           ', expected a dict with a state_dict')
    return ckpt
