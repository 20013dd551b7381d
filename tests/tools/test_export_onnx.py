"""tools/export_onnx.py: ONNX Runtime reproduces PyTorch to 1e-4 on every
exportable model (random inputs of another batch size than the traced
one: the batch is dynamic), and a model that cannot be exported is
refused naming where tracing failed."""
import sys
from pathlib import Path

import numpy as np
import pytest

from hmrzoo.apis.onnx_export import ExportError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import export_onnx as tool  # noqa: E402


@pytest.mark.parametrize('config, geometry', [
    ('configs/hmr/r18_keypoints_anny.py', False),
    ('configs/cliff/cliff_r50_anny.py', True),
    ('configs/multiroi/r50_cliff_anny.py', True),
    ('configs/selfsup_depth/r18_selfsup_depth_anny.py', False),
])
def test_onnx_runtime_matches_pytorch(tmp_path, config, geometry):
    options = ['--cfg-options', 'model.head.pose_decoder.checkpoint=None'] \
        if 'selfsup' in config else []
    out = tmp_path / 'sub' / 'model.onnx'
    result = tool.main([str(ROOT / config), '--out', str(out)] + options)
    assert out.is_file() and result['geometry'] == geometry
    assert result['inputs'][0] == 'inputs'
    assert max(result['max_abs_diff'].values()) < 1e-4, result


def test_pymaf_on_smpl_exports(tmp_path, fake_body_models):
    result = tool.main([str(ROOT / 'configs/pymaf/r50_pymaf.py'), '--out',
                        str(tmp_path / 'p.onnx')])
    assert max(result['max_abs_diff'].values()) < 1e-4, result


def test_a_model_that_cannot_be_exported_is_named(tmp_path):
    with pytest.raises(ExportError) as err:
        tool.main([str(ROOT / 'configs/pymaf/r50_pymaf_anny.py'), '--out',
                   str(tmp_path / 'p.onnx')])
    msg = str(err.value)
    assert msg.startswith('PyMAFEstimator cannot be exported to ONNX: '
                          'tracing failed in ')
    assert np.any([k in msg for k in ('anny', 'hmrzoo')])
