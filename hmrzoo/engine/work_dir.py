"""The ``last_checkpoint`` file of a work dir: which checkpoint a run
resumes from.  mmengine's CheckpointHook writes it; here it is read in one
place and written atomically (``SafeCheckpointHook``)."""
import os.path as osp
from typing import Optional

from ..utils.atomic import atomic_path


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The path ``work_dir/last_checkpoint`` names, or None without one."""
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        return None
    with open(marker) as f:
        return f.read().strip() or None


def set_last_checkpoint(work_dir: str, path: str) -> None:
    """Point ``last_checkpoint`` at ``path`` (write, then rename: never a
    half-written file)."""
    with atomic_path(osp.join(work_dir, 'last_checkpoint')) as tmp:
        with open(tmp, 'w') as f:
            f.write(path)
