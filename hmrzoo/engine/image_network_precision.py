"""Training with the image networks in channels-last memory and bf16
autocast (the inference fast path's two weight-preserving levers,
:mod:`hmrzoo.utils.image_networks`), everything else in float32.

Opt-in, per config::

    custom_hooks = [dict(type='ImageNetworkPrecisionHook',
                         levers=('channels_last', 'bf16'))]

The weights, the optimiser state and the checkpoints stay float32 (this
is autocast, not a cast of the model); bf16 needs no loss scaling.  The
regressors, the body model, the projection and the losses run in float32.
Where the device has no native bf16 / fp16 (a CPU without AVX512-BF16 or
AMX), the autocast lever does nothing and says so.  Measured on this
repository's 2-core CPU (``benchmarks/training_speed.py --levers
channels_last bf16``): CRA's 256² iteration 2.45 -> 1.32 s (1.86x),
Multi-RoI's 0.88 -> 0.71 s.
"""
from typing import Sequence

from mmengine.hooks import Hook
from mmengine.logging import MMLogger

from ..registry import HOOKS
from ..utils.errors import UserValueError
from ..utils.image_networks import (native_reduced_dtype, reduced_precision,
                                    to_channels_last)

LEVERS = ('channels_last', 'bf16')


@HOOKS.register_module()
class ImageNetworkPrecisionHook(Hook):
    """Apply ``levers`` (``'channels_last'``, ``'bf16'``) to the image
    sub-networks of the model before training (and so for its validation
    too).

    Args:
        levers (sequence[str]): any of :data:`LEVERS`.
    """
    priority = 'VERY_HIGH'

    def __init__(self, levers: Sequence[str] = LEVERS):
        bad = [lv for lv in levers if lv not in LEVERS]
        if bad:
            raise UserValueError(
                f'ImageNetworkPrecisionHook: unknown lever(s) {bad}; use '
                f'{", ".join(LEVERS)}')
        self.levers = tuple(levers)
        self.applied = False

    def before_train(self, runner) -> None:
        self._apply(runner)

    def before_val(self, runner) -> None:
        self._apply(runner)

    def before_test(self, runner) -> None:
        self._apply(runner)

    def _apply(self, runner) -> None:
        if self.applied:
            return
        self.applied = True
        model = getattr(runner.model, 'module', runner.model)
        logger = MMLogger.get_current_instance()
        names, applied = [], []
        if 'channels_last' in self.levers:
            names = to_channels_last(model)
            applied.append('channels_last')
        if 'bf16' in self.levers:
            device = next(model.parameters()).device
            if native_reduced_dtype(device) is None:
                logger.warning(f'ImageNetworkPrecisionHook: no native bf16 / '
                               f'fp16 on {device}; the image networks run in '
                               'float32')
            else:
                names = reduced_precision(model)
                applied.append('bf16')
        logger.info(f'image networks {", ".join(names) or "(none)"}: '
                    f'{", ".join(applied) or "unchanged"}')
