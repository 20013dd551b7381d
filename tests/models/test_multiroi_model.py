"""Multi-RoI's head and estimator: shapes, and losses that vanish at the
ground truth (including the per-RoI cameras implied by the true camera)."""
import pytest
import torch
from mmengine.registry import init_default_scope

import hmrzoo  # noqa: F401
from hmrzoo.cameras import cam_full2crop
from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.structures import RoIGeometry, projection_meta
from hmrzoo.models.heads import MultiRoIHead
from hmrzoo.registry import MODELS

M = 3


def test_head_shares_the_mesh_and_gives_one_camera_per_roi():
    torch.manual_seed(0)
    head = MultiRoIHead(in_channels=16, num_rois=M, num_betas=6, hidden=32)
    head.eval()
    out = head(torch.randn(2, M, 16), torch.randn(2, M, 3))
    assert out['pred_pose'].shape == (2, 24, 3, 3)
    assert out['pred_shape'].shape == (2, 6)
    assert out['pred_cam'].shape == (2, M, 3)
    assert len(out['pred_cam_list']) == 3
    # the cameras of different RoIs differ, the rotations are valid
    assert not torch.allclose(out['pred_cam'][:, 0], out['pred_cam'][:, 1])
    rot = out['pred_pose']
    eye = torch.eye(3).expand_as(rot)
    assert torch.allclose(rot @ rot.transpose(-1, -2), eye, atol=1e-5)
    # the mesh decoder reads the mean of the RoI features: permuting the
    # features (boxes kept) leaves the mesh unchanged
    feats, boxes = torch.randn(1, M, 16), torch.randn(1, M, 3)
    a = head(feats, boxes)
    b = head(feats[:, [2, 0, 1]], boxes)
    assert torch.allclose(a['pred_shape'], b['pred_shape'], atol=1e-6)
    with pytest.raises(ValueError, match='3 RoIs'):
        head(torch.randn(1, 2, 16), torch.randn(1, 2, 3))


@pytest.fixture(scope='module')
def model_and_batch():
    init_default_scope('hmrzoo')
    bm = dict(type='Anny')
    model = MODELS.build(dict(
        type='MultiRoIEstimator',
        data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                               body_model=bm, num_rois=M, render_size=32),
        backbone=dict(type='ResNet', depth=18),
        neck=dict(type='RoIAwareFusion', in_channels=512, num_freqs=4),
        head=dict(type='MultiRoIHead', in_channels=512, num_rois=M,
                  num_betas=6, hidden=64),
        body_model=bm, projection=dict(type='CliffFullFrameProjection'),
        losses=dict(
            keypoints3d=dict(type='KeypointMSELoss'),
            keypoints2d=dict(type='KeypointMSELoss'),
            pose=dict(type='MSELoss'), betas=dict(type='MSELoss'),
            vertices=dict(type='L1Loss'),
            camera_consistency=dict(type='CameraConsistencyLoss'),
            contrastive=dict(type='RoIContrastiveLoss'))))
    ds = SyntheticPoseDataset(num_samples=4, seed=5, num_betas=6, camera=dict(
        focal_length=724.08, img_size=512, depth_range=(4., 10.),
        xy_range=0.25))
    batch = dict(data_samples=[ds[i]['data_samples'] for i in range(3)])
    return model, model.data_preprocessor(batch, False)


def _truth(samples):
    """Head output equal to the ground truth: true pose and shape, and per
    RoI the crop camera that the true translation implies."""
    geo = RoIGeometry.from_samples(samples, 'cpu')
    meta = projection_meta(geo)
    transl = torch.stack([s.gt_transl for s in samples])
    cams = cam_full2crop(transl.repeat_interleave(M, 0), meta['center'],
                         meta['bbox_size'], meta['img_size'],
                         meta['focal_length']).reshape(-1, M, 3)
    pose = torch.cat([torch.stack([s.gt_global_orient for s in samples]),
                      torch.stack([s.gt_body_pose for s in samples])], 1)
    shape = torch.stack([s.gt_betas for s in samples])
    return dict(pred_pose=pose, pred_shape=shape, pred_cam=cams,
                pred_pose_list=[pose], pred_shape_list=[shape],
                pred_cam_list=[cams],
                contrast_features=torch.randn(len(samples), M, 8))


def test_losses_vanish_at_the_truth_and_see_one_wrong_camera(
        model_and_batch):
    model, data = model_and_batch
    samples = data['data_samples']
    truth = _truth(samples)
    losses = model.loss(truth, samples)
    for key in ('keypoints3d', 'keypoints2d', 'pose', 'betas', 'vertices',
                'camera_consistency'):
        assert float(losses[f'loss_{key}']) < 1e-6, (key, losses)
    assert float(losses['loss_contrastive']) > 0
    wrong = dict(truth)
    cams = truth['pred_cam'].clone()
    cams[1, 2, 1] += 0.05          # shift one RoI's camera of one person
    wrong['pred_cam'], wrong['pred_cam_list'] = cams, [cams]
    bad = model.loss(wrong, samples)
    assert float(bad['loss_keypoints2d']) > 1e-5
    assert float(bad['loss_camera_consistency']) > 1e-5
    assert float(bad['loss_keypoints3d']) < 1e-6


def test_predict_places_the_mesh_with_the_first_roi_camera(model_and_batch):
    model, data = model_and_batch
    samples = data['data_samples']
    truth = _truth(samples)
    truth['pred_cam'][:, 1:] += 1.0     # other RoIs' cameras are ignored
    out = model.predict(truth, samples)
    for s in out:
        assert torch.allclose(s.pred_vertices, s.gt_vertices, atol=1e-4)
        assert s.pred_cam.shape == (3, )


def test_forward_runs_on_roi_batches(model_and_batch):
    model, data = model_and_batch
    losses = model(**data, mode='loss')
    assert {'loss_camera_consistency', 'loss_contrastive',
            'loss_keypoints2d'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())
    with pytest.raises(ValueError, match=r'\(B, M, C, H, W\)'):
        model(data['inputs'][:, 0], data['data_samples'])


def test_cliff_feeds_bbox_info_and_reprojects_in_the_full_image():
    """CLIFF = MeshEstimator + bbox_info + CliffFullFrameProjection: the
    head's extra input is the bbox information of the sample's box, and
    the 2D loss vanishes for the camera the true translation implies."""
    from hmrzoo.cameras import bbox_info
    init_default_scope('hmrzoo')
    bm = dict(type='Anny')
    model = MODELS.build(dict(
        type='MeshEstimator', bbox_info='cliff',
        data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                               body_model=bm, num_rois=1, render_size=32),
        backbone=dict(type='ResNet', depth=18),
        head=dict(type='IEFHead', in_channels=512, num_betas=6, hidden=32,
                  extra_in=3),
        body_model=bm, projection=dict(type='CliffFullFrameProjection'),
        losses=dict(keypoints2d=dict(type='KeypointMSELoss'))))
    ds = SyntheticPoseDataset(num_samples=2, seed=9, num_betas=6, camera=dict(
        focal_length=724.08, img_size=512, depth_range=(4., 10.),
        xy_range=0.25))
    data = model.data_preprocessor(
        dict(data_samples=[ds[i]['data_samples'] for i in range(2)]), False)
    samples = data['data_samples']
    seen = {}
    model.head.register_forward_hook(
        lambda mod, args, out: seen.update(extra=args[1]))
    model(**data, mode='tensor')
    want = bbox_info(torch.stack([s.roi_center[0] for s in samples]),
                     torch.stack([s.roi_size[0] for s in samples]),
                     torch.tensor([[512., 512.]] * 2), 724.08)
    assert torch.allclose(seen['extra'], want, atol=1e-5)
    geo = RoIGeometry.from_samples(samples, 'cpu')
    meta = projection_meta(geo)
    transl = torch.stack([s.gt_transl for s in samples])
    cam = cam_full2crop(transl, meta['center'], meta['bbox_size'],
                        meta['img_size'], meta['focal_length'])
    pose = torch.cat([torch.stack([s.gt_global_orient for s in samples]),
                      torch.stack([s.gt_body_pose for s in samples])], 1)
    shape = torch.stack([s.gt_betas for s in samples])
    out = dict(pred_pose_list=[pose], pred_shape_list=[shape],
               pred_cam_list=[cam])
    assert float(model.loss(out, samples)['loss_keypoints2d']) < 1e-6
    out['pred_cam_list'] = [cam + torch.tensor([0., 0.02, 0.])]
    assert float(model.loss(out, samples)['loss_keypoints2d']) > 1e-5


def test_initial_cameras_agree_on_one_full_camera(model_and_batch):
    """The starting cameras of the RoIs imply one full camera (zero
    camera-consistency residuals), and RoI 0 starts at the mean camera."""
    from hmrzoo.cameras import camera_consistency_residuals
    model, data = model_and_batch
    geo = RoIGeometry.from_samples(data['data_samples'], 'cpu')
    init = model.consistent_init_cams(geo)
    boxes = torch.cat([geo.center - geo.img_wh[:, None] / 2,
                       geo.size[..., None]], dim=-1)
    res = camera_consistency_residuals(init, boxes, geo.focal)
    for key in ('x', 'y', 'z'):
        assert res[key].abs().max() < 1e-4, key
    assert res['s'].abs().max() < 1e-3
    assert torch.allclose(init[:, 0], model.head.init_cam.expand(3, -1),
                          atol=1e-5)
    # larger RoIs see the person smaller: scale x size is shared
    assert torch.allclose(init[..., 0] * geo.size,
                          (init[:, :1, 0] * geo.size[:, :1]).expand(
                              -1, M), rtol=1e-5)


def test_unknown_focal_length_is_the_image_diagonal():
    from hmrzoo.structures import HMRDataSample
    known = HMRDataSample(metainfo=dict(
        roi_center=torch.zeros(1, 2), roi_size=torch.ones(1),
        img_wh=torch.tensor([300., 400.]), focal_length=1000.))
    unknown = HMRDataSample(metainfo=dict(
        roi_center=torch.zeros(1, 2), roi_size=torch.ones(1),
        img_wh=torch.tensor([300., 400.])))
    geo = RoIGeometry.from_samples([known, unknown], 'cpu')
    assert torch.allclose(geo.focal, torch.tensor([1000., 500.]))
    with pytest.raises(KeyError, match='img_wh'):
        RoIGeometry.from_samples([HMRDataSample(metainfo=dict(
            roi_center=torch.zeros(1, 2), roi_size=torch.ones(1)))], 'cpu')
