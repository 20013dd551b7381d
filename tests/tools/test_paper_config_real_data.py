"""Paper-setting configs end to end on fabricated files: SMPL, the training
mixes (H36M / MPI-INF-3DHP / COCO / MPII for HMR, CLIFF and Multi-RoI;
SPIN's mix with fitted 2D sets for PyMAF) and the 3DPW test set, as
annotation files and images in the layout the configs expect -> train one
epoch with mmengine's Runner -> test with the literature's 3DPW protocol."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from mmengine.runner import Runner

from hmrzoo.apis import load_config
from hmrzoo.renderers.iuv_body_models import clear_atlas_cache
from hmrzoo.testing import (make_fake_body_model_dir,
                            write_fake_mesh_downsampling,
                            write_fake_paper_datasets)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
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


LINES = dict(
    hmr='training rows with SMPL parameters: h36m_train.npz: 30% of the '
        'mix, 0% with SMPL; mpi_inf_3dhp_train.npz: 10% of the mix, 0% with '
        'SMPL; spin_coco2014part_cliffgt.npz: 30% of the mix, 100% with '
        'SMPL; spin_mpii_cliffgt.npz: 30% of the mix, 100% with SMPL; '
        'overall 60% of the sampled rows',
    pymaf='training rows with SMPL parameters: h36m_train.npz: 30% of the '
          'mix, 0% with SMPL; mpi_inf_3dhp_train.npz: 10% of the mix, 0% '
          'with SMPL; spin_lsp_dataset_original_train.npz: 15% of the mix, '
          '100% with SMPL')


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
    write_fake_paper_datasets(tmp_path)
    options = dict(shrink, **{
        'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
        'val_dataloader.batch_size': 4, 'val_dataloader.num_workers': 0,
        'test_dataloader.batch_size': 4, 'test_dataloader.num_workers': 0,
        'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 1})
    cfg = load_config(str(ROOT / config), options, list(options),
                      work_dir=str(tmp_path / 'work'))
    cfg.default_hooks.logger.interval = 1
    clear_atlas_cache()  # its start-up line is said when the atlas is built
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
    # start-up lines: the SMPL share of the mix per source (and a warning
    # for the sources without), the IUV charts the PyMAF target uses
    assert LINES[case] in printed, printed[-3000:]
    # ... and where the backbone started from (the fabricated zoo cache)
    assert 'Loads checkpoint by zoo backend from path: ' \
        'zoo://resnet50_imagenet_torchvision_v1' in printed
    assert 'give the mesh terms' in printed
    if case == 'pymaf':
        assert 'IUV charts of SMPL: derived from its skinning weights' \
            in printed
