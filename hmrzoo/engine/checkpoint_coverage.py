"""A loaded checkpoint either fits the model or is refused.

mmengine's ``Runner.load_checkpoint`` loads with ``strict=False``: a
checkpoint of another architecture "loads" with a warning far up the log
and the model is tested with its head at initialisation.  hmrzoo's tools
add :class:`CheckpointCoverageHook` to every run (``apis.load_config``); it
sees the checkpoint before mmengine copies it into the model
(``after_load_checkpoint``) and refuses one whose keys do not cover the
model or whose shapes differ, naming the missing and unexpected key
prefixes and the run the checkpoint was saved from.

Partial loading stays possible, but only when asked for: the top-level
config key ``load_strict = False`` (``--cfg-options load_strict=False``)
loads what fits and logs what was left at initialisation, e.g. to
fine-tune from a backbone-only checkpoint.  (Resuming goes through the same
check: a resumed run must fit its model.)
"""
import re
from collections import Counter
from typing import Dict, Iterable, List

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ..registry import HOOKS
from ..utils.errors import UserInputError


class CheckpointMismatchError(UserInputError, RuntimeError):
    """The checkpoint's keys or shapes do not fit the model."""


def _prefixes(keys: Iterable[str], depth: int = 2) -> List[str]:
    """'head.fc1.weight', 'head.fc1.bias' -> ['head.fc1.* (2 keys)']."""
    count = Counter('.'.join(k.split('.')[:depth]) for k in keys)
    return [f'{p}.* ({n} key{"s" if n > 1 else ""})'
            for p, n in sorted(count.items())]


def _strip(state: Dict, patterns=((r'^module\.', ''), )) -> Dict:
    """The keys as mmengine revises them before loading."""
    out = {}
    for key, value in state.items():
        for pattern, repl in patterns:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out


def _origin(checkpoint: dict) -> str:
    meta = checkpoint.get('meta') or {}
    name = meta.get('experiment_name') or meta.get('source')
    return f' (saved by run {name!r})' if name else ''


def coverage_report(model, checkpoint: dict) -> Dict[str, List[str]]:
    """``missing`` (model keys absent from the checkpoint), ``unexpected``
    (checkpoint keys the model lacks) and ``shape`` (keys present in both
    with different shapes, as 'key: checkpoint (..) vs model (..)')."""
    state = _strip(checkpoint.get('state_dict', checkpoint))
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    shape = [f'{k}: checkpoint {tuple(state[k].shape)} vs model '
             f'{tuple(own[k].shape)}' for k in own
             if k in state and hasattr(state[k], 'shape')
             and tuple(state[k].shape) != tuple(own[k].shape)]
    return dict(missing=missing, unexpected=unexpected, shape=shape)


@HOOKS.register_module()
class CheckpointCoverageHook(Hook):
    """Refuse (``strict=True``) or report (``strict=False``) a checkpoint
    that does not fit the model.

    Args:
        strict (bool): the config's ``load_strict`` (default True).
    """
    priority = 'VERY_HIGH'

    def __init__(self, strict: bool = True):
        self.strict = bool(strict)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) \
            else runner.model
        report = coverage_report(model, checkpoint)
        if not any(report.values()):
            return
        source = getattr(runner, '_load_from', None) or 'the checkpoint'
        lines = []
        if report['missing']:
            lines.append('missing from the checkpoint (left at '
                         'initialisation): '
                         + ', '.join(_prefixes(report['missing'])))
        if report['unexpected']:
            lines.append('in the checkpoint but not in the model: '
                         + ', '.join(_prefixes(report['unexpected'])))
        if report['shape']:
            lines.append('different shapes: ' + '; '.join(report['shape'][:5])
                         + (' ...' if len(report['shape']) > 5 else ''))
        text = '\n  '.join(lines)
        if not self.strict:
            runner.logger.warning(
                f'partial load of {source}{_origin(checkpoint)} '
                f'(load_strict=False):\n  {text}')
            return
        raise CheckpointMismatchError(
            f'checkpoint {source}{_origin(checkpoint)} does not fit the '
            f'model of {runner.experiment_name!r}:\n  {text}\nUse the config '
            'the checkpoint was trained with, or, to load only the matching '
            'part on purpose (e.g. fine-tuning from a backbone), add '
            '--cfg-options load_strict=False.')
