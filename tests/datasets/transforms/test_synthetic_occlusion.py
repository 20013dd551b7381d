"""SyntheticOcclusion: the occluded area is the recorded rectangle, its
size is in range, nothing else changes, seeded runs repeat."""
import numpy as np
import pytest

from hmrzoo.datasets.transforms import SyntheticOcclusion

H, W = 40, 50


def _gradient():
    y, x = np.mgrid[:H, :W]
    return np.stack([x * 5, y * 6, (x + y) * 2], -1).astype(np.uint8)


def _changed(a, b):
    return (a != b).any(-1)


def _bbox(mask):
    rows, cols = np.nonzero(mask)
    return [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]


@pytest.mark.parametrize('seed', range(5))
def test_noise_rectangle_in_range_and_nothing_else(seed):
    img = np.full((H, W, 3), 128, np.uint8)
    lo, hi = 0.2, 0.4
    t = SyntheticOcclusion(prob=1., size_range=(lo, hi), fill='noise',
                           rng=seed)
    out = t(dict(img=img.copy()))
    assert bool(out['occluded'])
    x0, y0, x1, y1 = out['occlusion_boxes'][0]
    # rounding to whole pixels: within half a pixel of the fractions
    assert lo * W - 0.5 <= x1 - x0 <= hi * W + 0.5
    assert lo * H - 0.5 <= y1 - y0 <= hi * H + 0.5
    assert 0 <= x0 and x1 <= W and 0 <= y0 and y1 <= H
    changed = _changed(out['img'], img)
    assert _bbox(changed) == [x0, y0, x1, y1]
    inside = np.zeros((H, W), bool)
    inside[y0:y1, x0:x1] = True
    assert not changed[~inside].any()
    assert changed[inside].mean() > 0.95     # noise replaces the pixels


@pytest.mark.parametrize('seed', range(3))
def test_patch_comes_from_the_same_image(seed):
    img = _gradient()
    t = SyntheticOcclusion(prob=1., size_range=(0.3, 0.3), fill='patch',
                           rng=seed)
    out = t(dict(img=img.copy()))
    x0, y0, x1, y1 = out['occlusion_boxes'][0]
    assert (x1 - x0, y1 - y0) == (15, 12)
    patch = out['img'][y0:y1, x0:x1]
    # the patch is a crop of the original image at some place
    found = [(sy, sx) for sy in range(H - 11) for sx in range(W - 14)
             if (img[sy:sy + 12, sx:sx + 15] == patch).all()]
    assert found
    outside = np.ones((H, W), bool)
    outside[y0:y1, x0:x1] = False
    np.testing.assert_array_equal(out['img'][outside], img[outside])


def test_seeded_runs_repeat_and_seeds_differ():
    img = _gradient()

    def run(seed):
        t = SyntheticOcclusion(prob=1., num_rects=2, rng=seed)
        return [t(dict(img=img.copy())) for _ in range(3)]
    a, b, c = run(4), run(4), run(5)
    for ra, rb in zip(a, b):
        np.testing.assert_array_equal(ra['img'], rb['img'])
        np.testing.assert_array_equal(ra['occlusion_boxes'],
                                      rb['occlusion_boxes'])
    assert any((ra['img'] != rc['img']).any() for ra, rc in zip(a, c))


def test_probability_and_stacked_crops():
    img = _gradient()
    never = SyntheticOcclusion(prob=0., rng=0)(dict(img=img.copy()))
    np.testing.assert_array_equal(never['img'], img)
    assert not never['occluded'] and not never['occlusion_boxes'].any()
    stack = np.stack([img] * 4)
    out = SyntheticOcclusion(prob=1., fill='noise', rng=2)(
        dict(img=stack.copy()))
    assert out['occlusion_boxes'].shape == (4, 1, 4)
    assert out['occluded'].tolist() == [True] * 4
    for m in range(4):
        assert _bbox(_changed(out['img'][m], img)) == \
            out['occlusion_boxes'][m, 0].tolist()
    flags = [SyntheticOcclusion(prob=0.5, rng=s)(dict(img=img))['occluded']
             for s in range(200)]
    assert np.mean(flags) == pytest.approx(0.5, abs=0.1)


def test_argument_checks():
    with pytest.raises(ValueError, match='size_range'):
        SyntheticOcclusion(size_range=(0.5, 0.2))
    with pytest.raises(ValueError, match='fill'):
        SyntheticOcclusion(fill='coco')
