"""PyMAF's pieces on hand-made inputs: point sampling, the grid, the point
MLP's layout, the mesh downsampling and the auxiliary loss (eq. 4)."""
import numpy as np
import pytest
import torch

from hmrzoo.body_models.mesh_downsampling import (cluster_mean_matrix,
                                                  compute_downsampling,
                                                  farthest_points,
                                                  load_graphcmr_downsampling)
from hmrzoo.models.heads import PointFeatureReducer, grid_points, sample_points
from hmrzoo.models.losses import DenseCorrespondenceLoss


def test_sampling_a_linear_map_returns_its_value_at_the_points():
    h, w = 5, 7
    rows, cols = torch.meshgrid(torch.arange(h, dtype=torch.float32),
                                torch.arange(w, dtype=torch.float32),
                                indexing='ij')
    fmap = torch.stack([2 * cols + 3 * rows, cols])[None]   # (1, 2, H, W)
    pts = torch.tensor([[[-1., -1.], [1., 1.], [0., 0.], [0.5, -0.25],
                         [-1 + 1 / 6, -1.]]])
    out = sample_points(fmap, pts)                          # (1, 2, 5)
    # align_corners=True: x = -1 .. 1 spans column centres 0 .. W-1
    col = (pts[0, :, 0] + 1) / 2 * (w - 1)
    row = (pts[0, :, 1] + 1) / 2 * (h - 1)
    assert torch.allclose(out[0, 0], 2 * col + 3 * row, atol=1e-5)
    assert torch.allclose(out[0, 1], col, atol=1e-5)
    assert out[0, 1, 4].item() == pytest.approx(0.5)   # half-way, bilinear


def test_grid_order_is_x_slowest():
    g = grid_points(21)
    lin = torch.linspace(-1, 1, 21)
    assert g.shape == (441, 2)
    assert torch.equal(g[0], torch.tensor([-1., -1.]))
    assert torch.allclose(g[1], torch.stack([lin[0], lin[1]]))
    assert torch.allclose(g[21], torch.stack([lin[1], lin[0]]))
    assert torch.equal(g[-1], torch.tensor([1., 1.]))


def test_point_reducer_layout_and_channel_major_flattening():
    torch.manual_seed(0)
    red = PointFeatureReducer(6, (4, 3, 2))
    assert red.conv1.in_channels == 4 + 6 and red.conv2.in_channels == 3 + 6
    feat = torch.randn(2, 6, 10)
    out = red(feat)
    assert out.shape == (2, 2 * 10) and (out >= 0).all()
    # recompute by hand and compare the channel-major flattening
    y0 = torch.nn.functional.leaky_relu(red.conv0(feat))
    y1 = torch.nn.functional.leaky_relu(red.conv1(torch.cat([y0, feat], 1)))
    y2 = torch.relu(red.conv2(torch.cat([y1, feat], 1)))
    assert torch.allclose(out[:, :10], y2[:, 0]) and \
        torch.allclose(out[:, 10:], y2[:, 1])


def test_computed_downsampling_is_a_partition_average(tmp_path):
    torch.manual_seed(0)
    verts = torch.randn(300, 3)
    faces = torch.randint(0, 300, (50, 3))
    idx = farthest_points(verts, 20)
    assert len(set(idx.tolist())) == 20
    mat = compute_downsampling(verts, faces, 20, cache_dir=str(tmp_path))
    assert mat.shape == (20, 300)
    assert torch.allclose(mat.sum(1), torch.ones(20))
    assert torch.equal((mat > 0).sum(0), torch.ones(300, dtype=torch.long))
    # each row's support is the Voronoi cell of its sample
    assert torch.equal(mat, cluster_mean_matrix(verts, idx))
    assert len(list(tmp_path.glob('*.npz'))) == 1
    again = compute_downsampling(verts, faces, 20, cache_dir=str(tmp_path))
    assert torch.equal(mat, again)


def test_graphcmr_file_is_read_without_pickle_and_multiplied(tmp_path):
    import scipy.sparse as sp
    d0 = sp.random(30, 60, density=0.1, random_state=1, format='csr')
    d1 = sp.random(8, 30, density=0.3, random_state=2, format='csr')
    arr = np.empty(2, dtype=object)
    arr[0], arr[1] = d0, d1
    path = tmp_path / 'mesh_downsampling.npz'
    np.savez(path, D=arr, A=arr, U=arr)
    mat = load_graphcmr_downsampling(str(path))
    assert np.allclose(mat.numpy(), (d1 @ d0).toarray(), atol=1e-6)


def test_dense_correspondence_loss_on_hand_made_maps():
    # 1 x 2 x 2 map: parts [[0, 3], [3, 24]], U = 0.2 / 0.4 / 0.6 on the
    # foreground pixels, V = 0.5
    index = torch.tensor([[0, 3], [3, 24]])
    target = torch.zeros(1, 3, 2, 2)
    target[0, 0] = index / 24.
    target[0, 1] = torch.tensor([[0., 0.2], [0.4, 0.6]])
    target[0, 2] = torch.tensor([[0., 0.5], [0.5, 0.5]])
    logits = torch.full((1, 25, 2, 2), -30.)
    logits.scatter_(1, index[None, None], 30.)
    u = torch.zeros(1, 25, 2, 2)
    v = torch.zeros(1, 25, 2, 2)
    u.scatter_(1, index[None, None], target[:, 1:2])
    v.scatter_(1, index[None, None], target[:, 2:3])
    pred = dict(index=logits, ann=torch.zeros(1, 15, 2, 2), u=u, v=v)
    loss = DenseCorrespondenceLoss(uv_weight=0.5)
    assert loss(pred, target).item() < 1e-6
    # U off by 0.5 at one of the three foreground pixels: smooth-L1 with
    # beta 1 gives 0.5 * 0.5² there, 0.125 / 3 on average, times 0.5
    u_bad = u.clone()
    u_bad[0, 24, 1, 1] += 0.5
    got = loss(dict(pred, u=u_bad), target).item()
    assert got == pytest.approx(0.5 * 0.125 / 3, abs=1e-6)
    # a prediction on another part's channel does not count
    u_other = u.clone()
    u_other[0, 5] += 9.
    assert loss(dict(pred, u=u_other), target).item() < 1e-6
    # uniform logits: the cross-entropy is log(25)
    flat = dict(pred, index=torch.zeros(1, 25, 2, 2))
    assert loss(flat, target).item() == pytest.approx(np.log(25), abs=1e-5)
