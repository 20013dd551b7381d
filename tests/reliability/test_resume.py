"""``--resume`` never silently starts from scratch, and a damaged
``last_checkpoint`` target is named with the intact one beside it."""
import sys
from pathlib import Path

import pytest
import torch

import hmrzoo  # noqa: F401
from hmrzoo.apis import (CheckpointError, MissingCheckpointError,
                         check_checkpoint)

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import train as train_tool  # noqa: E402


def test_resume_with_nothing_to_resume_stops(tmp_path):
    with pytest.raises(MissingCheckpointError) as err:
        train_tool.main([TINY, '--work-dir', str(tmp_path), '--resume'])
    msg = str(err.value)
    assert f'no checkpoint to resume in {tmp_path}' in msg
    assert 'Train without --resume to start fresh' in msg
    assert not list(tmp_path.glob('*.pth'))


def test_damaged_last_checkpoint_offers_the_intact_one(tmp_path):
    train_tool.main([TINY, '--work-dir', str(tmp_path), '--cfg-options',
                     'default_hooks.checkpoint.interval=1'])
    first, last = tmp_path / 'iter_1.pth', tmp_path / 'iter_2.pth'
    assert (tmp_path / 'last_checkpoint').read_text().strip() == str(last)
    last.write_bytes(last.read_bytes()[:1000])          # a cut-off write
    with pytest.raises(CheckpointError) as err:
        train_tool.main([TINY, '--work-dir', str(tmp_path), '--resume'])
    msg = str(err.value)
    assert f'names {last}, which cannot be used' in msg
    assert 'truncated' in msg
    assert f'--resume {first}' in msg
    # following the advice resumes at iteration 1 and rewrites iteration 2
    train_tool.main([TINY, '--work-dir', str(tmp_path), '--resume',
                     str(first)])
    assert check_checkpoint(str(last))['meta']['iter'] == 2
    assert torch.load(str(first), weights_only=True)['meta']['iter'] == 1
