"""The RoI preprocessor's geometry agrees with CLIFF's camera algebra."""
import pytest
import torch

import hmrzoo  # noqa: F401
from hmrzoo.cameras import (ROI_OFFSETS, ROI_SCALES, CliffFullFrameProjection,
                            cam_full2crop, roi_boxes)
from hmrzoo.conventions import convert_kps
from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.structures import RoIGeometry, projection_meta
from hmrzoo.models.data_preprocessors import SyntheticRoIPreprocessor

CAMERA = dict(focal_length=724.08, img_size=512, depth_range=(4., 10.),
              xy_range=0.25)


def test_roi_boxes_follow_the_paper_offsets_and_scales():
    center = torch.tensor([[100., 50.]])
    size = torch.tensor([200.])
    centers, sizes = roi_boxes(center, size, 5)
    assert torch.allclose(centers[0], torch.tensor(
        [[100., 50.], [120., 50.], [80., 50.], [100., 70.], [100., 30.]]))
    assert torch.allclose(sizes[0], torch.tensor([200., 300., 250., 160.,
                                                  130.]))
    c3, s3 = roi_boxes(center, size, 3)
    assert torch.equal(c3, centers[:, :3]) and torch.equal(s3, sizes[:, :3])
    assert len(ROI_OFFSETS) == len(ROI_SCALES) == 4
    with pytest.raises(ValueError, match='1..5'):
        roi_boxes(center, size, 6)


@pytest.fixture(scope='module')
def rendered():
    ds = SyntheticPoseDataset(num_samples=4, seed=3, num_betas=6,
                              camera=CAMERA)
    batch = dict(data_samples=[ds[i]['data_samples'] for i in range(3)])
    pre = SyntheticRoIPreprocessor(dict(type='Anny'), num_rois=5,
                                   render_size=32)
    return pre, pre(batch, False)


def test_roi_keypoints_equal_the_cliff_projection_of_the_true_camera(
        rendered):
    """Projecting the ground-truth body with the crop camera that the true
    translation implies for each RoI (cam_full2crop) through
    CliffFullFrameProjection lands on that RoI's gt_keypoints2d."""
    _, out = rendered
    samples = out['data_samples']
    geo = RoIGeometry.from_samples(samples, 'cpu')
    meta = projection_meta(geo)
    transl = torch.stack([s.gt_transl for s in samples])
    body = torch.stack([s.gt_keypoints3d for s in samples]) - transl[:, None]
    rows = transl.repeat_interleave(5, 0)
    crop_cam = cam_full2crop(rows, meta['center'], meta['bbox_size'],
                             meta['img_size'], meta['focal_length'])
    uv = CliffFullFrameProjection()(body.repeat_interleave(5, 0), crop_cam,
                                    **meta)
    gt = torch.stack([s.gt_keypoints2d for s in samples]).reshape(15, -1, 2)
    assert torch.allclose(uv, gt, atol=1e-3)
    full = torch.stack([s.gt_keypoints2d_full for s in samples])
    assert full.shape == (3, gt.shape[1], 2)
    # RoI 0 is the square box around the COCO keypoints enlarged 1.2x, so
    # their longer extent is 2 / 1.2 in its normalised frame, centred
    coco, mask = convert_kps(gt.reshape(3, 5, -1, 2)[:, 0], 'anny', 'coco')
    coco = coco[:, mask > 0]
    lo, hi = coco.amin(1), coco.amax(1)
    assert torch.allclose((hi - lo).amax(-1), torch.full((3, ), 2 / 1.2),
                          atol=1e-4)
    assert torch.allclose((hi + lo) / 2, torch.zeros(3, 2), atol=1e-4)


def test_roi_inputs_shapes_normalisation_and_shared_background(rendered):
    pre, out = rendered
    x = out['inputs']
    assert x.shape == (3, 5, 3, 32, 32)
    rgb = x * pre.rgb_std + pre.rgb_mean
    assert rgb.min() >= -1e-5 and rgb.max() <= 1 + 1e-5
    s = out['data_samples'][0]
    assert s.roi_center.shape == (5, 2) and s.roi_size.shape == (5,)
    assert torch.equal(s.img_wh, torch.tensor([512., 512.]))
    # RoIs of one person differ (other boxes), persons differ
    assert not torch.allclose(x[0, 0], x[0, 1])
    assert not torch.allclose(x[0, 0], x[1, 0])


def test_roi_preprocessor_rejects_heatmaps_and_bad_roi_counts():
    with pytest.raises(ValueError, match='heatmaps'):
        SyntheticRoIPreprocessor(dict(type='Anny'), outputs=('heatmaps', ))
    with pytest.raises(ValueError, match='num_rois'):
        SyntheticRoIPreprocessor(dict(type='Anny'), num_rois=7)
