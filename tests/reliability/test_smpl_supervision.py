"""Training says how much of its data carries SMPL parameters, and warns
when a mesh term gets no row (engine/smpl_supervision.py)."""
import logging
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hmrzoo.datasets import MixedDataset
from hmrzoo.engine.smpl_supervision import smpl_sources, supervision_report
from hmrzoo.testing.fake_datasets import write_fake_paper_datasets

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def fake_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('paper')
    write_fake_paper_datasets(root, num=4)
    return root


def _source(root, key, table):
    name = table.paper_files[key][0]
    return dict(type='HumanImageDataset',
                ann_file=str(root / 'data/preprocessed' / name),
                data_prefix=dict(img_path=str(
                    root / 'data/datasets' / table.paper_image_dirs[key])),
                crop_size=(64, 64), keypoint_convention='smpl_54')


def test_mix_fractions_and_warning(fake_root):
    init_default_scope('hmrzoo')
    table = Config.fromfile(str(
        ROOT / 'configs/_base_/datasets/paper_data_files.py'))
    mix = MixedDataset(
        datasets=[_source(fake_root, 'h36m', table),
                  _source(fake_root, 'cliff_coco', table),
                  dict(type='ConcatDataset',
                       datasets=[_source(fake_root, k, table)
                                 for k in ('spin_mpii', 'mpii')])],
        ratios=[0.3, 0.3, 0.4])
    sources = smpl_sources(mix)
    assert [(s.name, round(s.share, 3), s.fraction) for s in sources] == [
        ('h36m_train.npz', 0.3, 0.0),
        ('spin_coco2014part_cliffgt.npz', 0.3, 1.0),
        ('spin_mpii_train.npz', 0.2, 1.0), ('mpii_train.npz', 0.2, 0.0)]
    level, text = supervision_report(sources, {'pose', 'betas'})
    assert level == logging.WARNING
    assert 'overall 50% of the sampled rows' in text
    assert "['h36m_train.npz', 'mpii_train.npz'] give the mesh terms " \
        "['betas', 'pose'] no row" in text
    # keypoint terms only: just the figures
    level, _ = supervision_report(sources, set())
    assert level == logging.INFO
    none = [s._replace(fraction=0.0) for s in sources]
    level, text = supervision_report(none, {'vertices'})
    assert level == logging.WARNING and 'they train nothing' in text


def test_paper_mix_carries_pseudo_ground_truth():
    cfg = Config.fromfile(str(ROOT / 'configs/multiroi/r50_cliff.py'))
    files = [d['ann_file'] for d in cfg.train_dataloader.dataset.datasets]
    assert files[2:] == ['data/preprocessed/spin_coco2014part_cliffgt.npz',
                         'data/preprocessed/spin_mpii_cliffgt.npz']
    ablation = Config.fromfile(str(
        ROOT / 'configs/multiroi/ablations/r50_cliff_coco.py'))
    assert ablation.train_dataloader.dataset.ann_file.endswith(
        'eft_coco2014_all_ver01.npz')
