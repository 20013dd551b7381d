"""A paper-setting config end to end on fabricated files: SMPL, the H36M /
MPI-INF-3DHP / COCO / MPII training mix and the 3DPW test set, as annotation
files and images in the layout the configs expect -> train one epoch with
mmengine's Runner -> test with the literature's 3DPW protocol."""
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from mmengine.runner import Runner

from hmrzoo.apis import load_config
from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.testing import make_fake_body_model_dir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
SOURCES = ('h36m', 'mpi_inf_3dhp', 'coco', 'mpii', 'pw3d')
FILES = dict(h36m='h36m_train', mpi_inf_3dhp='mpi_inf_3dhp_train',
             coco='coco_2014_train', mpii='mpii_train', pw3d='pw3d_test')


def _fabricate(tmp: Path, n: int = 4):
    rng = np.random.default_rng(0)
    for name in SOURCES:
        img_dir = tmp / 'data' / 'datasets' / name / 'images'
        img_dir.mkdir(parents=True)
        paths = []
        for i in range(n):
            img = (rng.random((120, 100, 3)) * 255).astype(np.uint8)
            cv2.imwrite(str(img_dir / f'{i}.jpg'), img)
            paths.append(f'images/{i}.jpg')
        coco = rng.uniform(20, 80, (n, 17, 2))
        data = dict(image_path=np.array(paths),
                    bbox_xywh=np.tile([20., 20., 60., 80.], (n, 1)),
                    keypoints2d=keypoints_to_superset(coco, 'coco'))
        if name in ('h36m', 'mpi_inf_3dhp'):
            data['keypoints3d'] = keypoints_to_superset(
                rng.normal(0, .3, (n, 17, 3)) + [0, 0, 5], 'h36m')
        if name in ('coco', 'pw3d'):
            data.update(smpl_global_orient=rng.normal(0, .2, (n, 3)),
                        smpl_body_pose=rng.normal(0, .2, (n, 69)),
                        smpl_betas=rng.normal(0, 1, (n, 10)),
                        smpl_transl=np.zeros((n, 3)),
                        has_smpl=np.ones(n, bool),
                        gender=np.array(['male', 'female'] * (n // 2)))
        out = tmp / 'data' / 'preprocessed'
        out.mkdir(parents=True, exist_ok=True)
        save_annotations(str(out / f'{FILES[name]}.npz'), data,
                         dataset=name, split='x')


def test_hmr_paper_config_trains_and_tests_on_fabricated_data(
        tmp_path, monkeypatch, capsys):
    body_models = make_fake_body_model_dir(tmp_path / 'body_models',
                                           smplx=False, smpl_fmt='npz')
    monkeypatch.setenv('HMRZOO_BODY_MODELS', body_models)
    monkeypatch.chdir(tmp_path)
    _fabricate(tmp_path)
    options = {
        'model.backbone.depth': 18, 'model.head.in_channels': 512,
        'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
        'val_dataloader.batch_size': 4, 'val_dataloader.num_workers': 0,
        'test_dataloader.batch_size': 4, 'test_dataloader.num_workers': 0,
        'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 1}
    cfg = load_config(str(ROOT / 'configs/hmr/r50_hmr.py'), options,
                      list(options), work_dir=str(tmp_path / 'work'))
    cfg.default_hooks.logger.interval = 1
    runner = Runner.from_cfg(cfg)
    runner.train()
    # the mix: 0.3 / 0.1 / 0.3 / 0.3 of ceil(4 / 0.1) = 40 slots
    mix = runner.train_dataloader.dataset
    sources = [mix.source_of(i)[0] for i in range(len(mix))]
    assert [sources.count(s) for s in range(4)] == [12, 4, 12, 12]
    assert (tmp_path / 'work' / 'epoch_1.pth').is_file()

    out = tmp_path / 'results.json'
    metrics = test_tool.main([str(ROOT / 'configs/hmr/r50_hmr.py'),
                         str(tmp_path / 'work' / 'epoch_1.pth'),
                         '--work-dir', str(tmp_path / 'test'),
                         '--out', str(out), '--cfg-options',
                         'model.backbone.depth=18',
                         'model.head.in_channels=512',
                         'test_dataloader.num_workers=0'])
    assert set(metrics) == {'MPJPE', 'PA-MPJPE', 'PVE', 'MPJPE-SC'}
    assert all(np.isfinite(v) and v > 0 for v in metrics.values())
    assert metrics['PA-MPJPE'] <= metrics['MPJPE']
    written = json.loads(out.read_text())
    assert len(written['per_sample'][0]) == 4
    printed = capsys.readouterr().out
    assert '3DPW test' in printed
