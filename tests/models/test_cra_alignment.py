"""CRA's alignment errors on hand-made inputs: D_J (eq. 3), D_M (eq. 4)
against a literal evaluation of the formula, its gradient to the vertices,
the evidence helpers (heatmap decoding, IUV downsizing) and eq. 7's IUV
term."""
import pytest
import torch

from hmrzoo.models.losses import IUVAlignmentLoss
from hmrzoo.models.utils import (downsample_iuv, heatmap_keypoints,
                                 iuv_discrepancy, iuv_discrepancy_map,
                                 joint_discrepancy)
from hmrzoo.renderers import render_compact_iuv
from hmrzoo.cameras import WeakPerspectiveProjection
from hmrzoo.renderers.iuv_atlas import IUVAtlas
from hmrzoo.utils.heatmaps import (normalised_to_heatmap,
                                   render_gaussian_heatmaps)

P = 24


def test_joint_discrepancy_identical_shifted_and_masked():
    torch.manual_seed(0)
    j = torch.rand(2, 17, 2) * 2 - 1
    assert torch.equal(joint_discrepancy(j, j), torch.zeros(2, 17, 2))
    shift = torch.tensor([0.1, -0.2])
    mask = torch.ones(2, 17)
    mask[1, 5] = 0
    d = joint_discrepancy(j + shift, j, mask)
    expected = shift.expand(2, 17, 2).clone()
    expected[1, 5] = 0
    assert torch.allclose(d, expected, atol=1e-6)


def _compact(index, u, v):
    """(B, 3, H, W) compact map from an integer part map and U, V (0 on
    the background)."""
    fg = (index > 0).float()
    return torch.stack([index.float() / P, u * fg, v * fg], dim=1)


def _literal_eq4(pred, target, eps=1e-5):
    """Eq. 4 term by term, with the indicator sums over p = 1..P."""
    di = (pred[:, 0] - target[:, 0]).abs()
    first = di / (di + eps)
    pi, ti = (pred[:, 0] * P).round(), (target[:, 0] * P).round()
    u = sum((pi == p).float() * pred[:, 1] - (ti == p).float() * target[:, 1]
            for p in range(1, P + 1))
    v = sum((pi == p).float() * pred[:, 2] - (ti == p).float() * target[:, 2]
            for p in range(1, P + 1))
    return torch.stack([first, u, v], dim=1)


@pytest.fixture
def maps():
    torch.manual_seed(1)
    index = torch.zeros(2, 6, 6, dtype=torch.long)
    index[:, 1:5, 1:4] = torch.randint(1, P + 1, (2, 4, 3))
    return index, torch.rand(2, 6, 6), torch.rand(2, 6, 6)


def test_iuv_discrepancy_is_zero_for_identical_maps(maps):
    m = _compact(*maps)
    assert torch.equal(iuv_discrepancy(m, m), torch.zeros(2, 3, 6, 6))
    # rasterisation round-off in the index does not read as a mismatch
    noisy = m.clone()
    noisy[:, 0] += 1e-7 * (noisy[:, 0] > 0)
    assert iuv_discrepancy(noisy, m).abs().max() < 1e-6


def test_iuv_discrepancy_of_a_shift_matches_eq4(maps):
    index, u, v = maps
    target = _compact(index, u, v)
    pred = _compact(index.roll(1, dims=2), u.roll(1, dims=2),
                    v.roll(1, dims=2))
    got = iuv_discrepancy(pred, target)
    assert torch.allclose(got, _literal_eq4(pred, target), atol=1e-6)
    # known values: the indicator is ~1 exactly where the parts differ
    differ = index.roll(1, dims=2) != index
    assert torch.allclose(got[:, 0], differ.float(), atol=1e-3)
    # U term: the shifted U on its body minus the target's U on its body
    fg_p, fg_t = index.roll(1, dims=2) > 0, index > 0
    assert torch.allclose(got[:, 1], u.roll(1, dims=2) * fg_p - u * fg_t)
    assert torch.allclose(iuv_discrepancy_map(pred, target), got.sum(1))


def test_iuv_alignment_loss_reduces_the_absolute_terms(maps):
    index, u, v = maps
    target = _compact(index, u, v)
    pred = _compact(index, (u + 0.25).clamp(max=1), v)
    loss = IUVAlignmentLoss(loss_weight=2.)(pred, target)
    expected = 2 * (pred[:, 1] - target[:, 1]).abs().mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    # the evidence is downsized to the prediction's grid first
    big = target.repeat_interleave(4, -1).repeat_interleave(4, -2)
    assert IUVAlignmentLoss()(target, big).item() == pytest.approx(0.)


def test_downsample_reads_the_pixel_at_each_cell_centre():
    m = torch.arange(3 * 8 * 8, dtype=torch.float).reshape(1, 3, 8, 8)
    small = downsample_iuv(m, (2, 2))
    assert torch.equal(small, m[:, :, 2::4, 2::4])
    assert downsample_iuv(m, (8, 8)) is m


def test_heatmap_keypoints_invert_gaussian_heatmaps():
    torch.manual_seed(2)
    size = (48, 40)
    kp = torch.rand(2, 17, 2) * 1.6 - 0.8
    mask = torch.ones(2, 17)
    mask[0, 3] = 0
    hm = render_gaussian_heatmaps(normalised_to_heatmap(kp, size), mask,
                                  size, sigma=2.0)
    got, got_mask = heatmap_keypoints(hm)
    assert torch.equal(got_mask, mask)
    err = (got - kp)[mask > 0].abs().max()
    assert err < 1e-4  # normalised units; a pixel is 2/40 = 0.05


def _square_atlas():
    """Two triangles of one part spanning a square, U = x, V = y."""
    faces = torch.tensor([[0, 1, 2], [0, 2, 3]])
    corner_uv = torch.tensor([[[0., 0.], [1., 0.], [1., 1.]],
                              [[0., 0.], [1., 1.], [0., 1.]]])
    return IUVAtlas(faces, torch.tensor([7, 7]), corner_uv,
                    torch.tensor([7, 7, 7, 7]), 'square')


def test_rendered_iuv_gradient_reaches_the_vertices():
    atlas = _square_atlas()
    verts = torch.tensor([[[-0.5, -0.5, 0.], [0.5, -0.5, 0.],
                           [0.5, 0.5, 0.], [-0.5, 0.5, 0.]]],
                         dtype=torch.float64, requires_grad=True)
    cam = torch.tensor([[1.0, 0.05, -0.03]], dtype=torch.float64)
    proj = WeakPerspectiveProjection(img_res=8)
    target = torch.zeros(1, 3, 8, 8, dtype=torch.float64)

    def objective(v):
        m = render_compact_iuv(proj, cam, v, atlas, (8, 8))
        return iuv_discrepancy(m, target)[:, 1:].sum(), m
    value, m = objective(verts)
    # the square covers the middle of the crop with part 7
    assert torch.allclose(m[0, 0, 4, 4], torch.tensor(7 / P).double())
    assert m[0, 0, 0, 0] == 0
    value.backward()
    grad = verts.grad.clone()
    assert grad.abs().sum() > 0
    # equals the directional derivative at fixed visibility
    direction = torch.randn_like(verts)
    h = 1e-6
    with torch.no_grad():
        fd = (objective(verts + h * direction)[0]
              - objective(verts - h * direction)[0]) / (2 * h)
    assert (grad * direction).sum().item() == pytest.approx(fd.item(),
                                                            rel=1e-4)
