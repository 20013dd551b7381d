"""Value tests of hmrzoo's rasterizer: agreement with the brute-force
reference, hand-counted coverage, the z-buffer and tie rules, gradients of
interpolated attributes, perspective correctness against ray casting, an
Anny silhouette, the camera -> screen maps, and pytorch3d (when
importable)."""
import math
from fractions import Fraction

import pytest
import torch

import hmrzoo.renderers.raster_kernels as kernels_module
from hmrzoo.renderers import (Fragments, interpolate_face_attributes,
                              interpolate_vertex_attributes,
                              projection_to_screen, rasterize,
                              rasterize_brute_force, render_depth,
                              render_mask, to_screen, to_screen_orthographic)

# --------------------------------------------------------------- helpers


@pytest.fixture(scope='module', autouse=True)
def single_thread():
    """These tests run many small tensor operations, for which intra-op
    thread synchronisation costs more than it saves (and much more on a
    busy machine): run them on one thread, then restore the setting."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)



def _random_soup(batch, num_faces, size, seed, dtype=torch.float64):
    """Random camera-space triangles (z in [1, 3]) seen by a pinhole camera
    whose image is ``size`` x ``size``; some stick out of the image.

    Returns screen vertices (B, 3F, 3), faces (F, 3), camera vertices."""
    g = torch.Generator().manual_seed(seed)
    centre = torch.rand(batch, num_faces, 1, 3, generator=g, dtype=dtype)
    centre = (centre - 0.5) * torch.tensor([2.4, 2.4, 0.], dtype=dtype)
    centre[..., 2] += 2.
    offset = (torch.rand(batch, num_faces, 3, 3, generator=g, dtype=dtype)
              - 0.5) * torch.tensor([0.9, 0.9, 1.6], dtype=dtype)
    cam = (centre + offset).reshape(batch, -1, 3)
    focal = torch.full((batch, 2), size * 0.8, dtype=dtype)
    pp = torch.full((batch, 2), (size - 1) / 2, dtype=dtype)
    faces = torch.arange(3 * num_faces).reshape(num_faces, 3)
    return to_screen(cam, focal, pp), faces, cam


def _pairwise(screen, faces, size, perspective_correct=True):
    """Independent per (face, pixel) quantities for one image of ``size``
    (an int or ``(H, W)``): signed distance (px) of the pixel centre to the
    triangle boundary (> 0 inside) and the depth of the triangle's plane
    there."""
    height, width = (size, size) if isinstance(size, int) else size
    v = screen[faces]                                   # (F, 3, 3)
    ys, xs = torch.meshgrid(torch.arange(height, dtype=screen.dtype),
                            torch.arange(width, dtype=screen.dtype),
                            indexing='ij')
    p = torch.stack([xs.reshape(-1), ys.reshape(-1)], -1)  # (HW, 2)
    a, b, c = v[:, None, 0, :2], v[:, None, 1, :2], v[:, None, 2, :2]
    orient = torch.sign((b - a)[..., 0] * (c - a)[..., 1] -
                        (b - a)[..., 1] * (c - a)[..., 0])
    dists = []
    for s, e in ((a, b), (b, c), (c, a)):
        d = e - s
        cross = d[..., 0] * (p - s)[..., 1] - d[..., 1] * (p - s)[..., 0]
        dists.append(orient * cross / d.norm(dim=-1))
    signed = torch.stack(dists, -1).amin(-1)            # (F, HW)
    # screen barycentrics by areas, then depth
    area = lambda q, r, t: (r - q)[..., 0] * (t - q)[..., 1] - \
        (r - q)[..., 1] * (t - q)[..., 0]  # noqa: E731
    total = area(a, b, c)
    lam = torch.stack([area(p, b, c), area(a, p, c), area(a, b, p)], -1) \
        / total[..., None]
    z = v[:, None, :, 2]
    depth = 1. / (lam / z).sum(-1) if perspective_correct else \
        (lam * z).sum(-1)
    return signed, depth


def _unambiguous(screen, faces, size, perspective_correct=True,
                 edge_eps=1e-4, depth_eps=1e-6):
    """(B, H, W) mask of pixels whose answer does not hinge on a tie: no
    centre within ``edge_eps`` px of any triangle's boundary, and the two
    nearest covering faces (if any) at least ``depth_eps`` apart."""
    height, width = (size, size) if isinstance(size, int) else size
    masks = []
    for sv in screen:
        signed, depth = _pairwise(sv, faces, size, perspective_correct)
        near_edge = (signed.abs() < edge_eps).any(0)
        depth = torch.where(signed > 0, depth, math.inf)
        two = depth.topk(min(2, depth.shape[0]), dim=0, largest=False).values
        tie = (two[1] - two[0] < depth_eps) if two.shape[0] > 1 else \
            torch.zeros_like(near_edge)
        tie &= torch.isfinite(two[0])
        masks.append((~near_edge & ~tie).view(height, width))
    return torch.stack(masks)


def _quad_mesh(dtype=torch.float64):
    """Four triangles on an 8 x 8 image, no pixel centre within 0.03 px of
    an edge: a quad (two faces sharing an edge) and a triangle in front of
    part of it, with a fourth behind it."""
    xy = torch.tensor([[0.48, 0.83], [6.56, 1.36], [5.61, 6.55],
                       [1.34, 5.72],                      # quad
                       [3.29, 2.53], [7.39, 4.58], [4.34, 7.32],  # front
                       [-1.18, 3.26], [3.67, -0.93], [2.18, 7.35]],
                      dtype=dtype)
    z = torch.tensor([2.0, 2.3, 2.6, 2.2, 1.2, 1.4, 1.3, 3.1, 3.3, 3.2],
                     dtype=dtype)
    screen = torch.cat([xy, z[:, None]], -1)[None]
    faces = torch.tensor([[0, 1, 2], [0, 2, 3], [4, 5, 6], [7, 8, 9]])
    return screen, faces


# ------------------------------------------- (a) brute-force agreement


@pytest.mark.parametrize('size', [32, 64])
@pytest.mark.parametrize('seed', [0, 1, 2])
@pytest.mark.parametrize('path', ['grid', 'ragged'])
def test_matches_brute_force_on_random_triangles(size, seed, path,
                                                 monkeypatch):
    # force every bucket through one of the two candidate enumerations
    monkeypatch.setattr(kernels_module, 'GRID_MIN_CELLS',
                        0 if path == 'grid' else 2 ** 62)
    screen, faces, _ = _random_soup(2, 40, size, seed)
    ours = rasterize(screen, faces, (size, size), max_candidates=512)
    ref = rasterize_brute_force(screen, faces, (size, size))
    clear = _unambiguous(screen, faces, size)
    assert clear.float().mean() > 0.95
    covered = ref.face_idx >= 0
    assert covered.float().mean() > 0.2          # a non-trivial scene
    assert torch.equal(ours.face_idx[clear], ref.face_idx[clear])
    same = ours.face_idx == ref.face_idx
    assert same.float().mean() > 0.99
    torch.testing.assert_close(ours.bary[same], ref.bary[same], rtol=0,
                               atol=1e-5)
    torch.testing.assert_close(ours.depth[same], ref.depth[same], rtol=0,
                               atol=1e-5)
    # background convention
    bg = ours.face_idx < 0
    assert (ours.depth[bg] == 0).all() and (ours.bary[bg] == 0).all()
    # the barycentrics of covered pixels are a convex combination
    assert (ours.bary[~bg] >= 0).all()
    torch.testing.assert_close(ours.bary[~bg].sum(-1),
                               torch.ones_like(ours.depth[~bg]))


@pytest.mark.parametrize('perspective_correct,cull', [(False, False),
                                                      (True, True)])
def test_matches_brute_force_options(perspective_correct, cull):
    size = 32
    screen, faces, _ = _random_soup(2, 40, size, seed=5)
    kw = dict(perspective_correct=perspective_correct, cull_backfaces=cull)
    ours = rasterize(screen, faces, (size, size), **kw)
    ref = rasterize_brute_force(screen, faces, (size, size), **kw)
    clear = _unambiguous(screen, faces, size, perspective_correct) \
        if not cull else torch.ones_like(ours.face_idx, dtype=torch.bool)
    assert torch.equal(ours.face_idx[clear], ref.face_idx[clear])
    same = ours.face_idx == ref.face_idx
    torch.testing.assert_close(ours.bary[same], ref.bary[same], rtol=0,
                               atol=1e-5)
    torch.testing.assert_close(ours.depth[same], ref.depth[same], rtol=0,
                               atol=1e-5)
    if cull:  # only faces counter-clockwise on screen survive
        full = rasterize(screen, faces, (size, size))
        for b in range(2):
            fb = ours.face_idx[b][ours.face_idx[b] >= 0].unique()
            t = screen[b][faces[fb]]
            area2 = (t[:, 1, 0] - t[:, 0, 0]) * (t[:, 2, 1] - t[:, 0, 1]) - \
                (t[:, 1, 1] - t[:, 0, 1]) * (t[:, 2, 0] - t[:, 0, 0])
            assert (area2 < 0).all()
        assert (ours.face_idx >= 0).sum() < (full.face_idx >= 0).sum()


def test_non_square_image_matches_brute_force():
    screen, faces, _ = _random_soup(2, 40, 40, seed=6)
    screen = screen - torch.tensor([0., 8., 0.], dtype=screen.dtype)
    size = (24, 40)
    ours = rasterize(screen, faces, size)
    ref = rasterize_brute_force(screen, faces, size)
    assert ours.face_idx.shape == (2, 24, 40)
    clear = _unambiguous(screen, faces, size)
    assert torch.equal(ours.face_idx[clear], ref.face_idx[clear])
    same = ours.face_idx == ref.face_idx
    torch.testing.assert_close(ours.bary[same], ref.bary[same], rtol=0,
                               atol=1e-5)


def test_float32_matches_float64():
    size = 64
    screen, faces, _ = _random_soup(2, 60, size, seed=3)
    ours32 = rasterize(screen.float(), faces, (size, size))
    ours64 = rasterize(screen, faces, (size, size))
    clear = _unambiguous(screen, faces, size, edge_eps=1e-3,
                         depth_eps=1e-4)
    assert torch.equal(ours32.face_idx[clear], ours64.face_idx[clear])
    same = ours32.face_idx == ours64.face_idx
    torch.testing.assert_close(ours32.bary[same], ours64.bary[same].float(),
                               rtol=0, atol=1e-5)
    assert ours32.bary.dtype == torch.float32


def test_chunking_does_not_change_the_result():
    screen, faces, _ = _random_soup(2, 120, 48, seed=7)
    screen = screen.float()
    base = rasterize(screen, faces, (48, 48))
    for max_candidates, per_pass in ((1, None), (37, 1), (4096, 1),
                                     (4096, 2)):
        other = rasterize(screen, faces, (48, 48),
                          max_candidates=max_candidates,
                          images_per_pass=per_pass)
        assert torch.equal(other.face_idx, base.face_idx)
        assert torch.equal(other.bary, base.bary)
        assert torch.equal(other.depth, base.depth)


# ------------------------------------------------- (b) hand-made cases


def test_right_triangle_covers_the_hand_counted_pixels():
    # corners (0,0), (4,0), (0,4): centres (j, i) with i, j >= 0 and
    # i + j <= 4 are covered (edges inclusive): 5 + 4 + 3 + 2 + 1 = 15
    screen = torch.tensor([[[0., 0., 1.], [4., 0., 1.], [0., 4., 1.]]])
    frags = rasterize(screen, torch.tensor([[0, 1, 2]]), (8, 8))
    expected = torch.zeros(8, 8, dtype=torch.bool)
    for i in range(8):
        for j in range(8):
            expected[i, j] = i + j <= 4
    assert int(expected.sum()) == 15
    assert torch.equal(frags.face_idx[0] == 0, expected)
    # the pixel (i, j) = (1, 2) is the point (2, 1): bary (1/4, 1/2, 1/4)
    torch.testing.assert_close(frags.bary[0, 1, 2],
                               torch.tensor([0.25, 0.5, 0.25]))


def test_coverage_equals_an_exact_point_in_triangle_count():
    # exact rational area test: P inside (or on) ABC iff the three
    # sub-triangle areas sum to the area of ABC
    pts = [(Fraction(3, 2), Fraction(6, 5)), (Fraction(63, 10),
                                              Fraction(27, 10)),
           (Fraction(11, 5), Fraction(34, 5))]

    def area(p, q, r):
        return abs((q[0] - p[0]) * (r[1] - p[1]) -
                   (q[1] - p[1]) * (r[0] - p[0]))

    total = area(*pts)
    expected = torch.zeros(8, 8, dtype=torch.bool)
    for i in range(8):
        for j in range(8):
            p = (Fraction(j), Fraction(i))
            expected[i, j] = area(p, pts[1], pts[2]) + \
                area(pts[0], p, pts[2]) + area(pts[0], pts[1], p) == total
    screen = torch.tensor([[[float(x), float(y), 2.] for x, y in pts]],
                          dtype=torch.float64)
    for faces in ([[0, 1, 2]], [[0, 2, 1]]):   # either orientation
        frags = rasterize(screen, torch.tensor(faces), (8, 8))
        assert torch.equal(frags.face_idx[0] == 0, expected)
    assert 10 <= int(expected.sum()) <= 20


def test_nearer_triangle_wins_in_either_order():
    near = [[0., 0., 1.], [7., 0., 1.], [0., 7., 1.]]
    far = [[0., 0., 2.], [7., 0., 2.5], [0., 7., 3.]]
    for order in ((near, far), (far, near)):
        screen = torch.tensor([order[0] + order[1]])
        faces = torch.tensor([[0, 1, 2], [3, 4, 5]])
        frags = rasterize(screen, faces, (8, 8))
        near_idx = 0 if order[0] is near else 1
        covered = frags.face_idx[0] >= 0
        assert int(covered.sum()) == 36            # i + j <= 7
        assert (frags.face_idx[0][covered] == near_idx).all()
        assert torch.allclose(frags.depth[0][covered], torch.tensor(1.))


def test_shared_edge_is_watertight_and_ties_go_to_the_smaller_index():
    # a square split along its diagonal, both halves at the same depth:
    # every centre in the closed square is covered (no crack), centres on
    # the diagonal belong to both faces and go to face 0
    screen = torch.tensor([[[1., 1., 2.], [5., 1., 2.], [5., 5., 2.],
                            [1., 5., 2.]]])
    faces = torch.tensor([[0, 1, 2], [0, 2, 3]])
    frags = rasterize(screen, faces, (8, 8))
    fi = frags.face_idx[0]
    inside = torch.zeros(8, 8, dtype=torch.bool)
    inside[1:6, 1:6] = True
    assert torch.equal(fi >= 0, inside)
    for i in range(1, 6):
        for j in range(1, 6):
            assert fi[i, j] == (0 if j >= i else 1), (i, j)
    # swapping the faces moves the diagonal to the other one
    swapped = rasterize(screen, faces.flip(0), (8, 8)).face_idx[0]
    assert all(swapped[k, k] == 0 for k in range(1, 6))
    assert swapped[1, 4] == 1 and swapped[4, 1] == 0
    # a fan of 6 faces around a centre vertex covers a hexagon-like region
    # without cracks whatever the vertex order: compare with the union
    # from the reference
    angles = torch.arange(6) * (2 * math.pi / 6) + 0.1
    ring = torch.stack([16 + 11 * angles.cos(), 16 + 11 * angles.sin(),
                        torch.full((6,), 3.)], -1)
    fan_v = torch.cat([torch.tensor([[16., 16., 3.]]), ring])[None]
    fan_f = torch.tensor([[0, 1 + k, 1 + (k + 1) % 6] for k in range(6)])
    ours = rasterize(fan_v.double(), fan_f, (32, 32))
    ref = rasterize_brute_force(fan_v.double(), fan_f, (32, 32))
    assert torch.equal(ours.face_idx >= 0, ref.face_idx >= 0)


def test_faces_behind_the_camera_or_degenerate_are_not_drawn():
    screen = torch.tensor([[[0., 0., -1.], [7., 0., 1.], [0., 7., 1.],
                            [0., 0., 1.], [7., 7., 1.], [3.5, 3.5, 1.]]])
    faces = torch.tensor([[0, 1, 2], [3, 4, 5]])   # crosses z=0; collinear
    frags = rasterize(screen, faces, (8, 8))
    assert (frags.face_idx == -1).all()
    ref = rasterize_brute_force(screen, faces, (8, 8))
    assert (ref.face_idx == -1).all()
    # z_near: a face entirely at z = 0.5 disappears with z_near = 1
    screen = torch.tensor([[[0., 0., .5], [7., 0., .5], [0., 7., .5]]])
    assert (rasterize(screen, faces[:1], (8, 8)).face_idx >= 0).any()
    assert (rasterize(screen, faces[:1], (8, 8), z_near=1.).face_idx
            < 0).all()


def test_fragments_are_a_named_tuple_with_documented_shapes():
    screen, faces = _quad_mesh(torch.float32)
    frags = rasterize(screen, faces, (8, 6))
    face_idx, bary, depth = frags
    assert isinstance(frags, Fragments)
    assert face_idx.shape == (1, 8, 6) and face_idx.dtype == torch.long
    assert bary.shape == (1, 8, 6, 3) and depth.shape == (1, 8, 6)
    empty = rasterize(screen, faces[:0], (4, 4))
    assert (empty.face_idx == -1).all() and (empty.depth == 0).all()


# ------------------------------------------------ (c) gradients


def test_quad_mesh_precondition_no_centre_near_an_edge():
    screen, faces = _quad_mesh()
    signed, _ = _pairwise(screen[0], faces, 8)
    assert signed.abs().min() > 0.03


def test_gradcheck_interpolated_attributes():
    screen, faces = _quad_mesh()
    screen = screen.clone().requires_grad_(True)
    attrs = torch.randn(1, 10, 2, dtype=torch.float64, requires_grad=True)
    frags = rasterize(screen, faces, (8, 8))
    assert set(frags.face_idx.unique().tolist()) == {-1, 0, 1, 2, 3}

    def fn(sv, at):
        frags = rasterize(sv, faces, (8, 8))
        return interpolate_vertex_attributes(at, faces, frags, sv)

    assert torch.autograd.gradcheck(fn, (screen, attrs))
    # without screen vertices: differentiable w.r.t. attributes only
    assert torch.autograd.gradcheck(
        lambda at: interpolate_vertex_attributes(at, faces, frags),
        (attrs,))

    def depth_fn(sv):
        return render_depth(rasterize(sv, faces, (8, 8)), sv, faces)

    assert torch.autograd.gradcheck(depth_fn, (screen,))

    def ortho_fn(sv, at):
        frags = rasterize(sv, faces, (8, 8), perspective_correct=False)
        return interpolate_vertex_attributes(at[0], faces, frags, sv,
                                             perspective_correct=False)

    assert torch.autograd.gradcheck(ortho_fn, (screen, attrs))


def test_recomputed_barycentrics_equal_the_rasterizer_ones():
    screen, faces, _ = _random_soup(2, 40, 32, seed=11)
    attrs = torch.randn(2, screen.shape[1], 3, dtype=torch.float64)
    frags = rasterize(screen, faces, (32, 32))
    plain = interpolate_vertex_attributes(attrs, faces, frags)
    recomputed = interpolate_vertex_attributes(attrs, faces, frags, screen)
    torch.testing.assert_close(plain, recomputed, rtol=0, atol=1e-9)
    torch.testing.assert_close(render_depth(frags),
                               render_depth(frags, screen, faces), rtol=0,
                               atol=1e-9)


def test_background_values_face_attributes_and_mask():
    screen, faces = _quad_mesh()
    frags = rasterize(screen, faces, (8, 8))
    mask = render_mask(frags)
    assert mask.dtype == torch.float32
    assert torch.equal(mask.bool(), frags.face_idx >= 0)
    bg = torch.tensor([-1., 7.], dtype=torch.float64)
    out = interpolate_vertex_attributes(torch.ones(10, 2,
                                                   dtype=torch.float64),
                                        faces, frags, background=bg)
    assert (out[~mask.bool()] == bg).all()
    torch.testing.assert_close(out[mask.bool()],   # barycentrics sum to 1
                               torch.ones_like(out[mask.bool()]))
    part = torch.tensor([[10.], [11.], [12.], [13.]], requires_grad=True)
    per_face = interpolate_face_attributes(part, frags, background=-1.)
    expected = torch.where(frags.face_idx >= 0, frags.face_idx + 10., -1.)
    assert torch.equal(per_face[..., 0], expected)
    per_face.sum().backward()
    counts = torch.bincount(frags.face_idx[frags.face_idx >= 0],
                            minlength=4).float()
    assert torch.equal(part.grad[:, 0], counts)
    # batched face values
    batched = interpolate_face_attributes(part.detach()[None] * 2, frags)
    assert torch.equal(batched[..., 0],
                       torch.where(frags.face_idx >= 0,
                                   2 * (frags.face_idx + 10.), 0.))
    depth = render_depth(frags, background=5.)
    assert (depth[~mask.bool()] == 5).all()


# ------------------------------------- (d) perspective correctness


def test_interpolated_camera_points_are_ray_plane_intersections():
    size = 48
    screen, faces, cam = _random_soup(2, 30, size, seed=4)
    focal, pp = size * 0.8, (size - 1) / 2
    frags = rasterize(screen, faces, (size, size))
    points = interpolate_vertex_attributes(cam, faces, frags)  # (B,H,W,3)
    covered = frags.face_idx >= 0
    b, i, j = covered.nonzero(as_tuple=True)
    tri = cam[b[:, None], faces[frags.face_idx[b, i, j]]]       # (M, 3, 3)
    normal = torch.linalg.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    jf, i_f = j.double(), i.double()
    ray = torch.stack([(jf - pp) / focal, (i_f - pp) / focal,
                       torch.ones_like(jf)], -1)
    t = (normal * tri[:, 0]).sum(-1) / (normal * ray).sum(-1)
    hit = ray * t[:, None]
    torch.testing.assert_close(points[b, i, j], hit, rtol=0, atol=1e-9)
    torch.testing.assert_close(frags.depth[b, i, j], hit[:, 2], rtol=0,
                               atol=1e-9)
    # screen-space (not perspective-correct) interpolation is off
    lin = rasterize(screen, faces, (size, size), perspective_correct=False)
    lin_points = interpolate_vertex_attributes(cam, faces, lin)
    assert (lin_points[b, i, j] - hit).abs().max() > 1e-3


def test_orthographic_screen_is_exact_with_linear_interpolation():
    g = torch.Generator().manual_seed(0)
    verts = torch.rand(1, 12, 3, generator=g, dtype=torch.float64)
    verts[..., 2] += 1.
    faces = torch.arange(12).reshape(4, 3)
    screen = to_screen_orthographic(verts, torch.tensor([20.]),
                                    torch.tensor([[2., 3.]]))
    torch.testing.assert_close(screen[..., :2], verts[..., :2] * 20 +
                               torch.tensor([2., 3.], dtype=torch.float64))
    frags = rasterize(screen, faces, (24, 24), perspective_correct=False)
    pts = interpolate_vertex_attributes(verts, faces, frags)
    b, i, j = (frags.face_idx >= 0).nonzero(as_tuple=True)
    torch.testing.assert_close(pts[b, i, j, 0], (j.double() - 2.) / 20)
    torch.testing.assert_close(pts[b, i, j, 1], (i.double() - 3.) / 20)
    torch.testing.assert_close(pts[b, i, j, 2], frags.depth[b, i, j])


# ---------------------------------------------- (e) Anny silhouette


@pytest.fixture(scope='module')
def anny_screen():
    from hmrzoo.body_models import Anny
    anny = Anny()
    go = torch.diag(torch.tensor([1., -1., -1.]))[None, None]  # face camera
    with torch.no_grad():
        out = anny(go, torch.eye(3).expand(1, 23, 3, 3).clone(),
                   transl=torch.tensor([[0., 0., 3.]]))
    screen = to_screen(out['vertices'], torch.full((1, 2), 60.),
                       torch.full((1, 2), 31.5))
    return screen, anny.faces


def test_anny_silhouette_is_symmetric_and_matches_brute_force(anny_screen):
    screen, faces = anny_screen
    frags = rasterize(screen, faces, (64, 64))
    mask = render_mask(frags)[0]
    assert 100 < mask.sum() < 64 * 64 / 4
    # left-right mirror symmetric about the principal point x = 31.5
    assert (mask != mask.flip(-1)).sum() <= 4
    # the head is at the top, the feet at the bottom (y down)
    rows = mask.sum(1).nonzero()[:, 0]
    assert rows.min() < 20 and rows.max() > 44
    ref = rasterize_brute_force(screen, faces, (64, 64))
    assert torch.equal(render_mask(ref)[0], mask)
    assert (ref.face_idx == frags.face_idx).float().mean() > 0.999
    # depth of the visible surface: in front of the body centre (3 m)
    depth = frags.depth[0][mask.bool()]
    assert depth.min() > 2.7 and depth.max() < 3.1
    assert depth.mean() < 3.
    # back faces are never visible on a closed, outward-oriented body
    culled = rasterize(screen, faces, (64, 64), cull_backfaces=True)
    assert torch.equal(render_mask(culled), render_mask(frags))


def test_grid_and_ragged_paths_agree_on_anny(anny_screen, monkeypatch):
    screen, faces = anny_screen
    screen = torch.cat([screen, screen + torch.tensor([3.3, -2.1, 0.])])
    screen = (screen - 31.5) * 2.5 + 63.5       # 128 x 128, larger faces
    outs = []
    for cells in (0, 2 ** 62):
        monkeypatch.setattr(kernels_module, 'GRID_MIN_CELLS', cells)
        outs.append(rasterize(screen, faces, (128, 128)))
    assert torch.equal(outs[0].face_idx, outs[1].face_idx)
    assert torch.equal(outs[0].bary, outs[1].bary)


# --------------------------------------------- camera -> screen maps


def _body(batch=2, n=30, seed=0):
    g = torch.Generator().manual_seed(seed)
    pts = torch.rand(batch, n, 3, generator=g, dtype=torch.float64) - 0.5
    return pts * torch.tensor([0.8, 1.8, 0.5], dtype=torch.float64)


def test_projection_to_screen_reproduces_each_projection():
    from hmrzoo.cameras import (CliffFullFrameProjection, D2SProjection,
                                PerspectiveProjection,
                                WeakPerspectiveProjection)
    pts = _body()
    size = (48, 64)                                     # H, W
    wh = torch.tensor([64., 48.], dtype=torch.float64)

    def normalised(uv):                       # [-1, 1] -> pixel centres
        return (uv + 1) / 2 * wh - 0.5

    cam = torch.tensor([[0.9, 0.1, -0.05], [1.1, -0.2, 0.1]],
                       dtype=torch.float64)
    for proj in (WeakPerspectiveProjection(),
                 WeakPerspectiveProjection(perspective=False)):
        screen = projection_to_screen(proj, cam, pts, size)
        torch.testing.assert_close(screen[..., :2], normalised(proj(pts,
                                                                    cam)))
        transl = proj.camera_translation(cam)
        torch.testing.assert_close(screen[..., 2],
                                   pts[..., 2] + transl[:, None, 2])
    d2s = D2SProjection()
    cam4 = torch.tensor([[0.9, 0.1, -0.05, 5.], [1.1, -0.2, 0.1, 8.]],
                        dtype=torch.float64)
    torch.testing.assert_close(
        projection_to_screen(d2s, cam4, pts, size)[..., :2],
        normalised(d2s(pts, cam4)))
    persp = PerspectiveProjection(focal_length=500.,
                                  principal_point=(32., 24.))
    t = torch.tensor([[0.1, 0.2, 6.], [-0.1, 0., 8.]], dtype=torch.float64)
    screen = projection_to_screen(persp, t, pts, size)
    torch.testing.assert_close(screen[..., :2], persp(pts, t))
    torch.testing.assert_close(screen[..., 2], pts[..., 2] + t[:, None, 2])
    # rendering a 128 x 96 camera image at 64 x 48
    half = projection_to_screen(persp, t, pts, size, frame_size=(128, 96))
    torch.testing.assert_close(half[..., :2],
                               (persp(pts, t) + 0.5) / 2 - 0.5)
    cliff = CliffFullFrameProjection(crop_size=(64, 48))
    meta = dict(center=torch.tensor([[300., 200.], [250., 260.]]),
                bbox_size=torch.tensor([180., 220.]),
                img_size=torch.tensor([[640., 480.], [640., 480.]]))
    torch.testing.assert_close(
        projection_to_screen(cliff, cam, pts, (480, 640), **meta)[..., :2],
        cliff(pts, cam, **meta))
    crop_trans = torch.tensor([[[0.3, 0., -50.], [0., 0.3, -40.]]] * 2,
                              dtype=torch.float64)
    torch.testing.assert_close(
        projection_to_screen(cliff, cam, pts, size, crop_trans=crop_trans,
                             **meta)[..., :2],
        normalised(cliff(pts, cam, crop_trans=crop_trans, **meta)))


def test_to_screen_is_a_pinhole_projection():
    from hmrzoo.cameras import perspective_project
    pts = _body() + torch.tensor([0., 0., 4.], dtype=torch.float64)
    focal = torch.tensor([[500., 510.], [480., 470.]], dtype=torch.float64)
    pp = torch.tensor([[32., 24.], [30., 20.]], dtype=torch.float64)
    screen = to_screen(pts, focal, pp)
    torch.testing.assert_close(
        screen[..., :2],
        perspective_project(pts, torch.zeros(2, 3, dtype=torch.float64),
                            focal, pp))
    torch.testing.assert_close(screen[..., 2], pts[..., 2])
    # a number and a pair are shared by the batch
    shared = to_screen(pts, 500., (32., 24.))
    torch.testing.assert_close(
        shared[..., 0], pts[..., 0] / pts[..., 2] * 500. + 32.)
    torch.testing.assert_close(
        shared[..., 1], pts[..., 1] / pts[..., 2] * 500. + 24.)


# ------------------------------------------------------- devices


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    screen, faces, _ = _random_soup(2, 200, 64, seed=9)
    cpu = rasterize(screen.float(), faces, (64, 64))
    gpu = rasterize(screen.float().cuda(), faces.cuda(), (64, 64))
    assert torch.equal(gpu.face_idx.cpu(), cpu.face_idx)
    torch.testing.assert_close(gpu.bary.cpu(), cpu.bary, rtol=0, atol=1e-5)
    torch.testing.assert_close(gpu.depth.cpu(), cpu.depth, rtol=0,
                               atol=1e-5)


def test_accelerator_path_places_every_tensor_on_the_device():
    """The path a GPU takes (``device.type != 'cpu'``: whole batch per
    pass), on the stand-in accelerator: every tensor it makes is on the
    input's device (else it raises as CUDA would), and fragments, depth,
    interpolated attributes and their gradients equal the CPU's."""
    from hmrzoo.testing.stand_in_device import stand_in_device
    screen, faces, _ = _random_soup(2, 200, 64, seed=9,
                                    dtype=torch.float32)
    attrs = torch.randn(2, screen.shape[1], 3)

    def run(sv, at):
        sv, at = sv.clone().requires_grad_(), at.clone().requires_grad_()
        fc = faces.to(sv.device)
        frags = rasterize(sv, fc, (64, 64))
        img = interpolate_vertex_attributes(at, fc, frags, sv)
        depth = render_depth(frags, sv, fc)
        (img.square().sum() + depth.sum()).backward()
        return [t.detach().cpu() for t in (frags.face_idx, frags.bary, img,
                                           depth, sv.grad, at.grad)]

    cpu = run(screen, attrs)
    with stand_in_device() as dev:
        dev_out = run(screen.to(dev), attrs.to(dev))
    assert (cpu[0] >= 0).sum() > 1000  # a real scene, covered pixels
    assert torch.equal(dev_out[0], cpu[0])
    for got, want in zip(dev_out[1:], cpu[1:]):
        torch.testing.assert_close(got, want, rtol=0, atol=1e-5)


# ------------------------------------------------ (f) pytorch3d


def test_matches_pytorch3d_rasterize_meshes():
    """pytorch3d's screen NDC has +x to the LEFT and +y UP, and for a square
    S x S image pixel (i, j) has its centre at ``x_ndc = 1 - (2 j + 1) / S``,
    ``y_ndc = 1 - (2 i + 1) / S``; z is kept.  So hmrzoo's pixel
    coordinates (x, y) map to ``(1 - (2 x + 1) / S, 1 - (2 y + 1) / S,
    z)``.  Both axes flip, so on-screen orientation is unchanged."""
    pytest.importorskip('pytorch3d')
    from pytorch3d.renderer.mesh.rasterize_meshes import rasterize_meshes
    from pytorch3d.structures import Meshes
    size = 64
    screen, faces, _ = _random_soup(2, 40, size, seed=2,
                                    dtype=torch.float32)
    ndc = torch.stack([1 - (2 * screen[..., 0] + 1) / size,
                       1 - (2 * screen[..., 1] + 1) / size,
                       screen[..., 2]], -1)
    meshes = Meshes(verts=list(ndc), faces=[faces, faces])
    p2f, zbuf, bary, _ = rasterize_meshes(
        meshes, image_size=size, blur_radius=0., faces_per_pixel=1,
        bin_size=0, perspective_correct=True)
    p2f = p2f[..., 0]
    offset = torch.arange(2)[:, None, None] * faces.shape[0]
    p3d_idx = torch.where(p2f >= 0, p2f - offset, -1)
    ours = rasterize(screen, faces, (size, size))
    clear = _unambiguous(screen.double(), faces, size, edge_eps=1e-3,
                         depth_eps=1e-4)
    assert torch.equal(ours.face_idx[clear], p3d_idx[clear])
    same = (ours.face_idx == p3d_idx) & (p3d_idx >= 0)
    torch.testing.assert_close(ours.bary[same], bary[..., 0, :][same],
                               rtol=0, atol=1e-4)
    torch.testing.assert_close(ours.depth[same], zbuf[..., 0][same],
                               rtol=0, atol=1e-4)
