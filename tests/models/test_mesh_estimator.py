"""The estimator's head initialisation and loss terms on known values."""
import pytest
import torch
from mmengine.registry import init_default_scope

from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.registry import MODELS
from hmrzoo.structures import HMRDataSample

init_default_scope('hmrzoo')


def _model(losses):
    return MODELS.build(dict(
        type='MeshEstimator',
        backbone=dict(type='ResNet', depth=18, in_channels=17),
        head=dict(type='IEFHead', in_channels=512, num_betas=6, n_iter=2,
                  hidden=32),
        body_model=dict(type='Anny'),
        projection=dict(type='WeakPerspectiveProjection', img_res=256),
        losses=losses))


def test_head_starts_from_mean_parameters():
    head = MODELS.build(dict(type='IEFHead', in_channels=8, num_betas=6,
                             n_iter=3, hidden=16)).eval()
    for layer in (head.decpose, head.decshape, head.deccam):
        torch.nn.init.zeros_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    out = head(torch.randn(2, 8))
    root = torch.diag(torch.tensor([1., -1., -1.]))
    assert torch.allclose(out['pred_pose'][:, 0], root.expand(2, 3, 3))
    assert torch.allclose(out['pred_pose'][:, 1:], torch.eye(3).expand(
        2, 23, 3, 3))
    assert torch.allclose(out['pred_cam'], torch.tensor([[0.9, 0, 0]] * 2))
    assert len(out['pred_pose_list']) == 3 and out['pred_shape'].shape == \
        (2, 6)


def test_losses_vanish_at_ground_truth_and_match_formula():
    model = _model(dict(
        keypoints3d=dict(type='KeypointMSELoss', loss_weight=2.),
        pose=dict(type='MSELoss', loss_weight=3.),
        betas=dict(type='MSELoss', loss_weight=1.),
        vertices=dict(type='L1Loss', loss_weight=1.),
        camera=dict(type='CameraScaleLoss', loss_weight=5.)))
    pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    betas = torch.randn(2, 6)
    out = model.run_body_model(pose, betas, transl=torch.tensor(
        [[0., 0., 5.], [1., 0., 7.]]))
    samples = []
    for i in range(2):
        s = HMRDataSample()
        s.gt_keypoints3d = out['keypoints'][i]
        s.gt_keypoints3d_mask = torch.ones(out['keypoints'].shape[1])
        s.gt_vertices = out['vertices'][i]
        s.gt_global_orient = pose[i, :1]
        s.gt_body_pose = pose[i, 1:]
        s.gt_betas = betas[i]
        samples.append(s)
    cam = torch.tensor([[1.0, 0., 0.], [0.5, 0., 0.]])
    head_out = dict(pred_pose_list=[pose], pred_shape_list=[betas],
                    pred_cam_list=[cam], pred_cam=cam)
    losses = model.loss(head_out, samples)
    # translation does not matter: 3D terms are root-centred
    for k in ('loss_keypoints3d', 'loss_pose', 'loss_betas',
              'loss_vertices'):
        assert losses[k].item() == pytest.approx(0., abs=1e-5), k
    expected_cam = 5. * ((torch.exp(-10 * cam[:, 0])) ** 2).mean()
    assert losses['loss_camera'].item() == pytest.approx(
        expected_cam.item())
    # a known perturbation of the betas: MSE = mean(d^2)
    head_out['pred_shape_list'] = [betas + 0.5]
    assert model.loss(head_out, samples)['loss_betas'].item() == \
        pytest.approx(0.25, rel=1e-5)


def test_config_errors_name_the_problem():
    with pytest.raises(ValueError, match='keypoint3d'):
        _model(dict(keypoint3d=dict(type='MSELoss')))
    model = _model(dict(betas=dict(type='MSELoss')))
    head_out = dict(pred_pose_list=[torch.eye(3).expand(1, 24, 3, 3)],
                    pred_shape_list=[torch.zeros(1, 6)],
                    pred_cam_list=[torch.ones(1, 3)])
    with pytest.raises(KeyError, match="gt_betas.*needed by betas"):
        model.loss(head_out, [HMRDataSample()])
    with pytest.raises(KeyError, match='NoSuchHead'):
        MODELS.build(dict(type='NoSuchHead'))
    with pytest.raises(TypeError, match='n_iters'):
        MODELS.build(dict(type='IEFHead', in_channels=8, n_iters=3))
