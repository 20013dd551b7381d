"""The paper configs reduce their losses as the official code does: SPIN's
keypoint balance (2D ``(conf * mse).mean()`` over every entry, 3D the same
over the samples with 3D keypoints) and PyMAF's U / V loss (summed over the
foreground, divided by the batch size); the embedded variants keep the
means their README figures were measured with."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from hmrzoo.models.losses.mesh_losses import KeypointMSELoss

ROOT = Path(__file__).resolve().parents[2]


def _batch():
    g = torch.Generator().manual_seed(0)
    pred, gt = torch.randn(4, 6, 2, generator=g), torch.randn(4, 6, 2,
                                                              generator=g)
    conf = torch.rand(4, 6, generator=g)
    conf[0, :3] = 0.          # missing points
    conf[2] = 0.              # a sample without this kind of label
    return pred, gt, conf


def test_all_is_spins_2d_keypoint_loss():
    pred, gt, conf = _batch()
    spin = (conf[..., None] * torch.nn.functional.mse_loss(
        pred, gt, reduction='none')).mean()
    ours = KeypointMSELoss(loss_weight=300., reduction='all')(pred, gt, conf)
    assert torch.allclose(ours, 300. * spin)


def test_labelled_rows_is_spins_3d_keypoint_loss():
    pred, gt, conf = _batch()
    has_3d = torch.tensor([1, 1, 0, 1], dtype=torch.bool)  # SPIN's selection
    spin = (conf[has_3d][..., None] * (pred[has_3d] - gt[has_3d]) ** 2
            ).mean()
    ours = KeypointMSELoss(reduction='labelled_rows')(pred, gt, conf)
    assert torch.allclose(ours, spin)
    # no sample with 3D keypoints: 0, as SPIN returns
    assert float(KeypointMSELoss(reduction='labelled_rows')(
        pred, gt, torch.zeros(4, 6))) == 0.


def test_valid_weighs_every_labelled_point_alike():
    pred, gt, conf = _batch()
    ours = KeypointMSELoss()(pred, gt, conf)
    ref = (conf[..., None] * (pred - gt) ** 2).sum() / (conf.sum() * 2)
    assert torch.allclose(ours, ref)
    # with full labels the three reductions agree
    ones = torch.ones(4, 6)
    values = {KeypointMSELoss(reduction=r)(pred, gt, ones).item()
              for r in ('valid', 'all', 'labelled_rows')}
    assert max(values) - min(values) < 1e-6
    with pytest.raises(ValueError, match='reduction must be one of'):
        KeypointMSELoss(reduction='sum')


@pytest.mark.parametrize('config,expected', [
    ('configs/hmr/r50_hmr.py', ('all', 'labelled_rows')),
    ('configs/cliff/cliff_r50.py', ('all', 'labelled_rows')),
    ('configs/multiroi/r50_cliff.py', ('all', 'labelled_rows')),
    ('configs/pymaf/r50_pymaf.py', ('all', 'labelled_rows')),
    ('configs/hmr/r50_hmr_anny.py', ('valid', 'valid')),
    ('configs/multiroi/r50_cliff_anny.py', ('valid', 'valid')),
    ('configs/pymaf/r50_pymaf_anny.py', ('valid', 'valid'))])
def test_paper_configs_use_spins_reductions(config, expected):
    losses = Config.fromfile(str(ROOT / config)).model.losses
    assert (losses.keypoints2d.reduction,
            losses.keypoints3d.reduction) == expected


def test_pymaf_uv_loss_is_summed_per_sample_as_the_official_code():
    from hmrzoo.models.losses.iuv_losses import DenseCorrespondenceLoss
    g = torch.Generator().manual_seed(1)
    B, H = 3, 8
    index = torch.randint(0, 25, (B, H, H), generator=g)
    index[1] = 0                                   # a sample with no body
    target = torch.stack([index / 24., torch.rand(B, H, H, generator=g),
                          torch.rand(B, H, H, generator=g)], 1)
    pred = {k: torch.randn(B, 25, H, H, generator=g) for k in
            ('index', 'u', 'v')}
    fg = index > 0
    # PyMAF's code: CE on the index (mean), smooth-L1 on the ground-truth
    # part's U / V summed over the foreground / batch size, x 0.5
    ref = torch.nn.functional.cross_entropy(pred['index'], index)
    for k, name in ((1, 'u'), (2, 'v')):
        chosen = pred[name].gather(1, index[:, None])[:, 0]
        ref = ref + 0.5 * torch.nn.functional.smooth_l1_loss(
            chosen[fg], target[:, k][fg], reduction='sum') / B
    ours = DenseCorrespondenceLoss(uv_weight=0.5,
                                   uv_reduction='sum_per_sample')(pred, target)
    assert torch.allclose(ours, ref)
    mean = DenseCorrespondenceLoss(uv_weight=0.5)(pred, target)
    assert float(ours - mean) > 0   # per pixel, far stronger
    losses = Config.fromfile(str(ROOT / 'configs/pymaf/r50_pymaf.py'))\
        .model.losses
    assert losses.iuv.uv_reduction == 'sum_per_sample'
    losses = Config.fromfile(str(ROOT / 'configs/pymaf/r50_pymaf_anny.py'))\
        .model.losses
    assert losses.iuv.uv_reduction == 'mean'


def test_num_joints_is_spins_joint_count():
    g = torch.Generator().manual_seed(2)
    for joints, reduction, rows in ((49, 'all', 4), (24, 'labelled_rows',
                                                      3)):
        pred, gt = torch.randn(4, joints, 2, generator=g), \
            torch.randn(4, joints, 2, generator=g)
        conf = torch.rand(4, joints, generator=g)
        if rows < 4:
            conf[1] = 0.          # a row without 3D joints
        keep = conf.flatten(1).any(1)
        spin = (conf[keep][..., None] * (pred[keep] - gt[keep]) ** 2).mean()
        # hmrzoo's 54 keypoints: the points SPIN's layout lacks are masked
        pad = 54 - joints
        pred54 = torch.cat([pred, torch.randn(4, pad, 2, generator=g)], 1)
        gt54 = torch.cat([gt, torch.randn(4, pad, 2, generator=g)], 1)
        conf54 = torch.cat([conf, torch.zeros(4, pad)], 1)
        ours = KeypointMSELoss(reduction=reduction, num_joints=joints)(
            pred54, gt54, conf54)
        assert torch.allclose(ours, spin)
    losses = Config.fromfile(str(ROOT / 'configs/hmr/r50_hmr.py')).model.losses
    assert (losses.keypoints2d.num_joints, losses.keypoints3d.num_joints) \
        == (49, 24)
    pymaf = Config.fromfile(str(ROOT / 'configs/pymaf/r50_pymaf.py'))
    assert pymaf.model.losses.iuv.coarse_weight == 1.
