"""Training with channels-last bf16 image networks
(ImageNetworkPrecisionHook): the tiny Multi-RoI config trains through the
Runner with the hook, the weights and checkpoint stay float32, and the
first step's losses are the float32 ones within bf16 rounding."""
import sys
from pathlib import Path

import pytest
import torch
from mmengine.logging import MessageHub

from hmrzoo.engine import ImageNetworkPrecisionHook
from hmrzoo.utils.errors import UserInputError
from hmrzoo.utils.image_networks import native_reduced_dtype

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / 'tests/data/configs/tiny_multiroi_anny.py'
sys.path.insert(0, str(ROOT / 'tools'))
import train as train_tool  # noqa: E402


def _first_losses(work: Path) -> dict:
    import json
    rows = [json.loads(line) for line in
            next(work.rglob('scalars.json')).read_text().splitlines()]
    return {k: v for k, v in rows[0].items() if k.startswith('loss')}


def test_unknown_lever_is_named():
    with pytest.raises(UserInputError, match="unknown lever.*'fp8'"):
        ImageNetworkPrecisionHook(levers=('fp8', ))


@pytest.mark.skipif(native_reduced_dtype(torch.device('cpu')) is None,
                    reason='this CPU has no native bf16')
def test_tiny_config_trains_with_bf16_image_networks(tmp_path):
    hooked = tmp_path / 'tiny_bf16.py'
    hooked.write_text(
        f"_base_ = [{str(TINY)!r}]\n"
        "custom_hooks = [dict(type='ImageNetworkPrecisionHook', "
        "levers=('channels_last', 'bf16'))]\n"
        "train_cfg = dict(max_iters=1)\n")
    plain = tmp_path / 'tiny_fp32.py'
    plain.write_text(f"_base_ = [{str(TINY)!r}]\n"
                     "train_cfg = dict(max_iters=1)\n")
    losses = {}
    for name, config in (('fp32', plain), ('bf16', hooked)):
        work = tmp_path / name
        MessageHub.get_current_instance().runtime_info.clear()
        train_tool.main([str(config), '--work-dir', str(work),
                         '--cfg-options', 'randomness.seed=0',
                         'default_hooks.checkpoint.interval=1'])
        losses[name] = _first_losses(work)
        ckpt = torch.load(next(work.glob('iter_1.pth')), weights_only=True)
        assert all(v.dtype == torch.float32 for k, v in
                   ckpt['state_dict'].items() if v.is_floating_point())
    log = next((tmp_path / 'bf16').rglob('*.log')).read_text()
    assert 'image networks backbone: channels_last, bf16' in log
    assert losses['fp32'].keys() == losses['bf16'].keys()
    for key, value in losses['fp32'].items():
        assert abs(losses['bf16'][key] - value) <= 0.05 * abs(value) + 1e-3, \
            key
    # bf16 did change the arithmetic
    assert losses['bf16'] != losses['fp32']
