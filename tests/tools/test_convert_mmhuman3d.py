"""mmhuman3d's HMR / SPIN and CLIFF checkpoints: a fabricated state dict in
mmhuman3d's layout converts, loads strictly into hmrzoo's model, and gives
the outputs of an independent forward written here from mmhuman3d's layer
definitions (torchvision's ResNet-50 for mmcv's, and HMRHead / CliffHead:
3 iterations of fc1 -> fc2 over [feature, (bbox,) pose, shape, cam], 6D ->
rotation by Gram-Schmidt on the two columns)."""
import pytest
import torch
import torchvision
from mmengine.config import Config

from hmrzoo.apis.checkpoint_formats import (ConversionError,
                                            convert_checkpoint,
                                            guess_format, mmhuman3d_layout)
from hmrzoo.registry import MODELS


def fabricate(extra_in, seed=0):
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for key, shape in mmhuman3d_layout(extra_in).items():
        if key.endswith('num_batches_tracked'):
            sd[key] = torch.tensor(7)
        elif key.endswith('running_var'):
            sd[key] = torch.rand(shape, generator=g) + 0.5
        else:
            sd[key] = torch.randn(shape, generator=g) * 0.05
    sd['disc.pose_discriminator.fc.weight'] = torch.zeros(2, 2)
    sd['body_model_train.shapedirs'] = torch.zeros(3, 3, 2)
    return sd


def rot6d(x):
    """SPIN's 6D -> rotation: the two 3-vectors are columns."""
    x = x.reshape(-1, 3, 2)
    a1, a2 = x[..., 0], x[..., 1]
    b1 = a1 / a1.norm(dim=-1, keepdim=True)
    b2 = a2 - (b1 * a2).sum(-1, keepdim=True) * b1
    b2 = b2 / b2.norm(dim=-1, keepdim=True)
    return torch.stack([b1, b2, torch.cross(b1, b2, dim=-1)], dim=-1)


def reference(sd, image, bbox=None):
    net = torchvision.models.resnet50()
    net.fc = torch.nn.Identity()
    net.load_state_dict({k[len('backbone.'):]: v for k, v in sd.items()
                         if k.startswith('backbone.')})
    net.eval()
    h = {k[len('head.'):]: v for k, v in sd.items() if k.startswith('head.')}
    with torch.no_grad():
        x = net(image)
        b = x.shape[0]
        pose, shape, cam = (h[f'init_{n}'].expand(b, -1)
                            for n in ('pose', 'shape', 'cam'))
        lin = lambda n, t: t @ h[f'{n}.weight'].T + h[f'{n}.bias']  # noqa
        for _ in range(3):
            xc = torch.cat([x] + ([bbox] if bbox is not None else [])
                           + [pose, shape, cam], 1)
            xc = lin('fc2', lin('fc1', xc))
            pose, shape, cam = (pose + lin('decpose', xc),
                                shape + lin('decshape', xc),
                                cam + lin('deccam', xc))
    return rot6d(pose).reshape(b, 24, 3, 3), shape, cam


@pytest.mark.parametrize('fmt, config, extra', [
    ('mmhuman3d-hmr', 'configs/hmr/r50_hmr.py', 0),
    ('mmhuman3d-cliff', 'configs/cliff/cliff_r50.py', 3)])
def test_converted_model_matches_mmhuman3d(tmp_path, fake_body_models,
                                           fmt, config, extra):
    sd = fabricate(extra)
    src, dst = tmp_path / 'src.pth', tmp_path / 'dst.pth'
    torch.save(dict(meta={}, state_dict=sd), src)
    assert guess_format(sd)[0] == fmt
    out = convert_checkpoint(str(src), str(dst), fmt)
    assert sorted(out['meta']['dropped_keys']) == [
        'body_model_train.shapedirs', 'disc.pose_discriminator.fc.weight']
    model = MODELS.build(Config.fromfile(config).model).eval()
    state = torch.load(dst, weights_only=True)['state_dict']
    model.load_state_dict(state, strict=True)
    image = torch.randn(2, 3, 224, 224, generator=torch.Generator()
                        .manual_seed(1))
    bbox = torch.randn(2, 3) if extra else None
    with torch.no_grad():
        feat = model.extract_feat(image)
        got = model.head(feat, bbox) if extra else model.head(feat)
    pose, shape, cam = reference(sd, image, bbox)
    assert torch.allclose(got['pred_pose'], pose, atol=1e-5)
    assert torch.allclose(got['pred_shape'], shape, atol=1e-5)
    assert torch.allclose(got['pred_cam'], cam, atol=1e-5)


def test_wrong_variant_is_named():
    sd = fabricate(3)
    from hmrzoo.apis.checkpoint_formats import convert_state_dict
    with pytest.raises(ConversionError, match='2208 CLIFF'):
        convert_state_dict(sd, 'mmhuman3d-hmr')


def test_backbone_formats_load_strictly():
    from hmrzoo.apis.checkpoint_formats import convert_state_dict
    tv = torchvision.models.resnet50().state_dict()
    mmpose = {f'backbone.{k}': v for k, v in tv.items()
              if not k.startswith('fc.')}
    mmpose['keypoint_head.final_layer.weight'] = torch.zeros(17, 256, 1, 1)
    assert guess_format(mmpose)[0] == 'mmpose-resnet50'
    assert guess_format(tv)[0] == 'torchvision-resnet50'
    for sd, fmt, dropped in ((tv, 'torchvision-resnet50',
                              ['fc.weight', 'fc.bias']),
                             (mmpose, 'mmpose-resnet50',
                              ['keypoint_head.final_layer.weight'])):
        converted, _ = convert_state_dict(sd, fmt)
        assert converted.dropped_keys == dropped
        backbone = MODELS.build(dict(type='ResNet', depth=50))
        backbone.load_state_dict({k[len('backbone.'):]: v for k, v in
                                  converted.state_dict.items()}, strict=True)
        assert torch.equal(backbone.layer3[2].conv2.weight,
                           tv['layer3.2.conv2.weight'])


def test_mmpose_hrnet_w48_maps_onto_hmrzoo_hrnet():
    # an mmpose pose HRNet-W48, from the layout written independently of
    # timm (official names; the last module fuses into branch 1 only)
    from hmrzoo.apis.checkpoint_formats import (convert_state_dict,
                                                pose_hrnet_layout)
    g = torch.Generator().manual_seed(0)
    mmpose = {f'backbone.{k}': torch.randn(shape, generator=g)
              if shape else torch.tensor(7)
              for k, shape in pose_hrnet_layout(48).items()}
    mmpose['keypoint_head.final_layer.weight'] = torch.zeros(17, 48, 1, 1)
    assert guess_format(mmpose)[0] == 'mmpose-hrnet-w48'
    converted, _ = convert_state_dict(mmpose, 'mmpose-hrnet-w48')
    assert converted.dropped_keys == ['keypoint_head.final_layer.weight']
    backbone = MODELS.build(dict(type='HRNet', arch='w48',
                                 out_type='concat'))
    own = backbone.state_dict()
    state = {k[len('backbone.'):]: v
             for k, v in converted.state_dict.items()}
    assert all(k in own and own[k].shape == v.shape
               for k, v in state.items())
    result = backbone.load_state_dict(state, strict=False)
    assert not result.unexpected_keys
    left = {k.split('.')[0] if k.startswith('downsample') else
            '.'.join(k.split('.')[:5]) for k in result.missing_keys}
    assert left == {'downsample_stage_1', 'downsample_stage_2',
                    'downsample_stage_3', 'net.stage4.2.fuse_layers.1',
                    'net.stage4.2.fuse_layers.2',
                    'net.stage4.2.fuse_layers.3'}
    assert torch.equal(backbone.net.stage3[3].branches[2][1].conv2.weight,
                       mmpose['backbone.stage3.3.branches.2.1.conv2.weight'])


def test_official_multiroi_is_not_taken_for_spin():
    # the official Multi-RoI ResNet-50 layout (its 354 keys, in short)
    sd = {'layer4.2.conv3.weight': torch.zeros(1), 'conv1.weight':
          torch.zeros(1), 'fc1.weight': torch.zeros(2048, 2220),
          'fuse_fc.weight': torch.zeros(256, 2243),
          'attention.0.weight': torch.zeros(1),
          'attention.4.weight': torch.zeros(5, 256),
          'proj_head.0.weight': torch.zeros(1)}
    name, description = guess_format(sd)
    assert name == 'multiroi-official-r50' and description.startswith(
        'the official Multi-RoI ResNet-50 release')
    del sd['fuse_fc.weight']
    assert 'SPIN / HMR' in guess_format(sd)[1]
