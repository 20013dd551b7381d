"""A loss term that is identically zero never passes silently.

A term can be configured and still never train anything: its target is
absent from every row of the data (PyMAF's IUV loss on a mix without SMPL
fits is ``0 * sum`` every step), or a mask is empty.  The loss curve then
shows a flat 0 that is easy to miss.  :class:`ZeroLossWatchHook`, added to
every run by ``apis.load_config``, warns once per term when the term was
exactly 0 in every training iteration of a window: a whole epoch for
epoch-based loops, ``window`` iterations (or the whole run, if shorter)
for iteration-based ones.  Iterations where the term is absent (e.g. the
STS estimator's alternating steps) do not count.
"""
import logging
from typing import Dict

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop

from ..registry import HOOKS


@HOOKS.register_module()
class ZeroLossWatchHook(Hook):
    """Warn once per loss term that stayed exactly 0 for a window.

    Args:
        window (int): iterations of an iteration-based loop.
    """
    priority = 'LOW'

    def __init__(self, window: int = 500):
        self.window = int(window)
        self.zero_run: Dict[str, int] = {}
        self.warned = set()

    def _window(self, runner) -> int:
        loop = runner.train_loop
        if isinstance(loop, EpochBasedTrainLoop):
            return max(len(runner.train_dataloader), 1)
        return max(min(self.window, getattr(loop, 'max_iters', self.window)),
                   1)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        for key, value in (outputs or {}).items():
            if not key.startswith('loss_') or key in self.warned:
                continue
            value = float(value.detach()) if torch.is_tensor(value) \
                else float(value)
            self.zero_run[key] = self.zero_run.get(key, 0) + 1 \
                if value == 0.0 else 0
            if self.zero_run[key] >= self._window(runner):
                self.warned.add(key)
                print_log(
                    f'{key} has been exactly 0 for {self.zero_run[key]} '
                    'training iterations: it trains nothing. Its target is '
                    'probably missing from every sample (e.g. no SMPL '
                    'parameters in the data mix for a mesh or IUV term, or '
                    'an empty keypoint mask); check the data, or remove the '
                    'term from model.losses', logger='current',
                    level=logging.WARNING)
