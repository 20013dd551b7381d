"""Losses on real-data samples: SMPL parameters only on some rows, vertex
targets posed from the parameters, crops given by the samples."""
import torch
from mmengine.registry import init_default_scope

from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.structures import RoIGeometry, projection_meta
from hmrzoo.registry import MODELS
from hmrzoo.structures import HMRDataSample

init_default_scope('hmrzoo')


def _model():
    return MODELS.build(dict(
        type='MeshEstimator',
        backbone=dict(type='ResNet', depth=18, in_channels=3),
        head=dict(type='IEFHead', in_channels=512, num_betas=6, n_iter=1,
                  hidden=16),
        body_model=dict(type='Anny'),
        projection=dict(type='WeakPerspectiveProjection', img_res=224),
        losses=dict(pose=dict(type='MSELoss', loss_weight=1.),
                    betas=dict(type='MSELoss', loss_weight=1.),
                    vertices=dict(type='L1Loss', loss_weight=1.))))


def _head_out(pose, betas):
    return dict(pred_pose_list=[pose], pred_shape_list=[betas],
                pred_cam_list=[torch.zeros(len(pose), 3)])


def _samples(pose, betas, has_smpl=None, with_mesh_of=None):
    samples = []
    for i in range(len(pose)):
        s = HMRDataSample()
        s.gt_global_orient, s.gt_body_pose = pose[i, :1], pose[i, 1:]
        s.gt_betas = betas[i]
        if has_smpl is not None:
            s.gt_has_smpl = torch.tensor(float(has_smpl[i]))
        if with_mesh_of is not None:
            s.gt_vertices = with_mesh_of['vertices'][i]
            s.gt_keypoints3d = with_mesh_of['keypoints'][i]
        samples.append(s)
    return samples


def test_vertex_target_from_parameters_matches_the_given_mesh():
    torch.manual_seed(0)
    model = _model()
    gt_pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    gt_betas = torch.randn(2, 6)
    pred_pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    pred_betas = torch.randn(2, 6)
    # the mesh a synthetic sample carries: camera frame, translated
    with torch.no_grad():
        mesh = model.run_body_model(gt_pose, gt_betas, transl=torch.tensor(
            [[0.3, 0.1, 6.], [-1., 0.2, 9.]]))
        pred = model.run_body_model(pred_pose, pred_betas)
    given = model.loss(_head_out(pred_pose, pred_betas),
                       _samples(gt_pose, gt_betas, with_mesh_of=mesh))
    posed = model.loss(_head_out(pred_pose, pred_betas),
                       _samples(gt_pose, gt_betas))
    def root(kp):
        return kp[:, model.root_indices].mean(dim=1, keepdim=True)
    expected = ((pred['vertices'] - root(pred['keypoints']))
                - (mesh['vertices'] - root(mesh['keypoints']))).abs().mean()
    assert torch.allclose(given['loss_vertices'], expected, atol=1e-6)
    assert torch.allclose(posed['loss_vertices'], expected, atol=1e-6)


def test_rows_without_smpl_do_not_count():
    torch.manual_seed(1)
    model = _model()
    gt_pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    gt_betas = torch.randn(2, 6)
    pred_pose = rot6d_to_rotmat(torch.randn(2, 24, 6))
    pred_betas = torch.randn(2, 6)
    alone = model.loss(_head_out(pred_pose[:1], pred_betas[:1]),
                       _samples(gt_pose[:1], gt_betas[:1], has_smpl=[1]))
    # the second row's "parameters" are garbage, flagged as absent
    garbage_pose = gt_pose.clone()
    garbage_pose[1] = 100.
    garbage_betas = gt_betas.clone()
    garbage_betas[1] = 50.
    mixed = model.loss(_head_out(pred_pose, pred_betas),
                       _samples(garbage_pose, garbage_betas,
                                has_smpl=[1, 0]))
    for key in ('loss_pose', 'loss_betas', 'loss_vertices'):
        assert torch.allclose(alone[key], mixed[key], rtol=1e-5), key
    expected_betas = ((pred_betas[0] - gt_betas[0]) ** 2).mean()
    assert torch.allclose(mixed['loss_betas'], expected_betas, rtol=1e-5)


def test_samples_crop_transform_reaches_the_projection():
    s = HMRDataSample()
    trans = torch.tensor([[[0.5, 0., -10.], [0., 0.5, -20.]]])
    s.set_metainfo(dict(roi_center=torch.tensor([[100., 120.]]),
                        roi_size=torch.tensor([80.]),
                        img_wh=torch.tensor([400., 300.]),
                        crop_trans=trans, crop_wh=torch.tensor([96., 128.])))
    meta = projection_meta(RoIGeometry.from_samples([s, s], 'cpu'))
    assert torch.equal(meta['crop_trans'], trans.expand(2, 2, 3))
    assert torch.equal(meta['crop_size'],
                       torch.tensor([[96., 128.], [96., 128.]]))
    # without the samples' crops: the square box around the centre
    s2 = HMRDataSample()
    s2.set_metainfo(dict(roi_center=torch.tensor([[100., 120.]]),
                         roi_size=torch.tensor([80.]),
                         img_wh=torch.tensor([400., 300.])))
    meta2 = projection_meta(RoIGeometry.from_samples([s2], 'cpu'))
    assert torch.equal(meta2['crop_trans'][0],
                       torch.tensor([[1., 0., -60.], [0., 1., -80.]]))
    assert torch.equal(meta2['crop_size'][0], torch.tensor([80., 80.]))
