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


def key_prefixes(keys: Iterable[str], depth: int = 2) -> List[str]:
    """'head.fc1.weight', 'head.fc1.bias' -> ['head.fc1.* (2 keys)']."""
    count = Counter('.'.join(k.split('.')[:depth]) for k in keys)
    return [f'{p}.* ({n} key{"s" if n > 1 else ""})'
            for p, n in sorted(count.items())]


def strip_wrapper_prefix(state: Dict,
                         patterns=((r'^module\.', ''), )) -> Dict:
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
    state = strip_wrapper_prefix(checkpoint.get('state_dict', checkpoint))
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
            self._check_optimizer(runner, checkpoint)
            return
        source = getattr(runner, '_load_from', None) or 'the checkpoint'
        lines = []
        if report['missing']:
            lines.append('missing from the checkpoint (left at '
                         'initialisation): '
                         + ', '.join(key_prefixes(report['missing'])))
        if report['unexpected']:
            lines.append('in the checkpoint but not in the model: '
                         + ', '.join(key_prefixes(report['unexpected'])))
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

    @staticmethod
    def _check_optimizer(runner, checkpoint: dict) -> None:
        """On ``--resume``, refuse an optimizer state that does not fit
        the run's optimizer before mmengine loads it (torch would raise
        deep inside, or load another optimizer's hyperparameters and fail
        at the first step)."""
        wrapper = getattr(runner, 'optim_wrapper', None)
        if not getattr(runner, '_resume', False) or \
                'optimizer' not in checkpoint or \
                not hasattr(wrapper, 'state_dict'):
            return
        problems = optimizer_mismatch(checkpoint['optimizer'],
                                      wrapper.state_dict())
        if problems:
            source = getattr(runner, '_load_from', None) or 'the checkpoint'
            raise CheckpointMismatchError(
                f'--resume: the optimizer state in {source}'
                f'{_origin(checkpoint)} does not fit the optimizer of '
                f'{runner.experiment_name!r}:\n  ' + '\n  '.join(problems)
                + '\nResume with the optimizer settings the run was started '
                'with, or start a new run from its weights without the '
                'optimizer state: --cfg-options load_from=CHECKPOINT '
                '(without --resume).')


def _groups(state: dict) -> Dict[str, list]:
    """name -> param groups of an optimizer state, or of each optimizer of
    an ``OptimWrapperDict`` state."""
    if 'param_groups' in state:
        return {'': state['param_groups']}
    return {name: sub['param_groups'] for name, sub in state.items()
            if isinstance(sub, dict) and 'param_groups' in sub}


def optimizer_mismatch(saved: dict, current: dict) -> List[str]:
    """What differs between a saved optimizer state and the run's: the
    optimizers (of an ``OptimWrapperDict``), the number of parameter
    groups, the parameters per group and the hyperparameter names (another
    optimizer type has other names: Adam's betas, SGD's momentum; names
    missing on one side only are a torch version's new flag and pass)."""
    old, new = _groups(saved), _groups(current)
    if set(old) != set(new):
        def names(groups):
            return 'one optimizer' if list(groups) == [''] else \
                f'optimizers {sorted(groups)}'
        return [f'{names(old)} in the checkpoint, {names(new)} in this run']
    out = []
    for name in sorted(new):
        label = f'optimizer {name!r}: ' if name else ''
        a, b = old[name], new[name]
        if len(a) != len(b):
            out.append(f'{label}{len(a)} parameter group(s) in the '
                       f'checkpoint, {len(b)} in this run')
            continue
        for i, (ga, gb) in enumerate(zip(a, b)):
            if len(ga['params']) != len(gb['params']):
                out.append(f'{label}group {i} has {len(ga["params"])} '
                           f'parameters in the checkpoint, '
                           f'{len(gb["params"])} in this run')
            keys_a, keys_b = set(ga) - {'params'}, set(gb) - {'params'}
            # names on one side only are a torch version that added a flag
            # (loaded with its default); on both sides, another optimizer
            if keys_a - keys_b and keys_b - keys_a:
                out.append(
                    f'{label}group {i} hyperparameters differ (another '
                    f'optimizer type?): only in the checkpoint '
                    f'{sorted(keys_a - keys_b)}, only in this run '
                    f'{sorted(keys_b - keys_a)}')
    return out
