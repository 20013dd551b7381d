"""Every Table 4 config builds the model it names: its streams and their
inputs, the features each regressor reads, and R_fuse's input (parameter
shapes)."""
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
ABL = ROOT / 'configs/cra/ablations'
THETA = 24 * 6 + 6 + 3  # Θ of Anny: 6D pose, 6 betas, camera
THETA_SMPL = 24 * 6 + 10 + 3
TWO = dict(joints=17, iuv=3)


def build(name):
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(str(ABL / name))
    cfg.model.data_preprocessor = None
    return MODELS.build(cfg.model)


# name: (input channels per stream, what R2 reads, fusion mode,
#        R_fuse's evidence size and width)
CASES = {
    'r18_cra_anny_j2d.py': (dict(joints=17), 'global', None, None),
    'r18_cra_anny_iuv.py': (dict(iuv=3), 'global', None, None),
    'r18_cra_anny_concat.py': (dict(concat=20), 'global', None, None),
    # fine features of both streams: 2 x 8x8x8
    'r18_cra_anny_r1r1-fuse.py': (TWO, 'global', 'features', (1024, 1024)),
    'r18_cra_anny_r1r2-fuse.py': (TWO, 'fine', 'features', (1024, 1024)),
    # ◁R_fuse: the joint estimate's D_M (3x8x8), the IUV one's D_J (17x2)
    'r18_cra_anny_r1r2-fuse-other.py': (TWO, 'fine', 'other',
                                        (1024 + 192 + 34, 1250)),
    # ▷◁R_fuse: 2 x (8x8x8 + 3x8x8 + 2x17) = 1476, as wide
    'r18_cra_anny_r1r2-fuse-both.py': (TWO, 'fine', 'both', (1476, 1476)),
}


@pytest.mark.parametrize('name', sorted(CASES))
def test_ablation_builds_what_it_names(name):
    check_ablation(build(name), name, THETA)


def smpl_twin(name: str) -> str:
    return name.replace('_anny_', '_smpl_')


@pytest.mark.parametrize('name', sorted(CASES))
def test_smpl_setting_ablation_builds_the_same_row(name, fake_body_models):
    """The SMPL-setting twin of each row: the same streams, regressors
    and fusion on SMPL's Θ (10 betas), and r18_cra_smpl.py's data."""
    cfg = Config.fromfile(str(ABL / smpl_twin(name)))
    paper = Config.fromfile(str(ROOT / 'configs/cra/r18_cra_smpl.py'))
    assert cfg.train_dataloader == paper.train_dataloader
    assert cfg.model.body_model.type == 'SMPL'
    cfg.model.data_preprocessor = None
    check_ablation(MODELS.build(cfg.model), name, THETA_SMPL)


def check_ablation(model, name, theta):
    inputs, second, fusion, fusion_shape = CASES[name]
    streams = model.streams
    assert {n: s.encoder.conv1.in_channels for n, s in streams.items()} \
        == inputs
    for stream in streams.values():
        assert stream.regressors == ('global', second)
        # φG (512) and φL (8x8x8) have the same size at 256²: R1 and R2
        # differ in what they read, not in their shapes
        assert [h.fc1.in_features - theta for h in stream.heads] == \
            [512, 512]
        # eq. 1's MLP exists where R2 or the fusion reads φL
        assert (stream.mlp is not None) == (second == 'fine' or
                                            fusion is not None)
    assert model.fusion_mode == fusion
    if fusion is None:
        assert model.fusion is None
    else:
        layer = model.fusion.mlp[0]
        assert (layer.in_features - 2 * theta, layer.out_features) == \
            fusion_shape
    assert model.iuv_decoder is None and 'iuv' not in model.losses


def test_every_ablation_file_is_tested():
    assert {p.name for p in ABL.glob('*.py')} == set(CASES) | {
        smpl_twin(n) for n in CASES}
