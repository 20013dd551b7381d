"""The inference fast path (hmrzoo.apis.fast_path): every lever's outputs
against the plain model's (value tests at each lever's tolerance), the
BatchNorm fold on hand-built graphs, and the guards."""
import copy

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from torch import nn

from hmrzoo.apis import init_model
from hmrzoo.apis.fast_path import (FastPathError, apply_fast_path,
                                   fold_batchnorm, native_reduced_dtype)
from hmrzoo.evaluation.functional import pa_mpjpe
from hmrzoo.registry import DATASETS


def _randomise_bn(model, seed=0):
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            n = m.num_features
            m.running_mean.copy_(0.3 * torch.randn(n, generator=g))
            m.running_var.copy_(0.5 + torch.rand(n, generator=g))
            m.weight.data.copy_(0.5 + torch.rand(n, generator=g))
            m.bias.data.copy_(0.2 * torch.randn(n, generator=g))


class _Graph(nn.Module):
    """conv -> bn (foldable); conv -> {bn, residual} (its output has two
    users: not foldable); a conv -> bn pair called twice (not foldable);
    a child with data-dependent control flow (untraceable as a whole)."""

    class _Untraceable(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1),
                                       nn.BatchNorm2d(4))

        def forward(self, x):
            if x.sum() > 0:       # fx cannot trace this: search children
                return self.block(x)
            return self.block(-x)

    def __init__(self):
        super().__init__()
        self.conv_a, self.bn_a = nn.Conv2d(3, 4, 3, padding=1), \
            nn.BatchNorm2d(4)
        self.conv_b, self.bn_b = nn.Conv2d(4, 4, 1, bias=False), \
            nn.BatchNorm2d(4)
        self.conv_c, self.bn_c = nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4)
        self.inner = self._Untraceable()

    def forward(self, x):
        x = self.bn_a(self.conv_a(x)).relu()
        y = self.conv_b(x)
        x = self.bn_b(y) + y                      # two users of conv_b
        x = self.bn_c(self.conv_c(x))
        x = self.bn_c(self.conv_c(x))             # the pair called twice
        return self.inner(x)


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = _Graph()

    def forward(self, x):
        return self.backbone(x)


def test_fold_only_where_exact():
    torch.manual_seed(0)
    net = _Net()
    _randomise_bn(net)
    net.eval()
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        ref = net(x)
        assert fold_batchnorm(net) == 2   # bn_a, and inner.block's
        out = net(x)
    g = net.backbone
    assert isinstance(g.bn_a, nn.Identity)
    assert isinstance(g.inner.block[1], nn.Identity)
    assert isinstance(g.bn_b, nn.BatchNorm2d)      # conv_b feeds the sum
    assert isinstance(g.bn_c, nn.BatchNorm2d)      # called twice
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)


def test_shared_or_parametrised_convolutions_are_not_folded():
    torch.manual_seed(1)
    net = _Net()
    net.backbone.alias = net.backbone.conv_a   # the same conv twice
    nn.utils.parametrizations.weight_norm(net.backbone.inner.block[0])
    _randomise_bn(net, seed=2)
    net.eval()
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        ref = net(x)
        assert fold_batchnorm(net) == 0
        torch.testing.assert_close(net(x), ref)


@pytest.fixture(scope='module')
def keypoint_model():
    """Keypoint HMR (ResNet-18 on heatmaps) with BatchNorm statistics that
    are not (0, 1), and 8 held-out synthetic samples of its test set."""
    cfg = Config.fromfile('configs/hmr/r18_keypoints_anny.py')
    model = init_model(cfg, fast_path='off')
    _randomise_bn(model)
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    data = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(8)]), False)
    return model, data['inputs'], data['data_samples']


def _run(model, inputs, samples):
    with torch.no_grad():
        head = model(inputs, copy.deepcopy(samples), mode='tensor')
        pred = model(inputs, copy.deepcopy(samples), mode='predict')
    kp = np.stack([s.pred_keypoints3d.numpy() for s in pred])
    gt = np.stack([s.gt_keypoints3d.numpy() for s in pred])
    mask = np.stack([s.gt_keypoints3d_mask.numpy() for s in pred])
    return head, 1000 * pa_mpjpe(kp, gt, mask)


@pytest.mark.parametrize('levers', [['fold_bn'], ['channels_last'],
                                    ['onnxruntime'], 'fp32'])
def test_float32_levers_equal_the_plain_model(keypoint_model, levers):
    model, inputs, samples = keypoint_model
    ref, ref_pa = _run(model, inputs, samples)
    fast = copy.deepcopy(model)
    report = apply_fast_path(fast, levers)
    expected = ['fold_bn', 'channels_last'] if levers == 'fp32' else levers
    assert report['applied'] == expected and not report['skipped']
    out, pa = _run(fast, inputs, samples)
    for key in ('pred_pose', 'pred_shape', 'pred_cam'):
        torch.testing.assert_close(out[key], ref[key], rtol=0, atol=2e-5)
    assert abs(pa - ref_pa) < 1e-3                   # mm
    if 'fold_bn' in expected:
        assert report['folded_bn'] == 20            # every BN of ResNet-18


def test_reduced_precision_keeps_pa_mpjpe(keypoint_model):
    model, inputs, samples = keypoint_model
    dtype = native_reduced_dtype(torch.device('cpu'))
    if dtype is None:
        pytest.skip('this CPU has no native bf16')
    ref, ref_pa = _run(model, inputs, samples)
    fast = copy.deepcopy(model)
    report = apply_fast_path(fast, 'auto')
    assert report['applied'][-1] == 'reduced_precision'
    assert report['dtype'] == 'bfloat16'
    out, pa = _run(fast, inputs, samples)
    # bf16 arithmetic did run (the outputs moved), within the tolerance
    assert (out['pred_pose'] - ref['pred_pose']).abs().max() > 1e-6
    assert out['pred_pose'].dtype == torch.float32
    assert abs(pa - ref_pa) < 0.5


def test_onnxruntime_with_roi_geometry_predicts_the_same_meshes():
    cfg = Config.fromfile('configs/cliff/cliff_r50_anny.py')
    model = init_model(cfg, fast_path='off')
    _randomise_bn(model, seed=1)
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    data = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(3)]), False)
    fast = copy.deepcopy(model)
    report = apply_fast_path(fast, ['onnxruntime'])
    assert report['applied'] == ['onnxruntime']
    with torch.no_grad():
        ref = model(data['inputs'], copy.deepcopy(data['data_samples']),
                    mode='predict')
        out = fast(data['inputs'], copy.deepcopy(data['data_samples']),
                   mode='predict')
    for a, b in zip(ref, out):
        torch.testing.assert_close(b.pred_cam, a.pred_cam, rtol=1e-4,
                                   atol=1e-5)
        centred = [v.pred_vertices - v.pred_vertices.mean(0) for v in (a, b)]
        assert (centred[0] - centred[1]).abs().max() < 1e-4   # < 0.1 mm


def test_guards(keypoint_model):
    model = copy.deepcopy(keypoint_model[0])
    with pytest.raises(FastPathError, match='unknown fast-path lever.*'
                       'fold_bn'):
        apply_fast_path(model, ['fold-bn'])
    apply_fast_path(model, 'fp32')
    with pytest.raises(FastPathError, match="fast_path='off'"):
        model.train()
    model.eval()                                   # still allowed
    assert model.fast_path['applied'] == ['fold_bn', 'channels_last']


def test_init_model_default_is_float32_fast_path():
    model = init_model('configs/hmr/r18_keypoints_anny.py')
    assert model.fast_path['applied'] == ['fold_bn', 'channels_last']
    plain = init_model('configs/hmr/r18_keypoints_anny.py', fast_path='off')
    assert plain.fast_path['applied'] == []
    plain.train()                                  # the plain model trains
