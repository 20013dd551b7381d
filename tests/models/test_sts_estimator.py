"""The STS whole-body estimator: sizes derived from the body model, the
STS / 2D / pre-training steps by iteration, L_r's hinge, SMPL-X."""
import math

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope

from hmrzoo.models.architectures.sts_estimator import wrong_bend
from hmrzoo.registry import DATASETS, MODELS
from hmrzoo.utils.rotations import axis_angle_to_rotmat

CAMERA = dict(focal_length=1000., img_size=1000, depth_range=(1.3, 4.),
              xy_range=0.0)


def _model(body_model, **kwargs):
    init_default_scope('hmrzoo')
    bm = dict(body_model, keypoint_convention='coco_wholebody')
    return MODELS.build(dict(
        type='STSWholeBodyEstimator', body_model=bm,
        projection=dict(type='D2SProjection'),
        head=dict(type='STSWholeBodyHead', cam_init=(1., 0., 0., 5.),
                  positive_cam=(0, 3), width=64, gcn_hidden=16),
        data_preprocessor=dict(type='SyntheticWholeBodyPreprocessor',
                               body_model=bm), **kwargs))


def _batch(model, num_expression=52, num_betas=6, n=4, **ds):
    dataset = DATASETS.build(dict(
        type='SyntheticWholeBodyDataset', camera=CAMERA, num_betas=num_betas,
        num_expression_coeffs=num_expression, **ds))
    data = dict(data_samples=[dataset[i]['data_samples'] for i in range(n)])
    return model.data_preprocessor(data, True)


def _at_iteration(it):
    MessageHub.get_instance('test_sts').update_info('iter', it)


def test_sizes_come_from_the_body_model():
    model = _model(dict(type='AnnyWholeBody'))
    head = model.head
    assert [len(model.parts[p]) for p in
            ('body', 'left_hand', 'right_hand', 'face')] == [23, 21, 21, 10]
    assert head.num_expression_coeffs == 52 and not head.has_jaw_pose
    assert head.face.convs[0].adj.shape == (10, 10)
    with pytest.raises(ValueError, match='head.cam_init has 3 values'):
        MODELS.build(dict(type='STSWholeBodyEstimator',
                          body_model=dict(type='AnnyWholeBody',
                                          keypoint_convention='coco_wholebody'),
                          projection=dict(type='D2SProjection'),
                          head=dict(type='STSWholeBodyHead',
                                    cam_init=(1., 0., 0.))))
    with pytest.raises(ValueError, match='not a whole-body model'):
        MODELS.build(dict(type='STSWholeBodyEstimator',
                          body_model=dict(type='Anny',
                                          keypoint_convention='coco_wholebody'),
                          projection=dict(type='D2SProjection'),
                          head=dict(type='STSWholeBodyHead')))


def test_steps_by_iteration():
    model = _model(dict(type='AnnyWholeBody'), sts_interval=5,
                   partial_pretrain_iters=3)
    data = _batch(model)
    keys = {}
    for it in (0, 4, 5, 6, 10):
        _at_iteration(it)
        keys[it] = sorted(model(data['inputs'], data['data_samples'],
                                'loss'))
    assert keys[0] == keys[5] == keys[10] == ['loss_kp3d', 'loss_pm']
    assert keys[4] == keys[6] == ['loss_kp2d', 'loss_r']
    # pre-training reaches the partial branch only
    _at_iteration(1)
    model.zero_grad()
    loss = model(data['inputs'], data['data_samples'], 'loss')
    sum(loss.values()).backward()
    assert model.head.out.weight.grad is None or \
        float(model.head.out.weight.grad.abs().max()) == 0.
    assert float(model.head.hands['left_hand'].readout.weight.grad.abs()
                 .max()) > 0
    # after it, an STS step trains the global branch too
    _at_iteration(5)
    model.zero_grad()
    sum(model(data['inputs'], data['data_samples'],
              'loss').values()).backward()
    assert float(model.head.out.weight.grad.abs().max()) > 0


def test_without_sts_the_hands_learn_from_2d_only():
    model = _model(dict(type='AnnyWholeBody'), sts_interval=0,
                   weak_terms=('kp2d', 'r', 'kp3d_body'))
    data = _batch(model)
    for it in (0, 5):
        _at_iteration(it)
        assert sorted(model(data['inputs'], data['data_samples'], 'loss')
                      ) == ['loss_kp2d', 'loss_kp3d_body', 'loss_r']


def test_wrong_bend_known_answers():
    pose = torch.eye(3).repeat(1, 22, 1, 1)
    assert float(wrong_bend(pose)) == 0.
    a = math.radians(30)
    bent = pose.clone()
    bent[0, 4] = axis_angle_to_rotmat(torch.tensor([-a, 0., 0.]))  # knee
    assert abs(float(wrong_bend(bent)) - a ** 2) < 1e-6
    bent[0, 4] = axis_angle_to_rotmat(torch.tensor([a, 0., 0.]))   # flexed
    assert float(wrong_bend(bent)) < 1e-12
    bent[0, 18] = axis_angle_to_rotmat(torch.tensor([0., a, 0.]))  # l elbow
    bent[0, 19] = axis_angle_to_rotmat(torch.tensor([0., a, 0.]))  # r: ok
    assert abs(float(wrong_bend(bent)) - a ** 2) < 1e-6


def test_smplx_whole_body(tmp_path):
    from hmrzoo.testing.fake_model_files import write_fake_smplx
    path = write_fake_smplx(str(tmp_path / 'smplx' / 'SMPLX_NEUTRAL.npz'))
    model = _model(dict(type='SMPLX', model_path=path))
    head = model.head
    assert head.has_jaw_pose and head.num_expression_coeffs == 10
    assert len(model.parts['face']) == 51  # the static iBUG landmarks
    data = _batch(model, num_expression=10, num_betas=10,
                  expression=dict(kind='gaussian', jaw_max_deg=20))
    assert data['data_samples'][0].gt_jaw_pose.shape == (1, 3, 3)
    _at_iteration(5)
    loss = model(data['inputs'], data['data_samples'], 'loss')
    assert sorted(loss) == ['loss_kp3d', 'loss_pm']
    model.eval()
    with torch.no_grad():
        out = model(data['inputs'], data['data_samples'], 'predict')
    assert out[0].pred_jaw_pose.shape == (1, 3, 3)
    assert out[0].pred_keypoints3d.shape == (133, 3)
