"""Value tests of CLIFF's bbox information and crop <-> full camera."""
import pytest
import torch

from hmrzoo.cameras import (CliffFullFrameProjection, PerspectiveProjection,
                            WeakPerspectiveProjection, bbox_info,
                            cam_crop2full, cam_full2crop,
                            default_focal_length)

F64 = dict(dtype=torch.float64)


def _body(batch, n=25, seed=0):
    g = torch.Generator().manual_seed(seed)
    pts = torch.rand(batch, n, 3, generator=g, **F64) - 0.5
    return pts * torch.tensor([0.8, 1.8, 0.5], **F64)


def _crop_trans(center, bbox_size, crop_res):
    """Affine full-image pixels -> crop pixels of a square crop of side
    ``crop_res`` cut around ``center`` with side ``bbox_size`` (no rotation).
    """
    k = crop_res / bbox_size
    trans = torch.zeros(center.shape[0], 2, 3, **F64)
    trans[:, 0, 0] = trans[:, 1, 1] = k
    trans[:, :, 2] = crop_res / 2. - k[:, None] * center
    return trans


# 640 x 480 image: the diagonal focal is exactly 800 px
IMG = torch.tensor([[640., 480.]], **F64)
CENTER = torch.tensor([[400., 200.]], **F64)
SIZE = torch.tensor([240.], **F64)


def test_default_focal_is_diagonal():
    assert default_focal_length(IMG).tolist() == [800.]


def test_bbox_info_hand_computed():
    # offsets (80, -40) / 800 = (0.1, -0.05); b / f = 0.3
    info = bbox_info(CENTER, SIZE, IMG)
    assert torch.allclose(info, torch.tensor([[0.28, -0.14, 1.0]], **F64))
    plain = bbox_info(CENTER, SIZE, IMG, normalise='plain')
    assert torch.allclose(plain, torch.tensor([[0.1, -0.05, 0.3]], **F64))
    # an explicit focal (B,) replaces the diagonal: f = 400
    info = bbox_info(CENTER, SIZE, IMG, torch.tensor([400.], **F64))
    assert torch.allclose(info, torch.tensor(
        [[0.56, -0.28, (0.6 - 0.24) / 0.06]], **F64))
    with pytest.raises(ValueError):
        bbox_info(CENTER, SIZE, IMG, normalise='other')


def test_crop2full_hand_computed():
    crop_cam = torch.tensor([[0.5, 0.1, -0.2]], **F64)
    full = cam_crop2full(crop_cam, CENTER, SIZE, IMG)
    # b s = 120: tz = 1600/120, tx = 160/120 + 0.1, ty = -80/120 - 0.2
    expected = torch.tensor([[160. / 120 + 0.1, -80. / 120 - 0.2,
                              1600. / 120]], **F64)
    assert torch.allclose(full, expected)
    # same with an explicit focal of 800
    assert torch.allclose(cam_crop2full(crop_cam, CENTER, SIZE, IMG, 800.),
                          expected)


def test_crop_full_round_trip():
    g = torch.Generator().manual_seed(1)
    B = 16
    crop_cam = torch.cat([torch.rand(B, 1, generator=g, **F64) + 0.3,
                          torch.randn(B, 2, generator=g, **F64) * 0.2], -1)
    img = torch.tensor([[1920., 1080.]], **F64).expand(B, 2)
    center = torch.rand(B, 2, generator=g, **F64) * img
    size = torch.rand(B, generator=g, **F64) * 600 + 50
    focal = torch.rand(B, generator=g, **F64) * 2000 + 500
    full = cam_crop2full(crop_cam, center, size, img, focal)
    assert torch.allclose(cam_full2crop(full, center, size, img, focal),
                          crop_cam, atol=1e-10)
    assert torch.allclose(
        cam_crop2full(cam_full2crop(full, center, size, img, focal), center,
                      size, img, focal), full, atol=1e-9)


def test_full_frame_projection_matches_pinhole():
    B = 2
    pts = _body(B)
    cam = torch.tensor([[0.9, 0.05, 0.1], [0.6, -0.1, 0.2]], **F64)
    meta = dict(center=torch.tensor([[300., 260.], [100., 50.]], **F64),
                bbox_size=torch.tensor([200., 150.], **F64),
                img_size=torch.tensor([[640., 480.], [640., 480.]], **F64))
    proj = CliffFullFrameProjection()
    out = proj(pts, cam, **meta)
    transl = cam_crop2full(cam, meta['center'], meta['bbox_size'],
                           meta['img_size'])
    ref = PerspectiveProjection(focal_length=800.,
                                principal_point=(320., 240.))(pts, transl)
    assert torch.allclose(out, ref)
    assert torch.allclose(proj.camera_translation(cam, **meta), transl)


def test_centred_bbox_full_then_crop_equals_crop_camera():
    """A crop centred on the image: projecting with the full camera and then
    cutting the crop equals SPIN's crop projection whose focal is the full
    focal expressed in crop pixels (f * r / b)."""
    B, r = 3, 224
    pts = _body(B, seed=2)
    img = torch.tensor([[640., 480.], [1000., 1000.], [300., 600.]], **F64)
    center = img / 2
    size = torch.tensor([300., 450., 200.], **F64)
    focal = torch.tensor([800., 1500., 400.], **F64)
    cam = torch.tensor([[0.9, 0.0, 0.1], [1.1, 0.2, -0.1], [0.7, -0.1, 0.]],
                       **F64)
    proj = CliffFullFrameProjection(crop_size=(r, r))
    out = proj(pts, cam, center=center, bbox_size=size, img_size=img,
               focal_length=focal, crop_trans=_crop_trans(center, size, r))
    for i in range(B):
        crop_proj = WeakPerspectiveProjection(
            focal_length=float(focal[i]) * r / float(size[i]), img_res=r,
            eps=0.)
        ref = crop_proj(pts[i:i + 1], cam[i:i + 1])
        assert torch.allclose(out[i:i + 1], ref, atol=1e-9)


def test_body_origin_lands_at_s_t_in_any_crop():
    """The body origin projects to (s tx, s ty) of the normalised crop,
    wherever the bbox is (that is what the crop -> full relation encodes).
    """
    B, r = 4, 256
    g = torch.Generator().manual_seed(3)
    img = torch.tensor([[1280., 720.]], **F64).expand(B, 2)
    center = torch.rand(B, 2, generator=g, **F64) * img
    size = torch.rand(B, generator=g, **F64) * 300 + 100
    cam = torch.cat([torch.rand(B, 1, generator=g, **F64) + 0.5,
                     torch.randn(B, 2, generator=g, **F64) * 0.3], -1)
    origin = torch.zeros(B, 1, 3, **F64)
    proj = CliffFullFrameProjection(crop_size=(r, r))
    out = proj(origin, cam, center=center, bbox_size=size, img_size=img,
               crop_trans=_crop_trans(center, size, r))
    assert torch.allclose(out[:, 0], cam[:, :1] * cam[:, 1:], atol=1e-9)
    # un-normalised: crop pixels = (out + 1) * r / 2
    pix = CliffFullFrameProjection(normalise_crop=False)(
        origin, cam, center=center, bbox_size=size, img_size=img,
        crop_trans=_crop_trans(center, size, r))
    assert torch.allclose(pix, (out + 1) * r / 2, atol=1e-9)


def test_missing_meta_raises():
    with pytest.raises(KeyError):
        CliffFullFrameProjection()(torch.zeros(1, 2, 3), torch.ones(1, 3))


def test_integer_geometry_is_accepted():
    info = bbox_info(torch.tensor([[400, 200]]), torch.tensor([240]),
                     torch.tensor([[640, 480]]))
    assert torch.allclose(info, torch.tensor([[0.28, -0.14, 1.0]]))
    crop_cam = torch.tensor([[0.5, 0.1, -0.2]], **F64)
    full = cam_crop2full(crop_cam, torch.tensor([[400, 200]]),
                         torch.tensor([240]), torch.tensor([[640, 480]]))
    assert full.dtype == torch.float64
    assert torch.allclose(full, cam_crop2full(crop_cam, CENTER, SIZE, IMG))
