"""Checkpoint formats and dataset converters are registries: a module
outside hmrzoo, written here into a temporary folder, registers a format /
a converter and the command-line tools use it through --custom-imports;
unknown names are reported with the registered ones."""
import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

from hmrzoo.apis.convert_checkpoint import FORMATS, convert_state_dict
from hmrzoo.datasets.converters import (CONVERTERS, register_converter,
                                        run_converter)
from hmrzoo.registry import CHECKPOINT_FORMATS, DATASET_CONVERTERS

ROOT = Path(__file__).resolve().parents[2]
CKPT_TOOL = ROOT / 'tools' / 'convert_checkpoint.py'
DATA_TOOL = ROOT / 'tools' / 'convert_datasets.py'
BUILTIN_FORMATS = ['cliff-res50', 'cliff-hr48', 'pymaf',
                   'torchvision-resnet50', 'mmpose-resnet50',
                   'mmpose-hrnet-w48', 'mmhuman3d-hmr', 'mmhuman3d-cliff',
                   'multiroi-official-r50']
BUILTIN_LIST = ', '.join(BUILTIN_FORMATS)

FORMAT_PLUGIN = '''
from hmrzoo.apis.checkpoint_formats import Converted, recognizes
from hmrzoo.registry import CHECKPOINT_FORMATS


def _looks_like_toy(state_dict):
    if 'net.stem.weight' in state_dict:
        return 'a toy net (net.* keys): use --format toy-net'
    return None


@CHECKPOINT_FORMATS.register_module(name='toy-net')
@recognizes(_looks_like_toy)
def convert_toy_net(state_dict):
    out, dropped = {}, []
    for key, value in state_dict.items():
        if key.startswith('net.'):
            out['backbone.' + key[len('net.'):]] = value
        elif key == 'fc.weight':
            out['head.fc.weight'] = 2 * value.t().contiguous()
        else:
            dropped.append(key)
    return Converted(out, 'toy codebase', dropped, ('a toy note', ))
'''

CONVERTER_PLUGIN = '''
import os.path as osp

import numpy as np

from hmrzoo.datasets.converters import register_converter


@register_converter('toy_points', splits=('train', 'test'))
def convert_toy_points(root, out_dir, split='train', scale=1.0):
    """Toy points: one text file of numbers per split."""
    values = np.loadtxt(osp.join(root, f'{split}.txt'), ndmin=1)
    path = osp.join(out_dir, f'toy_points_{split}.npz')
    np.savez(path, values=values * float(scale), split=split)
    return [path]
'''


def _plugin_dir(tmp_path, name, text):
    folder = tmp_path / 'plugins'
    folder.mkdir(exist_ok=True)
    (folder / f'{name}.py').write_text(textwrap.dedent(text))
    return folder


def _run(tool, args, plugins, cwd):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [str(plugins)] + [p for p in [env.get('PYTHONPATH')] if p])
    return subprocess.run([sys.executable, str(tool)] + args, env=env,
                          cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def _load_tool(path):
    spec = importlib.util.spec_from_file_location(f'tool_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def toy_net(tmp_path):
    """A fabricated toy-net checkpoint (DataParallel prefix) and its
    state dict."""
    g = torch.Generator().manual_seed(0)
    sd = {'net.stem.weight': torch.randn(4, 3, generator=g),
          'net.stem.bias': torch.randn(4, generator=g),
          'fc.weight': torch.randn(2, 5, generator=g),
          'aux_logits': torch.randn(3, generator=g)}
    path = tmp_path / 'toy.pt'
    torch.save({'model': {'module.' + k: v for k, v in sd.items()}}, path)
    return path, sd


def test_registries_are_the_lookup_tables():
    assert list(FORMATS) == BUILTIN_FORMATS
    assert FORMATS['pymaf'] is CHECKPOINT_FORMATS.get('pymaf')
    assert CONVERTERS['3dpw'] is DATASET_CONVERTERS.get('3dpw')
    assert set(CONVERTERS) == set(DATASET_CONVERTERS.module_dict)
    with pytest.raises(TypeError):
        FORMATS['mine'] = lambda sd: sd
    with pytest.raises(TypeError):
        CONVERTERS['mine'] = None
    with pytest.raises(KeyError, match="converter '3dpw' is already "
                       'registered'):
        register_converter('3dpw')(lambda root, out_dir, split: [])


def test_registries_import_their_locations():
    code = ('import sys\n'
            'from hmrzoo.registry import CHECKPOINT_FORMATS, '
            'DATASET_CONVERTERS\n'
            "print(CHECKPOINT_FORMATS.get('cliff-hr48').__name__)\n"
            "print('/'.join(DATASET_CONVERTERS.get('3dpw').splits))\n")
    proc = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ['convert_cliff_hr48',
                                   'train/validation/test']


def test_plugin_format_converts_through_the_tool(tmp_path, toy_net):
    src, sd = toy_net
    plugins = _plugin_dir(tmp_path, 'toy_format_plugin', FORMAT_PLUGIN)
    dst = tmp_path / 'out' / 'toy.pth'
    proc = _run(CKPT_TOOL, ['--custom-imports', 'toy_format_plugin',
                            '--format', 'toy-net', str(src), str(dst)],
                plugins, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert ('3 keys converted from toy codebase; dropped 1 with no hmrzoo '
            'counterpart: aux_logits; a toy note') in proc.stdout
    ckpt = torch.load(dst, weights_only=True)
    out = ckpt['state_dict']
    assert list(out) == ['backbone.stem.weight', 'backbone.stem.bias',
                         'head.fc.weight']
    assert torch.equal(out['backbone.stem.weight'], sd['net.stem.weight'])
    assert torch.equal(out['backbone.stem.bias'], sd['net.stem.bias'])
    assert torch.equal(out['head.fc.weight'], 2 * sd['fc.weight'].t())
    meta = ckpt['meta']
    assert meta['format'] == 'toy-net'
    assert meta['converted_from'] == 'toy codebase'
    assert meta['stripped_prefixes'] == ['module.']
    assert meta['dropped_keys'] == ['aux_logits']
    assert meta['notes'] == ['a toy note']
    assert meta['num_keys'] == 3 and meta['source'] == 'toy.pt'


def test_plugin_recognizer_and_unknown_format_through_the_tool(
        tmp_path, toy_net):
    src, _ = toy_net
    plugins = _plugin_dir(tmp_path, 'toy_format_plugin', FORMAT_PLUGIN)
    proc = _run(CKPT_TOOL, ['--custom-imports', 'toy_format_plugin',
                            '--format', 'cliff-res50', str(src),
                            str(tmp_path / 'o.pth')], plugins, tmp_path)
    assert proc.returncode == 1 and 'Traceback' not in proc.stderr
    assert 'unexpected key(s): net.stem.weight' in proc.stderr
    assert ('it looks like a toy net (net.* keys): use --format toy-net'
            in proc.stderr)
    proc = _run(CKPT_TOOL, ['--custom-imports', 'toy_format_plugin',
                            '--format', 'toy-nett', str(src),
                            str(tmp_path / 'o.pth')], plugins, tmp_path)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert (f"unknown format 'toy-nett'; registered formats: {BUILTIN_LIST}"
            ', toy-net' in proc.stderr)
    assert "@CHECKPOINT_FORMATS.register_module(name='NAME')" in proc.stderr
    assert '--custom-imports MODULE' in proc.stderr
    assert not (tmp_path / 'o.pth').exists()


def test_unknown_format_and_plugin_module_are_named(tmp_path, capsys):
    with pytest.raises(ValueError) as info:
        convert_state_dict({}, 'spin')
    assert str(info.value).startswith(
        f"unknown format 'spin'; registered formats: {BUILTIN_LIST}; "
        "register a format with @CHECKPOINT_FORMATS.register_module("
        "name='NAME')")
    tool = _load_tool(CKPT_TOOL)
    with pytest.raises(SystemExit) as info:
        tool.parse_args(['--custom-imports', 'no_such_plugin_xyz',
                         '--format', 'pymaf', 'a.pt', 'b.pth'])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert ("--custom-imports: Failed to import no_such_plugin_xyz (No "
            "module named 'no_such_plugin_xyz')") in err
    with pytest.raises(SystemExit):
        tool.parse_args(['--format', 'spin', 'a.pt', 'b.pth'])
    err = capsys.readouterr().err
    assert (f"error: unknown format 'spin'; registered formats: "
            f'{BUILTIN_LIST};') in err
    assert list(FORMATS) == BUILTIN_FORMATS


def test_plugin_converter_runs_through_the_tool(tmp_path):
    root = tmp_path / 'raw'
    root.mkdir()
    (root / 'train.txt').write_text('1 2 3\n')
    (root / 'test.txt').write_text('4 5\n')
    plugins = _plugin_dir(tmp_path, 'toy_converter_plugin', CONVERTER_PLUGIN)
    out = tmp_path / 'out'
    proc = _run(DATA_TOOL, ['--custom-imports', 'toy_converter_plugin',
                            '--dataset', 'toy_points', '--root', str(root),
                            '--out', str(out), '--split', 'test',
                            '--options', 'scale=3'], plugins, tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = out / 'toy_points_test.npz'
    assert proc.stdout.splitlines() == [f'wrote {path}']
    assert sorted(p.name for p in out.iterdir()) == ['toy_points_test.npz']
    with np.load(path) as data:
        np.testing.assert_array_equal(data['values'], [12., 15.])
        assert str(data['split']) == 'test'

    proc = _run(DATA_TOOL, ['--custom-imports', 'toy_converter_plugin',
                            '--list'], plugins, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()}
    assert {'3dpw', 'h36m', 'toy_points'} <= set(lines)
    assert lines['toy_points'].split(None, 3)[1:] == [
        'splits', 'train/test', 'Toy points: one text file of numbers per '
        'split.']


def test_unknown_dataset_is_named_with_the_registered_ones(tmp_path):
    with pytest.raises(KeyError) as info:
        run_converter('3dpww', str(tmp_path), str(tmp_path / 'o'))
    message = info.value.args[0]
    assert message.startswith(f"unknown dataset '3dpww'; registered "
                              f'converters: {sorted(CONVERTERS)}')
    assert "'3dpw'" in message and "'h36m'" in message
    assert '@register_converter(NAME, splits)' in message
    plugins = _plugin_dir(tmp_path, 'toy_converter_plugin', CONVERTER_PLUGIN)
    proc = _run(DATA_TOOL, ['--custom-imports', 'toy_converter_plugin',
                            '--dataset', 'toy_pointz', '--root',
                            str(tmp_path)], plugins, tmp_path)
    assert proc.returncode == 1 and 'Traceback' not in proc.stderr
    assert "unknown dataset 'toy_pointz'; registered converters:" in \
        proc.stderr
    assert "'toy_points'" in proc.stderr and "'3dpw'" in proc.stderr
    assert '--custom-imports MODULE' in proc.stderr
