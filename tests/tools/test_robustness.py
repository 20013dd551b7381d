"""CRA's robustness protocol: the preprocessor's test-time damage and the
Table 5 tool."""
import sys
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.conventions import get_keypoint_idxs
from hmrzoo.synthetic.augment.keypoints import LIMB_END_JOINTS
from hmrzoo.registry import DATASETS, MODELS
from hmrzoo.renderers.iuv_parts import PART_TO_COARSE

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_cra_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import robustness  # noqa: E402
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402

init_default_scope('hmrzoo')


def _batch(corruption):
    cfg = Config.fromfile(TINY)
    pre_cfg = dict(cfg.model.data_preprocessor, corruption=corruption)
    pre = MODELS.build(pre_cfg)
    ds = DATASETS.build(cfg.test_dataloader.dataset)
    torch.manual_seed(0)
    return pre(pseudo_collate([ds[i] for i in range(4)]), training=False)


def _coarse(iuv):
    index = (iuv[:, 0] * 24).round().long()
    return torch.tensor(PART_TO_COARSE)[index]


def test_damage_applies_at_test_time_and_only_where_named():
    clean = _batch(None)
    masked = _batch(dict(part_mask=1.0))
    dropped = _batch(dict(limb_joint_drop=1.0))
    # part mask: every sample loses exactly one whole coarse part
    a, b = clean['inputs'][:, 17:], masked['inputs'][:, 17:]
    for i in range(4):
        before, after = _coarse(a[i:i + 1])[0], _coarse(b[i:i + 1])[0]
        gone = set(before.unique().tolist()) - set(after.unique().tolist())
        assert len(gone) == 1 and 0 not in gone
        part = gone.pop()
        changed = (a[i] != b[i]).any(0)
        assert torch.equal(changed, before == part)
    # the joints are untouched by the IUV damage
    assert torch.equal(clean['inputs'][:, :17], masked['inputs'][:, :17])
    # limb joints: the 8 limb ends leave the mask and their heatmaps go
    # blank; the other joints and the IUV are unchanged
    idx = get_keypoint_idxs(LIMB_END_JOINTS, 'coco')
    keep = torch.stack([s.input_keypoints2d_mask
                        for s in dropped['data_samples']])
    assert not keep[:, idx].any()
    others = [k for k in range(17) if k not in idx]
    ref = torch.stack([s.input_keypoints2d_mask
                       for s in clean['data_samples']])
    assert torch.equal(keep[:, others], ref[:, others])
    assert not dropped['inputs'][:, idx].any()
    assert torch.equal(dropped['inputs'][:, others],
                       clean['inputs'][:, others])
    assert torch.equal(dropped['inputs'][:, 17:], clean['inputs'][:, 17:])


def test_table_clean_row_equals_the_test_tool(tmp_path, capsys):
    train_tool.main([TINY, '--work-dir', str(tmp_path)])
    ckpt = str(tmp_path / 'iter_2.pth')
    clean = test_tool.main([TINY, ckpt, '--work-dir', str(tmp_path)])
    table = robustness.main([TINY, ckpt, '--probs', '1.0',
                             '--num-samples', '4', '--work-dir',
                             str(tmp_path)])
    assert set(table) == {'part_mask', 'limb_joint_drop'}
    for kind in table:
        for metric in ('PVE', 'PA-MPJPE'):
            assert abs(table[kind][0.0][metric] - clean[metric]) < 1e-6
    # damage at p = 1 changes the prediction
    assert table['part_mask'][1.0]['PVE'] != clean['PVE']
    assert table['limb_joint_drop'][1.0]['PVE'] != clean['PVE']
    printed = capsys.readouterr().out
    assert 'IUV part masked' in printed and 'limb joints removed' in printed
