"""CRA's synthetic distribution is STRAPS' (the work CRA cites for it):
shape N(0, 1.5^2), the bank fits' own camera-frame orientation, translation
(0, 0.2, 42) m + (N(0, 0.05^2) x 2, U(-5, 5))."""
from pathlib import Path

import numpy as np
from mmengine.config import Config

from hmrzoo.synthetic.sources import PerspectiveCameraSampler

ROOT = Path(__file__).resolve().parents[2]


def test_straps_translation_statistics():
    cfg = Config.fromfile(str(ROOT / 'configs/cra/r18_cra_smpl.py'))
    camera = cfg.train_dataloader.dataset.camera
    sampler = PerspectiveCameraSampler(**camera)
    rng = np.random.default_rng(0)
    t = np.stack([sampler(rng)['transl'] for _ in range(20000)])
    assert np.allclose(t[:, :2].mean(0), [0., 0.2], atol=2e-3)
    assert np.allclose(t[:, :2].std(0), [0.05, 0.05], rtol=0.03)
    assert t[:, 2].min() >= 37. and t[:, 2].max() <= 47.
    assert abs(t[:, 2].mean() - 42.) < 0.1
    assert abs(t[:, 2].std() - 10 / np.sqrt(12)) < 0.05   # uniform, width 10
    assert sampler(rng)['focal_length'] == 5000.


def test_cra_paper_config_keeps_the_fits_orientation_and_shape_std():
    data = Config.fromfile(str(ROOT / 'configs/cra/r18_cra_smpl.py'))\
        .train_dataloader.dataset
    assert data.shape_std == 1.5
    assert data.pose_bank.use_bank_orientation is True
    # the embedded variant keeps its own distribution (its figures)
    anny = Config.fromfile(str(ROOT / 'configs/cra/r18_cra_anny.py'))\
        .train_dataloader.dataset
    assert anny.get('shape_std', 1.0) == 1.0 and 'pose_bank' not in anny


def test_default_sampler_draws_are_unchanged_without_xy_std():
    # configs without the new options get the same samples as before
    a = PerspectiveCameraSampler(depth_range=(25., 45.), xy_range=0.01)
    rng = np.random.default_rng([7, 3])
    t = a(rng)['transl']
    rng = np.random.default_rng([7, 3])
    tz = rng.uniform(25., 45.)
    txy = rng.uniform(-0.01, 0.01, size=2) * tz
    assert np.allclose(t, [txy[0], txy[1], tz])
