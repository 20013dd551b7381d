"""The official Multi-RoI ResNet-50 layout: a fabricated state dict in that
layout converts, loads strictly into hmrzoo's official-layout variant and
gives the outputs of the official computation, written here from the
official layer definitions (explicit loops over the RoI pairs)."""
import math

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from hmrzoo.apis.convert_checkpoint import (ConversionError,
                                            convert_checkpoint, guess_format)
from hmrzoo.apis.checkpoint_formats import multiroi_official_layout
from hmrzoo.models.architectures.multiroi_estimator import \
    contrast_projection
from hmrzoo.models.backbones import ResNet
from hmrzoo.models.heads import MultiRoIPerRoIHead
from hmrzoo.models.necks import RoIAttentionFusion
from hmrzoo.testing import random_resnet50_state

M = 5


def _official_state() -> dict:
    """An official Multi-RoI ResNet-50 state dict (M = 5): a trained-looking
    ResNet-50 at the top level, random regressor / fusion / projection
    tensors, and the official positional-code buffers."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    sd = random_resnet50_state('', g)
    for key, shape in multiroi_official_layout(M).items():
        if key in sd:
            continue
        if key.endswith('num_batches_tracked'):
            sd[key] = torch.tensor(7)
        elif key.endswith('running_var'):
            sd[key] = 0.5 + torch.rand(shape, generator=g)
        elif key == 'init_pose':
            sd[key] = torch.randn(shape, generator=g)
        elif key.startswith(('fuse_fc', 'attention')):
            sd[key] = 0.2 * torch.randn(shape, generator=g)
        else:
            sd[key] = 0.02 * torch.randn(shape, generator=g)
    # the official buffers: frequencies pi 2^k, each twice; phases 0, pi/2
    freqs = [math.pi * 2. ** (k // 2) for k in range(64)]
    sd['pos_enc._freqs'] = torch.tensor(freqs).reshape(1, 64, 1)
    sd['pos_enc._phases'] = torch.tensor(
        [0., math.pi / 2] * 32).reshape(1, 64, 1)
    return sd


@pytest.fixture(scope='module')
def official():
    return _official_state()


class _Variant(nn.Module):
    """hmrzoo's official-layout parts, named as in MultiRoIEstimator."""

    def __init__(self):
        super().__init__()
        self.backbone = ResNet(depth=50)
        self.neck = RoIAttentionFusion(2048, num_rois=M)
        self.head = MultiRoIPerRoIHead(2048, num_rois=M)
        self.contrast_head = contrast_projection(2048, 2048)

    def forward(self, x, boxes):
        b = x.shape[0]
        feat = self.backbone(x.flatten(0, 1))[-1].mean(dim=(2, 3))
        feat = feat.reshape(b, M, -1)
        return self.head(self.neck(feat, boxes), boxes)


def _official_forward(sd, x, boxes, n_iter=3):
    """The official computation from raw tensors; x (B, M, 3, H, W), boxes
    (B, M, 3).  Returns per-RoI 6D pose, shape, camera."""
    net = torchvision.models.resnet50(weights=None)
    net.fc = nn.Identity()
    net.load_state_dict({k: v for k, v in sd.items() if k.startswith(
        ('conv1', 'bn1', 'layer'))}, strict=True)
    b = x.shape[0]
    xf = net.eval()(x.reshape(b * M, *x.shape[2:])).reshape(b, M, -1)
    freqs, phases = sd['pos_enc._freqs'][0, :, 0], sd['pos_enc._phases'][
        0, :, 0]
    fused = torch.zeros_like(xf)
    for n in range(b):
        for i in range(M):
            embeds = []
            for k in range(M):
                rel = boxes[n, i] - boxes[n, k]
                code = [rel] + [torch.sin(rel * freqs[j] + phases[j])
                                for j in range(64)]
                pair = torch.cat([xf[n, k]] + code)
                embeds.append(F.linear(pair, sd['fuse_fc.weight'],
                                       sd['fuse_fc.bias']))
            a = torch.cat(embeds)
            for layer in (0, 2, 4):
                a = torch.tanh(F.linear(a, sd[f'attention.{layer}.weight'],
                                        sd[f'attention.{layer}.bias']))
            w = torch.softmax(a, dim=0)
            fused[n, i] = sum(w[k] * xf[n, k] for k in range(M))
    all_boxes = boxes.reshape(b, 1, 3 * M).expand(b, M, -1)
    pose = sd['init_pose'].expand(b, M, -1)
    shape = sd['init_shape'].expand(b, M, -1)
    cam = sd['init_cam'].expand(b, M, -1)
    for _ in range(n_iter):
        xc = torch.cat([fused, all_boxes, pose, shape, cam], dim=-1)
        xc = F.linear(F.linear(xc, sd['fc1.weight'], sd['fc1.bias']),
                      sd['fc2.weight'], sd['fc2.bias'])
        pose = pose + F.linear(xc, sd['decpose.weight'], sd['decpose.bias'])
        shape = shape + F.linear(xc, sd['decshape.weight'],
                                 sd['decshape.bias'])
        cam = cam + F.linear(xc, sd['deccam.weight'], sd['deccam.bias'])
    return pose, shape, cam


def test_official_layout_converts_loads_and_matches(official, tmp_path):
    src = tmp_path / 'multiroi_res50.pt'
    torch.save({'model': official, 'epoch': 3}, src)
    assert guess_format(official)[0] == 'multiroi-official-r50'
    dst = str(tmp_path / 'converted.pth')
    result = convert_checkpoint(str(src), dst, 'multiroi-official-r50')
    ckpt = torch.load(dst, weights_only=True)
    sd = ckpt['state_dict']
    assert len(official) == 354 and len(sd) == 352
    assert ckpt['meta']['dropped_keys'] == ['pos_enc._freqs',
                                            'pos_enc._phases']
    assert 'num_rois=5' in result['summary']
    for src_key, dst_key in (('layer3.4.bn2.running_mean',
                              'backbone.layer3.4.bn2.running_mean'),
                             ('fc1.weight', 'head.mlp.0.weight'),
                             ('fc2.bias', 'head.mlp.2.bias'),
                             ('fuse_fc.weight', 'neck.pair_embed.weight'),
                             ('attention.4.bias', 'neck.score.4.bias'),
                             ('proj_head.4.running_var',
                              'contrast_head.4.running_var'),
                             ('init_cam', 'head.init_cam')):
        assert torch.equal(sd[dst_key], official[src_key]), dst_key

    model = _Variant()
    model.load_state_dict(sd, strict=True)
    model.eval()
    g = torch.Generator().manual_seed(2)
    x = torch.randn(2, M, 3, 64, 48, generator=g)
    boxes = 0.5 * torch.randn(2, M, 3, generator=g)
    with torch.no_grad():
        out = model(x, boxes)
        pose, shape, cam = _official_forward(official, x, boxes)
    # the fusion weighs the RoIs differently per row (not a mean)
    weights = model.neck.last_weights
    assert (weights - 1 / M).abs().max() > 1e-2
    assert (cam - official['init_cam']).abs().max() > 1e-3
    torch.testing.assert_close(out['pred_cam'], cam, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(out['pred_shape_rois'], shape, rtol=1e-4,
                               atol=1e-5)
    torch.testing.assert_close(out['pred_pose6d'], pose[:, 0], rtol=1e-4,
                               atol=1e-5)
    assert not torch.allclose(shape[:, 0], shape[:, 1])


def test_wrong_code_and_shapes_are_refused(official):
    from hmrzoo.apis.checkpoint_formats import convert_multiroi_official_r50
    bad = dict(official)
    bad['pos_enc._phases'] = torch.zeros(1, 64, 1)
    with pytest.raises(ConversionError, match='pos_enc._phases differs'):
        convert_multiroi_official_r50(bad)
    bad = dict(official)
    bad['fc1.weight'] = torch.zeros(2048, 2208)
    with pytest.raises(ConversionError, match='fc1.weight'):
        convert_multiroi_official_r50(bad)
    bad = {k: v for k, v in official.items() if not k.startswith('fuse_fc')}
    assert guess_format(bad)[0] != 'multiroi-official-r50'
    with pytest.raises(ConversionError, match='missing key'):
        convert_multiroi_official_r50(bad)
