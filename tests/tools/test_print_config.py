"""tools/print_config.py prints the resolved config, with --cfg-options
applied and checked."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import print_config  # noqa: E402

CRA = str(ROOT / 'configs/cra/r18_cra_anny.py')


def test_json_is_the_resolved_config_with_options(capsys):
    text = print_config.main([CRA, '--format', 'json', '--cfg-options',
                              'model.fusion=features',
                              'train_cfg.max_iters=7'])
    printed = json.loads(text)
    assert json.loads(capsys.readouterr().out) == printed
    expect = Config.fromfile(CRA).to_dict()
    expect['model']['fusion'] = 'features'
    expect['train_cfg']['max_iters'] = 7
    assert printed == json.loads(json.dumps(expect, default=repr))
    # the {{_base_.body_model}} references are substituted
    assert printed['model']['body_model'] == {'type': 'Anny'}
    assert printed['model']['data_preprocessor']['body_model'] == {
        'type': 'Anny'}


def test_python_text_reads_back_as_the_same_config(tmp_path):
    text = print_config.main([CRA])
    copy = tmp_path / 'resolved.py'
    copy.write_text(text)
    assert Config.fromfile(str(copy)).to_dict() == \
        Config.fromfile(CRA).to_dict()


def test_unknown_option_is_named():
    proc = subprocess.run([sys.executable, 'tools/print_config.py', CRA,
                           '--cfg-options', 'modle.fusion=features'],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "modle" in proc.stderr and "did you mean 'model'" in \
        proc.stderr


def test_missing_file_is_named():
    with pytest.raises(FileNotFoundError, match='nope.py'):
        print_config.main(['configs/nope.py'])
