"""IQR depth trimming (eq. 1-3 of the self-supervised joints+depth paper)
against a hand computation, and the outlier augmentation."""
import numpy as np
import torch

from hmrzoo.synthetic.augment.depth import (add_depth_outliers, iqr_bounds,
                                           iqr_trim)


def _bounds_by_hand(values):
    v = np.sort(np.asarray(values, float))
    n = len(v)
    k = n // 2
    q1, q3 = np.median(v[:k]), np.median(v[n - k:])
    iqr = q3 - q1
    return q1 - 1.5 * iqr, q3 + 1.5 * iqr


def test_bounds_known_values():
    # 9 valid values (n odd: the middle one belongs to neither half)
    vals = [1., 2., 3., 4., 5., 6., 7., 8., 100.]
    d = torch.zeros(1, 4, 4)
    d.view(-1)[:9] = torch.tensor(vals)
    lo, hi = iqr_bounds(d)
    # Q1 = median(1,2,3,4) = 2.5; Q3 = median(6,7,8,100) = 7.5; IQR = 5
    assert lo.item() == 2.5 - 7.5 and hi.item() == 7.5 + 7.5
    trimmed = iqr_trim(d)
    assert trimmed.view(-1)[8].item() == 15.0       # 100 -> upper bound
    assert torch.equal(trimmed.view(-1)[:8], d.view(-1)[:8])
    assert (trimmed.view(-1)[9:] == 0).all()         # background stays 0


def test_bounds_match_hand_computation_on_random_maps():
    rng = np.random.default_rng(0)
    maps = torch.zeros(5, 16, 16, dtype=torch.float64)
    for b in range(5):
        n = int(rng.integers(2, 200))
        idx = rng.choice(256, n, replace=False)
        vals = rng.uniform(1, 5, n)
        vals[: n // 10] *= rng.choice([0.05, 20.0], n // 10)
        maps[b].view(-1)[idx] = torch.from_numpy(vals)
    lo, hi = iqr_bounds(maps)
    for b in range(5):
        valid = maps[b][maps[b] != 0].numpy()
        elo, ehi = _bounds_by_hand(valid)
        assert np.isclose(lo[b].item(), elo) and np.isclose(hi[b].item(), ehi)
        t = iqr_trim(maps[b])
        nz = t[maps[b] != 0]
        assert nz.min() >= lo[b] - 1e-12 and nz.max() <= hi[b] + 1e-12
        inside = (maps[b] >= lo[b]) & (maps[b] <= hi[b])
        assert torch.equal(t[inside], maps[b][inside])


def test_degenerate_maps_untouched():
    d = torch.zeros(2, 3, 3)
    d[1, 1, 1] = 7.0
    assert torch.equal(iqr_trim(d), d)


def test_outliers_only_touch_valid_pixels():
    d = torch.zeros(2, 32, 32)
    d[:, 8:24, 8:24] = 3.0
    g = torch.Generator().manual_seed(0)
    out = add_depth_outliers(d, g, fraction=0.2)
    assert (out[d == 0] == 0).all()
    changed = (out != d).float().sum() / (d != 0).float().sum()
    assert 0.1 < changed.item() < 0.3
    # trimming pulls the corrupted map back inside its bounds
    lo, hi = iqr_bounds(out)
    t = iqr_trim(out)
    assert (t[t != 0] <= hi[:, None].expand(2, 1024).reshape(-1)[
        (t != 0).view(-1)]).all()
