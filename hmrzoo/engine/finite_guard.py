"""Non-finite values never reach a checkpoint.

A NaN loss (bad data, a learning rate far too high) otherwise keeps
training, saves checkpoints full of NaN weights, points ``last_checkpoint``
at them and dies much later in validation (``SVD did not converge``).
:class:`FiniteGuardHook`, added to every run by ``apis.load_config``:

* stops training at the first non-finite loss, naming the iteration, the
  loss terms and the batch's samples, before the checkpoint hook of that
  iteration runs;
* refuses to save a checkpoint whose model state holds a non-finite value
  (weights can turn NaN in the step of a finite loss), so the previous
  checkpoint and ``last_checkpoint`` stay as they were.
"""
import math
from typing import List

import torch
from mmengine.hooks import Hook

from ..registry import HOOKS
from ..utils.errors import UserInputError
from .work_dir import last_checkpoint


class NonFiniteError(UserInputError, FloatingPointError):
    """A loss or a weight about to be saved is NaN or infinite."""


def _value(v) -> float:
    return float(v.detach().float().mean()) if torch.is_tensor(v) \
        else float(v)


def _sample_names(data_batch) -> List[str]:
    samples = (data_batch or {}).get('data_samples') or []
    names = []
    for s in samples:
        meta = getattr(s, 'metainfo', {})
        name = meta.get('img_path') or meta.get('sample_id')
        if name is None and meta.get('sample_idx') is not None:
            name = f"index {meta['sample_idx']}"
        names.append(str(name) if name is not None else '?')
    return names


@HOOKS.register_module()
class FiniteGuardHook(Hook):
    """Stop at a non-finite loss; never save a non-finite checkpoint."""
    priority = 'VERY_HIGH'   # before the checkpoint hook of the iteration

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        bad = {k: _value(v) for k, v in (outputs or {}).items()
               if k.startswith('loss')}
        bad = {k: v for k, v in bad.items() if not math.isfinite(v)}
        if not bad:
            return
        previous = last_checkpoint(runner.work_dir) or 'none'
        names = _sample_names(data_batch)
        shown = ', '.join(names[:8]) + (' ...' if len(names) > 8 else '')
        raise NonFiniteError(
            f'non-finite loss at iteration {runner.iter + 1}: '
            + ', '.join(f'{k}={v}' for k, v in bad.items())
            + f'; batch samples: {shown or "unknown"}. Training stopped '
            'before saving; the last checkpoint is still '
            f'{previous}. Check these samples\' '
            'annotations (non-finite or extreme values), the loss weights, '
            'or lower optim_wrapper.optimizer.lr, then resume with '
            '--resume.')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('state_dict', {})
        bad = [k for k, v in state.items()
               if torch.is_tensor(v) and v.is_floating_point()
               and not bool(torch.isfinite(v).all())]
        if not bad:
            return
        raise NonFiniteError(
            f'refusing to save a checkpoint at iteration {runner.iter + 1}: '
            f'{len(bad)} model tensor(s) hold NaN / Inf (first: '
            f'{", ".join(bad[:3])}). Training diverged; the last checkpoint '
            f'is still {last_checkpoint(runner.work_dir) or "none"}. Lower '
            'optim_wrapper.optimizer.lr or check the data, then resume '
            'from it with --resume.')
