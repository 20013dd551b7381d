"""tools/vis_synthetic.py writes a grid whose panels match the engine."""
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import vis_synthetic  # noqa: E402


def test_grid_layout_and_content(tmp_path):
    path = vis_synthetic.main([str(ROOT / 'configs/hmr/r18_keypoints_anny.py'),
                               '--out', str(tmp_path), '--num', '2',
                               '--size', '48'])
    img = cv2.imread(path)
    assert img.shape == (2 * 48, 5 * 48, 3)
    for row in range(2):
        tile = lambda c: img[row * 48:(row + 1) * 48, c * 48:(c + 1) * 48]  # noqa
        sil = tile(3)[..., 0] > 127
        # IUV and depth are drawn exactly where the silhouette is
        assert ((tile(1).max(-1) > 0) == sil).all()
        assert ((tile(2).max(-1) > 0) == sil).all()
        # the RGB background is a smooth colour field: neighbouring
        # background pixels differ little
        rgb = tile(0).astype(int)
        both = ~sil[:, 1:] & ~sil[:, :-1]
        step = abs(rgb[:, 1:] - rgb[:, :-1]).max(-1)[both]
        assert np.median(step) <= 4 and step.max() <= 90
        assert rgb[~sil].std() > 1
        assert 0.05 < sil.mean() < 0.6
