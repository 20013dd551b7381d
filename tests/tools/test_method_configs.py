"""The method configs through the tools: the embedded variants train and
test; the paper configs stop before building anything when SMPL or the
datasets are missing, and say what is missing and what to run instead."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

from hmrzoo.engine import MissingDataError, check_required_data
from hmrzoo.testing import make_fake_body_model_dir

ROOT = Path(__file__).resolve().parents[2]
TINY = {name: str(ROOT / f'tests/data/configs/tiny_{name}_anny.py')
        for name in ('multiroi', 'multiroi-official', 'pymaf')}
PAPER = ('configs/multiroi/r50_cliff.py', 'configs/multiroi/hrnet-w48_cliff.py',
         'configs/cliff/cliff_r50.py', 'configs/cliff/cliff_hrnet-w48.py',
         'configs/hmr/r50_hmr.py', 'configs/pymaf/r50_pymaf.py',
         'configs/multiroi/ablations/r50_cliff_coco_rois-3.py',
         'configs/multiroi/r50_cliff_h36m-test.py',
         'configs/multiroi/r50_cliff_official-layout.py',
         'configs/multiroi/r50_cliff_pw3d-ft.py')
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402


@pytest.mark.parametrize('name', sorted(TINY))
def test_tiny_embedded_variant_trains_and_tests(name, tmp_path, capsys):
    config = TINY[name]
    train_tool.main([config, '--work-dir', str(tmp_path)])
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()
    out = tmp_path / 'metrics.json'
    test_tool.main([config, str(ckpt), '--work-dir', str(tmp_path),
                    '--out', str(out)])
    printed = capsys.readouterr().out
    metrics = json.loads(out.read_text())['metrics']
    for name in ('MPJPE', 'PA-MPJPE', 'PVE'):
        assert name in printed and metrics[name] > 0


@pytest.mark.parametrize('config', PAPER)
def test_paper_config_without_data_names_what_is_missing(config, tmp_path):
    env = dict(os.environ, HMRZOO_BODY_MODELS=str(tmp_path / 'none'))
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', config, '--work-dir',
         str(tmp_path / 'work')], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120)
    assert proc.returncode != 0
    err = proc.stderr
    assert 'needs data this machine does not have' in err
    assert 'SMPL model (neutral)' in err
    test_file = 'h36m_valid_protocol2.npz' if 'h36m-test' in config \
        else 'pw3d_test.npz'
    assert f'data/preprocessed/{test_file}' in err
    variant = Config.fromfile(str(ROOT / config)).required_data[
        'embedded_variant']
    assert f'python tools/train.py {variant}' in err
    assert (ROOT / variant).is_file()
    assert not (tmp_path / 'work').exists()  # nothing was built


def test_required_data_passes_when_everything_is_there(tmp_path,
                                                       monkeypatch):
    root = make_fake_body_model_dir(str(tmp_path / 'bm'), smplx=False)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(ROOT / 'configs/multiroi/r50_cliff.py'))
    for entry in cfg.required_data['files']:
        Path(entry['path']).parent.mkdir(parents=True, exist_ok=True)
        Path(entry['path']).write_bytes(b'')
    check_required_data(cfg)
    os.remove(cfg.required_data['files'][2]['path'])
    with pytest.raises(MissingDataError) as err:
        check_required_data(cfg)
    lines = [ln for ln in str(err.value).splitlines()
             if ln.startswith('  - ')]
    assert lines == [f"  - {cfg.required_data['files'][2]['what']}: "
                     f"{cfg.required_data['files'][2]['path']}; "
                     f"{cfg.required_data['files'][2]['how']}"]
