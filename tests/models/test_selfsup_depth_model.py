"""The joints+depth estimator on the embedded default: no ground truth
reaches its loss, gradients reach the network and the reliability MLP but
not the frozen prior, the ablation configs change only what they name."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.registry import DATASETS, MODELS

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / 'configs/selfsup_depth/r18_selfsup_depth_anny.py'


@pytest.fixture(scope='module')
def built():
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(str(CONFIG))
    cfg.model.head.pose_decoder.checkpoint = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate([ds[i] for i in range(4)])
    torch.manual_seed(1)
    data = model.data_preprocessor(batch, True)
    return model, data


def test_inputs_are_heatmaps_and_relative_depth(built):
    model, data = built
    inputs = data['inputs']
    assert inputs.shape == (4, 18, 64, 64)
    s = data['data_samples'][0]
    depth = s.input_depth[0]
    valid = depth != 0
    # the loss reads metres; the network a unit-free relative map
    assert depth[valid].min() > 20
    rel = inputs[0, 17]
    assert torch.allclose(rel[valid], (depth[valid] - depth[valid].median())
                          / 0.5, atol=1e-4)
    assert (rel[~valid] == 0).all()


def test_loss_ignores_ground_truth(built):
    model, data = built
    samples = data['data_samples']
    torch.manual_seed(2)
    head_out = model(data['inputs'], samples, mode='tensor')
    full = model.loss(head_out, samples)
    stripped = []
    for s in samples:
        t = s.clone()
        for key in list(t.keys()):
            if key.startswith('gt_'):
                delattr(t, key)
        stripped.append(t)
    assert not any(k.startswith('gt_') for k in stripped[0].keys())
    bare = model.loss(head_out, stripped)
    assert set(full) == set(bare) == {'loss_joints', 'loss_depth',
                                      'loss_reliability', 'reliability',
                                      'loss_betas'}
    for key in full:
        assert torch.equal(full[key], bare[key])


def test_gradients_reach_network_and_reliability_not_prior(built):
    model, data = built
    model.zero_grad()
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    grad = lambda m: sum(p.grad.abs().sum() for p in m.parameters()  # noqa
                         if p.grad is not None)
    assert grad(model.backbone) > 0 and grad(model.head.out) > 0
    assert grad(model.self_consistency.reliability) > 0
    assert all(p.grad is None for p in model.head.decoder.parameters())


def test_predictions_carry_the_reliability(built):
    model, data = built
    model.eval()
    with torch.no_grad():
        out = model(data['inputs'], data['data_samples'], mode='predict')
    model.train()
    assert out[0].pred_vertices.shape[-1] == 3
    w = out[0].pred_reliability
    assert w.shape == (12, ) and ((w > 0) & (w < 1)).all()


ABLATIONS = {
    'no-uncertainty': {'model.self_consistency.reliability': None},
    'no-uncertainty_no-iqr': {
        'model.self_consistency.reliability': None,
        'model.data_preprocessor.depth_iqr_trim': False},
    'no-uncertainty_no-sampling': {
        'model.self_consistency.reliability': None,
        'model.self_consistency.depth': 'dense'},
    # the backbone's 17 input channels follow (test_derived_sizes.py)
    'no-depth-input': {
        'model.data_preprocessor.network_inputs': ('heatmaps', )},
}


def _flat(d, prefix=''):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(_flat(v, f'{prefix}{k}.'))
        else:
            out[f'{prefix}{k}'] = tuple(v) if isinstance(v, list) else v
    return out


@pytest.mark.parametrize('setting', ['anny', 'smpl'])
@pytest.mark.parametrize('name', sorted(ABLATIONS))
def test_ablation_changes_only_what_it_names(setting, name):
    main = ROOT / f'configs/selfsup_depth/r18_selfsup_depth_{setting}.py'
    path = main.parent / 'ablations' / \
        f'r18_selfsup_depth_{setting}_{name}.py'
    base = _flat(Config.fromfile(str(main)).model)
    abl = _flat(Config.fromfile(str(path)).model)
    expect = dict(ABLATIONS[name])
    if setting == 'smpl' and name == 'no-depth-input':
        expect = {'model.data_preprocessor.depth_input': False}
    changed = {f'model.{k}' for k in set(base) | set(abl)
               if base.get(k, '<absent>') != abl.get(k, '<absent>')}
    # a dict set to None drops its leaves
    changed = {k for k in changed if not any(
        k.startswith(e + '.') for e in expect)} | (
        changed & set(expect))
    assert changed == set(expect)
    for key, value in expect.items():
        assert abl[key[len('model.'):]] == value
