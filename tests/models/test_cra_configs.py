"""CRA's configs through the tools: the tiny embedded variant trains and
tests; the SMPL and refinement configs stop before building anything and
name what is missing and the embedded variant."""
import json
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

from hmrzoo.engine import MissingDataError, check_required_data

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
