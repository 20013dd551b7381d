"""Any projection's camera as the photograph's pinhole camera
(hmrzoo.cameras.full_image), against CLIFF's crop-to-full formula and
CLIFF's own full-image camera."""
import numpy as np
import torch

from hmrzoo.cameras import (CliffFullFrameProjection,
                            WeakPerspectiveProjection, cam_crop2full)
from hmrzoo.cameras.full_image import full_image_camera, photo_pinhole
from hmrzoo.datasets.transforms.geometry import crop_transform, invert_affine


def _crop_to_image(centers, sizes, crop):
    return torch.tensor(np.stack([
        invert_affine(crop_transform(c, (s, s), 0., crop))
        for c, s in zip(centers, sizes)]), dtype=torch.float32)


def test_weak_perspective_crop_camera_matches_cliffs_crop2full():
    torch.manual_seed(0)
    cam = torch.tensor([[0.9, 0.1, -0.2], [1.3, -0.05, 0.3]])
    centers = np.array([[300.3, 200.7], [80., 410.]])
    sizes = np.array([180., 95.5])
    img_wh = torch.tensor([[640., 480.], [640., 480.]])
    proj = WeakPerspectiveProjection(focal_length=5000., img_res=224)
    out = full_image_camera(proj, cam, _crop_to_image(centers, sizes,
                                                      (224, 224)),
                            (224, 224), img_wh)
    # CLIFF measures the box centre from the image's outer edge (+0.5)
    expect = cam_crop2full(cam, torch.tensor(centers + .5,
                                             dtype=torch.float32),
                           torch.tensor(sizes, dtype=torch.float32), img_wh)
    assert torch.allclose(out['translation'], expect, rtol=1e-5, atol=1e-5)


def test_body_origin_projects_to_the_same_pixel_and_scale():
    cam = torch.tensor([[1.1, 0.2, 0.1]])
    proj = WeakPerspectiveProjection(focal_length=5000., img_res=256)
    c2i = _crop_to_image([[500., 120.]], [150.], (256, 256))
    own = photo_pinhole(proj, cam, c2i, (256, 256))
    full = full_image_camera(proj, cam, c2i, (256, 256),
                             torch.tensor([[1000., 700.]]), 900.)
    # the own camera: f = 2 f0 / res scaled by b / 2 (normalised -> pixels)
    assert torch.allclose(own['focal'], torch.full((1, 2),
                                                   5000. * 150. / 256.))
    assert torch.allclose(own['principal_point'], torch.tensor([[500.,
                                                                 120.]]))

    def pixel(t, f, c):
        return f * t[:, :2] / t[:, 2:] + c
    assert torch.allclose(pixel(own['translation'], own['focal'],
                                own['principal_point']),
                          pixel(full['translation'], full['focal'],
                                full['principal_point']), atol=1e-3)
    # apparent size (focal / depth) is kept
    assert torch.allclose(own['focal'][:, 0] / own['translation'][:, 2],
                          full['focal'][:, 0] / full['translation'][:, 2])


def test_cliffs_own_camera_is_kept():
    cam = torch.tensor([[0.8, 0.05, 0.1]])
    center, size = np.array([[410., 260.]]), np.array([240.])
    img_wh = torch.tensor([[960., 540.]])
    crop = (192, 256)
    region = (size[0] * 192 / 256, size[0])
    c2i = torch.tensor(invert_affine(crop_transform(center[0], region, 0.,
                                                    crop))[None],
                       dtype=torch.float32)
    proj = CliffFullFrameProjection(crop_size=crop)
    edge = np.array(crop_transform(center[0], region, 0., crop))
    edge[:, 2] += 0.5 - 0.5 * edge[:, :2].sum(-1)        # edge convention
    meta = dict(center=torch.tensor(center + .5, dtype=torch.float32),
                bbox_size=torch.tensor(size, dtype=torch.float32),
                img_size=img_wh, focal_length=torch.tensor([1101.4]),
                crop_trans=torch.tensor(edge[None], dtype=torch.float32),
                crop_size=torch.tensor([crop], dtype=torch.float32))
    out = full_image_camera(proj, cam, c2i, crop, img_wh, 1101.4, **meta)
    assert torch.allclose(out['translation'],
                          proj.camera_translation(cam, **meta), atol=1e-5)
    # CLIFF's own camera, read through the contract and the crop: focal
    # 1101.4 and the image centre in pixel-centre coordinates
    own = photo_pinhole(proj, cam, c2i, crop, **meta)
    assert torch.allclose(own['focal'], torch.full((1, 2), 1101.4),
                          rtol=1e-5)
    assert torch.allclose(own['principal_point'],
                          torch.tensor([[479.5, 269.5]]), atol=1e-3)
