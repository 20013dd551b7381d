"""Multi-RoI's camera-consistency (eq. 15-16) and contrastive (eq. 17)
losses against hand computations."""
import math

import pytest
import torch

from hmrzoo.cameras.multiroi import full_to_local
from hmrzoo.models.losses import CameraConsistencyLoss, RoIContrastiveLoss


def _rois():
    # [cx, cy, b] of 5 RoIs around one person (offsets +-0.1 b, scales)
    b = 200.
    return torch.tensor([[[30., -20., b], [50., -20., 1.5 * b],
                          [10., -20., 1.25 * b], [30., 0., 0.8 * b],
                          [30., -40., 0.65 * b]]])


def test_zero_for_cameras_of_one_full_camera_positive_otherwise():
    rois = _rois()
    full = torch.tensor([[0.1, -0.2, 20.0]]).expand(5, 3)[None]
    local = full_to_local(full, rois, 1000.)
    loss = CameraConsistencyLoss()
    assert loss(local, rois).item() == pytest.approx(0.0, abs=1e-8)
    bad = local.clone()
    bad[0, 2, 1] += 0.05
    assert loss(bad, rois).item() > 1e-5


def test_hand_computed_value_two_rois():
    cams = torch.tensor([[[1.0, 0.1, 0.0], [0.5, 0.0, 0.2]]])
    rois = torch.tensor([[[10., 0., 100.], [-20., 40., 100.]]])
    # implied full translation x: tx + 2 cx / (b s); bs = b * s
    x0, x1 = 0.1 + 2 * 10 / 100, 0.0 + 2 * -20 / 50
    y0, y1 = 0.0 + 0, 0.2 + 2 * 40 / 50
    s0, s1 = 100., 50.
    expected = 2 * (0.1 * (x0 - x1) ** 2 + 0.1 * (y0 - y1) ** 2
                    + 1e-4 * (s0 - s1) ** 2)
    got = CameraConsistencyLoss(loss_weight=1.0)(cams, rois)
    assert got.item() == pytest.approx(expected, rel=1e-5)


def _direct_eq17(z, tau, all_in_denominator=False):
    z = torch.nn.functional.normalize(z, dim=-1)
    n, m, _ = z.shape
    total = 0.0
    for i in range(n):
        for a in range(m):
            denom = sum(math.exp(float(z[i, a] @ z[j, b]) / tau)
                        for j in range(n) for b in range(m)
                        if (j != i) or (all_in_denominator and b != a))
            total += -sum(math.log(math.exp(float(z[i, a] @ z[i, b]) / tau)
                                   / denom)
                          for b in range(m) if b != a) / (m - 1)
    return total / (n * m)


def test_contrastive_matches_eq17_and_falls_when_pulled_together():
    torch.manual_seed(0)
    z = torch.randn(3, 4, 8)
    loss = RoIContrastiveLoss(temperature=0.5)
    assert loss(z).item() == pytest.approx(_direct_eq17(z, 0.5), rel=1e-5)
    official = RoIContrastiveLoss(temperature=0.5, denominator='all')
    assert official(z).item() == pytest.approx(
        _direct_eq17(z, 0.5, all_in_denominator=True), rel=1e-5)
    # pull each person's RoI features towards their mean: the loss falls
    pulled = 0.3 * z + 0.7 * z.mean(1, keepdim=True)
    assert loss(pulled) < loss(z)
    # and it is differentiable
    zg = z.clone().requires_grad_(True)
    loss(zg).backward()
    assert zg.grad.abs().sum() > 0
    with pytest.raises(ValueError, match='2 persons'):
        loss(torch.randn(1, 4, 8))
