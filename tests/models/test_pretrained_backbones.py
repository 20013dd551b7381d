"""The paper configs start from their papers' backbones through the zoo
(ImageNet ResNet-50 for HMR / SPIN / PyMAF, COCO 2D-pose ResNet-50 for
CLIFF / Multi-RoI); offline without the file, the message names the file,
its URL and where to put it; the embedded Anny variants start from
scratch."""
import tempfile

import pytest
import torch
from mmengine.config import Config

from hmrzoo.apis.download import DownloadError
from hmrzoo.registry import MODELS

CASES = [('configs/hmr/r50_hmr.py', 'resnet50_imagenet_torchvision_v1'),
         ('configs/pymaf/r50_pymaf.py', 'resnet50_imagenet_torchvision_v1'),
         ('configs/cliff/cliff_r50.py', 'resnet50_coco_pose_mmpose'),
         ('configs/multiroi/r50_cliff.py', 'resnet50_coco_pose_mmpose')]


@pytest.mark.parametrize('config, entry', CASES)
def test_paper_backbone_comes_from_the_zoo(fake_body_models, offline_zoo,
                                           config, entry):
    model = MODELS.build(Config.fromfile(config).model)
    model.init_weights()
    cached = offline_zoo[entry]
    for key in ('conv1.weight', 'layer4.2.conv3.weight', 'bn1.running_var',
                'layer1.0.downsample.1.weight'):
        assert torch.equal(model.backbone.state_dict()[key],
                           cached[f'backbone.{key}']), key


def test_offline_without_the_file_names_it(fake_body_models, tmp_path,
                                           monkeypatch):
    monkeypatch.setenv('HMRZOO_CACHE', str(tmp_path))
    model = MODELS.build(Config.fromfile('configs/hmr/r50_hmr.py').model)
    with pytest.raises(DownloadError) as err:
        model.init_weights()
    msg = str(err.value)
    assert 'resnet50-0676ba61.pth is not in the cache' in msg
    assert 'https://download.pytorch.org/models/resnet50-0676ba61.pth' \
        in msg and 'HMRZOO_OFFLINE' in msg


def test_embedded_variants_start_from_scratch(offline_zoo):
    cfg = Config.fromfile('configs/cliff/cliff_r50_anny.py')
    assert 'init_cfg' not in cfg.model.backbone
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    cached = offline_zoo['resnet50_coco_pose_mmpose']
    assert not torch.equal(model.backbone.conv1.weight,
                           cached['backbone.conv1.weight'])


def test_hrnet_multiroi_starts_from_the_mmpose_pose_hrnet(
        fake_body_models, offline_zoo):
    from hmrzoo.apis.checkpoint_formats import pose_hrnet_layout
    from hmrzoo.apis.zoo import cache_file
    g = torch.Generator().manual_seed(3)
    state = {f'backbone.net.{k}': torch.randn(shape, generator=g)
             if shape else torch.tensor(7)
             for k, shape in pose_hrnet_layout(48).items()}
    with tempfile.TemporaryDirectory() as tmp:
        path = f'{tmp}/hrnet.pth'
        torch.save(dict(state_dict=state), path)
        cache_file('hrnet_w48_coco_pose_mmpose', path, 'fabricated')
    model = MODELS.build(Config.fromfile(
        'configs/multiroi/hrnet-w48_cliff.py').model)
    model.init_weights()
    net = model.backbone.net
    for key in ('conv1.weight', 'stage3.3.branches.2.1.conv2.weight',
                'stage4.2.fuse_layers.0.1.0.weight',
                'transition3.3.0.0.weight'):
        assert torch.equal(net.state_dict()[key],
                           state[f'backbone.net.{key}']), key
    # not in a pose HRNet: not in the file, initialised (finite, not zero)
    key = 'stage4.2.fuse_layers.1.0.0.0.weight'
    assert f'backbone.net.{key}' not in state
    weight = net.state_dict()[key]
    assert torch.isfinite(weight).all() and weight.abs().sum() > 0
