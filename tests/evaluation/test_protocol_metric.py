"""ProtocolMetric: published protocols on fabricated SMPL files, checked
against explicit index lists and independent numpy computations."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope

from hmrzoo.body_models import BodyModelFileNotFoundError, convert_kps
from hmrzoo.evaluation import ProtocolMetric
from hmrzoo.registry import METRICS
from hmrzoo.structures.hmr_data_sample import HMRDataSample
from hmrzoo.testing import (fake_smpl_arrays, write_fake_regressor,
                            write_fake_smpl)

#: SPIN's H36M_TO_J14: rows of the 17 H36M-regressor joints evaluated.
H36M_TO_J14 = [6, 5, 4, 1, 2, 3, 16, 15, 14, 11, 12, 13, 8, 10]
PRESETS = osp.join(osp.dirname(__file__), '..', '..', 'configs', '_base_',
                   'evaluation', 'protocols.py')
PRESET_NAMES = ('pw3d_evaluator', 'h36m_p1_evaluator', 'h36m_p2_evaluator',
                'mpi_inf_3dhp_evaluator')
NEUTRAL_SEED, MALE_SEED = 0, 1  # as make_fake_body_model_dir
TRANSL = np.array([0.1, -0.2, 3.0])  # a camera translation (m)


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    """Fake SMPL neutral + male (no female) and a (17, 6890) regressor."""
    root = tmp_path_factory.mktemp('body_models')
    write_fake_smpl(str(root / 'smpl' / 'SMPL_NEUTRAL.npz'), fmt='npz',
                    seed=NEUTRAL_SEED)
    write_fake_smpl(str(root / 'smpl' / 'SMPL_MALE.npz'), fmt='npz',
                    seed=MALE_SEED)
    write_fake_regressor(str(root / 'J_regressor_h36m.npy'), 17, seed=11)
    return root


def _regressor(root):
    return np.load(root / 'J_regressor_h36m.npy')


def _body_models(root):
    return {g: dict(type='SMPL', model_path=str(root), gender=g)
            for g in ('neutral', 'male', 'female')}


def _pw3d(root, **kwargs):
    cfg = dict(metric=('MPJPE', 'PA-MPJPE', 'PVE'), joints='lsp',
               root=['pelvis_extra'], pred_joints='regressor',
               gt_joints='body_model',
               regressor=str(root / 'J_regressor_h36m.npy'),
               body_models=_body_models(root))
    cfg.update(kwargs)
    return ProtocolMetric(**cfg)


def _gt_params(gender, orient=np.eye(3)):
    return dict(gt_global_orient=torch.as_tensor(orient),
                gt_body_pose=torch.eye(3).expand(23, 3, 3),
                gt_betas=torch.zeros(10), gender=gender)


def _evaluate(metric, samples):
    evaluator = Evaluator([metric])
    evaluator.process(data_samples=samples)
    return evaluator.evaluate(len(samples))


def _centred_rows(joints, rows):
    """Joints minus joint 0 (the H36M pelvis), then the given rows."""
    return (joints - joints[0])[rows]


def _mpjpe_mm(pred, gt):
    return np.linalg.norm(pred - gt, axis=-1).mean() * 1000.


# ---------------------------------------------------------------- 3DPW path
def test_gendered_mesh_regressor_and_j14_rows_match_explicit_indices(root):
    """The male mesh rotated by the gt global orientation, joints by the
    regressor, pelvis row 0, rows H36M_TO_J14 - all computed here by hand."""
    male = fake_smpl_arrays(seed=MALE_SEED)
    v_m = np.asarray(male['v_template'])
    j0 = np.asarray(male['J_regressor'])[0] @ v_m  # SMPL root joint
    rot = np.array([[0., 0., 1.], [0., 1., 0.], [-1., 0., 0.]])  # 90 deg, y
    gt_verts = (v_m - j0) @ rot.T + j0  # smplx rotates about the root joint
    pred_verts = v_m + TRANSL
    reg = _regressor(root)
    gt_j, pred_j = reg @ gt_verts, reg @ pred_verts
    sample = dict(pred_vertices=torch.as_tensor(pred_verts),
                  sample_idx=5, **_gt_params('male', rot))

    res14 = _evaluate(_pw3d(root), [sample])
    exp14 = _mpjpe_mm(_centred_rows(pred_j, H36M_TO_J14),
                      _centred_rows(gt_j, H36M_TO_J14))
    assert exp14 > 50.
    assert res14['MPJPE'] == pytest.approx(exp14, rel=1e-4)
    assert res14['PA-MPJPE'] == pytest.approx(0., abs=1e-3)
    exp_pve = np.linalg.norm((pred_verts - pred_j[0]) - (gt_verts - gt_j[0]),
                             axis=-1).mean() * 1000.
    assert res14['PVE'] == pytest.approx(exp_pve, rel=1e-4)

    # the 17-joint set: every row, a different number
    res17 = _evaluate(_pw3d(root, joints='h36m'), [sample])
    exp17 = _mpjpe_mm(_centred_rows(pred_j, list(range(17))),
                      _centred_rows(gt_j, list(range(17))))
    assert res17['MPJPE'] == pytest.approx(exp17, rel=1e-4)
    assert abs(res17['MPJPE'] - res14['MPJPE']) > 1.

    # by name, the 14 LSP joints are exactly SPIN's rows, root row 0
    metric = _pw3d(root)
    assert metric.layout[:14] == metric.joint_names
    assert metric._indices('h36m', 'regressor_convention') == \
        H36M_TO_J14 + [0]


def test_male_and_neutral_ground_truth_meshes_differ(root):
    """A male sample posed at rest is the male template: a prediction equal
    to it scores 0 against the male model and the template difference
    against the neutral one.  Only the genders used are built."""
    v_m = np.asarray(fake_smpl_arrays(seed=MALE_SEED)['v_template'])
    v_n = np.asarray(fake_smpl_arrays(seed=NEUTRAL_SEED)['v_template'])
    reg = _regressor(root)
    pred = dict(pred_vertices=v_m + TRANSL)

    metric = _pw3d(root)
    assert metric._body_models == {}
    male = _evaluate(metric, [dict(pred, **_gt_params('male'))])
    assert male['PVE'] == pytest.approx(0., abs=1e-3)
    assert male['MPJPE'] == pytest.approx(0., abs=1e-3)
    assert sorted(metric._body_models) == ['male']

    neutral = _evaluate(metric, [dict(pred, **_gt_params('neutral'))])
    assert sorted(metric._body_models) == ['male', 'neutral']
    root_m, root_n = reg[0] @ v_m, reg[0] @ v_n
    exp_pve = np.linalg.norm((v_m - root_m) - (v_n - root_n),
                             axis=-1).mean() * 1000.
    assert exp_pve > 1.
    assert neutral['PVE'] == pytest.approx(exp_pve, rel=1e-4)
    exp_mpjpe = _mpjpe_mm(_centred_rows(reg @ v_m, H36M_TO_J14),
                          _centred_rows(reg @ v_n, H36M_TO_J14))
    assert neutral['MPJPE'] == pytest.approx(exp_mpjpe, rel=1e-4)

    # uncentred meshes keep the camera translation in PVE
    plain = _pw3d(root, metric=('PVE', ), vertex_centring='none')
    res = _evaluate(plain, [dict(pred, **_gt_params('male'))])
    assert res['PVE'] == pytest.approx(np.linalg.norm(TRANSL) * 1000.,
                                       rel=1e-5)


def test_batch_of_mixed_genders_in_one_call(root):
    v_m = np.asarray(fake_smpl_arrays(seed=MALE_SEED)['v_template'])
    v_n = np.asarray(fake_smpl_arrays(seed=NEUTRAL_SEED)['v_template'])
    metric = _pw3d(root, metric=('PVE', ))
    samples = [dict(pred_vertices=v_n, sample_idx=0, **_gt_params('neutral')),
               dict(pred_vertices=v_m, sample_idx=1, **_gt_params('male')),
               dict(pred_vertices=v_n, sample_idx=2, **_gt_params('neutral'))]
    _evaluate(metric, samples)
    assert [s['PVE'] for s in metric.per_sample] == \
        pytest.approx([0., 0., 0.], abs=1e-3)


# ------------------------------------------------------------ keypoint path
def _h36m_pose():
    """(17, 3) H36M joints (m), pelvis first; not centred."""
    rng = np.random.default_rng(3)
    return rng.normal(scale=0.3, size=(17, 3)) + np.array([0.2, 0.1, 4.])


def _keypoint_metric(**kwargs):
    cfg = dict(metric=('MPJPE', 'PA-MPJPE'), joints='lsp',
               root=['pelvis_extra'], pred_joints='keypoints',
               gt_joints='keypoints')
    cfg.update(kwargs)
    return ProtocolMetric(**cfg)


def test_rotation_and_scale_give_zero_pa_mpjpe_and_known_mpjpe():
    gt = _h36m_pose()
    flip = np.diag([1., -1., -1.])  # 180 deg about x
    pred = 2. * gt @ flip.T + TRANSL
    res = _evaluate(_keypoint_metric(),
                    [dict(pred_keypoints3d=pred, gt_keypoints3d=gt,
                          keypoint_convention='h36m')])
    # pelvis-centred: pred = 2 * flip(g), so pred - g = (x, -3y, -3z)
    g = _centred_rows(gt, H36M_TO_J14)
    expected = np.sqrt(g[:, 0] ** 2 + 9. * (g[:, 1] ** 2 + g[:, 2] ** 2))
    assert res['MPJPE'] == pytest.approx(expected.mean() * 1000.)
    assert res['PA-MPJPE'] == pytest.approx(0., abs=1e-6)


def test_known_offsets_across_conventions_and_masks():
    """gt in the smpl_54 superset (metainfo), pred in h36m (argument)."""
    gt_h36m = _h36m_pose()
    gt54, mask54 = convert_kps(gt_h36m, 'h36m', 'smpl_54')
    assert mask54.sum() == 17
    pred = gt_h36m + TRANSL
    pred[2] += [0.03, 0.04, 0.]   # left_knee: 50 mm
    pred[10] += [0., 0., 0.1]     # headtop: 100 mm
    pred[7] += [3., 3., 3.]       # spine: not an LSP joint
    sample = dict(pred_keypoints3d=pred, gt_keypoints3d=gt54,
                  gt_keypoints3d_mask=mask54, keypoint_convention='smpl_54',
                  sample_idx='a')
    metric = _keypoint_metric(metric=('MPJPE', ), pred_convention='h36m')
    assert _evaluate(metric, [sample])['MPJPE'] == pytest.approx(150. / 14.)

    no_head = mask54.copy()
    no_head[metric._indices('smpl_54', '')[13]] = 0  # headtop
    no_root = mask54.copy()
    no_root[metric._indices('smpl_54', '')[14]] = 0  # pelvis_extra
    samples = [dict(sample, gt_keypoints3d_mask=no_head, sample_idx='b'),
               dict(sample, gt_keypoints3d_mask=no_root, sample_idx='c')]
    res = _evaluate(metric, samples)
    # the sample without a valid root has no valid joint
    assert res['MPJPE'] == pytest.approx(50. / 13.)
    assert metric.per_sample[0] == {'sample_idx': 'b',
                                    'MPJPE': pytest.approx(50. / 13.)}
    assert np.isnan(metric.per_sample[1]['MPJPE'])


def test_pck_and_auc_on_hand_made_errors_3dhp():
    """17 3DHP test joints (gt order) from h36m-ordered predictions; errors
    42, 97, 203 mm on three joints, 0 elsewhere."""
    gt_h36m = _h36m_pose()
    pred = gt_h36m.copy()
    pred[16] += [0.042, 0., 0.]   # right_wrist
    pred[2] += [0., 0.097, 0.]    # left_knee
    pred[10] += [0., 0., -0.203]  # headtop
    gt_3dhp, mask = convert_kps(gt_h36m, 'h36m', 'mpi_inf_3dhp')
    assert mask.all()
    metric = _keypoint_metric(metric=('PCK', 'AUC', 'MPJPE'),
                              joints='mpi_inf_3dhp', pred_convention='h36m',
                              gt_convention='mpi_inf_3dhp')
    res = _evaluate(metric, [dict(pred_keypoints3d=pred,
                                  gt_keypoints3d=gt_3dhp)])
    assert res['PCK'] == pytest.approx(16. / 17. * 100.)
    # thresholds 0, 5, ..., 150: 0 correct at 0; 14 at 5..40 (8 values),
    # 15 at 45..95 (11), 16 at 100..150 (11)
    assert res['AUC'] == pytest.approx(
        (8 * 14 + 11 * 15 + 11 * 16) / (31. * 17.) * 100.)
    assert res['MPJPE'] == pytest.approx((42. + 97. + 203.) / 17.)


def test_mid_hip_root_is_a_choice():
    gt = _h36m_pose()
    pred = gt.copy()
    pred[[1, 4]] += [0.02, 0., 0.]  # both hips move 20 mm along x
    sample = dict(pred_keypoints3d=pred, gt_keypoints3d=gt,
                  keypoint_convention='h36m')
    hips = _keypoint_metric(metric=('MPJPE', ),
                            root=['left_hip_extra', 'right_hip_extra'])
    pelvis = _keypoint_metric(metric=('MPJPE', ))
    # mid-hip root: 12 LSP joints off by 20 mm, the hips exact
    assert _evaluate(hips, [sample])['MPJPE'] == pytest.approx(240. / 14.)
    # pelvis root: only the two hips are off
    assert _evaluate(pelvis, [sample])['MPJPE'] == pytest.approx(40. / 14.)
    assert "['left_hip_extra', 'right_hip_extra']" in \
        hips.format_table({'MPJPE': 1.}, 1)


# ------------------------------------------------------------ errors
def test_missing_files_name_the_file_and_the_converter(root, tmp_path):
    with pytest.raises(BodyModelFileNotFoundError,
                       match=r'(?s)nope\.npy.*convert_body_model\.py'):
        _pw3d(root, regressor=str(tmp_path / 'nope.npy'))
    metric = _pw3d(root)
    sample = dict(pred_vertices=np.zeros((6890, 3)), **_gt_params('female'))
    with pytest.raises(BodyModelFileNotFoundError,
                       match=r'(?s)SMPL_FEMALE.*convert_body_model\.py'):
        metric.process(None, [sample])


def test_missing_fields_are_named(root):
    metric = _pw3d(root)
    good = dict(pred_vertices=np.zeros((6890, 3)), **_gt_params('male'))
    for key in ('gt_betas', 'gender', 'pred_vertices'):
        bad = {k: v for k, v in good.items() if k != key}
        with pytest.raises(KeyError, match=repr(key)):
            metric.process(None, [bad])
    with pytest.raises(KeyError, match="only have"):
        metric.process(None, [dict(good, gender='other')])
    kp = _keypoint_metric()
    with pytest.raises(KeyError, match='keypoint_convention.*pred_convention'):
        kp.process(None, [dict(pred_keypoints3d=np.zeros((17, 3)),
                               gt_keypoints3d=np.zeros((17, 3)))])
    with pytest.raises(ValueError, match=r"\(17, 3\)"):
        kp.process(None, [dict(pred_keypoints3d=np.zeros((16, 3)),
                               gt_keypoints3d=np.zeros((17, 3)),
                               keypoint_convention='h36m')])
    with pytest.raises(ValueError, match=r'gt_global_orient.*\(3, 3\)'):
        metric.process(None, [dict(good, gt_global_orient=np.zeros(3))])
    with pytest.raises(ValueError, match='6890'):
        metric.process(None, [dict(good, pred_vertices=np.zeros((10, 3)))])


def test_bad_arguments(root):
    with pytest.raises(ValueError, match='keypoint convention'):
        _keypoint_metric(joints='no_such_convention')
    with pytest.raises(KeyError, match="'nose'.*'h36m'"):
        _pw3d(root, joints=['nose', 'headtop'])
    with pytest.raises(ValueError, match='twice'):
        _keypoint_metric(joints=['headtop', 'headtop'])
    with pytest.raises(ValueError, match='needs a root'):
        _keypoint_metric(root=None)
    with pytest.raises(ValueError, match='gt_joints'):
        _keypoint_metric(gt_joints='mesh')


# ------------------------------------------------------------ presets
@pytest.mark.parametrize('name', PRESET_NAMES)
def test_presets_load_and_build(name, root, monkeypatch):
    cfg = Config.fromfile(PRESETS)
    assert set(PRESET_NAMES) <= set(cfg.keys())
    assert not any(k.startswith('_') for k in cfg.keys())
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    with DefaultScope.overwrite_default_scope('hmrzoo'):
        metric = METRICS.build(cfg[name])
    assert isinstance(metric, ProtocolMetric)
    assert metric.root_names == ['pelvis_extra']
    assert metric.regressor.shape == (17, 6890)
    rows = metric._indices('h36m', 'regressor_convention')
    if name == 'mpi_inf_3dhp_evaluator':
        # the 3DHP test order, read from the 17 regressor rows by name (the
        # same rows as SPIN's H36M_TO_J17, in another order)
        assert rows == [10, 8, 14, 15, 16, 11, 12, 13, 4, 5, 6, 1, 2, 3,
                        0, 7, 9]
        assert metric.pck_threshold == 150.
    else:
        assert rows == H36M_TO_J14 + [0]
    assert metric.data_description


def test_child_config_picks_a_preset(tmp_path):
    child = tmp_path / 'child.py'
    child.write_text(
        f'_base_ = [{osp.abspath(PRESETS)!r}]\n'
        'test_evaluator = {{_base_.pw3d_evaluator}}\n'
        "val_evaluator = dict(_base_.h36m_p1_evaluator, joints='h36m')\n")
    cfg = Config.fromfile(str(child))
    assert cfg.test_evaluator.gt_joints == 'body_model'
    assert cfg.test_evaluator.metric == ['MPJPE', 'PA-MPJPE', 'PVE',
                                         'MPJPE-SC']
    assert cfg.val_evaluator.joints == 'h36m'
    assert cfg.val_evaluator.gt_joints == 'keypoints'


def test_pw3d_preset_through_data_samples(root, monkeypatch):
    """HMRDataSample elements (metainfo + fields) through mmengine's
    Evaluator; per-sample output and the printed protocol."""
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    cfg = Config.fromfile(PRESETS).pw3d_evaluator
    with DefaultScope.overwrite_default_scope('hmrzoo'):
        evaluator = Evaluator(dict(cfg, prefix='3dpw'))
    metric = evaluator.metrics[0]
    v_m = np.asarray(fake_smpl_arrays(seed=MALE_SEED)['v_template'])
    elem = HMRDataSample(metainfo=dict(sample_idx=9, gender='male'))
    elem.pred_vertices = torch.as_tensor(v_m + TRANSL, dtype=torch.float32)
    params = _gt_params('male')
    params.pop('gender')
    for key, value in params.items():
        setattr(elem, key, value.float())
    evaluator.process(data_samples=[elem])
    res = evaluator.evaluate(1)
    assert sorted(res) == ['3dpw/MPJPE', '3dpw/MPJPE-SC', '3dpw/PA-MPJPE',
                           '3dpw/PVE']
    assert all(v == pytest.approx(0., abs=1e-2) for v in res.values())
    assert metric.per_sample[0]['sample_idx'] == 9
    json.dumps(metric.per_sample)
    table = metric.format_table({'MPJPE': 1.}, 1)
    for text in ("14 (convention 'lsp'): right_ankle", "['pelvis_extra']",
                 'J_regressor_h36m.npy', 'male: SMPL', 'centred on its own',
                 '3DPW test'):
        assert text in table
