"""Gaussian heatmaps against the direct 2D formula."""
import torch

from hmrzoo.utils.heatmaps import (normalised_to_heatmap,
                                   render_gaussian_heatmaps)


def test_matches_direct_formula_and_mask():
    kp = torch.tensor([[[10.3, 5.7], [0.0, 31.0], [-3.0, 4.0]]])
    mask = torch.tensor([[1., 1., 0.]])
    heat = render_gaussian_heatmaps(kp, mask, (32, 40), 2.0)
    assert heat.shape == (1, 3, 32, 40)
    ys, xs = torch.meshgrid(torch.arange(32.), torch.arange(40.),
                            indexing='ij')
    for k in range(2):
        direct = torch.exp(-((xs - kp[0, k, 0]) ** 2 + (ys - kp[0, k, 1]) ** 2)
                           / 8.0)
        big = direct > 1e-5
        assert torch.allclose(heat[0, k][big], direct[big], rtol=1e-5)
        assert heat[0, k].max() <= 1 and heat[0, k].min() >= 0
    assert heat[0, 2].abs().sum() == 0  # masked out
    # no denormal values
    tiny = (heat > 0) & (heat < 1e-30)
    assert not tiny.any()


def test_normalised_corners_map_to_pixel_edges():
    p = torch.tensor([[-1., -1.], [1., 1.], [0., 0.]])
    out = normalised_to_heatmap(p, (64, 32))
    assert torch.allclose(out, torch.tensor([[-0.5, -0.5], [31.5, 63.5],
                                             [15.5, 31.5]]))
