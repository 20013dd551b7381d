"""tools/train.py and tools/test.py end to end: training, resuming from the
last checkpoint, a real 2-process DDP run on CPU, testing a checkpoint and
clear errors for bad checkpoints and config keys."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_keypoints_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402


def _ckpt(path):
    return torch.load(path, map_location='cpu', weights_only=True)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """4 iterations, checkpoints at 2 and 4."""
    work = tmp_path_factory.mktemp('train')
    train_tool.main([TINY, '--work-dir', str(work)])
    return work


def test_train_writes_checkpoints(trained):
    names = sorted(p.name for p in trained.glob('iter_*.pth'))
    assert names == ['iter_2.pth', 'iter_4.pth']
    ck = _ckpt(trained / 'iter_4.pth')
    assert ck['meta']['iter'] == 4
    # Adam has taken exactly 4 steps on every parameter
    steps = {float(s['step']) for s in ck['optimizer']['state'].values()}
    assert steps == {4.0}


def test_resume_continues_with_same_iteration_and_optimizer(trained,
                                                            tmp_path):
    from mmengine.runner import Runner
    from hmrzoo.apis import load_config
    work = tmp_path / 'resumed'
    work.mkdir()
    # the interrupted run: only its checkpoint of iteration 2 survives
    saved = _ckpt(trained / 'iter_2.pth')
    (work / 'iter_2.pth').write_bytes((trained / 'iter_2.pth').read_bytes())
    (work / 'last_checkpoint').write_text(str(work / 'iter_2.pth'))
    cfg = load_config(TINY, {'train_cfg.max_iters': 5},
                      ['train_cfg.max_iters'], work_dir=str(work))
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.load_or_resume()
    assert runner.iter == 2
    state = runner.optim_wrapper.optimizer.state_dict()['state']
    for k, v in saved['optimizer']['state'].items():
        assert float(state[k]['step']) == 2.0
        assert torch.equal(state[k]['exp_avg'], v['exp_avg'])
    model_state = runner.model.state_dict()
    for k, v in saved['state_dict'].items():
        assert torch.equal(model_state[k], v)
    # through the tool: resume and run to 5
    train_tool.main([TINY, '--work-dir', str(work), '--resume',
                     '--cfg-options', 'train_cfg.max_iters=5'])
    final = _ckpt(work / 'iter_5.pth')
    assert final['meta']['iter'] == 5
    assert {float(s['step']) for s in
            final['optimizer']['state'].values()} == {5.0}


def test_test_tool_prints_metrics_and_writes_json(trained, tmp_path,
                                                  capsys):
    out = tmp_path / 'res.json'
    metrics = test_tool.main([TINY, str(trained / 'iter_4.pth'),
                              '--work-dir', str(tmp_path), '--out',
                              str(out)])
    printed = capsys.readouterr().out
    for name in ('MPJPE', 'PA-MPJPE', 'PVE'):
        assert f'{name}: ' in printed and name in metrics
    assert 'held-out synthetic Anny set' in printed
    data = json.loads(out.read_text())
    per_sample = data['per_sample'][0]
    assert len(per_sample) == 8
    mean_pa = sum(s['PA-MPJPE'] for s in per_sample) / 8
    # every sample has all 24 joints, so the pooled mean is the mean of
    # the per-sample means
    assert abs(mean_pa - metrics['PA-MPJPE']) < 1e-3
    assert metrics['PA-MPJPE'] <= metrics['MPJPE']


def test_corrupt_checkpoint_is_reported(trained, tmp_path):
    bad = tmp_path / 'bad.pth'
    bad.write_bytes((trained / 'iter_4.pth').read_bytes()[:5000])
    with pytest.raises(RuntimeError, match='cannot be read.*bad.pth|bad.pth'
                       '.*cannot be read'):
        test_tool.main([TINY, str(bad)])
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        test_tool.main([TINY, str(tmp_path / 'missing.pth')])


def test_bad_cfg_option_is_named(tmp_path):
    with pytest.raises(KeyError, match="train_cfgg.*did you mean"):
        train_tool.main([TINY, '--work-dir', str(tmp_path), '--cfg-options',
                         'train_cfgg.max_iters=1'])


def test_ddp_two_processes_identical_parameters(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS='1')
    cmd = [sys.executable, '-m', 'torch.distributed.run',
           '--nproc_per_node=2', '--master_port=29731',
           str(ROOT / 'tools/train.py'),
           str(ROOT / 'tests/data/configs/tiny_ddp.py'), '--launcher',
           'pytorch', '--work-dir', str(tmp_path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    p0 = torch.load(tmp_path / 'params_rank0.pth', weights_only=True)
    p1 = torch.load(tmp_path / 'params_rank1.pth', weights_only=True)
    init = sorted(p0)
    assert init == sorted(p1) and len(init) > 10
    for k in init:
        assert torch.equal(p0[k], p1[k]), k
    # and the third iteration changed them: they differ from iteration 2's
    ck2 = _ckpt(tmp_path / 'iter_2.pth')
    assert ck2['meta']['iter'] == 2
    assert any(not torch.equal(p0[k], ck2['state_dict'][k]) for k in init)
