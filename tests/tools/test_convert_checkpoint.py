"""Converting CLIFF's released checkpoints: fabricated files with the
official names and shapes are converted, loaded strictly into hmrzoo's
backbone + head, and give the same outputs as the official computation
written out directly."""
import argparse
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from hmrzoo.apis.convert_checkpoint import (FORMATS, ConversionError,
                                            cliff_layout, convert_checkpoint,
                                            convert_state_dict,
                                            extract_state_dict,
                                            rename_cliff_key)
from hmrzoo.models.backbones import ResNet
from hmrzoo.models.heads import IEFHead
from hmrzoo.testing import random_resnet50_state

ROOT = Path(__file__).resolve().parents[2]
TOOL = str(ROOT / 'tools' / 'convert_checkpoint.py')

# official CLIFF regressor names and shapes, written out by hand
HEAD_SHAPES = {
    'init_pose': (1, 144), 'init_shape': (1, 10), 'init_cam': (1, 3),
    'fc1.weight': (1024, 2048 + 3 + 144 + 10 + 3), 'fc1.bias': (1024, ),
    'fc2.weight': (1024, 1024), 'fc2.bias': (1024, ),
    'decpose.weight': (144, 1024), 'decpose.bias': (144, ),
    'decshape.weight': (10, 1024), 'decshape.bias': (10, ),
    'deccam.weight': (3, 1024), 'deccam.bias': (3, ),
}


def _official_res50() -> dict:
    """CLIFF res50 state dict: torchvision ResNet-50 (no fc) as encoder.*
    with randomised BatchNorm statistics, and random regressor tensors."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    sd = random_resnet50_state('encoder.', g)
    for k, shape in HEAD_SHAPES.items():
        scale = 1.0 if k == 'init_pose' else 0.02
        sd[k] = scale * torch.randn(shape, generator=g)
    return sd


@pytest.fixture(scope='module')
def official_res50():
    return _official_res50()


@pytest.fixture(scope='module')
def res50_file(official_res50, tmp_path_factory):
    path = tmp_path_factory.mktemp('cliff') / \
        'res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt'
    torch.save({'model': {'module.' + k: v
                          for k, v in official_res50.items()}}, path)
    return str(path)


class _BackboneHead(nn.Module):
    """hmrzoo's CLIFF res50 backbone and head, named as in MeshEstimator."""

    def __init__(self):
        super().__init__()
        self.backbone = ResNet(depth=50)
        self.head = IEFHead(in_channels=2048, num_joints=24, num_betas=10,
                            extra_in=3)

    def forward(self, x, bbox):
        return self.head(self.backbone(x)[-1].mean(dim=(2, 3)), bbox)


def _official_forward(sd, x, bbox, n_iter=3):
    """CLIFF's computation from the raw tensors: torchvision ResNet-50 up to
    the average pool, then the IEF loop with fc1 -> fc2 (no activation,
    dropout off) and the three decoders."""
    net = torchvision.models.resnet50(weights=None)
    net.fc = nn.Identity()
    net.load_state_dict({k[len('encoder.'):]: v for k, v in sd.items()
                         if k.startswith('encoder.')}, strict=True)
    feat = net.eval()(x)
    batch = x.shape[0]
    pose = sd['init_pose'].expand(batch, -1)
    shape = sd['init_shape'].expand(batch, -1)
    cam = sd['init_cam'].expand(batch, -1)
    for _ in range(n_iter):
        xc = torch.cat([feat, bbox, pose, shape, cam], dim=1)
        xc = F.linear(xc, sd['fc1.weight'], sd['fc1.bias'])
        xc = F.linear(xc, sd['fc2.weight'], sd['fc2.bias'])
        pose = pose + F.linear(xc, sd['decpose.weight'], sd['decpose.bias'])
        shape = shape + F.linear(xc, sd['decshape.weight'],
                                 sd['decshape.bias'])
        cam = cam + F.linear(xc, sd['deccam.weight'], sd['deccam.bias'])
    return pose, shape, cam


def _check_converted(ckpt, official):
    assert set(ckpt) == {'meta', 'state_dict'}
    meta, sd = ckpt['meta'], ckpt['state_dict']
    assert meta['converted_from'] == 'CLIFF official (res50)'
    assert meta['source'] == 'res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt'
    assert meta['format'] == 'cliff-res50'
    assert meta['stripped_prefixes'] == ['module.']
    assert meta['dropped_keys'] == []
    assert meta['num_keys'] == len(sd) == 331
    for src, dst in (('encoder.conv1.weight', 'backbone.conv1.weight'),
                     ('encoder.layer4.2.bn3.running_var',
                      'backbone.layer4.2.bn3.running_var'),
                     ('encoder.layer1.0.downsample.1.num_batches_tracked',
                      'backbone.layer1.0.downsample.1.num_batches_tracked'),
                     ('fc1.weight', 'head.fc1.weight'),
                     ('init_pose', 'head.init_pose'),
                     ('deccam.bias', 'head.deccam.bias')):
        assert torch.equal(sd[dst], official[src]), dst


def test_tool_converts_res50(res50_file, official_res50, tmp_path):
    dst = tmp_path / 'out' / 'cliff_res50.pth'
    proc = subprocess.run(
        [sys.executable, TOOL, '--format', 'cliff-res50', res50_file,
         str(dst)], capture_output=True, text=True, cwd=tmp_path,
        timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and '331 keys converted' in lines[0], lines
    _check_converted(torch.load(dst, weights_only=True), official_res50)


def test_converted_res50_loads_strictly_and_matches_official(
        res50_file, official_res50, tmp_path):
    dst = str(tmp_path / 'cliff_res50.pth')
    result = convert_checkpoint(res50_file, dst, 'cliff-res50')
    assert result['summary'].count('\n') == 0
    ckpt = torch.load(dst, weights_only=True)
    _check_converted(ckpt, official_res50)
    assert len(ckpt['meta']['source_sha256']) == 64

    model = _BackboneHead()
    model.load_state_dict(ckpt['state_dict'], strict=True)
    model.eval()
    g = torch.Generator().manual_seed(2)
    x = torch.randn(2, 3, 224, 224, generator=g)
    bbox = torch.randn(2, 3, generator=g)
    with torch.no_grad():
        out = model(x, bbox)
        pose, shape, cam = _official_forward(official_res50, x, bbox)
    assert cam.abs().max() > 1e-2 and (cam - official_res50['init_cam']
                                       ).abs().max() > 1e-3
    torch.testing.assert_close(out['pred_cam'], cam, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(out['pred_shape'], shape, rtol=1e-5,
                               atol=1e-5)
    torch.testing.assert_close(out['pred_pose6d'], pose, rtol=1e-5,
                               atol=1e-5)


def test_prefixes_plain_state_dict_and_dropped_fc(official_res50):
    # a third-party copy: a plain state dict under model.module., with the
    # ImageNet classifier still in the encoder
    sd = {'model.module.' + k: v for k, v in official_res50.items()}
    sd['model.module.encoder.fc.weight'] = torch.zeros(1000, 2048)
    sd['model.module.encoder.fc.bias'] = torch.zeros(1000)
    converted, prefixes = convert_state_dict(extract_state_dict(sd),
                                             'cliff-res50')
    assert prefixes == ['model.', 'module.']
    assert converted.dropped_keys == ['encoder.fc.weight', 'encoder.fc.bias']
    assert len(converted.state_dict) == 331
    assert converted.state_dict['backbone.bn1.weight'] is \
        official_res50['encoder.bn1.weight']
    # CLIFF's own layout: {'model': state dict} plus other entries
    converted, prefixes = convert_state_dict(
        extract_state_dict({'model': official_res50, 'epoch': 3}),
        'cliff-res50')
    assert prefixes == [] and len(converted.state_dict) == 331


def test_unknown_and_missing_keys_are_named(official_res50):
    sd = dict(official_res50)
    sd['encoder.layer5.0.conv1.weight'] = torch.zeros(1)
    sd['extra_head.weight'] = torch.zeros(1)
    with pytest.raises(ConversionError,
                       match=r'2 unexpected key\(s\): encoder\.layer5\.0'
                       r'\.conv1\.weight, extra_head\.weight'):
        convert_state_dict(sd, 'cliff-res50')
    sd = dict(official_res50)
    del sd['decshape.bias'], sd['encoder.layer2.0.conv2.weight']
    with pytest.raises(ConversionError, match=r'2 missing key\(s\): '
                       r'encoder\.layer2\.0\.conv2\.weight, decshape\.bias'):
        convert_state_dict(sd, 'cliff-res50')


def test_fc1_shape_is_checked(official_res50):
    sd = dict(official_res50)
    sd['fc1.weight'] = torch.zeros(1024, 2205)
    with pytest.raises(ConversionError,
                       match=r'(?s)fc1\.weight: \(1024, 2205\), expected '
                       r'\(1024, 2208\).*2048 image feature \+ 3 bbox.*'
                       'SPIN/HMR'):
        convert_state_dict(sd, 'cliff-res50')


def test_other_layouts_are_recognised(tmp_path):
    pymaf = {'feature_extractor.conv1.weight': torch.zeros(64, 3, 7, 7),
             'maf_extractor.0.Dmap': torch.zeros(431, 3),
             'regressor.0.fc1.weight': torch.zeros(1024, 2205)}
    path = tmp_path / 'pymaf.pt'
    torch.save({'model': pymaf}, path)
    with pytest.raises(ConversionError,
                       match=r'(?s)pymaf\.pt.*unexpected key.*'
                       r'feature_extractor\.conv1\.weight.*missing key.*'
                       'looks like a PyMAF checkpoint'):
        convert_checkpoint(str(path), str(tmp_path / 'o.pth'),
                           'cliff-res50')
    hr48 = {'encoder.stage4.0.branches.0.0.conv1.weight': torch.zeros(1),
            'encoder.incre_modules.0.0.conv1.weight': torch.zeros(1),
            'fc1.weight': torch.zeros(1)}
    with pytest.raises(ConversionError, match='use --format cliff-hr48'):
        convert_state_dict(hr48, 'cliff-res50')
    hmrzoo = {'backbone.conv1.weight': torch.zeros(1),
              'head.fc1.weight': torch.zeros(1)}
    with pytest.raises(ConversionError, match='an hmrzoo checkpoint already'):
        convert_state_dict({'state_dict': hmrzoo}['state_dict'],
                           'cliff-hr48')
    assert not (tmp_path / 'o.pth').exists()


def test_corrupt_and_missing_files(tmp_path):
    bad = tmp_path / 'corrupt.pt'
    bad.write_bytes(random.Random(0).randbytes(4096))
    with pytest.raises(ConversionError, match=r'corrupt\.pt cannot be read '
                       'as a PyTorch checkpoint'):
        convert_checkpoint(str(bad), str(tmp_path / 'o.pth'), 'cliff-res50')
    with pytest.raises(FileNotFoundError, match='source checkpoint not'):
        convert_checkpoint(str(tmp_path / 'nope.pt'),
                           str(tmp_path / 'o.pth'), 'cliff-res50')
    notdict = tmp_path / 'list.pt'
    torch.save([torch.zeros(1)], notdict)
    with pytest.raises(ConversionError, match='holds a list'):
        convert_checkpoint(str(notdict), str(tmp_path / 'o.pth'),
                           'cliff-hr48')
    # Python objects besides tensors: refused unless explicitly allowed
    pickled = tmp_path / 'pickled.pt'
    torch.save({'model': {'fc1.weight': torch.zeros(1)},
                'args': argparse.Namespace(lr=1e-4)}, pickled)
    with pytest.raises(ConversionError, match=r'(?s)holds Python objects '
                       r'besides tensors.*argparse\.Namespace.*'
                       '--allow-pickle'):
        convert_checkpoint(str(pickled), str(tmp_path / 'o.pth'),
                           'cliff-hr48')
    with pytest.raises(ConversionError, match='missing key'):
        convert_checkpoint(str(pickled), str(tmp_path / 'o.pth'),
                           'cliff-hr48', allow_pickle=True)
    assert not (tmp_path / 'o.pth').exists()


def test_tool_reports_errors_without_traceback(tmp_path):
    path = tmp_path / 'unknown.pt'
    torch.save({'model': {'encoder.mystery.weight': torch.zeros(2)}}, path)
    proc = subprocess.run(
        [sys.executable, TOOL, '--format', 'cliff-hr48', str(path),
         str(tmp_path / 'o.pth')], capture_output=True, text=True,
        timeout=300)
    assert proc.returncode == 1
    assert 'Traceback' not in proc.stderr
    assert 'unexpected key(s): encoder.mystery.weight' in proc.stderr
    assert 'missing key(s)' in proc.stderr
    assert not (tmp_path / 'o.pth').exists()


def test_formats_are_extensible():
    assert {'cliff-res50', 'cliff-hr48'} <= set(FORMATS)
    assert all(callable(fn) for fn in FORMATS.values())
    with pytest.raises(ValueError, match='unknown format'):
        convert_state_dict({}, 'spin')


def test_hr48_official_names_map_to_hmrzoo_names():
    layout = cliff_layout('hr48')
    # official names (and shapes) of CLIFF's hr48 release, written by hand
    cases = {
        'encoder.conv1.weight': ('backbone.net.conv1.weight', (64, 3, 3, 3)),
        'encoder.bn2.running_var': ('backbone.net.bn2.running_var', (64, )),
        'encoder.layer1.0.downsample.0.weight':
            ('backbone.net.layer1.0.downsample.0.weight', (256, 64, 1, 1)),
        'encoder.transition1.0.0.weight':
            ('backbone.net.transition1.0.0.weight', (48, 256, 3, 3)),
        'encoder.transition1.1.0.0.weight':
            ('backbone.net.transition1.1.0.0.weight', (96, 256, 3, 3)),
        'encoder.transition2.2.0.0.weight':
            ('backbone.net.transition2.2.0.0.weight', (192, 96, 3, 3)),
        'encoder.transition3.3.0.0.weight':
            ('backbone.net.transition3.3.0.0.weight', (384, 192, 3, 3)),
        'encoder.stage2.0.branches.0.0.conv1.weight':
            ('backbone.net.stage2.0.branches.0.0.conv1.weight',
             (48, 48, 3, 3)),
        'encoder.stage4.2.branches.3.3.bn2.bias':
            ('backbone.net.stage4.2.branches.3.3.bn2.bias', (384, )),
        'encoder.stage3.3.fuse_layers.0.2.0.weight':
            ('backbone.net.stage3.3.fuse_layers.0.2.0.weight',
             (48, 192, 1, 1)),
        'encoder.stage4.0.fuse_layers.3.0.2.0.weight':
            ('backbone.net.stage4.0.fuse_layers.3.0.2.0.weight',
             (384, 48, 3, 3)),
        'encoder.incre_modules.0.0.conv1.weight':
            ('backbone.net.incre_modules.0.0.conv1.weight', (32, 48, 1, 1)),
        'encoder.incre_modules.3.0.downsample.0.weight':
            ('backbone.net.incre_modules.3.0.downsample.0.weight',
             (1024, 384, 1, 1)),
        'encoder.downsamp_modules.0.0.bias':
            ('backbone.net.downsamp_modules.0.0.bias', (256, )),
        'encoder.downsamp_modules.2.1.num_batches_tracked':
            ('backbone.net.downsamp_modules.2.1.num_batches_tracked', ()),
        'encoder.final_layer.0.weight':
            ('backbone.net.final_layer.0.weight', (2048, 1024, 1, 1)),
        'encoder.final_layer.1.running_mean':
            ('backbone.net.final_layer.1.running_mean', (2048, )),
    }
    cases.update({k: ('head.' + k, s) for k, s in HEAD_SHAPES.items()})
    for official, (name, shape) in cases.items():
        assert rename_cliff_key(official, 'hr48') == name
        assert layout[official] == shape, official
    assert len(layout) == 1967
    assert rename_cliff_key('encoder.layer1.0.conv1.weight', 'res50') == \
        'backbone.layer1.0.conv1.weight'


def test_hr48_full_dict_matches_timm_hrnet_w48():
    timm = pytest.importorskip('timm')
    net = timm.create_model('hrnet_w48', pretrained=False, num_classes=0)
    target = {'backbone.net.' + k: v for k, v in net.state_dict().items()}
    head = IEFHead(in_channels=2048, num_joints=24, num_betas=10, extra_in=3)
    target.update({'head.' + k: v for k, v in head.state_dict().items()})
    # the official layout, fabricated from the converter's own name list;
    # checked here against timm's actual modules, names and shapes
    official = {'module.' + k: torch.zeros(shape)
                for k, shape in cliff_layout('hr48').items()}
    official['module.encoder.classifier.weight'] = torch.zeros(1000, 2048)
    official['module.encoder.classifier.bias'] = torch.zeros(1000)
    converted, prefixes = convert_state_dict(extract_state_dict(
        {'model': official}), 'cliff-hr48')
    sd = converted.state_dict
    assert prefixes == ['module.'] and len(sd) == 1967
    assert converted.converted_from == 'CLIFF official (hr48)'
    assert converted.dropped_keys == ['encoder.classifier.weight',
                                      'encoder.classifier.bias']
    assert set(sd) == set(target)
    wrong = [k for k in sd if sd[k].shape != target[k].shape]
    assert not wrong, wrong[:5]
    # timm's full classifier model differs only by its classifier
    full = timm.create_model('hrnet_w48', pretrained=False)
    assert set(full.state_dict()) - {k[len('backbone.net.'):] for k in sd} \
        == {'classifier.weight', 'classifier.bias'}
    net.load_state_dict({k[len('backbone.net.'):]: v for k, v in sd.items()
                         if k.startswith('backbone.net.')}, strict=True)
