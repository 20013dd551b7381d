"""Fitting a crop camera to 2D keypoints inverts the projection."""
import torch

from hmrzoo.cameras.fit import fit_translation
from hmrzoo.cameras.weak_perspective import WeakPerspectiveProjection


def test_fitted_camera_reproduces_the_projection():
    torch.manual_seed(0)
    proj = WeakPerspectiveProjection(focal_length=5000., img_res=224)
    points = torch.randn(3, 17, 3) * 0.3
    cam = torch.tensor([[0.9, 0.05, -0.1], [1.2, -0.2, 0.1],
                        [0.6, 0.0, 0.3]])
    kp = proj(points, cam)
    mask = torch.ones(3, 17)
    mask[1, :10] = 0                       # absent points do not count
    kp_noisy = kp.clone()
    kp_noisy[1, :10] += 5.
    fitted = proj.fit_camera(points, kp_noisy, mask)
    assert torch.allclose(fitted, cam, atol=1e-4)
    assert torch.allclose(proj(points, fitted), kp, atol=1e-5)


def test_translation_known_answer_and_too_few_points():
    # two points, focal 1: u = (X + tx) / (Z + tz)
    points = torch.tensor([[[0., 0., 0.], [1., 1., 1.], [-1., 0., 1.],
                            [0., -1., -1.]]])
    t = torch.tensor([0.5, -0.25, 4.])
    proj = (points[..., :2] + t[:2]) / (points[..., 2:] + t[2])
    fitted = fit_translation(points, proj, torch.ones(1, 4), 1.)
    assert torch.allclose(fitted[0], t, atol=1e-5)
    few = fit_translation(points, proj, torch.tensor([[1., 1., 1., 0.]]), 1.)
    assert torch.isnan(few).all()
