"""Value tests of the weak-perspective, perspective and D2S projections."""
import math

import pytest
import torch

from hmrzoo.cameras import (D2SProjection, PerspectiveProjection,
                            WeakPerspectiveProjection, axis_angle_to_rotmat,
                            perspective_project)
from hmrzoo.registry import CAMERAS


def _body(batch=3, n=20, seed=0, dtype=torch.float64):
    """Random body-sized point clouds, roughly within a 2 m box."""
    g = torch.Generator().manual_seed(seed)
    pts = (torch.rand(batch, n, 3, generator=g, dtype=dtype) - 0.5)
    return pts * torch.tensor([0.8, 1.8, 0.5], dtype=dtype)


# ------------------------------------------------------------ registry


def test_all_projections_registered_and_configurable():
    wp = CAMERAS.build(dict(type='WeakPerspectiveProjection', img_res=256,
                            focal_length=1000.))
    assert isinstance(wp, WeakPerspectiveProjection)
    assert (wp.img_res, wp.focal_length, wp.perspective) == (256, 1000.,
                                                             True)
    for name, dim in [('PerspectiveProjection', 3), ('D2SProjection', 4),
                      ('CliffFullFrameProjection', 3)]:
        assert CAMERAS.build(dict(type=name)).cam_dim == dim


# ------------------------------------------------------ weak perspective


def test_weak_perspective_hand_computed_point():
    # s chosen so that tz = 2 * 5000 / (224 s) = 50 m
    s = 10000. / (224 * 50)
    cam = torch.tensor([[s, 0.1, 0.05]], dtype=torch.float64)
    pts = torch.tensor([[[0.3, -0.2, 0.0], [0.3, -0.2, 1.0]]],
                       dtype=torch.float64)
    proj = WeakPerspectiveProjection()
    out = proj(pts, cam)
    # u = 5000 * (0.3 + 0.1) / 50 / 112, v = 5000 * (-0.2 + 0.05) / 50 / 112
    assert torch.allclose(out[0, 0], torch.tensor(
        [40. / 112, -15. / 112], dtype=torch.float64))
    # one metre further: depth 51
    assert torch.allclose(out[0, 1], torch.tensor(
        [2000. / 51 / 112, -750. / 51 / 112], dtype=torch.float64))
    assert torch.allclose(proj.camera_translation(cam),
                          torch.tensor([[0.1, 0.05, 50.]],
                                       dtype=torch.float64))
    ortho = WeakPerspectiveProjection(perspective=False)(pts, cam)
    assert torch.allclose(ortho[0, 1], torch.tensor(
        [s * 0.3 + 0.1, -s * 0.2 + 0.05], dtype=torch.float64))


def test_weak_perspective_equals_pinhole_with_implied_translation():
    pts = _body()
    cam = torch.tensor([[0.9, 0.0, 0.0], [1.2, 0.1, -0.3], [0.5, -0.2, 0.4]],
                       dtype=torch.float64)
    proj = WeakPerspectiveProjection(focal_length=5000., img_res=224)
    out = proj(pts, cam)
    transl = proj.camera_translation(cam)
    # an independent pinhole camera in crop pixels, principal point 112
    pix = PerspectiveProjection(focal_length=5000.,
                                principal_point=(112., 112.))(pts, transl)
    assert torch.allclose(out, (pix - 112.) / 112., atol=1e-12)
    # and through the generic contract
    assert torch.allclose(
        out, perspective_project(pts, transl,
                                 *proj.camera_intrinsics(cam)), atol=1e-12)
    # the large focal makes it close to orthographic s * (x + t) ...
    ortho = cam[:, None, :1] * (pts[..., :2] + cam[:, None, 1:])
    assert float((out - ortho).abs().max()) < 0.02
    # ... and float32 works too
    out32 = proj(pts.float(), cam.float())
    assert out32.dtype == torch.float32
    assert torch.allclose(out32.double(), out, atol=1e-5)


def test_weak_perspective_rejects_bad_cam():
    with pytest.raises(ValueError):
        WeakPerspectiveProjection()(torch.zeros(2, 5, 3), torch.ones(2, 4))


# ------------------------------------------------------------ perspective


def test_perspective_hand_computed_with_rotation():
    R = axis_angle_to_rotmat(torch.tensor([[0., 0., math.pi / 2]]))
    pts = torch.tensor([[[1., 0., 0.], [0., 0., 1.]]])
    transl = torch.tensor([[0., 0., 5.]])
    out = PerspectiveProjection()(pts, transl,
                                  focal_length=torch.tensor([[100., 200.]]),
                                  principal_point=torch.tensor([[50., 60.]]),
                                  R=R)
    # (1,0,0) -> (0,1,0) -> (0,1,5): u = 50, v = 200/5 + 60
    # (0,0,1) -> (0,0,1) -> (0,0,6): the principal point
    expected = torch.tensor([[[50., 100.], [50., 60.]]])
    assert torch.allclose(out, expected, atol=1e-5)


def test_perspective_K_equals_focal_principal_point():
    pts = _body()
    transl = torch.tensor([[0.1, 0.2, 4.], [-0.3, 0.0, 8.], [0., 0., 2.5]],
                          dtype=torch.float64)
    f = torch.tensor([[1000., 1100.], [500., 500.], [800., 700.]],
                     dtype=torch.float64)
    pp = torch.tensor([[320., 240.], [100., 90.], [0., 0.]],
                      dtype=torch.float64)
    K = torch.zeros(3, 3, 3, dtype=torch.float64)
    K[:, 0, 0], K[:, 1, 1], K[:, 2, 2] = f[:, 0], f[:, 1], 1.
    K[:, :2, 2] = pp
    proj = PerspectiveProjection()
    a = proj(pts, transl, K=K)
    b = proj(pts, transl, focal_length=f, principal_point=pp)
    assert torch.allclose(a, b)
    # by hand for one point
    X = pts[1, 4] + transl[1]
    assert torch.allclose(b[1, 4], torch.stack(
        [500. * X[0] / X[2] + 100., 500. * X[1] / X[2] + 90.]))
    fk, ppk = proj.camera_intrinsics(transl, K=K)
    assert torch.equal(fk, f) and torch.equal(ppk, pp)
    # a scalar focal per sample (B,) and constructor defaults
    c = proj(pts, transl, focal_length=f[:, 0], principal_point=pp)
    assert torch.allclose(c[..., 0], a[..., 0])
    d = PerspectiveProjection(focal_length=500.,
                              principal_point=(100., 90.))(pts, transl)
    assert torch.allclose(d[1], a[1])


def test_perspective_needs_a_focal():
    with pytest.raises(ValueError):
        PerspectiveProjection()(torch.zeros(1, 2, 3), torch.ones(1, 3))


# -------------------------------------------------------------------- D2S


def test_d2s_hand_computed():
    cam = torch.tensor([[2., 0.1, 0., 4.]])
    pts = torch.tensor([[[0.5, 0.25, 1.0], [0.5, 0.25, 0.0]]])
    out = D2SProjection()(pts, cam)
    # s_i = 4/5: (0.8 * (2*0.5 + 0.1), 0.8 * 2*0.25); z = 0: plain s x + t
    assert torch.allclose(out, torch.tensor([[[0.88, 0.4], [1.1, 0.5]]]))


def test_d2s_equals_perspective_with_exact_distance():
    pts = _body()
    f = torch.tensor([5000., 1200., 800.], dtype=torch.float64)
    transl = torch.tensor([[0.1, -0.2, 20.], [0.0, 0.3, 3.], [-0.4, 0.1, 2.]],
                          dtype=torch.float64)
    d = transl[:, 2]
    cam = torch.stack([f / d, f * transl[:, 0] / d, f * transl[:, 1] / d, d],
                      dim=-1)
    proj = D2SProjection()
    out = proj(pts, cam)
    ref = perspective_project(pts, transl, f)
    assert torch.allclose(out, ref, atol=1e-9)
    # the implied pinhole camera of the contract is that camera
    assert torch.allclose(proj.camera_translation(cam), transl)
    focal, pp = proj.camera_intrinsics(cam)
    assert torch.allclose(focal, f[:, None].expand(-1, 2))
    assert torch.equal(pp, torch.zeros(3, 2, dtype=torch.float64))


def test_d2s_root_is_subtracted():
    pts = _body() + torch.tensor([0.3, -1.0, 0.7], dtype=torch.float64)
    root = pts.mean(dim=1)
    cam = torch.tensor([[1.5, 0.1, 0.0, 3.0]] * 3, dtype=torch.float64)
    proj = D2SProjection()
    out = proj(pts, cam, root=root)
    assert torch.allclose(out, proj(pts - root[:, None], cam))
    # the contract still holds on the raw points
    assert torch.allclose(
        out, perspective_project(pts, proj.camera_translation(cam, root=root),
                                 *proj.camera_intrinsics(cam)))


def test_d2s_tends_to_weak_perspective():
    pts = _body()
    base = torch.tensor([[0.9, 0.1, -0.1], [1.3, 0.0, 0.2], [0.7, -0.3, 0.]],
                        dtype=torch.float64)
    ortho = WeakPerspectiveProjection(perspective=False)(pts, base)
    # orthographic by hand
    assert torch.allclose(ortho, base[:, None, :1] * pts[..., :2] +
                          base[:, None, 1:])
    errors = []
    for d in [2., 20., 200., 2e3, 2e5]:
        cam = torch.cat([base, torch.full((3, 1), d, dtype=torch.float64)],
                        -1)
        errors.append(float((D2SProjection()(pts, cam) - ortho).abs().max()))
    assert all(a > b for a, b in zip(errors, errors[1:]))
    assert errors[0] > 1e-2  # a real difference close to the camera
    assert errors[-1] < 1e-5
    # first-order: the error shrinks like 1/d
    assert errors[2] / errors[3] == pytest.approx(10., rel=0.05)
