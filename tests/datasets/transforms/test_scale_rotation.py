"""RandomScaleRotation: SPIN / mmhuman3d's rule against an independent
computation from the same random stream, bounds, probabilities."""
import numpy as np
import pytest

from hmrzoo.datasets.transforms import RandomScaleRotation


def _expected(seed, n, sf=0.25, rf=30., prob=0.6):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        s = min(1 + sf, max(1 - sf, 1 + rng.standard_normal() * sf))
        r = min(2 * rf, max(-2 * rf, rng.standard_normal() * rf))
        out.append((s, r if rng.random() < prob else 0.))
    return out


def test_matches_the_rule_draw_by_draw():
    seed, n = 7, 200
    t = RandomScaleRotation(rng=seed)
    for s, r in _expected(seed, n):
        res = t(dict(bbox_scale=np.array([30., 40.], np.float32),
                     bbox_rotation=5.))
        np.testing.assert_allclose(res['bbox_scale'], [30. * s, 40. * s],
                                   rtol=1e-6)
        assert res['bbox_rotation'] == pytest.approx(5. + r)
        assert res['bbox_scale'].dtype == np.float32


def test_bounds_and_probability():
    t = RandomScaleRotation(scale_factor=0.25, rot_factor=30., rot_prob=0.6,
                            rng=0)
    draws = np.array([t.sample() for _ in range(4000)])
    assert draws[:, 0].min() >= 0.75 and draws[:, 0].max() <= 1.25
    assert draws[:, 1].min() >= -60. and draws[:, 1].max() <= 60.
    # the clips are reached (N(0, 1) beyond +-1 resp. +-2 standard devs)
    assert (draws[:, 0] == 0.75).any() and (draws[:, 0] == 1.25).any()
    rotated = draws[:, 1] != 0
    assert rotated.mean() == pytest.approx(0.6, abs=0.03)
    assert np.std(draws[rotated, 1]) == pytest.approx(30., rel=0.08)
    never = RandomScaleRotation(rot_prob=0., rng=1)
    assert all(never.sample()[1] == 0. for _ in range(50))
    fixed = RandomScaleRotation(scale_factor=0., rot_factor=0., rng=1)
    assert fixed.sample() == (1., 0.)


def test_missing_rotation_starts_at_zero_and_errors():
    res = RandomScaleRotation(rot_prob=1., rng=3)(
        dict(bbox_scale=np.array([10., 10.])))
    expected = _expected(3, 1, prob=1.)[0]
    assert res['bbox_rotation'] == pytest.approx(expected[1])
    with pytest.raises(KeyError, match='bbox_scale'):
        RandomScaleRotation()(dict(sample_id='x'))
    with pytest.raises(ValueError, match='scale_factor'):
        RandomScaleRotation(scale_factor=1.5)
    with pytest.raises(TypeError, match='rng'):
        RandomScaleRotation(rng='seed')
