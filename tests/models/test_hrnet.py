import pytest
import torch

import hmrzoo
from hmrzoo.models.backbones import HRNet


@pytest.fixture(scope='module')
def cls_w48():
    cfg = dict(type='HRNet', arch='w48', out_type='cls')
    return hmrzoo.registry.MODELS.build(cfg).eval()


@pytest.fixture(scope='module')
def concat_w48():
    return HRNet(arch='w48', out_type='concat').eval()


def test_cls_w48_shape_and_keys(cls_w48):
    assert isinstance(cls_w48, HRNet)
    assert cls_w48.out_channels == (2048,)
    with torch.no_grad():
        out = cls_w48(torch.randn(2, 3, 256, 192))
    assert isinstance(out, tuple) and len(out) == 1
    assert out[0].shape == (2, 2048, 8, 6)
    keys = list(cls_w48.state_dict())
    assert keys[0] == 'net.conv1.weight'
    assert any(k.startswith('net.final_layer.') for k in keys)
    assert any(k.startswith('net.stage4.') for k in keys)
    assert any(k.startswith('net.incre_modules.') for k in keys)
    assert any(k.startswith('net.downsamp_modules.') for k in keys)
    assert not any('classifier' in k for k in keys)
    assert cls_w48.state_dict()['net.transition1.0.0.weight'].shape == (
        48, 256, 3, 3)


def test_concat_w48_shape_and_keys(concat_w48):
    assert concat_w48.out_channels == (720,)
    with torch.no_grad():
        out = concat_w48(torch.randn(1, 3, 256, 192))
    assert isinstance(out, tuple) and len(out) == 1
    assert out[0].shape == (1, 720, 8, 6)
    keys = list(concat_w48.state_dict())
    assert not any('final_layer' in k or 'incre' in k or 'downsamp_modules'
                   in k or 'classifier' in k for k in keys)
    assert any(k.startswith('net.stage4.') for k in keys)
    assert len(concat_w48.downsample_stage_1) == 3
    assert len(concat_w48.downsample_stage_2) == 2
    assert len(concat_w48.downsample_stage_3) == 1
    conv = concat_w48.downsample_stage_2[0][0]
    assert conv.weight.shape == (96, 96, 3, 3) and conv.bias is None
    assert conv.stride == (2, 2)


def test_concat_w18_channels_and_grad():
    model = HRNet(arch='w18', out_type='concat', in_channels=4).train()
    assert model.out_channels == (270,)
    x = torch.randn(2, 4, 128, 96)
    out = model(x)
    assert out[0].shape == (2, 270, 4, 3)
    out[0].mean().backward()
    grad = model.net.conv1.weight.grad
    assert grad is not None and grad.abs().sum() > 0
    assert model.net.conv1.weight.shape[1] == 4


@pytest.mark.parametrize('kwargs, word', [
    (dict(arch='w99'), 'w48'),
    (dict(out_type='pose'), 'concat'),
])
def test_bad_args_raise(kwargs, word):
    with pytest.raises(ValueError, match=word):
        HRNet(**kwargs)
