"""Options and paths a user can get wrong are refused before any work,
naming the option, file or key and the fix."""
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import hmrzoo  # noqa: F401
from hmrzoo.apis import load_config, prepare_output_file

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')


def _load(tmp_path, *options):
    opts = dict(o.split('=', 1) for o in options)
    for k, v in opts.items():       # as DictAction types them
        try:
            opts[k] = int(v)
        except ValueError:
            pass
    return load_config(TINY, opts, list(opts), 'none', str(tmp_path))


def test_near_miss_of_a_component_argument(tmp_path):
    with pytest.raises(KeyError, match="default_hooks.checkpoint."
                       "max_keep_ckpt: CheckpointHook has no argument "
                       "'max_keep_ckpt'; did you mean 'max_keep_ckpts'"):
        _load(tmp_path, 'default_hooks.checkpoint.max_keep_ckpt=1')
    # a genuinely new argument of a component stays possible
    cfg = _load(tmp_path, 'default_hooks.checkpoint.save_begin=1')
    assert cfg.default_hooks.checkpoint.save_begin == 1


def test_text_where_the_config_holds_a_number(tmp_path):
    with pytest.raises(TypeError, match=r'train_cfg.max_iters=two: the '
                       r'config holds a number here \(2\)'):
        _load(tmp_path, 'train_cfg.max_iters=two')


def test_config_syntax_error_names_the_file_and_line(tmp_path):
    base = tmp_path / 'base.py'
    base.write_text('x = 1\ny = dict(a=1\n')
    child = tmp_path / 'child.py'
    child.write_text("_base_ = ['./base.py']\nz = 2\n")
    with pytest.raises(SyntaxError, match=rf"config {base}, line 2: "
                                          r"'\(' was never closed"):
        load_config(str(child))


def test_work_dir_that_is_a_file(tmp_path):
    target = tmp_path / 'taken'
    target.write_text('')
    with pytest.raises(NotADirectoryError, match=f'--work-dir {target} is '
                                                 'an existing file'):
        load_config(TINY, work_dir=str(target))


def test_out_folder_is_created_and_a_folder_as_out_refused(tmp_path):
    out = tmp_path / 'new' / 'deeper' / 'res.json'
    prepare_output_file(str(out))
    assert out.parent.is_dir()
    with pytest.raises(IsADirectoryError, match=f'--out {tmp_path} is a '
                                                'folder'):
        prepare_output_file(str(tmp_path))


def test_test_tool_refuses_an_unwritable_out_before_testing(tmp_path):
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from hmrzoo.registry import MODELS
    init_default_scope('hmrzoo')
    ckpt = tmp_path / 'model.pth'
    model = MODELS.build(Config.fromfile(TINY).model)
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    work = tmp_path / 'work'
    proc = subprocess.run(
        [sys.executable, 'tools/test.py', TINY, str(ckpt), '--work-dir',
         str(work), '--out', str(tmp_path)], cwd=ROOT, capture_output=True,
        text=True, timeout=300)
    assert proc.returncode != 0
    assert f'--out {tmp_path} is a folder' in proc.stderr
    assert not work.exists()          # nothing was evaluated


@pytest.mark.parametrize('tool,args,option', [
    ('vis_synthetic.py', ['configs/hmr/r18_keypoints_anny.py', '--out',
                          'unused', '--num', '0'], '--num'),
    ('robustness.py', ['configs/cra/r18_cra_anny.py', 'unused.pth',
                       '--num-samples', '0'], '--num-samples'),
])
def test_zero_counts_are_refused_by_name(tool, args, option):
    proc = subprocess.run([sys.executable, f'tools/{tool}', *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert f'argument {option}: must be at least 1, got 0' in proc.stderr


def test_vis_synthetic_with_a_real_data_config_names_the_variant(tmp_path):
    proc = subprocess.run(
        [sys.executable, 'tools/vis_synthetic.py', 'configs/hmr/r50_hmr.py',
         '--out', str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
        timeout=120)
    assert proc.returncode != 0
    assert 'reads HumanImageDataset' in proc.stderr
    assert 'its embedded variant is configs/hmr/r50_hmr_anny.py' in \
        proc.stderr


@pytest.mark.parametrize('option,expected', [
    ('train_cfg.max_iters=two', '--cfg-options train_cfg.max_iters=two: '
                                'the config holds a number here (2)'),
    ('model.hed.n_iter=2', "--cfg-options model.hed.n_iter: model has no "
                           "key 'hed'; did you mean 'head'?"),
])
def test_train_tool_prints_option_errors_without_traceback(tmp_path, option,
                                                           expected):
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', TINY, '--work-dir',
         str(tmp_path), '--cfg-options', option], cwd=ROOT,
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith(expected)
    assert 'Traceback' not in proc.stderr
    assert not list(tmp_path.iterdir())        # nothing started
