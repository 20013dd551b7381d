"""A checkpoint either fits the model or is refused, naming what does not
fit and the option for a partial load (engine/checkpoint_coverage.py)."""
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hmrzoo  # noqa: F401
from hmrzoo.engine import CheckpointMismatchError, coverage_report
from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
MULTIROI = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')
PYMAF = str(ROOT / 'tests/data/configs/tiny_pymaf_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402

init_default_scope('hmrzoo')


def _model(config):
    return MODELS.build(Config.fromfile(config).model)


def _save(path, state, name):
    torch.save(dict(state_dict=state, meta=dict(experiment_name=name)), path)
    return str(path)


def test_report_lists_missing_unexpected_and_shapes():
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1))
    state = {k: v for k, v in model.state_dict().items()
             if not k.startswith('1.')}
    state['0.weight'] = torch.zeros(4, 2)
    state['extra.w'] = torch.zeros(1)
    report = coverage_report(model, dict(state_dict=state))
    assert report['missing'] == ['1.weight', '1.bias']
    assert report['unexpected'] == ['extra.w']
    assert report['shape'] == ['0.weight: checkpoint (4, 2) vs model (3, 2)']
    # mmengine's DDP prefix is stripped as the loader does
    wrapped = {f'module.{k}': v for k, v in model.state_dict().items()}
    assert not any(coverage_report(model, dict(state_dict=wrapped)).values())


def test_other_architecture_is_refused_by_the_test_tool(tmp_path):
    ckpt = _save(tmp_path / 'pymaf.pth', _model(PYMAF).state_dict(),
                 'tiny_pymaf_anny_20261204')
    proc = subprocess.run(
        [sys.executable, 'tools/test.py', MULTIROI, ckpt, '--work-dir',
         str(tmp_path / 'work')], cwd=ROOT, capture_output=True, text=True,
        timeout=300)
    assert proc.returncode != 0
    err = proc.stderr
    assert f'checkpoint {ckpt}' in err
    assert "saved by run 'tiny_pymaf_anny_20261204'" in err
    assert 'missing from the checkpoint' in err and 'neck.' in err
    assert 'in the checkpoint but not in the model' in err
    assert 'load_strict=False' in err
    assert 'Traceback' not in err and 'Results of' not in proc.stdout


def test_backbone_only_checkpoint_needs_load_strict_false(tmp_path, capsys):
    model = _model(MULTIROI)
    backbone = {k: v for k, v in model.state_dict().items()
                if not k.startswith('head.')}
    ckpt = _save(tmp_path / 'backbone.pth', backbone, 'pretrain')
    with pytest.raises(CheckpointMismatchError) as err:
        test_tool.main([MULTIROI, ckpt, '--work-dir', str(tmp_path / 's')])
    msg = str(err.value)
    assert 'head.' in msg and 'left at initialisation' in msg
    assert 'neck.' not in msg          # the neck was in the checkpoint
    metrics = test_tool.main([MULTIROI, ckpt, '--work-dir',
                              str(tmp_path / 'partial'),
                              '--cfg-options', 'load_strict=False'])
    assert metrics['MPJPE'] > 0
    # (runs started within one second share mmengine's logger instance and
    # its file, so read every log of the test)
    log = ''.join(p.read_text() for p in tmp_path.rglob('*.log'))
    assert 'partial load of' in log and 'head.' in log
    # the model's own weights pass the check and test
    full = _save(tmp_path / 'full.pth', model.state_dict(), 'tiny')
    assert not any(coverage_report(model, torch.load(full)).values())
    assert test_tool.main([MULTIROI, full, '--work-dir',
                           str(tmp_path / 'full')])['MPJPE'] > 0


def test_load_strict_must_be_boolean(tmp_path):
    with pytest.raises(TypeError, match='load_strict must be True or False'):
        test_tool.main([MULTIROI, _save(tmp_path / 'x.pth', {}, 'x'),
                        '--cfg-options', 'load_strict=maybe'])
