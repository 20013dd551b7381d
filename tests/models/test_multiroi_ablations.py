"""Every Multi-RoI ablation config changes exactly the component it names
(checked on the built models), and the CLIFF config differs from HMR only
by its projection and bbox input."""
from pathlib import Path

import pytest
from mmengine.config import Config

from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
ABL = ROOT / 'configs/multiroi/ablations'


@pytest.fixture(scope='module')
def build(fake_body_models):
    def _build(name):
        cfg = Config.fromfile(str(ABL / name))
        cfg.model.data_preprocessor = None
        # mean parameters of the fabricated body-model folder
        cfg.model.head.mean_params = str(fake_body_models /
                                         'smpl_mean_params.npz')
        return cfg, MODELS.build(cfg.model)
    return _build


def summary(cfg, model):
    """What an ablation may change: parameter shapes by component, loss
    terms, fusion settings, number of RoIs (model and data)."""
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()
              if not k.startswith('body_model.')}
    neck = model.neck
    return dict(
        shapes=shapes, losses=set(model.losses),
        encoding=None if neck is None else neck.encoding,
        num_freqs=None if neck is None else neck.pos_enc.num_freqs,
        num_rois=model.head.num_rois,
        data_rois=(cfg.train_dataloader.dataset.num_rois,
                   cfg.val_dataloader.dataset.num_rois))


def changed_components(a, b):
    """Names of the components whose summary differs."""
    out = set()
    keys = set(a['shapes']) | set(b['shapes'])
    for k in keys:
        if a['shapes'].get(k) != b['shapes'].get(k):
            out.add(k.split('.')[0])
    for field in ('losses', 'encoding', 'num_freqs', 'num_rois',
                  'data_rois'):
        if a[field] != b[field]:
            out.add(field)
    return out


@pytest.fixture(scope='module')
def base(build):
    return summary(*build('r50_cliff_coco.py'))


@pytest.mark.parametrize('name, expected', [
    ('r50_cliff_coco_no-raf.py', {'neck', 'encoding', 'num_freqs'}),
    ('r50_cliff_coco_no-lcam.py', {'losses'}),
    ('r50_cliff_coco_no-lcont.py', {'losses', 'contrast_head'}),
    ('r50_cliff_coco_no-raf-lcam-lcont.py',
     {'neck', 'encoding', 'num_freqs', 'losses', 'contrast_head'}),
    ('r50_cliff_coco_pe-null.py', {'neck', 'encoding'}),
    ('r50_cliff_coco_pe-absolute.py', {'encoding'}),
    ('r50_cliff_coco_pe-L0.py', {'neck', 'num_freqs'}),
    ('r50_cliff_coco_pe-L64.py', {'neck', 'num_freqs'}),
    ('r50_cliff_coco_rois-2.py', {'head', 'num_rois', 'data_rois'}),
    ('r50_cliff_coco_rois-4.py', {'head', 'num_rois', 'data_rois'}),
    ('r50_cliff_coco_rois-1.py', {'head', 'num_rois', 'data_rois', 'losses',
                                  'contrast_head'}),
])
def test_ablation_changes_only_its_component(build, base, name, expected):
    cfg, model = build(name)
    got = summary(cfg, model)
    assert changed_components(base, got) == expected
    if 'losses' in expected:
        removed = base['losses'] - got['losses']
        want = {'no-lcam': {'camera_consistency'},
                'no-lcont': {'contrastive'}}.get(
                    name.split('_')[-1][:-3],
                    {'camera_consistency', 'contrastive'})
        assert removed == want and got['losses'] <= base['losses']
    if name.endswith('pe-L64.py'):
        assert got['num_freqs'] == 64 and got['shapes'][
            'neck.score.0.weight'][1] == 2048 + 3 * (1 + 2 * 64)
    if 'rois-' in name:
        k = int(name[-4])
        assert got['num_rois'] == k and got['data_rois'] == (k, k)
        # the mesh decoder reads the k boxes' information
        assert got['shapes']['head.mesh_mlp.0.weight'][1] == \
            2048 + 3 * k + 144 + 10


def test_every_ablation_file_is_tested():
    tested = {p.name for p in ABL.glob('r50_cliff_coco_*.py')}
    listed = {n for n, _ in test_ablation_changes_only_its_component
              .pytestmark[0].args[1]}
    untested = tested - listed - {'r50_cliff_coco_rois-3.py'}
    assert not untested, untested


def _flat(d, prefix=''):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f'{prefix}{k}.'))
        else:
            out[prefix + k] = v
    return out


def test_cliff_differs_from_hmr_only_in_projection_and_bbox_input():
    for hmr, cliff in (('hmr/r50_hmr_anny.py', 'cliff/cliff_r50_anny.py'),
                       ('hmr/r50_hmr.py', 'cliff/cliff_r50.py')):
        a = _flat(Config.fromfile(str(ROOT / 'configs' / hmr)).model
                  .to_dict())
        b = _flat(Config.fromfile(str(ROOT / 'configs' / cliff)).model
                  .to_dict())
        diff = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
        # the head's extra inputs follow from bbox_info (derived); the
        # paper configs also start from their papers' backbones (ImageNet
        # for HMR, COCO 2D pose for CLIFF)
        expected = {'projection', 'bbox_info'}
        if 'anny' not in hmr:
            expected.add('backbone')
            assert {k for k in diff if k.startswith('backbone')} == {
                'backbone.init_cfg.checkpoint'}, diff
        assert {k.split('.')[0] for k in diff} == expected, diff
