"""A third-party plugin package, installed into a temporary directory,
registers a head that configs can use through ``custom_imports`` and through
the ``hmrzoo.plugins`` entry-point group."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PLUGIN_INIT = '''
import torch
from hmrzoo.registry import MODELS


@MODELS.register_module()
class DoublingHead(torch.nn.Module):
    """A toy head: returns twice its input."""

    def __init__(self, factor=2.0):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return x * self.factor
'''

PYPROJECT = '''
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "hmrzoo-doubling-plugin"
version = "0.1.0"

[project.entry-points."hmrzoo.plugins"]
doubling = "hmrzoo_doubling"

[tool.setuptools]
packages = ["hmrzoo_doubling"]
'''


@pytest.fixture(scope='module')
def plugin_site(tmp_path_factory):
    src = tmp_path_factory.mktemp('plugin_src')
    (src / 'hmrzoo_doubling').mkdir()
    (src / 'hmrzoo_doubling' / '__init__.py').write_text(PLUGIN_INIT)
    (src / 'pyproject.toml').write_text(PYPROJECT)
    site = tmp_path_factory.mktemp('site')
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q',
                    '--no-deps', '--no-build-isolation', '--no-index',
                    '--target', str(site), str(src)], check=True,
                   capture_output=True)
    assert (site / 'hmrzoo_doubling' / '__init__.py').exists()
    return site


def _run(site, code):
    env = {'PYTHONPATH': f'{site}:{ROOT}', 'PATH': '/usr/bin:/bin'}
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          env=env, capture_output=True, text=True,
                          timeout=300)


def test_plugin_through_custom_imports(plugin_site, tmp_path):
    cfg = tmp_path / 'cfg.py'
    cfg.write_text("custom_imports = dict(imports=['hmrzoo_doubling'], "
                   "allow_failed_imports=False)\n"
                   "head = dict(type='DoublingHead', factor=3.0)\n")
    out = _run(plugin_site, f'''
        import os; os.environ['HMRZOO_DISABLE_PLUGINS'] = '1'
        import torch
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        import hmrzoo
        from hmrzoo.registry import MODELS
        init_default_scope('hmrzoo')
        assert MODELS.get('DoublingHead') is None  # not imported yet
        cfg = Config.fromfile({str(cfg)!r})  # runs custom_imports
        head = MODELS.build(cfg.head)
        print(float(head(torch.tensor([2.0]))))
    ''')
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == '6.0'


def test_plugin_through_entry_point(plugin_site):
    out = _run(plugin_site, '''
        import torch
        from mmengine.registry import init_default_scope
        import hmrzoo
        from hmrzoo.engine import load_plugins
        from hmrzoo.registry import MODELS
        init_default_scope('hmrzoo')
        assert MODELS.get('DoublingHead') is None
        print(load_plugins())
        head = MODELS.build(dict(type='DoublingHead'))
        print(float(head(torch.tensor([2.5]))))
    ''')
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-2] == "['doubling']" and lines[-1] == '5.0'


def test_broken_plugin_is_reported_not_fatal(plugin_site, tmp_path):
    broken = tmp_path / 'site2'
    broken.mkdir()
    dist = broken / 'broken_plugin-0.1.dist-info'
    dist.mkdir()
    (dist / 'METADATA').write_text('Metadata-Version: 2.1\nName: '
                                   'broken-plugin\nVersion: 0.1\n')
    (dist / 'entry_points.txt').write_text(
        '[hmrzoo.plugins]\nbroken = no_such_module_xyz\n')
    out = _run(f'{plugin_site}:{broken}', '''
        from hmrzoo.engine import load_plugins
        print(sorted(load_plugins()))
        try:
            load_plugins(strict=True)
        except ImportError as e:
            print('STRICT', e)
    ''')
    assert out.returncode == 0, out.stderr
    assert "['doubling']" in out.stdout
    assert 'STRICT' in out.stdout and 'no_such_module_xyz' in out.stdout
