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


KEYPOINTS = str(ROOT / 'tests/data/configs/tiny_keypoints_anny.py')


def test_resume_with_another_optimizer_is_refused_before_loading(tmp_path):
    from hmrzoo.engine.checkpoint_coverage import CheckpointMismatchError
    train_tool.main([KEYPOINTS, '--work-dir', str(tmp_path), '--cfg-options',
                     'train_cfg.max_iters=2'])
    ckpt = tmp_path / 'iter_2.pth'
    before = ckpt.read_bytes()
    with pytest.raises(CheckpointMismatchError) as err:
        train_tool.main([KEYPOINTS, '--work-dir', str(tmp_path), '--resume',
                         '--cfg-options', 'optim_wrapper.optimizer.type=SGD',
                         'train_cfg.max_iters=4'])
    msg = str(err.value)
    assert f'the optimizer state in {ckpt}' in msg
    assert "only in the checkpoint ['amsgrad', 'betas'" in msg
    assert "only in this run ['dampening', 'momentum'" in msg
    assert 'load_from=CHECKPOINT' in msg
    # nothing was trained or written over
    assert ckpt.read_bytes() == before
    assert not (tmp_path / 'iter_4.pth').exists()
    # the same optimizer resumes
    train_tool.main([KEYPOINTS, '--work-dir', str(tmp_path), '--resume',
                     '--cfg-options', 'train_cfg.max_iters=4'])
    assert check_checkpoint(str(tmp_path / 'iter_4.pth'))['meta']['iter'] \
        == 4


def test_optimizer_mismatch_report():
    from hmrzoo.engine.checkpoint_coverage import optimizer_mismatch
    adam = dict(param_groups=[dict(params=[0, 1], lr=1., betas=(.9, .99),
                                   eps=1e-8)])
    assert optimizer_mismatch(adam, adam) == []
    newer = dict(param_groups=[dict(adam['param_groups'][0], fused=None)])
    assert optimizer_mismatch(adam, newer) == []      # a new torch flag
    more = dict(param_groups=[dict(params=[0, 1, 2], lr=1., betas=(.9, .99),
                                   eps=1e-8)])
    assert optimizer_mismatch(adam, more) == [
        'group 0 has 2 parameters in the checkpoint, 3 in this run']
    two = dict(param_groups=adam['param_groups'] * 2)
    assert optimizer_mismatch(adam, two) == [
        '1 parameter group(s) in the checkpoint, 2 in this run']
    pair = dict(generator=adam, discriminator=adam)
    assert optimizer_mismatch(pair, adam) == [
        "optimizers ['discriminator', 'generator'] in the checkpoint, one "
        'optimizer in this run']
