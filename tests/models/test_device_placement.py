"""Every model trains and validates on an accelerator as on the CPU.

For each Anny config, and each paper-setting SMPL config on fabricated SMPL
files and datasets (``hmrzoo.testing``), one training step (the data
preprocessor, forward, losses, backward) and one validation step
(prediction and the config's evaluator) run on the stand-in accelerator
(:mod:`hmrzoo.testing.stand_in_device`): a tensor left on the CPU raises as
it would on CUDA, and the losses, gradients and metrics must equal the
CPU's.  Anny skins with its PyTorch LBS on both sides here
(``torch_skinned_anny``): warp's kernel, its default, needs a real CPU or
CUDA device.
"""
import copy
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.evaluator import Evaluator
from mmengine.registry import init_default_scope

import hmrzoo  # noqa: F401
from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.registry import DATASETS, MODELS
from hmrzoo.testing import write_fake_paper_datasets
from hmrzoo.testing.stand_in_device import stand_in_device

ROOT = Path(__file__).resolve().parents[2]
ANNY_CONFIGS = [
    'configs/hmr/r18_keypoints_anny.py', 'configs/hmr/r50_hmr_anny.py',
    'configs/cliff/cliff_r50_anny.py', 'configs/multiroi/r50_cliff_anny.py',
    'configs/pymaf/r50_pymaf_anny.py', 'configs/cra/r18_cra_anny.py']
SMPL_CONFIGS = [
    'configs/hmr/r18_keypoints_smpl.py', 'configs/hmr/r50_hmr.py',
    'configs/cliff/cliff_r50.py', 'configs/cliff/cliff_hrnet-w48.py',
    'configs/multiroi/r50_cliff.py', 'configs/pymaf/r50_pymaf.py',
    'configs/cra/r18_cra_smpl.py', 'configs/cra/r18_cra_refine_smpl.py']


def _train_step(model, batch):
    """Losses (name -> float) and parameter gradients (name -> CPU tensor)
    of one seeded training step, which runs on the model's device."""
    torch.manual_seed(1)
    device = next(model.parameters()).device
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    assert data['inputs'].device == device
    losses = model(**data, mode='loss')
    total, _ = model.parse_losses(losses)
    assert total.device == device
    total.backward()
    grads = {n: p.grad.cpu() for n, p in model.named_parameters()
             if p.grad is not None}
    return {k: v.item() for k, v in losses.items()}, grads


def _val_step(model, cfg, batch):
    """The config's val_evaluator metrics of one validation step."""
    torch.manual_seed(2)
    evaluator = Evaluator(cfg.val_evaluator)
    outputs = model.val_step(copy.deepcopy(batch))
    evaluator.process(data_samples=outputs, data_batch=batch)
    return evaluator.evaluate(len(outputs))


def _model_and_batches(config, options):
    """The config (with ``--cfg-options``-style ``options``), a seeded model
    (train mode) and 2-sample train and val batches (no val batch where the
    config validates nothing)."""
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(str(ROOT / config))
    cfg.merge_from_dict(options or {})
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).train()
    batches = [pseudo_collate([d[i] for i in range(2)]) if d else None
               for d in (DATASETS.build(cfg.train_dataloader.dataset),
                         cfg.val_dataloader and DATASETS.build(
                             cfg.val_dataloader.dataset))]
    return cfg, model, batches


def _check_on_device_as_on_cpu(config, options=None):
    cfg, model, (batch, val_batch) = _model_and_batches(config, options)
    on_device = copy.deepcopy(model)
    cpu_losses, cpu_grads = _train_step(model, batch)
    if val_batch:
        cpu_metrics = _val_step(model.eval(), cfg, val_batch)
    with stand_in_device() as dev:
        on_device.to(dev)
        assert all(p.device == dev for p in on_device.parameters())
        losses, grads = _train_step(on_device, batch)
        if val_batch:
            metrics = _val_step(on_device.eval(), cfg, val_batch)
    if val_batch:
        assert len(metrics) >= 3 and all(v > 0 for v in cpu_metrics.values())
        assert metrics == pytest.approx(cpu_metrics, rel=1e-5)
    assert set(losses) == set(cpu_losses) and len(losses) >= 2
    for name, value in cpu_losses.items():
        assert losses[name] == pytest.approx(value, rel=1e-5, abs=1e-6), name
    assert set(grads) == set(cpu_grads)
    assert len(grads) > 10
    for name, grad in cpu_grads.items():
        torch.testing.assert_close(grads[name], grad, rtol=1e-4,
                                   atol=1e-6, msg=name)

@pytest.mark.parametrize('config', ANNY_CONFIGS)
def test_anny_config_runs_on_an_accelerator_as_on_cpu(
        config, torch_skinned_anny):
    _check_on_device_as_on_cpu(config)



def test_detected_input_joints_run_on_an_accelerator_as_on_cpu(
        torch_skinned_anny):
    """The engine's RGB goes to the CPU for the keypoint detector and its
    joints come back to the device."""
    _check_on_device_as_on_cpu('configs/cra/r18_cra_anny.py', {
        'model.data_preprocessor.input_detector': 'MediaPipePoseDetector'})

def _write_refinement_evidence(root: Path, rng, num: int = 2):
    """``data/preprocessed/cra/h36m_train_keypoint_rcnn.npz``: COCO-17
    detections of the fabricated H36M frames and their IUV images."""
    h36m = root / 'data/datasets/h36m'
    (h36m / 'iuv').mkdir()
    for i in range(num):
        iuv = np.zeros((120, 100, 3), np.uint8)
        iuv[20:100, 20:80] = (rng.integers(1, 25), 128, 64)  # I, U, V
        cv2.imwrite(str(h36m / f'iuv/h36m_{i}_IUV.png'), iuv)
    (root / 'data/preprocessed/cra').mkdir()
    save_annotations(
        str(root / 'data/preprocessed/cra/h36m_train_keypoint_rcnn.npz'),
        dict(image_path=np.array([f'images/h36m_{i}.jpg'
                                  for i in range(num)]),
             iuv_path=np.array([f'iuv/h36m_{i}_IUV.png' for i in range(num)]),
             bbox_xywh=np.tile([20., 20., 60., 80.], (num, 1)),
             keypoints2d=keypoints_to_superset(
                 rng.uniform(20, 80, (num, 17, 2)), 'coco')),
        dataset='h36m', split='train')


@pytest.fixture(scope='module')
def fake_paper_data(fake_body_models, tmp_path_factory):
    """Every paper dataset, CRA's SMPL pose bank and its refinement
    evidence (detections and DensePose-style IUV images of the H36M
    frames), fabricated beside the fabricated SMPL files
    (``fake_body_models``); yields the folder the configs' relative paths
    start at."""
    root = tmp_path_factory.mktemp('paper')
    write_fake_paper_datasets(root)
    (root / 'data/pose_banks').mkdir(parents=True)
    rng = np.random.default_rng(0)
    # camera-frame fits with their global orientation (the CRA config
    # keeps it, as STRAPS does)
    np.savez(root / 'data/pose_banks/cra_up3d_3dpw_h36m.npz',
             body_pose=rng.normal(0, .2, (8, 69)),
             global_orient=rng.normal(0, .2, (8, 3)) + [np.pi, 0, 0])
    _write_refinement_evidence(root, rng)
    patch = pytest.MonkeyPatch()
    patch.chdir(root)
    yield root
    patch.undo()


@pytest.mark.parametrize('config', SMPL_CONFIGS)
def test_smpl_config_runs_on_an_accelerator_as_on_cpu(config,
                                                      fake_paper_data):
    _check_on_device_as_on_cpu(config)
