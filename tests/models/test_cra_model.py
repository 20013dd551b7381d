"""CRA's model: the sizes of eq. 1-5 for Anny and (fabricated) SMPL, eq. 1's
perceptrons, the fusion's starting point, the decoded IUV standing in for a
missing map, the loss terms and the predictions."""
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.models.heads import FineFeatureMLP
from hmrzoo.models.utils import downsample_iuv, predicted_compact_iuv
from hmrzoo.registry import MODELS
from hmrzoo.testing import make_fake_body_model_dir, write_fake_mean_params

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / 'tests/data/configs/tiny_cra_anny.py'


def build(path, **model):
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(str(path))
    for key, value in model.items():   # replaced, not merged
        cfg.model[key] = value
    return MODELS.build(cfg.model), cfg


def check_paper_sizes(model, num_betas, batch=1):
    """Eq. 1-5 at the paper's sizes (256² inputs, C0 = 512, H0 = W0 = 8,
    C_L = 8, N_J = 17, two FC layers of 512, R_fuse as wide as its
    evidence vector)."""
    theta = 24 * 6 + num_betas + 3
    stream = model.streams['joints']
    mlp = stream.mlp
    # eq. 1: P1 512 -> 256, P2 [256, 512] -> 64, P3 [64, 512] -> 8
    assert [tuple(c.weight.shape) for c in (mlp.conv0, mlp.conv1,
                                            mlp.conv2)] == \
        [(256, 512, 1), (64, 768, 1), (8, 576, 1)]
    # eq. 2: R1 reads φG (512), R2 reads φL (8 x 8 x 8), both with Θ
    for head in stream.heads:
        assert head.fc1.in_features == 512 + theta
        assert head.fc1.out_features == head.fc2.out_features == 512
        assert head.decpose.out_features + head.decshape.out_features + \
            head.deccam.out_features == theta
    # eq. 5: 2 x (C_L H0 W0 + 3 H0 W0 + 2 N_J) = 1476, plus both estimates
    assert sum(model.evidence_sizes().values()) == 1476
    assert model.fusion.mlp[0].in_features == 1476 + 2 * theta
    assert model.fusion.mlp[0].out_features == 1476
    assert model.streams['iuv'].encoder.conv1.in_channels == 3
    assert stream.encoder.conv1.in_channels == 17
    inputs = torch.zeros(batch, 20, 256, 256)
    inputs[:, 5, 100:104, 120:124] = 1.      # one joint, the rest absent
    model.eval()
    with torch.no_grad():
        out = model(inputs, None, mode='tensor')
    s = out['streams']['joints']
    assert s['feat0'].shape == (batch, 512, 8, 8)
    assert s['feat_global'].shape == (batch, 512)
    assert s['feat_fine'].shape == (batch, 512)
    assert len(s['pred_pose_list']) == 2  # R1, R2
    d = out['discrepancies']['joints']
    assert d['joints'].shape == (batch, 17, 2)
    assert d['iuv'].shape == d['rendered_iuv'].shape == (batch, 3, 8, 8)
    assert out['pred_pose'].shape == (batch, 24, 3, 3)
    assert out['pred_shape'].shape == (batch, num_betas)
    # only the joint present in the heatmaps contributes to D_J
    assert out['evidence']['keypoints2d_mask'][0].nonzero().tolist() == [[5]]
    assert (d['joints'][0].abs().sum(-1) > 0).nonzero().tolist() == [[5]]


def test_paper_sizes_anny():
    model, _ = build(ROOT / 'configs/cra/r18_cra_anny.py',
                     data_preprocessor=None)
    check_paper_sizes(model, num_betas=6)


def test_paper_sizes_smpl_with_fabricated_files(tmp_path, monkeypatch):
    root = make_fake_body_model_dir(str(tmp_path / 'bm'), smplx=False,
                                    smpl_fmt='npz')
    mean_shape = np.linspace(-0.5, 0.5, 10)
    write_fake_mean_params(f'{root}/smpl_mean_params.npz', shape=mean_shape)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', root)
    model, _ = build(ROOT / 'configs/cra/r18_cra_smpl.py',
                     data_preprocessor=None)
    assert model.body_model.num_vertices == 6890
    # R1 starts from the (fabricated) mean parameters of the config
    first = model.streams['joints'].heads[0]
    assert torch.allclose(first.init_shape[0],
                          torch.tensor(mean_shape, dtype=torch.float32))
    check_paper_sizes(model, num_betas=10)


def test_fine_features_follow_eq1():
    torch.manual_seed(0)
    mlp = FineFeatureMLP(6, (5, 4, 3))
    phi0 = torch.randn(2, 6, 3, 3)
    x = phi0.flatten(2)
    conv = lambda layer, t: F.conv1d(t, layer.weight, layer.bias)  # noqa
    phi1 = F.relu(conv(mlp.conv0, x))
    phi2 = F.relu(conv(mlp.conv1, torch.cat([phi1, x], 1)))
    phi3 = F.relu(conv(mlp.conv2, torch.cat([phi2, x], 1)))
    assert torch.allclose(mlp(phi0), phi3.flatten(1), atol=1e-6)


@pytest.fixture(scope='module')
def tiny():
    torch.manual_seed(0)
    model, cfg = build(TINY, supervise_streams=True)
    ds = SyntheticPoseDataset(num_samples=2, seed=3, num_betas=6,
                              camera=cfg.train_dataloader.dataset.camera)
    return model, [ds[i] for i in range(2)]


def test_fusion_starts_from_the_mean_of_the_estimates(tiny):
    model, samples = tiny
    model.eval()
    data = model.data_preprocessor(pseudo_collate(samples), False)
    for layer in (model.fusion.decpose, model.fusion.decshape,
                  model.fusion.deccam):
        layer.weight.data.zero_()
        layer.bias.data.zero_()
    with torch.no_grad():
        out = model(**data, mode='tensor')
    j, m = out['streams']['joints'], out['streams']['iuv']
    assert torch.allclose(out['pred_pose6d'],
                          (j['pred_pose6d'] + m['pred_pose6d']) / 2)
    assert torch.allclose(out['pred_cam'], (j['pred_cam'] + m['pred_cam'])
                          / 2)
    # D_J compares the reprojected COCO joints with the input joints
    ev = out['evidence']
    assert torch.allclose(ev['keypoints2d'], torch.stack(
        [s.input_keypoints2d for s in data['data_samples']]))


def test_decoded_iuv_replaces_a_missing_map(tiny):
    model, samples = tiny
    model.eval()
    data = model.data_preprocessor(pseudo_collate(samples), False)
    inputs = data['inputs'].clone()
    inputs[1, 17:] = 0                      # sample 1 lost its IUV map
    with torch.no_grad():
        out = model(inputs, data['data_samples'], mode='tensor')
        decoded = predicted_compact_iuv(out['iuv_decoded'])
        decoded = F.interpolate(decoded, size=(96, 96), mode='nearest')
        grid = (model.streams.feature_size, ) * 2
        ev = out['evidence']['iuv']
        assert torch.equal(ev[0], downsample_iuv(inputs[:1, 17:], grid)[0])
        assert torch.equal(ev[1], downsample_iuv(decoded[1:], grid)[0])
        # heatmaps alone: the decoded IUV for every sample
        alone = model(inputs[:, :17], data['data_samples'], mode='tensor')
        assert torch.equal(alone['evidence']['iuv'],
                           downsample_iuv(decoded, grid))
    assert out['iuv_decoded']['index'].shape == (2, 25, 12, 12)


def test_losses_on_the_fused_and_stream_estimates(tiny):
    model, samples = tiny
    model.train()
    data = model.data_preprocessor(pseudo_collate(samples), True)
    assert data['data_samples'][0].gt_iuv.shape == (3, 96, 96)
    losses = model(**data, mode='loss')
    terms = ('keypoints3d', 'keypoints2d', 'vertices', 'smpl')
    assert set(losses) == {f'loss_{t}{s}' for t in terms
                           for s in ('', '_joints', '_iuv')} | {
        'loss_log_sigma', 'loss_iuv'} | {f'sigma_{t}' for t in terms}
    # σ = 1 at the start: eq. 6's weights are 1 and the regulariser 0
    assert losses['loss_log_sigma'].item() == 0.
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    for name in ('joints', 'iuv'):
        stream = model.streams[name]
        assert stream.heads[1].fc1.weight.grad.abs().sum() > 0
        assert stream.mlp.conv0.weight.grad.abs().sum() > 0
    assert model.iuv_decoder.predictor.predict_u.weight.grad.abs().sum() > 0
    # d/ds (Σ exp(-s) L + s / 2) at s = 0, over the three estimates
    assert model.uncertainty.log_variance['smpl'].grad.item() == \
        pytest.approx(0.5 - sum(losses[f'loss_smpl{s}'].item()
                                for s in ('', '_joints', '_iuv')), abs=1e-5)
    model.zero_grad()


def test_predictions_and_refinement_terms(tiny):
    model, samples = tiny
    model.eval()
    data = model.data_preprocessor(pseudo_collate(samples), False)
    with torch.no_grad():
        preds = model(**data, mode='predict')
    assert preds[0].pred_vertices.shape == (model.body_model.num_vertices,
                                            3)
    assert preds[0].pred_iuv.shape == (3, 12, 12)
    refine, _ = build(TINY, losses=dict(
        refine_keypoints2d=dict(type='KeypointMSELoss'),
        refine_iuv=dict(type='IUVAlignmentLoss')), uncertainty=None)
    refine.load_state_dict(model.state_dict(), strict=False)
    refine.eval()
    with torch.no_grad():
        out = refine(**data, mode='tensor')
        losses = refine.loss(out, data['data_samples'])
        found = refine.alignment(out, out['evidence'], {})
    assert set(losses) == {'loss_refine_keypoints2d', 'loss_refine_iuv'}
    # eq. 7: L2(ĵ, j) is the mean of D_J's squares over the joints present
    mask = found['joints_mask']
    expected = (found['joints'] ** 2).sum() / (2 * mask.sum())
    assert losses['loss_refine_keypoints2d'].item() == pytest.approx(
        expected.item(), rel=1e-5)


def test_variants_that_do_not_exist_are_refused():
    with pytest.raises(ValueError, match='set fusion=None'):
        build(TINY, streams=('joints', ), iuv_decoder=None,
              losses=dict(iuv=None), data_preprocessor=None)
    with pytest.raises(ValueError, match='joint stream'):
        build(TINY, streams=('iuv', ), fusion=None, data_preprocessor=None)
    with pytest.raises(ValueError, match='fusion among'):
        build(TINY, fusion='sum', data_preprocessor=None)
    with pytest.raises(ValueError, match='smpl'):
        build(TINY, losses=dict(smpl=None), data_preprocessor=None)
    model, _ = build(TINY, data_preprocessor=None)
    with pytest.raises(ValueError, match='built for 3x3'):
        model(torch.zeros(1, 20, 64, 64))
    with pytest.raises(ValueError, match='20'):
        model(torch.zeros(1, 5, 96, 96))
