"""Eq. 6's homoscedastic weighting against its formula, and the ``smpl``
term (MSE of the concatenated rotation matrices and betas)."""
import math

import pytest
import torch
from mmengine.registry import init_default_scope

from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.models.losses import HomoscedasticLoss
from hmrzoo.registry import MODELS
from hmrzoo.structures import HMRDataSample

TERMS = ('vertices', 'keypoints2d', 'keypoints3d', 'smpl')


def test_homoscedastic_loss_is_eq6():
    sigma = dict(vertices=0.5, keypoints2d=2.0, keypoints3d=1.5, smpl=3.0)
    raw = dict(vertices=0.3, keypoints2d=1.2, keypoints3d=0.7, smpl=2.5)
    loss = HomoscedasticLoss(TERMS, init_log_variance={
        t: math.log(s ** 2) for t, s in sigma.items()})
    weighted = loss({t: torch.tensor(v) for t, v in raw.items()})
    total = sum(weighted.values()) + loss.regulariser()
    expected = sum(raw[t] / sigma[t] ** 2 for t in TERMS) + math.log(
        math.prod(sigma.values()))
    assert total.item() == pytest.approx(expected, rel=1e-6)
    assert {t: s.item() for t, s in loss.sigmas().items()} == \
        pytest.approx(sigma)
    # the learnt log-variance settles where its gradient vanishes:
    # d/ds (exp(-s) L + s / 2) = 0 at exp(s) = sigma^2 = 2 L
    total.backward()
    for t in TERMS:
        grad = loss.log_variance[t].grad.item()
        assert grad == pytest.approx(0.5 - raw[t] / sigma[t] ** 2, rel=1e-5)


def test_homoscedastic_loss_names_missing_terms():
    loss = HomoscedasticLoss(('vertices', 'smpl'))
    with pytest.raises(KeyError, match=r"\['smpl'\] were not computed"):
        loss(dict(vertices=torch.tensor(1.)))
    # every weight starts at 1 and the regulariser at 0
    out = loss(dict(vertices=torch.tensor(2.), smpl=torch.tensor(3.)))
    assert out['vertices'].item() == 2. and loss.regulariser().item() == 0.


def test_smpl_term_is_the_mse_of_the_concatenation():
    init_default_scope('hmrzoo')
    model = MODELS.build(dict(
        type='CRAEstimator', encoder=dict(type='ResNet', depth=18),
        regressor=dict(type='IEFHead', hidden=16, n_iter=1),
        body_model=dict(type='Anny'),
        projection=dict(type='WeakPerspectiveProjection'),
        streams=('joints', ), fusion=None, evidence=('heatmaps', ),
        input_size=64, losses=dict(smpl=dict(type='MSELoss'))))
    torch.manual_seed(0)
    pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    betas = torch.randn(2, 6)
    samples = []
    for i in range(2):
        s = HMRDataSample()
        s.gt_global_orient, s.gt_body_pose = pose[i, :1], pose[i, 1:]
        s.gt_betas = betas[i]
        samples.append(s)
    head_out = dict(pred_pose=pose, pred_shape=betas + 0.5,
                    pred_cam=torch.tensor([[0.9, 0., 0.]] * 2),
                    streams={}, evidence={}, iuv_decoded=None)
    losses = model.loss(head_out, samples)
    # only the 6 betas of 24 * 9 + 6 values per sample are off, by 0.5
    assert losses['loss_smpl'].item() == pytest.approx(
        0.25 * 6 / (24 * 9 + 6), rel=1e-5)
    head_out['pred_shape'] = betas
    assert model.loss(head_out, samples)['loss_smpl'].item() == \
        pytest.approx(0., abs=1e-10)
