"""SMPL's IUV atlas is DensePose's own when UV_Processed.mat is at hand
(derived charts otherwise), and the log says which."""
import numpy as np
import scipy.io
import torch
from mmengine.logging import MMLogger

from hmrzoo.body_models import SMPL
from hmrzoo.renderers.iuv_body_models import atlas_for, clear_atlas_cache


def _write_mat(path, faces, parts, u, v):
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(u)
    scipy.io.savemat(str(path), dict(
        All_vertices=np.arange(1, n + 1, dtype=np.float64)[:, None],
        All_Faces=(faces + 1).astype(np.float64),
        All_FaceIndices=parts.astype(np.float64)[:, None],
        All_U_norm=u[:, None], All_V_norm=v[:, None]))


def test_smpl_uses_densepose_charts_when_present(fake_body_models, tmp_path,
                                                 monkeypatch):
    # a logger of this test's own (the current one), writing to a file
    log = tmp_path / 'log.txt'
    MMLogger.get_instance(f'densepose_charts_{tmp_path.name}',
                          log_file=str(log))
    smpl = SMPL(model_path=str(fake_body_models))
    empty = tmp_path / 'roots'
    empty.mkdir()
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(empty))
    monkeypatch.chdir(tmp_path)
    clear_atlas_cache()
    derived = atlas_for(smpl)
    out = log.read_text()
    assert 'IUV charts of SMPL: derived from its skinning weights' in out
    assert "UV_Processed.mat was not found" in out
    # a UV_Processed.mat whose parts and (U, V) differ from the derived ones
    faces = smpl.faces.numpy()
    parts = derived.face_part.numpy() % 24 + 1
    rng = np.random.default_rng(0)
    u, v = rng.random(smpl.num_vertices), rng.random(smpl.num_vertices)
    mat = empty / 'UV_data' / 'UV_Processed.mat'
    _write_mat(mat, faces, parts, u, v)
    clear_atlas_cache()
    atlas = atlas_for(smpl)
    out = log.read_text()
    assert f"IUV charts of SMPL: DensePose's {mat}" in out
    assert torch.equal(atlas.faces, smpl.faces)
    assert atlas.face_part.tolist() == parts.tolist()
    expect = np.stack([u, v], -1)[faces]
    assert np.allclose(atlas.corner_uv.numpy(), expect, atol=1e-6)
    clear_atlas_cache()
