"""RandomChannelNoise and ColorJitter on constant images: hand-computed
values and an independent HSV computation (colorsys)."""
import colorsys

import numpy as np
import pytest

from hmrzoo.datasets.transforms import ColorJitter, RandomChannelNoise

BGR = (40., 120., 200.)


def _const(value, shape=(4, 5), dtype=np.float32):
    return np.broadcast_to(np.asarray(value, dtype), shape + (3, )).copy()


def test_channel_noise_on_constant_image():
    seed = 5
    pn = np.random.default_rng(seed).uniform(0.6, 1.4, 3)
    img = _const(100, dtype=np.uint8)
    out = RandomChannelNoise(0.4, rng=seed)(dict(img=img))
    assert out['img'].dtype == np.uint8
    np.testing.assert_array_equal(out['img'],
                                  _const(np.rint(100 * pn), dtype=np.uint8))
    np.testing.assert_allclose(out['channel_noise'], pn, rtol=1e-6)
    # clipped at 255; the same factors for every stacked crop
    out = RandomChannelNoise(0.4, rng=seed)(
        dict(img=_const(250., shape=(3, 2, 2))))
    np.testing.assert_allclose(out['img'][1, 0, 1],
                               np.minimum(255., 250. * pn), rtol=1e-6)
    assert (out['img'] == out['img'][:1]).all()


def test_channel_noise_factor_range():
    t = RandomChannelNoise(0.4, rng=0)
    pn = np.array([t(dict(img=_const(1.)))['channel_noise']
                   for _ in range(500)])
    assert pn.min() >= 0.6 and pn.max() <= 1.4
    assert pn.min() < 0.62 and pn.max() > 1.38


def test_jitter_steps_by_hand():
    img = _const(BGR)
    b, g, r = BGR
    out = ColorJitter.apply(img, (1.1, 1., 1., 0.))
    np.testing.assert_allclose(out[0, 0], [44., 132., 220.], rtol=1e-6)
    # contrast 0.5 towards the mean luma 0.114 B + 0.587 G + 0.299 R
    luma = 0.114 * b + 0.587 * g + 0.299 * r
    out = ColorJitter.apply(img, (1., 0.5, 1., 0.))
    np.testing.assert_allclose(out[2, 3], 0.5 * np.array(BGR) + 0.5 * luma,
                               rtol=1e-5)
    out = ColorJitter.apply(img, (1., 1., 0., 0.))    # fully desaturated
    np.testing.assert_allclose(out[1, 1], [luma] * 3, rtol=1e-5)
    out = ColorJitter.apply(img, (1., 1., 2., 0.))    # clipped at 0 / 255
    np.testing.assert_allclose(
        out[0, 0], np.clip(2 * np.array(BGR) - luma, 0, 255), rtol=1e-5)
    out = ColorJitter.apply(img, (2., 1., 1., 0.))
    np.testing.assert_allclose(out[0, 0], [80., 240., 255.])


@pytest.mark.parametrize('hue', [0.25, -0.1, 0.5])
def test_hue_matches_colorsys(hue):
    b, g, r = BGR
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    r2, g2, b2 = colorsys.hsv_to_rgb((h + hue) % 1., s, v)
    out = ColorJitter.apply(_const(BGR), (1., 1., 1., hue))
    np.testing.assert_allclose(out[3, 4], [b2 * 255, g2 * 255, r2 * 255],
                               atol=1e-2)


def test_grey_image_only_changes_brightness():
    seed = 11
    jitter = ColorJitter(0.4, 0.4, 0.4, 0.1, rng=seed)
    out = jitter(dict(img=_const(100.)))
    rng = np.random.default_rng(seed)
    expected = [rng.uniform(0.6, 1.4) for _ in range(3)] + \
        [rng.uniform(-0.1, 0.1)]
    np.testing.assert_allclose(out['color_jitter'], expected, rtol=1e-6)
    np.testing.assert_allclose(out['img'], 100. * expected[0], rtol=1e-4)
    # uint8 in, uint8 out (rounded)
    out = ColorJitter(0.4, rng=seed)(dict(img=_const(100, dtype=np.uint8)))
    assert out['img'].dtype == np.uint8
    assert (out['img'] == np.uint8(np.rint(100 * expected[0]))).all()


def test_jitter_argument_checks():
    with pytest.raises(ValueError, match='hue'):
        ColorJitter(hue=0.6)
    with pytest.raises(ValueError, match='noise_factor'):
        RandomChannelNoise(1.5)
    with pytest.raises(KeyError, match='img'):
        ColorJitter(0.1)(dict(sample_id='s'))
