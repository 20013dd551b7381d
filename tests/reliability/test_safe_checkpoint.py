"""A failed checkpoint write (here: a file-size limit, as a full disk)
names the file and the work dir, deletes nothing and leaves
last_checkpoint on the previous, intact checkpoint."""
import resource
import signal
import subprocess
import sys
from pathlib import Path

import torch

import hmrzoo  # noqa: F401
from hmrzoo.apis import check_checkpoint

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')
LIMIT = 8 * 2 ** 20        # bytes per file: logs fit, a checkpoint does not


def _limited():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _train(work, *options, limit=False):
    return subprocess.run(
        [sys.executable, 'tools/train.py', TINY, '--work-dir', str(work),
         '--cfg-options', 'default_hooks.checkpoint.interval=1',
         'default_hooks.checkpoint.max_keep_ckpts=1', *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        preexec_fn=_limited if limit else None)


def test_failed_write_keeps_the_previous_checkpoint(tmp_path):
    first = _train(tmp_path, 'train_cfg.max_iters=1')
    assert first.returncode == 0, first.stderr[-2000:]
    one = tmp_path / 'iter_1.pth'
    assert one.stat().st_size > LIMIT
    proc = _train(tmp_path, '--resume', limit=True)
    assert proc.returncode != 0
    err = proc.stderr
    assert f'could not write checkpoint {tmp_path}/iter_2.pth' in err
    assert f'The work dir {tmp_path} has' in err
    assert f'last_checkpoint still names {one}' in err
    assert (tmp_path / 'last_checkpoint').read_text().strip() == str(one)
    assert not list(tmp_path.glob('iter_2.pth*'))   # no partial file left
    # max_keep_ckpts=1 did not delete the only good checkpoint first
    assert check_checkpoint(str(one))['meta']['iter'] == 1
    # and with room, the next save replaces it as configured
    again = _train(tmp_path, '--resume')
    assert again.returncode == 0, again.stderr[-2000:]
    assert not one.exists()
    last = torch.load(tmp_path / 'iter_2.pth', weights_only=True)
    assert last['meta']['iter'] == 2
    assert (tmp_path / 'last_checkpoint').read_text().strip() == \
        str(tmp_path / 'iter_2.pth')
