"""Checking a checkpoint file before handing it to mmengine, and finding
the checkpoint ``--resume`` continues from."""
import glob
import os.path as osp
import re

from ..engine.work_dir import last_checkpoint
from ..utils.checkpoint_file import (CheckpointError, MissingCheckpointError,
                                     check_checkpoint)


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
