"""Value tests of Multi-RoI's local <-> full camera relations."""
import torch

from hmrzoo.cameras import (CliffFullFrameProjection,
                            camera_consistency_residuals, cam_crop2full,
                            full_to_local, local_to_full)

F64 = dict(dtype=torch.float64)


def _rois(batch=2, m=5, seed=0):
    """Bboxes [cx, cy, b] relative to the image centre, like Multi-RoI's:
    a primary bbox and shifted / rescaled copies of it."""
    g = torch.Generator().manual_seed(seed)
    c0 = torch.randn(batch, 2, generator=g, **F64) * 100
    b0 = torch.rand(batch, generator=g, **F64) * 200 + 150
    shifts = torch.tensor([[0., 0.], [.1, 0.], [-.1, 0.], [0., .1],
                           [0., -.1]], **F64)[:m]
    rates = torch.tensor([1., 1.5, 1.25, 0.8, 0.65], **F64)[:m]
    centres = c0[:, None] + b0[:, None, None] * shifts
    sizes = b0[:, None] * rates
    return torch.cat([centres, sizes[..., None]], -1)


def test_local_to_full_hand_computed():
    local = torch.tensor([0.5, 0.1, -0.2], **F64)
    bbox = torch.tensor([80., -40., 240.], **F64)
    full = local_to_full(local, bbox, 800.)
    # b s = 120 (eq. 12)
    assert torch.allclose(full, torch.tensor(
        [0.1 + 160. / 120, -0.2 - 80. / 120, 1600. / 120], **F64))


def test_agrees_with_cliff_crop2full():
    img = torch.tensor([[640., 480.]], **F64)
    center = torch.tensor([[123., 321.]], **F64)
    size = torch.tensor([180.], **F64)
    cam = torch.tensor([[0.8, -0.1, 0.3]], **F64)
    bbox = torch.cat([center - img / 2, size[:, None]], -1)
    assert torch.allclose(local_to_full(cam, bbox, 800.),
                          cam_crop2full(cam, center, size, img, 800.))


def test_round_trips():
    g = torch.Generator().manual_seed(1)
    bboxes = _rois(3, 5)
    local = torch.cat([torch.rand(3, 5, 1, generator=g, **F64) + 0.4,
                       torch.randn(3, 5, 2, generator=g, **F64) * 0.2], -1)
    focal = torch.tensor([[900.], [1200.], [1500.]], **F64)  # (B, 1)
    full = local_to_full(local, bboxes, focal)
    assert full.shape == (3, 5, 3)
    assert torch.allclose(full_to_local(full, bboxes, focal), local,
                          atol=1e-12)
    full_cam = torch.tensor([0.2, -0.1, 9.0], **F64).expand(3, 5, 3)
    assert torch.allclose(
        local_to_full(full_to_local(full_cam, bboxes, focal), bboxes, focal),
        full_cam, atol=1e-9)


def test_residuals_vanish_for_one_full_camera():
    bboxes = _rois(2, 5)
    full = torch.tensor([[0.2, -0.3, 12.], [-0.1, 0.05, 6.]], **F64)
    focal = torch.tensor([1000., 700.], **F64)
    local = full_to_local(full[:, None].expand(2, 5, 3), bboxes,
                          focal[:, None])
    res = camera_consistency_residuals(local, bboxes, focal)
    assert set(res) == {'x', 'y', 's', 'z'}
    for key, value in res.items():
        assert value.shape == (2, 5, 5)
        assert float(value.abs().max()) < 1e-9, key
    # the local cameras really differ between RoIs (the test is not trivial)
    diff = (local[:, 1:] - local[:, :1]).norm(dim=-1)
    assert float(diff.min()) > 1e-2


def test_residuals_measure_inconsistency():
    bboxes = _rois(1, 4)
    full = torch.tensor([[0.2, -0.3, 12.]], **F64)
    local = full_to_local(full[:, None].expand(1, 4, 3), bboxes, 1000.)
    bad = local.clone()
    bad[0, 2, 1] += 0.05  # tx of RoI 2
    res = camera_consistency_residuals(bad, bboxes)
    assert 'z' not in res
    expected_x = torch.zeros(1, 4, 4, **F64)
    expected_x[0, 2, :] += 0.05
    expected_x[0, :, 2] -= 0.05
    assert torch.allclose(res['x'], expected_x, atol=1e-9)
    assert float(res['y'].abs().max()) < 1e-9
    assert float(res['s'].abs().max()) < 1e-9
    # a scale change of RoI 1 shows in s (b_1 * ds) and moves x, y too
    bad = local.clone()
    bad[0, 1, 0] *= 1.1
    res = camera_consistency_residuals(bad, bboxes, 1000.)
    ds = float(bboxes[0, 1, 2] * local[0, 1, 0] * 0.1)
    assert abs(float(res['s'][0, 1, 0]) - ds) < 1e-9
    assert float(res['z'][0, 1, 0]) < 0  # larger scale: closer
    assert torch.allclose(res['s'], -res['s'].transpose(-1, -2))


def test_every_roi_gives_the_same_full_image_projection():
    """Local cameras derived from one full camera project a body to the
    same full-image pixels through CLIFF's full-frame projection."""
    g = torch.Generator().manual_seed(2)
    pts = (torch.rand(1, 30, 3, generator=g, **F64) - 0.5) * 1.5
    img = torch.tensor([[1280., 960.]], **F64)  # focal = diagonal = 1600
    bboxes = _rois(1, 5, seed=3)[0]  # (5, 3)
    full = torch.tensor([0.3, 0.1, 10.], **F64)
    local = full_to_local(full.expand(5, 3), bboxes, 1600.)
    proj = CliffFullFrameProjection()
    outs = [
        proj(pts, local[m:m + 1], center=bboxes[m:m + 1, :2] + img / 2,
             bbox_size=bboxes[m:m + 1, 2], img_size=img) for m in range(5)
    ]
    for out in outs[1:]:
        assert torch.allclose(out, outs[0], atol=1e-6)
