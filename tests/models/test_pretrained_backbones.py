"""The paper configs start from their papers' backbones through the zoo
(ImageNet ResNet-50 for HMR / SPIN / PyMAF, COCO 2D-pose ResNet-50 for
CLIFF / Multi-RoI); offline without the file, the message names the file,
its URL and where to put it; the embedded Anny variants start from
scratch."""
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
