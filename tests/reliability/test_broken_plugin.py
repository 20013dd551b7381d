"""A plugin that fails to import: the final message carries the plugin's
own import error, not 'X is not in the registry' (engine/plugins.py)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')


def _install_broken_plugin(site: Path) -> None:
    """A plugin package with an ``hmrzoo.plugins`` entry point whose
    module needs a dependency that is not installed."""
    (site / 'broken_hmr_plugin.py').write_text(
        'import hmrzoo_missing_dependency_xyz  # noqa\n')
    info = site / 'broken_hmr_plugin-0.1.dist-info'
    info.mkdir(parents=True)
    (info / 'METADATA').write_text('Metadata-Version: 2.1\n'
                                   'Name: broken-hmr-plugin\nVersion: 0.1\n')
    (info / 'entry_points.txt').write_text(
        '[hmrzoo.plugins]\nbroken = broken_hmr_plugin\n')


def test_config_of_a_broken_plugin_names_its_import_error(tmp_path):
    site = tmp_path / 'site'
    site.mkdir()
    _install_broken_plugin(site)
    config = tmp_path / 'uses_plugin.py'
    config.write_text(f'_base_ = [{TINY!r}]\n'
                      "model = dict(head=dict(_delete_=True, "
                      "type='BrokenPluginHead'))\n")
    env = dict(os.environ, PYTHONPATH=str(site))
    env.pop('HMRZOO_DISABLE_PLUGINS', None)
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', str(config), '--work-dir',
         str(tmp_path / 'work')], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300)
    assert proc.returncode != 0
    err = proc.stderr.strip().splitlines()[-1]
    assert "uses ['BrokenPluginHead'], which no registry has" in err
    assert "hmrzoo plugin 'broken' (broken_hmr_plugin) failed to import" \
        in err
    assert "No module named 'hmrzoo_missing_dependency_xyz'" in err
    assert 'is not in the' not in proc.stderr
