"""Paper-setting configs end to end on fabricated files: SMPL, the training
mixes (H36M / MPI-INF-3DHP / COCO / MPII for HMR, CLIFF and Multi-RoI;
SPIN's mix with fitted 2D sets for PyMAF) and the 3DPW test set, as
annotation files and images in the layout the configs expect -> train one
epoch with mmengine's Runner -> test with the literature's 3DPW protocol."""
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from hmrzoo.apis import load_config
from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.testing import (make_fake_body_model_dir,
                            write_fake_mesh_downsampling)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
# the files of the paper mixes: configs/_base_/datasets/paper_data_files.py
_TABLE = Config.fromfile(str(
    ROOT / 'configs/_base_/datasets/paper_data_files.py'))
FILES, DIRS = _TABLE.paper_files, _TABLE.paper_image_dirs
WITH_3D = ('h36m', 'mpi_inf_3dhp')
WITH_SMPL = ('coco', 'spin_lsp', 'spin_lspet', 'spin_mpii', 'spin_coco',
             'pw3d')


def _fabricate(tmp: Path, n: int = 4):
    rng = np.random.default_rng(0)
    out = tmp / 'data' / 'preprocessed'
    out.mkdir(parents=True)
    for name, (filename, _, _) in FILES.items():
        img_dir = tmp / 'data' / 'datasets' / DIRS[name] / 'images'
        img_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            img = (rng.random((120, 100, 3)) * 255).astype(np.uint8)
            cv2.imwrite(str(img_dir / f'{name}_{i}.jpg'), img)
            paths.append(f'images/{name}_{i}.jpg')
        coco = rng.uniform(20, 80, (n, 17, 2))
        data = dict(image_path=np.array(paths),
                    bbox_xywh=np.tile([20., 20., 60., 80.], (n, 1)),
                    keypoints2d=keypoints_to_superset(coco, 'coco'))
        if name in WITH_3D:
            data['keypoints3d'] = keypoints_to_superset(
                rng.normal(0, .3, (n, 17, 3)) + [0, 0, 5], 'h36m')
        if name in WITH_SMPL:
            data.update(smpl_global_orient=rng.normal(0, .2, (n, 3)),
                        smpl_body_pose=rng.normal(0, .2, (n, 69)),
                        smpl_betas=rng.normal(0, 1, (n, 10)),
                        smpl_transl=np.zeros((n, 3)),
                        has_smpl=np.ones(n, bool),
                        gender=np.array(['male', 'female'] * (n // 2)))
        save_annotations(str(out / filename), data, dataset=name, split='x')


# per config: overrides that shrink the network for a CPU test, and the
# source shares of the mix (ratios of ceil(4 / min ratio) slots)
CASES = dict(
    hmr=('configs/hmr/r50_hmr.py',
         {'model.backbone.depth': 18, 'model.head.in_channels': 512},
         [12, 4, 12, 12]),
    pymaf=('configs/pymaf/r50_pymaf.py',
           {'model.backbone.depth': 18, 'model.neck.in_channels': 512,
            'model.neck.channels': 32, 'model.iuv_head.in_channels': 32},
           [12, 4, 24]))


@pytest.mark.parametrize('case', sorted(CASES))
def test_paper_config_trains_and_tests_on_fabricated_data(
        tmp_path, monkeypatch, capsys, case):
    config, shrink, shares = CASES[case]
    body_models = make_fake_body_model_dir(tmp_path / 'body_models',
                                           smplx=False, smpl_fmt='npz')
    write_fake_mesh_downsampling(str(tmp_path / 'body_models' /
                                     'mesh_downsampling.npz'))
    monkeypatch.setenv('HMRZOO_BODY_MODELS', body_models)
    monkeypatch.chdir(tmp_path)
    _fabricate(tmp_path)
    options = dict(shrink, **{
        'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
        'val_dataloader.batch_size': 4, 'val_dataloader.num_workers': 0,
        'test_dataloader.batch_size': 4, 'test_dataloader.num_workers': 0,
        'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 1})
    cfg = load_config(str(ROOT / config), options, list(options),
                      work_dir=str(tmp_path / 'work'))
    cfg.default_hooks.logger.interval = 1
    runner = Runner.from_cfg(cfg)
    runner.train()
    mix = runner.train_dataloader.dataset
    sources = [mix.source_of(i)[0] for i in range(len(mix))]
    assert [sources.count(s) for s in range(len(shares))] == shares
    assert (tmp_path / 'work' / 'epoch_1.pth').is_file()

    out = tmp_path / 'results.json'
    metrics = test_tool.main(
        [str(ROOT / config), str(tmp_path / 'work' / 'epoch_1.pth'),
         '--work-dir', str(tmp_path / 'test'), '--out', str(out),
         '--cfg-options', 'test_dataloader.num_workers=0']
        + [f'{k}={v}' for k, v in shrink.items()])
    assert set(metrics) == {'MPJPE', 'PA-MPJPE', 'PVE', 'MPJPE-SC'}
    assert all(np.isfinite(v) and v > 0 for v in metrics.values())
    assert metrics['PA-MPJPE'] <= metrics['MPJPE']
    written = json.loads(out.read_text())
    assert len(written['per_sample'][0]) == 4
    printed = capsys.readouterr().out
    assert '3DPW test' in printed
