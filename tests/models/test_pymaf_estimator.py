"""PyMAF's estimator on Anny: feature sizes of each ablation, the
mesh-aligned points, the losses on every iteration and the IUV term."""
import pytest
import torch
from mmengine.registry import init_default_scope

import hmrzoo  # noqa: F401
from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.registry import MODELS

BM = dict(type='Anny')


def build(**kw):
    init_default_scope('hmrzoo')
    cfg = dict(
        type='PyMAFEstimator',
        data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                               body_model=BM, num_rois=1, render_size=64,
                               targets=dict(iuv=16)),
        backbone=dict(type='ResNet', depth=18),
        neck=dict(type='DeconvPyramid', in_channels=512, channels=16),
        head=dict(type='IEFHead', num_betas=6, hidden=32),
        iuv_head=dict(type='IUVPredictor', in_channels=16),
        body_model=BM,
        projection=dict(type='WeakPerspectiveProjection', img_res=224),
        losses=dict(keypoints3d=dict(type='KeypointMSELoss'),
                    keypoints2d=dict(type='KeypointMSELoss'),
                    iuv=dict(type='DenseCorrespondenceLoss')))
    cfg.update(kw)
    return MODELS.build(cfg)


@pytest.fixture(scope='module')
def batch():
    ds = SyntheticPoseDataset(num_samples=2, seed=2, num_betas=6, camera=dict(
        focal_length=724.08, img_size=512, depth_range=(4., 10.),
        xy_range=0.25))
    return dict(data_samples=[ds[i]['data_samples'] for i in range(2)])


def test_regressor_inputs_follow_the_feedback_features():
    model = build()
    assert [h.fc1.in_features - 144 - 6 - 3 for h in model.head.regressors] == \
        [441 * 5, 431 * 5, 431 * 5]
    assert model.downsample.shape == (431, model.body_model.num_vertices)
    grid = build(feedback='grid')
    assert [h.fc1.in_features - 153 for h in grid.head.regressors] == [2205] * 3
    glob = build(feedback='global', iuv_head=None, losses=dict())
    assert [h.fc1.in_features - 153 for h in glob.head.regressors] == [16] * 3
    assert not hasattr(glob.head, 'point_reducers')
    flat = build(pyramid=False, init_feature='mesh')
    assert len(flat.head.regressors) == 1 and \
        len(flat.head.point_reducers) == 1
    with pytest.raises(ValueError, match='one shared regressor'):
        build(pyramid=False)            # grid at t = 0, mesh after
    with pytest.raises(ValueError, match='feedback'):
        build(feedback='heatmap')


def test_mesh_aligned_points_are_the_projected_downsampled_mesh():
    model = build()
    torch.manual_seed(0)
    pose6d = model.head.regressors[0].init_pose.expand(2, -1) + \
        0.1 * torch.randn(2, 144)
    shape = torch.randn(2, 6) * 0.3
    cam = torch.tensor([[0.9, 0.05, -0.1], [1.1, 0., 0.2]])
    pts = model.mesh_points({})(pose6d, shape, cam)
    verts = model.body_model(*torch.split(
        rot6d_to_rotmat(pose6d.reshape(2, -1, 6)), [1, 23], dim=1),
        shape)['vertices']
    expected = model.projection(model.downsample @ verts, cam)
    assert pts.shape == (2, 431, 2)
    assert torch.allclose(pts, expected, atol=1e-5)
    assert model.head.points_grid.shape == (441, 2)


def test_losses_on_every_iteration_and_iuv(batch):
    model = build()
    data = model.data_preprocessor(batch, True)
    assert data['data_samples'][0].gt_iuv.shape == (3, 16, 16)
    out = model(**data, mode='tensor')
    assert out['iuv']['index'].shape == (2, 25, 16, 16)
    assert len(out['pred_pose_list']) == 3
    losses = model(**data, mode='loss')
    assert set(losses) == {f'loss_{k}{s}' for k in ('keypoints3d',
                                                    'keypoints2d')
                           for s in ('_it0', '_it1', '')} | {'loss_iuv'}
    assert all(torch.isfinite(v) for v in losses.values())
    loss = sum(losses.values())
    loss.backward()
    assert model.iuv_head.predict_u.weight.grad.abs().sum() > 0
    assert model.head.point_reducers[2].conv0.weight.grad.abs().sum() > 0
    preds = model(**model.data_preprocessor(batch, False), mode='predict')
    assert preds[0].pred_vertices.shape == (model.body_model.num_vertices, 3)
