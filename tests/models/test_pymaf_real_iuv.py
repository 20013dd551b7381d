"""PyMAF's IUV target on real samples: rendered from the ground-truth body
through the crop camera fitted to the 2D keypoints."""
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hmrzoo.utils.rotations import rot6d_to_rotmat
from hmrzoo.models.losses import BatchGroundTruth
from hmrzoo.renderers import render_compact_iuv
from hmrzoo.registry import MODELS
from hmrzoo.structures import HMRDataSample

ROOT = Path(__file__).resolve().parents[2]
init_default_scope('hmrzoo')


def test_target_rendered_through_the_fitted_camera():
    torch.manual_seed(0)
    cfg = Config.fromfile(str(ROOT / 'tests/data/configs/tiny_pymaf_anny.py'))
    model = MODELS.build(cfg.model)
    pose = rot6d_to_rotmat(torch.randn(3, 24, 6) * 0.2 + torch.tensor(
        [1., 0, 0, 0, 1, 0]))
    betas = torch.randn(3, cfg.num_betas) * 0.5
    cam = torch.tensor([[0.9, 0.02, -0.05], [1.0, 0., 0.], [0.8, 0.1, 0.]])
    with torch.no_grad():
        body = model.run_body_model(pose, betas)
        kp2d = model.projection(body['keypoints'], cam)
    samples = []
    for i in range(3):
        s = HMRDataSample()
        s.gt_global_orient, s.gt_body_pose = pose[i, :1], pose[i, 1:]
        s.gt_betas = betas[i]
        s.gt_keypoints2d = kp2d[i]
        s.gt_keypoints2d_mask = torch.ones(kp2d.shape[1])
        s.gt_has_smpl = torch.tensor(0. if i == 1 else 1.)
        samples.append(s)
    samples[2].gt_keypoints2d_mask[3:] = 0     # only 3 labelled: no fit
    target, rows = model.iuv_target(BatchGroundTruth(samples, 'cpu'),
                                    (32, 32))
    assert rows.tolist() == [0]
    expected = render_compact_iuv(model.projection, cam[:1],
                                  body['vertices'][:1],
                                  model.atlas('cpu'), (32, 32))
    assert target.shape == (1, 3, 32, 32)
    assert (expected[:, 0] > 0).sum() > 50          # the body is in view
    # same part on all but a few silhouette-edge pixels, same U, V inside
    same = (target[:, 0] - expected[:, 0]).abs() < 1e-6
    assert same.float().mean() > 0.99
    both = (same & (expected[:, 0] > 0))[:, None].expand(-1, 2, -1, -1)
    assert torch.allclose(target[:, 1:][both], expected[:, 1:][both],
                          atol=1e-3)
