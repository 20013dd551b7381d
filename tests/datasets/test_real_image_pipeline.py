"""Annotation file + image on disk -> default pipeline -> packed sample whose
2D target is where the full-image camera projects the 3D keypoints."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from hmrzoo.cameras.cliff import CliffFullFrameProjection, cam_full2crop
from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.datasets.human_image_dataset import HumanImageDataset
from hmrzoo.structures import RoIGeometry, projection_meta

init_default_scope('hmrzoo')
W, H, F = 320, 240, 300.


def _scene(tmp_path):
    """One image and a person whose 17 COCO points are the perspective
    projection (focal F, principal point at the image centre) of known
    camera-frame 3D points, in the annotation's pixel-centre convention
    (the image centre is at ((W - 1) / 2, (H - 1) / 2))."""
    rng = np.random.default_rng(0)
    pts3d = rng.normal(0, 0.3, (17, 3)) + [0.2, 0.1, 4.0]
    uv = F * pts3d[:, :2] / pts3d[:, 2:] + [(W - 1) / 2, (H - 1) / 2]
    img = (rng.random((H, W, 3)) * 255).astype(np.uint8)
    (tmp_path / 'imgs').mkdir()
    cv2.imwrite(str(tmp_path / 'imgs' / 'frame.png'), img)
    lo, hi = uv.min(0), uv.max(0)
    data = dict(
        image_path=np.array(['imgs/frame.png']),
        bbox_xywh=np.concatenate([lo, hi - lo])[None],
        keypoints2d=keypoints_to_superset(uv[None], 'coco'),
        keypoints3d=keypoints_to_superset(pts3d[None], 'coco'),
        focal_length=np.array([[F, F]]),
        principal_point=np.array([[(W - 1) / 2, (H - 1) / 2]]),
        image_size=np.array([[W, H]]))
    path = str(tmp_path / 'ann.npz')
    save_annotations(path, data, dataset='fake', split='test')
    return path, img, pts3d


@pytest.mark.parametrize('num_rois', [1, 5])
def test_packed_target_matches_the_full_frame_projection(tmp_path, num_rois):
    ann, img, pts3d = _scene(tmp_path)
    ds = HumanImageDataset(ann, data_prefix=str(tmp_path),
                           crop_size=(96, 128), keypoint_convention='coco',
                           bbox_scale_factor=1.2, num_rois=num_rois,
                           test_mode=True)
    packed = ds[0]
    sample = packed['data_samples']
    m = num_rois
    assert packed['inputs'].dtype == torch.uint8
    assert tuple(packed['inputs'].shape) == \
        ((3, 128, 96) if m == 1 else (m, 3, 128, 96))
    assert tuple(sample.gt_keypoints2d.shape) == \
        ((17, 2) if m == 1 else (m, 17, 2))
    assert sample.img_wh.tolist() == [W, H]
    assert sample.focal_length == F
    # the crop is the image warped by crop_trans: the crop's centre pixel
    # is the image pixel crop_trans maps there
    # (crop_trans is in pixel-edge coordinates: pixel centres at +0.5)
    trans = sample.crop_trans[0].numpy().astype(np.float64)
    inv = cv2.invertAffineTransform(trans)
    x, y = inv @ np.array([40.5, 60.5, 1.]) - 0.5
    crop = packed['inputs'] if m == 1 else packed['inputs'][0]
    assert np.abs(crop[:, 60, 40].numpy().astype(int)
                  - img[int(round(y)), int(round(x))].astype(int)).max() \
        <= 60   # bilinear interpolation of a noise image
    # full-frame projection of the body through each RoI's crop camera
    # lands on the packed, normalised 2D target
    geo = RoIGeometry.from_samples([sample], 'cpu')
    meta = projection_meta(geo)
    transl = torch.tensor(pts3d.mean(0), dtype=torch.float32)
    body = torch.tensor(pts3d, dtype=torch.float32) - transl
    cams = cam_full2crop(transl.expand(m, 3), meta['center'],
                         meta['bbox_size'], meta['img_size'],
                         meta['focal_length'])
    proj = CliffFullFrameProjection(crop_size=(96, 128))(
        body.expand(m, 17, 3), cams, **meta)
    target = sample.gt_keypoints2d.reshape(m, 17, 2)
    assert torch.allclose(proj, target, atol=1e-4)
    assert sample.gt_keypoints2d_mask.sum() == 17
    np.testing.assert_allclose(sample.gt_keypoints3d.numpy(), pts3d,
                               rtol=1e-5)


def test_training_pipeline_is_seeded_and_keeps_shapes(tmp_path):
    ann, _, _ = _scene(tmp_path)
    ds = HumanImageDataset(ann, data_prefix=str(tmp_path),
                           crop_size=(64, 64), keypoint_convention='coco')
    np.random.seed(3)
    a = ds[0]
    np.random.seed(3)
    b = ds[0]
    assert torch.equal(a['inputs'], b['inputs'])
    assert tuple(a['inputs'].shape) == (3, 64, 64)
    assert a['data_samples'].gt_body_pose.shape == (23, 3, 3)


def test_missing_image_names_its_path(tmp_path):
    ann, _, _ = _scene(tmp_path)
    (tmp_path / 'imgs' / 'frame.png').unlink()
    ds = HumanImageDataset(ann, data_prefix=str(tmp_path), test_mode=True)
    with pytest.raises(FileNotFoundError, match='frame.png'):
        ds[0]
