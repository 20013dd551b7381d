"""The pose prior: the adversarial auto-encoder trains through mmengine's
Runner with one optimizer per part, its decoder loads into the mesh head,
and the metric gives known answers."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from hmrzoo.evaluation.metrics.pose_prior_metric import (
    PosePriorMetric, euler_xyz, geodesic_deg, uniform_rotations,
    violation_rate)
from hmrzoo.models.heads import LatentPoseHead
from hmrzoo.models.priors import PosePriorAAE
from hmrzoo.synthetic.sources.pose_sampler import euler_xyz_to_rotmat

CONFIG = 'configs/selfsup_depth/pose_prior_aae_anny.py'


def test_euler_round_trip_and_geodesic():
    rng = np.random.default_rng(0)
    angles = rng.uniform(-80, 80, (50, 3))
    R = euler_xyz_to_rotmat(np.radians(angles))
    assert np.allclose(euler_xyz(R), angles, atol=1e-8)
    A = euler_xyz_to_rotmat(np.radians([[30., 0., 0.]]))
    assert np.allclose(geodesic_deg(A, np.eye(3)[None]), 30.)


def test_violation_rates_known_answers():
    angles = np.zeros((4, 2, 3))
    angles[0, 1, 2] = 50.            # one of 8 joint rotations outside
    R = euler_xyz_to_rotmat(np.radians(angles))
    lo, hi = np.full((2, 3), -45.), np.full((2, 3), 45.)
    assert violation_rate(R, lo, hi) == pytest.approx(12.5)
    # uniform rotations almost never fit +-10 degree limits
    U = uniform_rotations(2000).reshape(1000, 2, 3, 3)
    assert violation_rate(U, lo / 4.5, hi / 4.5) > 99


def test_metric_on_exact_and_on_random_reconstructions():
    rng = np.random.default_rng(1)
    gt = euler_xyz_to_rotmat(np.radians(rng.uniform(-30, 30, (200, 3, 3))))
    metric = PosePriorMetric(margin_deg=0.)
    exact = metric.compute_metrics([dict(gt_body_pose=g, pred_body_pose=g,
                                         pred_random_body_pose=g)
                                    for g in gt])
    assert exact['rec_deg'] == pytest.approx(0., abs=1e-5)
    assert exact['violations_random'] == exact['violations_bank'] < 5
    assert exact['violations_uniform'] > 90


def test_aae_trains_with_two_optimizers_and_its_decoder_loads(tmp_path):
    cfg = Config.fromfile(CONFIG)
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.batch_size = 32
    cfg.val_dataloader.dataset.num_samples = 64
    cfg.train_cfg.max_iters = 30
    cfg.train_cfg.val_interval = 30
    cfg.default_hooks.checkpoint.interval = 30
    cfg.param_scheduler = []
    runner = Runner.from_cfg(cfg)
    model = runner.model
    disc0 = [p.clone() for p in model.discriminator.parameters()]
    enc0 = [p.clone() for p in model.encoder.parameters()]
    runner.train()
    assert all(not torch.equal(a, b) for a, b in
               zip(enc0, model.encoder.parameters()))
    assert any(not torch.equal(a, b) for a, b in
               zip(disc0, model.discriminator.parameters()))
    metrics = runner.val_loop.run()
    assert set(metrics) == {'prior/rec_deg', 'prior/violations_random',
                            'prior/violations_bank',
                            'prior/violations_uniform'}
    assert 0 < metrics['prior/rec_deg'] < 90
    # the mesh head loads the trained decoder from the work dir
    head = LatentPoseHead(num_betas=6, pose_decoder=dict(
        checkpoint=str(tmp_path)))
    head.init_weights()
    for a, b in zip(head.decoder.state_dict().values(),
                    model.decoder.state_dict().values()):
        assert torch.equal(a, b)
    # ... and through a checkpoint scheme (the zoo's zoo://NAME is one)
    from mmengine.runner import CheckpointLoader

    from hmrzoo.utils.checkpoint_file import check_checkpoint
    saved = str(tmp_path / 'iter_30.pth')
    import hmrzoo.apis  # noqa: F401  (registers zoo://)
    zoo_loader = CheckpointLoader._schemes['zoo://']
    CheckpointLoader.register_scheme(
        'zoo://', lambda f, map_location=None, logger=None:
        check_checkpoint(saved), force=True)
    try:
        via = LatentPoseHead(num_betas=6, pose_decoder=dict(
            checkpoint='zoo://prior'))
        via.init_weights()
    finally:
        CheckpointLoader.register_scheme('zoo://', zoo_loader, force=True)
    with pytest.raises(ValueError, match='would unpickle unsafely'):
        LatentPoseHead(num_betas=6, pose_decoder=dict(
            checkpoint='https://example.org/prior.pth')).init_weights()
    for a, b in zip(via.decoder.state_dict().values(),
                    model.decoder.state_dict().values()):
        assert torch.equal(a, b)
    # a decoder of another size is refused with the sizes named
    small = LatentPoseHead(num_betas=6, pose_decoder=dict(
        checkpoint=str(tmp_path), hidden=(64, 64)))
    with pytest.raises(ValueError, match='does not fit the decoder'):
        small.init_weights()


def test_reconstruction_improves_on_a_fixed_batch():
    torch.manual_seed(0)
    model = PosePriorAAE(hidden=(128, 128))
    rng = np.random.default_rng(0)
    pose = torch.as_tensor(euler_xyz_to_rotmat(np.radians(
        rng.uniform(-40, 40, (64, 23, 3)))), dtype=torch.float32)
    opt = torch.optim.Adam(list(model.encoder.parameters())
                           + list(model.decoder.parameters()), 1e-3)
    first = None
    for _ in range(200):
        terms = model._losses(pose)
        rec = terms['loss_rec']
        first = float(rec.detach()) if first is None else first
        opt.zero_grad()
        rec.backward()
        opt.step()
    assert float(rec.detach()) < 0.3 * first
