"""The SMPL variant of the keypoint HMR config: runs on (fabricated) SMPL
files, and stops with a clear error when they are missing."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.body_models import BodyModelFileNotFoundError
from hmrzoo.registry import DATASETS, MODELS
from hmrzoo.testing import make_fake_body_model_dir

ROOT = Path(__file__).resolve().parents[2]
CFG = str(ROOT / 'configs/hmr/r18_keypoints_smpl.py')


def test_smpl_config_trains_on_fake_files(tmp_path, monkeypatch):
    root = make_fake_body_model_dir(tmp_path / 'body_models', smplx=False)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(CFG)
    cfg.model.head.hidden = 32
    model = MODELS.build(cfg.model)
    assert model.body_model.native_convention == 'smpl_54'
    ds = DATASETS.build(cfg.val_dataloader.dataset)
    data = model.data_preprocessor(pseudo_collate([ds[0], ds[1]]), True)
    # COCO hips come from SPIN's extra regressor rows: all 17 inputs drawn
    assert data['data_samples'][0].input_keypoints2d_mask.sum() == 17
    assert data['data_samples'][0].gt_betas.shape == (10,)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_keypoints3d', 'loss_keypoints2d',
                           'loss_pose', 'loss_betas', 'loss_vertices',
                           'loss_camera'}
    assert all(torch.isfinite(v) for v in losses.values())


def test_smpl_config_without_files_names_them(tmp_path, monkeypatch):
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(tmp_path / 'nothing'))
    monkeypatch.chdir(tmp_path)
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(CFG)
    with pytest.raises(BodyModelFileNotFoundError) as err:
        MODELS.build(cfg.model)
    msg = str(err.value)
    assert 'SMPL_NEUTRAL' in msg and str(tmp_path / 'nothing') in msg
    assert '_anny.py' in msg and 'convert_body_model.py' in msg
