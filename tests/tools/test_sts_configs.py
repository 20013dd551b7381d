"""The STS whole-body configs through the tools: the embedded variant
trains and tests and says where it differs from the paper; the SMPL-X
paper config trains on a fabricated SMPL-X file and, without one, names
what is missing."""
import json
import os
import subprocess
import sys
from pathlib import Path

from hmrzoo.testing.fake_model_files import write_fake_smplx

ROOT = Path(__file__).resolve().parents[2]
TINY = ['train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'model.partial_pretrain_iters=1', 'model.sts_interval=2',
        'val_dataloader.dataset.num_samples=8', 'model.head.width=32',
        'model.head.gcn_hidden=8']


def _run(args, env=None):
    return subprocess.run([sys.executable] + args, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_embedded_variant_trains_tests_and_names_its_differences(tmp_path):
    cfg = 'configs/sts_wholebody/sts_d2s_anny.py'
    proc = _run(['tools/train.py', cfg, '--work-dir', str(tmp_path),
                 '--cfg-options'] + TINY)
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = proc.stdout + proc.stderr
    assert "sts_d2s_anny.py differs from its paper's setting" in log
    assert '  - input: keypoints only, no ResNet-50 image embedding' in log
    out = tmp_path / 'metrics.json'
    proc = _run(['tools/test.py', cfg, str(tmp_path / 'iter_2.pth'),
                 '--work-dir', str(tmp_path), '--out', str(out),
                 '--cfg-options', 'test_dataloader.dataset.num_samples=8',
                 'model.head.width=32', 'model.head.gcn_hidden=8'])
    assert proc.returncode == 0, proc.stderr[-2000:]
    metrics = json.loads(out.read_text())['metrics']
    for key in ('body/MPJPE', 'body/PA-MPJPE', 'face/MPJPE',
                'left_hand/MPJPE', 'right_hand/PA-MPJPE'):
        assert metrics[key] > 0, key
    assert 'held-out synthetic Anny whole bodies' in proc.stdout + \
        proc.stderr


def test_smplx_paper_config_without_smplx_names_what_is_missing(tmp_path):
    env = dict(os.environ, HMRZOO_BODY_MODELS=str(tmp_path / 'none'))
    proc = _run(['tools/train.py', 'configs/sts_wholebody/sts_d2s_smplx.py',
                 '--work-dir', str(tmp_path / 'work')], env)
    assert proc.returncode != 0
    assert 'SMPL-X model (neutral)' in proc.stderr
    assert 'configs/sts_wholebody/sts_d2s_anny.py' in proc.stderr
    assert not (tmp_path / 'work').exists()


def test_smplx_paper_config_trains_on_a_fabricated_file(tmp_path):
    root = tmp_path / 'body_models'
    write_fake_smplx(str(root / 'smplx' / 'SMPLX_NEUTRAL.npz'))
    env = dict(os.environ, HMRZOO_BODY_MODELS=str(root))
    proc = _run(['tools/train.py',
                 'configs/sts_wholebody/sts_d2s_smplx.py',
                 '--work-dir', str(tmp_path / 'work'), '--cfg-options'] +
                TINY, env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = proc.stdout + proc.stderr
    assert 'not Panoptic Studio, Human3.6M (protocol of HMR) or STB' in log
    assert 'face/MPJPE' in log
    assert (tmp_path / 'work' / 'iter_2.pth').is_file()
