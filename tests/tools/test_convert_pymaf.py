"""Converting PyMAF's released checkpoint: a fabricated state dict with the
official names and shapes (its regressors' embedded SMPL buffers included)
is converted by the function and by the tool, and loads strictly into the
``PyMAFEstimator`` of the paper config built on fabricated SMPL files; the
SMPL data never reaches the output."""
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from hmrzoo.apis.convert_checkpoint import (FORMATS, ConversionError,
                                            convert_checkpoint,
                                            convert_state_dict,
                                            rename_pymaf_key)
from hmrzoo.registry import MODELS
from hmrzoo.testing import random_resnet50_state

ROOT = Path(__file__).resolve().parents[2]
TOOL = str(ROOT / 'tools' / 'convert_checkpoint.py')
CFG = str(ROOT / 'configs/pymaf/r50_pymaf.py')

# official PyMAF names and shapes (smpl branch), written out by hand
OTHER_SHAPES = {
    'points_grid': (1, 2, 441),
    'deconv_layers.0.weight': (2048, 256, 4, 4),
    'deconv_layers.3.weight': (256, 256, 4, 4),
    'deconv_layers.6.weight': (256, 256, 4, 4),
    'dp_head.predict_u.weight': (25, 256, 3, 3),
    'dp_head.predict_u.bias': (25, ),
    'dp_head.predict_v.weight': (25, 256, 3, 3),
    'dp_head.predict_v.bias': (25, ),
    'dp_head.predict_uv_index.weight': (25, 256, 3, 3),
    'dp_head.predict_uv_index.bias': (25, ),
    'dp_head.predict_ann_index.weight': (15, 256, 3, 3),
    'dp_head.predict_ann_index.bias': (15, ),
}
for _i in (1, 4, 7):
    OTHER_SHAPES.update({f'deconv_layers.{_i}.{p}': (256, ) for p in (
        'weight', 'bias', 'running_mean', 'running_var')})
    OTHER_SHAPES[f'deconv_layers.{_i}.num_batches_tracked'] = ()
for _i in range(3):
    OTHER_SHAPES.update({
        f'maf_extractor.{_i}.Dmap': (431, 6890),
        f'maf_extractor.{_i}.conv0.weight': (128, 256, 1),
        f'maf_extractor.{_i}.conv0.bias': (128, ),
        f'maf_extractor.{_i}.conv1.weight': (64, 384, 1),
        f'maf_extractor.{_i}.conv1.bias': (64, ),
        f'maf_extractor.{_i}.conv2.weight': (5, 320, 1),
        f'maf_extractor.{_i}.conv2.bias': (5, ),
        f'regressor.{_i}.init_pose': (1, 144),
        f'regressor.{_i}.init_shape': (1, 10),
        f'regressor.{_i}.init_cam': (1, 3),
        f'regressor.{_i}.fc1.weight': (1024, 2362 if _i == 0 else 2312),
        f'regressor.{_i}.fc1.bias': (1024, ),
        f'regressor.{_i}.fc2.weight': (1024, 1024),
        f'regressor.{_i}.fc2.bias': (1024, ),
        f'regressor.{_i}.decpose.weight': (144, 1024),
        f'regressor.{_i}.decpose.bias': (144, ),
        f'regressor.{_i}.decshape.weight': (10, 1024),
        f'regressor.{_i}.decshape.bias': (10, ),
        f'regressor.{_i}.deccam.weight': (3, 1024),
        f'regressor.{_i}.deccam.bias': (3, ),
    })
# the SMPL buffers each official regressor embeds (smplx's SMPL)
SMPL_SHAPES = {
    'betas': (64, 10), 'global_orient': (64, 3), 'body_pose': (64, 69),
    'shapedirs': (6890, 3, 10), 'faces_tensor': (13776, 3),
    'v_template': (6890, 3), 'J_regressor': (24, 6890),
    'posedirs': (207, 20670), 'parents': (24, ),
    'lbs_weights': (6890, 24), 'J_regressor_extra': (9, 6890),
    'vertex_joint_selector.extra_joints_idxs': (21, ),
}
# official -> hmrzoo names of a few keys, written out by hand
SAMPLES = {
    'feature_extractor.conv1.weight': 'backbone.conv1.weight',
    'feature_extractor.layer4.2.bn3.running_var':
        'backbone.layer4.2.bn3.running_var',
    'deconv_layers.6.weight': 'neck.deconv_layers.6.weight',
    'deconv_layers.4.running_mean': 'neck.deconv_layers.4.running_mean',
    'maf_extractor.2.conv1.weight': 'head.point_reducers.2.conv1.weight',
    'regressor.0.fc1.weight': 'head.regressors.0.fc1.weight',
    'regressor.1.init_pose': 'head.regressors.1.init_pose',
    'regressor.2.deccam.bias': 'head.regressors.2.deccam.bias',
    'dp_head.predict_ann_index.weight': 'iuv_head.predict_ann_index.weight',
}


def _official_pymaf() -> dict:
    """PyMAF state dict: torchvision ResNet-50 (no fc, randomised
    BatchNorm) as feature_extractor.*, random tensors of the official shapes for the rest
    (BatchNorm statistics randomised), fake SMPL buffers in each regressor
    (one set of tensors shared by the three, as the official values are)."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    sd = random_resnet50_state('feature_extractor.', g)
    dmap = torch.rand(431, 6890, generator=g)
    for k, shape in OTHER_SHAPES.items():
        if k.endswith('Dmap'):
            sd[k] = dmap
        elif k.endswith('num_batches_tracked'):
            sd[k] = torch.tensor(5678)
        elif k.endswith('running_var'):
            sd[k] = torch.rand(shape, generator=g) + 0.5
        else:
            sd[k] = 0.02 * torch.randn(shape, generator=g)
    smpl = {k: torch.randn(shape, generator=g)
            for k, shape in SMPL_SHAPES.items()}
    for k in ('faces_tensor', 'parents',
              'vertex_joint_selector.extra_joints_idxs'):
        smpl[k] = smpl[k].abs().long()
    for i in range(3):
        sd.update({f'regressor.{i}.smpl.{k}': v for k, v in smpl.items()})
    return sd


@pytest.fixture(scope='module')
def official():
    sd = _official_pymaf()
    assert len(sd) == 441
    return sd


@pytest.fixture(scope='module')
def pymaf_file(official, tmp_path_factory):
    path = tmp_path_factory.mktemp('pymaf') / 'PyMAF_model_checkpoint.pt'
    torch.save({'model': official}, path)
    return str(path)


@pytest.fixture(scope='module')
def model(fake_body_models):
    """The paper config's PyMAFEstimator on fabricated SMPL files."""
    cfg = Config.fromfile(CFG)
    cfg.model.data_preprocessor = None
    cfg.model.head.mean_params = str(fake_body_models /
                                     'smpl_mean_params.npz')
    cfg.model.downsampling = str(fake_body_models / 'mesh_downsampling.npz')
    return MODELS.build(cfg.model)


def _check_converted(sd, official, model):
    assert not [k for k in sd if 'smpl' in k or 'Dmap' in k
                or 'points_grid' in k]
    assert len(sd) == 441 - 40
    for src, dst in SAMPLES.items():
        assert torch.equal(sd[dst], official[src]), src
    model.load_state_dict(sd, strict=True)
    state = model.state_dict()
    for src, dst in SAMPLES.items():
        assert torch.equal(state[dst], official[src]), src
    # the grid and the downsampling are hmrzoo's own (not in the file)
    assert model.head.points_grid.shape == (441, 2)
    assert model.downsample.shape == (431, 6890)
    assert 'points_grid' not in state and 'downsample' not in state


def test_function_converts_and_loads_strictly(official, model):
    assert 'pymaf' in FORMATS
    converted, prefixes = convert_state_dict(
        {'module.' + k: v for k, v in official.items()}, 'pymaf')
    assert prefixes == ['module.']
    dropped = converted.dropped_keys
    assert len(dropped) == 40
    assert {'points_grid', 'maf_extractor.0.Dmap',
            'regressor.2.smpl.posedirs'} <= set(dropped)
    assert any('licensed' in n and 'not written' in n
               for n in converted.notes)
    for src, dst in SAMPLES.items():
        assert rename_pymaf_key(src) == dst
    with pytest.raises(ConversionError, match='not a PyMAF key with an'):
        rename_pymaf_key('regressor.0.smpl.v_template')
    _check_converted(converted.state_dict, official, model)


def test_tool_converts_and_reports_the_smpl_data(pymaf_file, official, model,
                                                 tmp_path):
    dst = tmp_path / 'pymaf_r50.pth'
    proc = subprocess.run(
        [sys.executable, TOOL, '--format', 'pymaf', pymaf_file, str(dst)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert '401 keys converted from PyMAF official' in proc.stdout
    assert 'dropped 40' in proc.stdout and 'licensed' in proc.stdout
    ckpt = torch.load(dst, weights_only=True)
    meta = ckpt['meta']
    assert meta['format'] == 'pymaf' and meta['num_keys'] == 401
    assert len(meta['dropped_keys']) == 40 and meta['notes']
    _check_converted(ckpt['state_dict'], official, model)


def test_source_without_embedded_smpl_converts(official):
    stripped = {k: v for k, v in official.items() if '.smpl.' not in k}
    converted, _ = convert_state_dict(stripped, 'pymaf')
    assert len(converted.state_dict) == 401
    assert len(converted.dropped_keys) == 4 and not converted.notes


def test_wrong_layouts_are_named(official, tmp_path):
    # a CLIFF file passed as PyMAF
    cliff = {'encoder.conv1.weight': torch.zeros(64, 3, 7, 7),
             'encoder.layer4.0.conv1.weight': torch.zeros(512, 1024, 1, 1),
             'fc1.weight': torch.zeros(1024, 2208)}
    path = tmp_path / 'res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt'
    torch.save({'model': cliff}, path)
    with pytest.raises(ConversionError,
                       match=r'(?s)3dpw\.pt \(--format pymaf\).*not an '
                       r'official PyMAF.*unexpected key.*encoder\.conv1.*'
                       'missing key.*use --format cliff-res50'):
        convert_checkpoint(str(path), str(tmp_path / 'o.pth'), 'pymaf')
    assert not (tmp_path / 'o.pth').exists()
    # PyMAF passed as CLIFF points to the pymaf format
    with pytest.raises(ConversionError, match='use --format pymaf'):
        convert_state_dict(official, 'cliff-res50')
    # a regressor input of another size (e.g. another grid) is named
    sd = dict(official)
    sd['regressor.0.fc1.weight'] = torch.zeros(1024, 2205)
    with pytest.raises(ConversionError,
                       match=r'(?s)regressor\.0\.fc1\.weight: \(1024, 2205\)'
                       r', expected \(1024, 2362\).*441 grid points'):
        convert_state_dict(sd, 'pymaf')
