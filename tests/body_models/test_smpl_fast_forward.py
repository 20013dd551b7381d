"""hmrzoo's SMPL forward (hmrzoo.body_models.lbs: joint templates, the
chain by tree level, 3x4 skinning, one fused keypoint regression) against
raw smplx.SMPL on the same fabricated file: equal to 1e-6, gradients
included; the keypoints-only forward gives the same keypoints."""
import numpy as np
import pytest
import smplx
import torch

from hmrzoo.body_models import SMPL
from hmrzoo.body_models.lbs import kinematic_levels
from hmrzoo.testing import write_fake_regressor, write_fake_smpl
from hmrzoo.utils.rotations import axis_angle_to_rotmat


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp('smpl_fast')
    path = write_fake_smpl(str(root / 'SMPL_NEUTRAL.pkl'))
    extra = write_fake_regressor(str(root / 'J_regressor_extra.npy'), 9,
                                 k=40)
    h36m = write_fake_regressor(str(root / 'J_regressor_h36m.npy'), 17,
                                seed=3)
    return path, extra, h36m


def _inputs(batch, seed=0):
    g = torch.Generator().manual_seed(seed)
    rot = axis_angle_to_rotmat(0.5 * torch.randn(batch, 24, 3, generator=g))
    return rot, torch.randn(batch, 10, generator=g), \
        torch.randn(batch, 3, generator=g)


def test_kinematic_levels_cover_the_tree_once():
    parents = [-1, 0, 0, 1, 3, 3, 2]
    levels = kinematic_levels(parents)
    assert [lv[0].tolist() for lv in levels] == [[1, 2], [3, 6], [4, 5]]
    assert [lv[1].tolist() for lv in levels] == [[0, 0], [1, 2], [3, 3]]


@pytest.mark.parametrize('batch', [1, 7])
def test_equal_to_smplx_45_and_54(files, batch):
    """Equal to smplx within 1e-6 m, and, like smplx, within 1e-6 m of
    smplx in float64."""
    path, extra_path, _ = files
    raw = smplx.SMPL(model_path=path)
    extra = torch.from_numpy(np.load(extra_path)).float()
    rot, betas, transl = _inputs(batch)
    with torch.no_grad():
        ref = raw(global_orient=rot[:, :1], body_pose=rot[:, 1:],
                  betas=betas, transl=transl, pose2rot=False)
        exact = smplx.SMPL(model_path=path, dtype=torch.float64)(
            global_orient=rot[:, :1].double(),
            body_pose=rot[:, 1:].double(), betas=betas.double(),
            transl=transl.double(), pose2rot=False)
        # as SPIN applies J_regressor_extra: to the translated vertices
        ref_extra = torch.einsum('jv,bvc->bjc', extra, ref.vertices)
        out45 = SMPL(model_path=path)(rot[:, :1], rot[:, 1:], betas, transl)
        m54 = SMPL(model_path=path, extra_joints_regressor=extra_path)
        out54 = m54(rot[:, :1], rot[:, 1:], betas, transl)
        kp54 = m54(rot[:, :1], rot[:, 1:], betas, transl,
                   need_vertices=False)
    assert out45['joints'].shape == (batch, 45, 3)
    for ours, theirs, truth in (
            (out45['vertices'], ref.vertices, exact.vertices),
            (out45['joints'], ref.joints, exact.joints),
            (out54['joints'][:, :45], ref.joints, exact.joints)):
        torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-6)
        torch.testing.assert_close(ours.double(), truth, rtol=0, atol=1e-6)
    torch.testing.assert_close(out54['joints'][:, 45:], ref_extra, rtol=0,
                               atol=1e-6)
    assert 'vertices' not in kp54
    torch.testing.assert_close(kp54['joints'], out54['joints'], rtol=0,
                               atol=1e-6)
    torch.testing.assert_close(kp54['keypoints'], out54['keypoints'],
                               rtol=0, atol=1e-6)


def test_replacing_regressor_and_gradients(files):
    path, _, h36m_path = files
    raw = smplx.SMPL(model_path=path)
    reg = torch.from_numpy(np.load(h36m_path)).float()
    model = SMPL(model_path=path, joints_regressor=h36m_path,
                 joints_regressor_convention='h36m')
    rot, betas, _ = _inputs(3, seed=1)
    grads = []
    for fn in (lambda r, b: torch.einsum('jv,bvc->bjc', reg, raw(
            global_orient=r[:, :1], body_pose=r[:, 1:], betas=b,
            pose2rot=False).vertices),
               lambda r, b: model(r[:, :1], r[:, 1:], b)['joints'],
               lambda r, b: model(r[:, :1], r[:, 1:], b,
                                  need_vertices=False)['joints']):
        r, b = rot.clone().requires_grad_(True), betas.clone(
        ).requires_grad_(True)
        joints = fn(r, b)
        (joints * torch.linspace(-1, 1, joints.numel()).reshape(
            joints.shape)).sum().backward()
        grads.append((joints.detach(), r.grad, b.grad))
    for joints, g_rot, g_betas in grads[1:]:
        torch.testing.assert_close(joints, grads[0][0], rtol=0, atol=1e-6)
        torch.testing.assert_close(g_rot, grads[0][1], rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(g_betas, grads[0][2], rtol=1e-4,
                                   atol=1e-5)


def test_unnormalised_rows_translation_and_caches(files, tmp_path):
    """Rows that do not sum to one see the translation as reg @ (v + t);
    the arrays cached under inference_mode still train; .double() rebuilds
    them."""
    path, extra_path, _ = files
    scaled = tmp_path / 'J_regressor_extra.npy'
    np.save(scaled, 1.3 * np.load(extra_path))
    raw = smplx.SMPL(model_path=path)
    model = SMPL(model_path=path, extra_joints_regressor=str(scaled))
    rot, betas, transl = _inputs(2, seed=4)
    transl = 5 * transl                      # metres, as a full-frame camera
    with torch.inference_mode():
        first = model(rot[:, :1], rot[:, 1:], betas, transl)
    ref = raw(global_orient=rot[:, :1], body_pose=rot[:, 1:], betas=betas,
              transl=transl, pose2rot=False)
    expect = torch.einsum('jv,bvc->bjc',
                          torch.from_numpy(1.3 * np.load(extra_path)).float(),
                          ref.vertices)
    torch.testing.assert_close(first['joints'][:, 45:], expect, rtol=0,
                               atol=1e-5)
    r = rot.clone().requires_grad_(True)
    model(r[:, :1], r[:, 1:], betas, transl)['joints'].sum().backward()
    assert torch.isfinite(r.grad).all() and r.grad.abs().sum() > 0
    out64 = model.double()(rot[:, :1].double(), rot[:, 1:].double(),
                           betas.double(), transl.double())
    assert out64['vertices'].dtype == torch.float64
    torch.testing.assert_close(out64['joints'].float(), first['joints'],
                               rtol=0, atol=1e-5)
