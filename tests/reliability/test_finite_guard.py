"""Non-finite values never reach a checkpoint (engine/finite_guard.py):
training stops at the first NaN loss naming iteration, term and samples,
and a checkpoint with NaN weights is refused, the previous one intact."""
import sys
from pathlib import Path

import pytest
import torch
from mmengine.hooks import Hook

import hmrzoo  # noqa: F401
from hmrzoo.engine import NonFiniteError
from hmrzoo.registry import HOOKS

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import train as train_tool  # noqa: E402


@HOOKS.register_module(force=True)
class _PoisonWeightsHook(Hook):
    """Test stand-in for a diverging step: after iteration ``at`` (and
    after the guard's loss check, before the checkpoint hook) one weight
    becomes NaN although that iteration's loss was finite."""
    priority = 'LOW'

    def __init__(self, at: int):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            with torch.no_grad():
                next(runner.model.parameters()).view(-1)[0] = float('nan')


def test_nan_loss_stops_training_before_any_checkpoint(tmp_path):
    with pytest.raises(NonFiniteError) as err:
        train_tool.main([TINY, '--work-dir', str(tmp_path), '--cfg-options',
                         'model.losses.contrastive.loss_weight=nan'])
    msg = str(err.value)
    assert 'non-finite loss at iteration 1' in msg
    assert 'loss_contrastive' in msg and 'loss_keypoints3d' not in msg
    assert msg.count('index ') == 2 and 'batch samples: index ' in msg
    assert 'optim_wrapper.optimizer.lr' in msg
    assert 'the last checkpoint is still none' in msg
    assert not list(tmp_path.glob('*.pth'))
    assert not (tmp_path / 'last_checkpoint').exists()


def test_nan_weights_are_not_saved_and_last_checkpoint_stays(tmp_path):
    config = tmp_path / 'poisoned.py'
    config.write_text(f"_base_ = [{TINY!r}]\n"
                      "custom_hooks = [dict(type='_PoisonWeightsHook', "
                      "at=2)]\n"
                      "default_hooks = dict(checkpoint=dict(interval=1))\n")
    with pytest.raises(NonFiniteError) as err:
        train_tool.main([str(config), '--work-dir', str(tmp_path)])
    msg = str(err.value)
    assert 'refusing to save a checkpoint at iteration 2' in msg
    first = str(tmp_path / 'iter_1.pth')
    assert f'the last checkpoint is still {first}' in msg
    assert not (tmp_path / 'iter_2.pth').exists()
    assert (tmp_path / 'last_checkpoint').read_text().strip() == first
    state = torch.load(first, weights_only=True)['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values()
               if v.is_floating_point())
