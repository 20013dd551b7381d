"""Every PyMAF ablation config changes exactly what it names (on the built
models, with fabricated SMPL files and mesh downsampling)."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
ABL = ROOT / 'configs/pymaf/ablations'


@pytest.fixture(scope='module')
def build(fake_body_models):
    def _build(name):
        cfg = Config.fromfile(str(ABL / name))
        cfg.model.data_preprocessor = None
        cfg.model.head.mean_params = str(fake_body_models /
                                         'smpl_mean_params.npz')
        cfg.model.downsampling = str(fake_body_models /
                                     'mesh_downsampling.npz')
        return MODELS.build(cfg.model)
    return _build


def summary(model):
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()
              if not k.startswith('body_model.')}
    return dict(shapes=shapes, losses=set(model.losses),
                feedback=model.feedback, pyramid=model.pyramid,
                init_feature=model.head.init_feature,
                point_input=model.point_input,
                mask_features=model.mask_features,
                uv_weight=getattr(model.losses['iuv'], 'uv_weight', None)
                if 'iuv' in model.losses else None)


def component(key):
    parts = key.split('.')
    if parts[0] == 'head' and parts[1] == 'point_reducers':
        return 'point_reducers'
    return parts[0]


def changed(a, b):
    # the head's parts by name: its regressors ('head') and point MLPs
    out = {component(k) for k in set(a['shapes']) | set(b['shapes'])
           if a['shapes'].get(k) != b['shapes'].get(k)}
    return out | {f for f in ('losses', 'feedback', 'pyramid',
                              'init_feature', 'uv_weight', 'point_input',
                              'mask_features') if a[f] != b[f]}


@pytest.fixture(scope='module')
def base(build):
    return summary(build('r50_pymaf_h36m.py'))


NOAUX = {'iuv_head', 'losses', 'uv_weight'}


@pytest.mark.parametrize('name, expected', [
    ('r50_pymaf_h36m_noaux.py', NOAUX),
    ('r50_pymaf_h36m_noaux_global.py',
     NOAUX | {'feedback', 'pyramid', 'head', 'point_reducers'}),
    ('r50_pymaf_h36m_noaux_grid.py',
     NOAUX | {'feedback', 'pyramid', 'head', 'point_reducers'}),
    ('r50_pymaf_h36m_noaux_mesh.py',
     NOAUX | {'pyramid', 'init_feature', 'head', 'point_reducers'}),
    ('r50_pymaf_h36m_noaux_pyramid-grid.py', NOAUX | {'feedback', 'head'}),
    ('r50_pymaf_h36m_aux-parts.py', {'uv_weight'}),
    ('r50_pymaf_h36m_init-mesh.py', {'init_feature', 'head'}),
    # Table 5: point features from the auxiliary prediction (75 / 25
    # channels into the point MLPs), or masked feature maps
    ('r50_pymaf_h36m_input-iuv.py', {'point_input', 'point_reducers'}),
    ('r50_pymaf_h36m_aux-parts_input-parts.py',
     {'uv_weight', 'point_input', 'point_reducers'}),
    ('r50_pymaf_h36m_aux-parts_mask.py', {'uv_weight', 'mask_features'}),
])
def test_ablation_changes_only_its_component(build, base, name, expected):
    model = build(name)
    got = summary(model)
    assert changed(base, got) == expected
    sizes = [h.fc1.in_features - 144 - 10 - 3 for h in model.head.regressors]
    want = {'r50_pymaf_h36m_noaux_global.py': [2048],
            'r50_pymaf_h36m_noaux_grid.py': [441 * 5],
            'r50_pymaf_h36m_noaux_mesh.py': [431 * 5],
            'r50_pymaf_h36m_noaux_pyramid-grid.py': [441 * 5] * 3,
            'r50_pymaf_h36m_init-mesh.py': [431 * 5] * 3}.get(
                name, [441 * 5, 431 * 5, 431 * 5])
    assert sizes == want


#: tested on their own: a different estimator
SEPARATE = {'r50_pymaf_h36m_noaux_baseline.py'}


def test_every_ablation_file_is_tested():
    files = {p.name for p in ABL.glob('r50_pymaf_h36m_*.py')}
    listed = {n for n, _ in test_ablation_changes_only_its_component
              .pytestmark[0].args[1]}
    assert files == listed | SEPARATE


def test_baseline_is_hmr_in_pymaf_setting(fake_body_models, build, base):
    """Table 4's "Global (Baseline)": HMR's network (the pooled 2048-d
    feature, one IEF regressor, 3 iterations, the last supervised) with
    PyMAF's backbone, data, losses less IUV, and evaluation."""
    cfg = Config.fromfile(str(ABL / 'r50_pymaf_h36m_noaux_baseline.py'))
    ref = Config.fromfile(str(ABL / 'r50_pymaf_h36m.py'))
    for key in ('train_dataloader', 'val_dataloader', 'test_evaluator',
                'optim_wrapper', 'train_cfg', 'required_data'):
        assert cfg[key] == ref[key], key
    assert cfg.model.backbone == ref.model.backbone
    cfg.model.data_preprocessor = None
    cfg.model.head.mean_params = str(fake_body_models /
                                     'smpl_mean_params.npz')
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'MeshEstimator'
    assert type(model.head).__name__ == 'IEFHead'
    assert model.head.n_iter == 3 and not model.supervise_all_iters
    assert model.head.fc1.in_features == 2048 + 144 + 10 + 3
    assert set(model.losses) == base['losses'] - {'iuv'}
    backbone = {k: v for k, v in base['shapes'].items()
                if k.startswith('backbone.')}
    assert {k: tuple(v.shape) for k, v in model.state_dict().items()
            if k.startswith('backbone.')} == backbone


def test_global_row_pools_the_backbone_feature(build):
    """Table 4's "Global" row regresses from ResNet-50's pooled 2048-d
    feature at every iteration (the frozen pyramid unused)."""
    torch.manual_seed(0)
    model = build('r50_pymaf_h36m_noaux_global.py').eval()
    assert not any(p.requires_grad for p in model.neck.parameters())
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out = model(x, None, 'tensor')
        feat = model.backbone(x)[-1].mean(dim=(2, 3))
        first = model.head.regressors[0](feat, init=dict(
            pose6d=model.head.regressors[0].init_pose.expand(2, -1),
            shape=model.head.regressors[0].init_shape.expand(2, -1),
            cam=model.head.regressors[0].init_cam.expand(2, -1)))
    assert len(out['pred_pose_list']) == 3
    torch.testing.assert_close(out['pred_pose_list'][0], first['pred_pose'])


def test_point_inputs_read_the_auxiliary_prediction(build):
    torch.manual_seed(0)
    fmap = torch.randn(2, 256, 7, 7)
    iuv = build('r50_pymaf_h36m_input-iuv.py').eval()
    aux = iuv.iuv_head(fmap)
    parts = aux['index'].softmax(1)
    sampled = iuv._sampled_map(fmap)
    assert torch.allclose(sampled, torch.cat([parts, aux['u'], aux['v']], 1))
    assert iuv.head.point_reducers[0].conv0.in_channels == 75
    parts_only = build('r50_pymaf_h36m_aux-parts_input-parts.py')
    assert parts_only.head.point_reducers[0].conv0.in_channels == 25
    mask = build('r50_pymaf_h36m_aux-parts_mask.py').eval()
    aux = mask.iuv_head(fmap)
    fg = 1 - aux['index'].softmax(1)[:, :1]
    assert torch.allclose(mask._sampled_map(fmap), fmap * fg)
    assert torch.equal(build('r50_pymaf_h36m.py')._sampled_map(fmap), fmap)


@pytest.mark.parametrize('name', ['r50_pymaf_h36m_input-iuv.py',
                                  'r50_pymaf_h36m_aux-parts_mask.py'])
def test_table5_variants_run_at_test_time(build, name):
    model = build(name).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 224, 224))
    assert out['pred_pose'].shape == (1, 24, 3, 3)
    assert 'iuv' not in out      # the auxiliary maps are not returned
    assert torch.isfinite(out['pred_cam']).all()
