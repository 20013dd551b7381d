"""Synthetic whole-body samples: deterministic parameter vectors whose
projected keypoints reproject exactly from the parameters."""
import numpy as np
import torch
from mmengine.registry import init_default_scope

from hmrzoo.body_models import AnnyWholeBody
from hmrzoo.models.data_preprocessors import SyntheticWholeBodyPreprocessor
from hmrzoo.synthetic import SyntheticWholeBodyDataset
from hmrzoo.synthetic.sources.part_samplers import ExpressionSampler

CAMERA = dict(focal_length=1000., img_size=1000, depth_range=(1.3, 2.),
              xy_range=0.05)


def test_samples_are_deterministic_and_complete():
    ds = SyntheticWholeBodyDataset(seed=3, camera=CAMERA)
    a, b = ds[7]['data_samples'], ds[7]['data_samples']
    for key in ('gt_global_orient', 'gt_body_pose', 'gt_left_hand_pose',
                'gt_right_hand_pose', 'gt_expression', 'gt_betas',
                'gt_transl'):
        assert torch.equal(getattr(a, key), getattr(b, key)), key
    assert a.gt_body_pose.shape == (21, 3, 3)
    assert a.gt_left_hand_pose.shape == (15, 3, 3)
    assert a.gt_expression.shape == (52, )
    assert 1.3 <= float(a.gt_transl[2]) <= 2.0


def test_expression_sampler_kinds():
    rng = np.random.default_rng(0)
    s = ExpressionSampler(52, kind='actions', max_active=3)
    for _ in range(20):
        e = s(rng)['expression']
        assert (e >= 0).all() and (e <= 1).all() and (e > 0).sum() <= 3
    out = ExpressionSampler(10, kind='gaussian', jaw_max_deg=20)(rng)
    assert out['jaw_pose'].shape == (1, 3, 3)
    assert abs(np.linalg.det(out['jaw_pose'][0]) - 1) < 1e-9


def test_projected_keypoints_reproject_from_the_parameters():
    init_default_scope('hmrzoo')
    bm = dict(type='AnnyWholeBody')
    pre = SyntheticWholeBodyPreprocessor(bm)
    ds = SyntheticWholeBodyDataset(seed=5, camera=CAMERA, keypoint_jitter=0.,
                                   keypoint_dropout=0.)
    samples = [ds[i]['data_samples'] for i in range(3)]
    out = pre(dict(data_samples=samples))
    model = AnnyWholeBody(keypoint_convention='coco_wholebody')
    for s, inp in zip(out['data_samples'], out['inputs']):
        body = model(s.gt_global_orient[None], s.gt_body_pose[None],
                     s.gt_betas[None], transl=s.gt_transl[None],
                     left_hand_pose=s.gt_left_hand_pose[None],
                     right_hand_pose=s.gt_right_hand_pose[None],
                     expression=s.gt_expression[None])
        X = body['keypoints'][0]
        mask = body['keypoints_mask'] > 0
        pixels = 1000. * X[:, :2] / X[:, 2:]   # independent pinhole
        crop = s.gt_keypoints2d * s.crop_size / 2 + s.crop_center
        # float32 posing of a batch vs one body: within 0.01 pixel
        assert (crop[mask] - pixels[mask]).abs().max() < 1e-2, \
            (crop[mask] - pixels[mask]).abs().max()
        assert torch.allclose(s.gt_keypoints3d[mask], X[mask], atol=1e-4)
        # clean inputs are the labels; hidden points are zero and flagged
        assert torch.allclose(inp[:, :2], s.gt_keypoints2d, atol=1e-6)
        assert torch.equal(inp[:, 2], mask.float())
        # the crop frames the keypoints with a 1.2 margin
        span = (s.gt_keypoints2d[mask].amax(0) -
                s.gt_keypoints2d[mask].amin(0)).max()
        assert abs(float(span) - 2 / 1.2) < 1e-4
