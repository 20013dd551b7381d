"""CRA's configs through the tools: the tiny embedded variant trains and
tests; the SMPL and refinement configs stop before building anything and
name what is missing and the embedded variant; the 3DPW test on detected
evidence names its files and, on fabricated ones, builds and tests."""
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.engine import MissingDataError, check_required_data
from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_cra_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402


def test_tiny_cra_trains_and_tests(tmp_path, capsys):
    train_tool.main([TINY, '--work-dir', str(tmp_path)])
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()
    log = next(tmp_path.glob('*/vis_data/scalars.json')).read_text()
    first = json.loads(log.splitlines()[0])
    # eq. 6's terms, the σ regulariser and the decoder's loss are logged
    for key in ('loss_vertices', 'loss_smpl', 'loss_log_sigma', 'loss_iuv',
                'sigma_smpl'):
        assert key in first
    out = tmp_path / 'metrics.json'
    test_tool.main([TINY, str(ckpt), '--work-dir', str(tmp_path),
                    '--out', str(out)])
    printed = capsys.readouterr().out
    metrics = json.loads(out.read_text())['metrics']
    for name in ('MPJPE', 'PA-MPJPE', 'PVE'):
        assert f'{name}: {metrics[name]:.2f} mm' in printed


@pytest.mark.parametrize('config, missing', [
    ('configs/cra/r18_cra_smpl.py',
     ('SMPL model (neutral)', 'data/pose_banks/cra_up3d_3dpw_h36m.npz')),
    ('configs/cra/r18_cra_refine_smpl.py',
     ('SMPL model (neutral)', 'work_dirs/r18_cra_smpl/iter_70000.pth',
      'data/preprocessed/cra/h36m_train_keypoint_rcnn.npz')),
    ('configs/cra/r18_cra_refine_smpl_pw3d.py',
     ('SMPL model (neutral)', 'work_dirs/r18_cra_smpl/iter_70000.pth',
      'data/preprocessed/cra/pw3d_train_keypoint_rcnn.npz',
      'python tools/detect_keypoints.py data/datasets/pw3d')),
    ('configs/cra/r18_cra_refine_smpl_mpi-inf-3dhp.py',
     ('SMPL model (neutral)', 'work_dirs/r18_cra_smpl/iter_70000.pth',
      'data/preprocessed/cra/mpi_inf_3dhp_train_keypoint_rcnn.npz',
      'python tools/detect_keypoints.py data/datasets/mpi_inf_3dhp')),
])
def test_paper_configs_without_data_name_what_is_missing(
        config, missing, tmp_path, monkeypatch):
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(tmp_path / 'none'))
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(ROOT / config))
    with pytest.raises(MissingDataError) as err:
        check_required_data(cfg)
    msg = str(err.value)
    for item in missing:
        assert item in msg
    assert 'python tools/train.py configs/cra/r18_cra_anny.py' in msg
    refine = 'refine' in config
    assert cfg.model.data_preprocessor.type == (
        'DetectedEvidencePreprocessor' if refine
        else 'SyntheticTargetsPreprocessor')
    if refine:
        assert cfg.optim_wrapper.optimizer.lr == 1e-6
        assert cfg.train_dataloader.dataset.type == 'HumanImageDataset'
        assert set(cfg.model.losses) == {'refine_keypoints2d', 'refine_iuv'}
        assert cfg.train_cfg.max_epochs == 10 and cfg.load_from == \
            'work_dirs/r18_cra_smpl/iter_70000.pth'
        assert cfg.train_dataloader.dataset.ann_file == missing[2]


DETECTED = 'configs/cra/r18_cra_smpl_pw3d-detected-test.py'


def test_pw3d_detected_config_without_data_names_what_is_missing(
        tmp_path, monkeypatch):
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(tmp_path / 'none'))
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(ROOT / DETECTED))
    with pytest.raises(MissingDataError) as err:
        check_required_data(cfg)
    msg = str(err.value)
    for item in ('SMPL model (male)', 'data/preprocessed/pw3d_test_detected'
                 '.npz', 'python tools/detect_keypoints.py data/datasets/'
                 'pw3d --ann-file data/preprocessed/pw3d_test.npz --out '
                 'data/preprocessed/pw3d_test_detected.npz'):
        assert item in msg
    # the converted file it starts from is the one of the paper table
    table = Config.fromfile(
        str(ROOT / 'configs/_base_/datasets/paper_data_files.py'))
    assert table.paper_files['pw3d'][0] == 'pw3d_test.npz'
    assert table.paper_files['pw3d'][2] in msg
    data = cfg.test_dataloader.dataset
    assert data.data_prefix.img_path == table.paper_sources.pw3d.data_prefix
    assert (data.keypoint_convention, tuple(data.crop_size),
            data.bbox_scale_factor, data.test_mode) == (
                'coco', (256, 256), 1.0, True)
    pre = cfg.model.data_preprocessor
    assert (pre.type, pre.keypoints_key, pre.with_iuv, pre.heatmap_size) == (
        'DetectedEvidencePreprocessor', 'det_keypoints2d', False, 256)
    assert cfg.model.decoded_iuv == 'missing'
    protocol = Config.fromfile(
        str(ROOT / 'configs/_base_/evaluation/protocols.py')).pw3d_evaluator
    for key, value in protocol.items():
        if key != 'data_description':
            assert cfg.test_evaluator[key] == value, key


def _fabricate_pw3d_detected(root: Path, n: int = 2):
    """``data/preprocessed/pw3d_test_detected.npz`` (n rows, gendered SMPL
    ground truth, detections; the last row without any) and its images."""
    rng = np.random.default_rng(0)
    folder = root / 'data/datasets/pw3d/imageFiles/seq'
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        cv2.imwrite(str(folder / f'{i}.jpg'),
                    (rng.random((120, 100, 3)) * 255).astype(np.uint8))
        paths.append(f'imageFiles/seq/{i}.jpg')
    truth = rng.uniform(20, 80, (n, 17, 2))
    conf = np.ones((n, 17))
    conf[-1] = 0
    out = root / 'data/preprocessed'
    out.mkdir(parents=True)
    save_annotations(
        str(out / 'pw3d_test_detected.npz'), dict(
            image_path=np.array(paths),
            bbox_xywh=np.tile([20., 20., 60., 80.], (n, 1)),
            keypoints2d=keypoints_to_superset(truth, 'coco'),
            keypoints2d_detected=keypoints_to_superset(
                truth + rng.normal(0, 3, truth.shape), 'coco', conf),
            smpl_global_orient=rng.normal(0, .2, (n, 3)),
            smpl_body_pose=rng.normal(0, .2, (n, 69)),
            smpl_betas=rng.normal(0, 1, (n, 10)),
            smpl_transl=np.zeros((n, 3)), has_smpl=np.ones(n, bool),
            gender=np.array(['male', 'female'] * n)[:n]),
        dataset='3dpw', split='test')


def test_pw3d_detected_config_builds_and_tests(fake_body_models, tmp_path,
                                               monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _fabricate_pw3d_detected(tmp_path)
    cfg = Config.fromfile(str(ROOT / DETECTED))
    check_required_data(cfg)
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'CRAEstimator'
    assert type(model.data_preprocessor).__name__ == \
        'DetectedEvidencePreprocessor'
    ckpt = tmp_path / 'cra.pth'
    torch.save(dict(state_dict=model.state_dict()), str(ckpt))
    out = tmp_path / 'results.json'
    metrics = test_tool.main([
        str(ROOT / DETECTED), str(ckpt), '--work-dir', str(tmp_path / 'w'),
        '--out', str(out), '--cfg-options', 'test_dataloader.num_workers=0',
        'test_dataloader.batch_size=2'])
    assert set(metrics) == {'MPJPE', 'PA-MPJPE', 'PVE', 'MPJPE-SC'}
    assert all(v > 0 for v in metrics.values())
    # the row without detections is evaluated too
    assert len(json.loads(out.read_text())['per_sample'][0]) == 2
    assert 'COCO-17 joints detected in each person box' in \
        capsys.readouterr().out


DETECTED_3D = {
    'h36m': ('configs/cra/r18_cra_smpl_h36m-detected-test.py',
             'h36m_valid_protocol2_detected.npz', 'h36m',
             {'MPJPE', 'PA-MPJPE'}),
    'mpi_inf_3dhp': ('configs/cra/r18_cra_smpl_mpi-inf-3dhp-detected-test.py',
                     'mpi_inf_3dhp_test_detected.npz', 'mpi_inf_3dhp',
                     {'PA-PCK', 'PA-AUC', 'PA-MPJPE', 'PCK', 'AUC', 'MPJPE'}),
}


@pytest.mark.parametrize('name', sorted(DETECTED_3D))
def test_mocap_detected_configs_test_on_their_protocols(
        name, fake_body_models, tmp_path, monkeypatch):
    """Human3.6M (Table 1) and MPI-INF-3DHP (Table 3) from detected COCO-17
    joints: a fabricated converted-and-detected file (3D joints in the
    dataset's own convention, no SMPL) tests through tools/test.py and the
    paper's metrics come out; without it the config names the commands."""
    config, filename, convention, expected = DETECTED_3D[name]
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(ROOT / config))
    with pytest.raises(MissingDataError) as err:
        check_required_data(cfg)
    assert f'data/preprocessed/{filename}' in str(err.value)
    assert 'python tools/detect_keypoints.py' in str(err.value)
    rng = np.random.default_rng(1)
    folder = tmp_path / f'data/datasets/{name}/images'
    folder.mkdir(parents=True)
    n = 3
    for i in range(n):
        cv2.imwrite(str(folder / f'{i}.jpg'),
                    (rng.random((120, 100, 3)) * 255).astype(np.uint8))
    joints3d = rng.normal(0, .3, (n, 17, 3)) + [0, 0, 4]
    truth2d = rng.uniform(20, 80, (n, 17, 2))
    out = tmp_path / 'data/preprocessed'
    out.mkdir(parents=True)
    save_annotations(str(out / filename), dict(
        image_path=np.array([f'images/{i}.jpg' for i in range(n)]),
        bbox_xywh=np.tile([20., 20., 60., 80.], (n, 1)),
        keypoints3d=keypoints_to_superset(joints3d, convention),
        keypoints2d=keypoints_to_superset(truth2d, 'coco'),
        keypoints2d_detected=keypoints_to_superset(
            truth2d + rng.normal(0, 3, truth2d.shape), 'coco')),
        dataset=name, split='test')
    check_required_data(cfg)
    model = MODELS.build(cfg.model)
    ckpt = tmp_path / 'cra.pth'
    torch.save(dict(state_dict=model.state_dict()), str(ckpt))
    metrics = test_tool.main([
        str(ROOT / config), str(ckpt), '--work-dir', str(tmp_path / 'w'),
        '--cfg-options', 'test_dataloader.num_workers=0',
        'test_dataloader.batch_size=3'])
    assert set(metrics) == expected
    assert all(np.isfinite(v) for v in metrics.values())
    assert metrics['PA-MPJPE'] > 0
