"""hmrzoo's SMPL / SMPL-X layers against ``smplx`` on fabricated model files
(no licensed data), joint regressors, keypoint conventions, missing-file
errors, mean parameters and the registry."""
import importlib.util
import os.path as osp
import pickle
import types

import numpy as np
import pytest
import smplx
import torch
from smplx.utils import Struct

from hmrzoo.conventions import get_keypoint_names
from hmrzoo.body_models.mean_params import load_mean_params
from hmrzoo.body_models.model_files import BodyModelFileNotFoundError
from hmrzoo.body_models.smpl import SMPL
from hmrzoo.body_models.smplx_model import SMPLX
from hmrzoo.utils.rotations import axis_angle_to_rotmat, rot6d_to_rotmat
from hmrzoo.registry import BODY_MODELS
from hmrzoo.testing import (SMPL_PARENTS, SMPLX_PARENTS, fake_smpl_arrays,
                            make_fake_body_model_dir, write_fake_mean_params,
                            write_fake_smpl)

ATOL = 1e-5
B = 3
TOOL = osp.join(osp.dirname(__file__), '..', '..', 'tools',
                'convert_body_model.py')


def load_converter():
    """tools/convert_body_model.py as a module."""
    spec = importlib.util.spec_from_file_location('convert_body_model', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    """A complete fake ``data/body_models`` tree (SMPL files as .npz: they
    load faster; the .pkl path is tested through ``variants``)."""
    return make_fake_body_model_dir(str(tmp_path_factory.mktemp('bm')),
                                    smpl_fmt='npz')


@pytest.fixture(scope='module')
def variants(tmp_path_factory):
    """The neutral model as .pkl (protocol 2, sparse J_regressor, as
    released), as .npz converted from that .pkl by the tool, and as a
    chumpy-style pickle; all hold the same arrays (seed 0)."""
    d = tmp_path_factory.mktemp('variants')
    pkl = write_fake_smpl(str(d / 'SMPL_NEUTRAL.pkl'), seed=0)
    npz = load_converter().convert_file(pkl, str(d / 'SMPL_NEUTRAL.npz'))
    chumpy = write_fake_smpl(str(d / 'chumpy.pkl'), seed=0, chumpy_like=True,
                             protocol=pickle.HIGHEST_PROTOCOL)
    return {'pkl': pkl, 'npz': npz, 'chumpy': chumpy}


@pytest.fixture(scope='module')
def neutral(root):
    """hmrzoo's SMPL on the root's neutral model."""
    return SMPL(model_path=root)


@pytest.fixture(scope='module')
def arrays():
    """The arrays of the root's neutral model."""
    return fake_smpl_arrays(seed=0)


@pytest.fixture(scope='module')
def smplx_ref(root):
    """``smplx.SMPLX`` on the fake SMPL-X file, face contour on (its first
    127 joints are the output without contour)."""
    return smplx.SMPLX(model_path=osp.join(root, 'smplx', 'SMPLX_NEUTRAL.npz'),
                       use_pca=False, flat_hand_mean=True,
                       use_face_contour=True, batch_size=2)


@pytest.fixture(scope='module')
def reference(variants):
    """``smplx.SMPL`` reading the plain pickle itself."""
    return smplx.SMPL(model_path=variants['pkl'])


@pytest.fixture(scope='module')
def inputs():
    g = torch.Generator().manual_seed(0)
    aa = 0.5 * torch.randn(B, 24, 3, generator=g)
    betas = torch.randn(B, 10, generator=g)
    transl = torch.randn(B, 3, generator=g)
    return aa, betas, transl


def run(model, inputs, **kwargs):
    aa, betas, transl = inputs
    rot = axis_angle_to_rotmat(aa)
    return model(global_orient=rot[:, :1], body_pose=rot[:, 1:], betas=betas,
                 transl=transl, **kwargs)


def run_reference(ref, inputs):
    aa, betas, transl = inputs
    return ref(global_orient=aa[:, 0], body_pose=aa[:, 1:].reshape(B, -1),
               betas=betas, transl=transl)


# ---------------------------------------------------------------- SMPL ----
@pytest.mark.parametrize('variant', ['pkl', 'npz', 'chumpy'])
def test_smpl_matches_smplx(variants, reference, inputs, variant):
    model = SMPL(model_path=variants[variant])
    out = run(model, inputs)
    ref = run_reference(reference, inputs)
    assert out['vertices'].shape == (B, 6890, 3)
    assert out['joints'].shape == (B, 45, 3)
    torch.testing.assert_close(out['vertices'], ref.vertices, atol=ATOL,
                               rtol=0)
    torch.testing.assert_close(out['joints'], ref.joints, atol=ATOL, rtol=0)
    # native convention: keypoints are the joints, all valid
    assert model.native_convention == 'smpl_45'
    torch.testing.assert_close(out['keypoints'], out['joints'])
    assert out['keypoints_mask'].tolist() == [1] * 45


def test_smpl_attributes_and_no_state(root, neutral, arrays):
    model = neutral
    assert model.model_file == osp.join(root, 'smpl', 'SMPL_NEUTRAL.npz')
    assert model.faces.dtype == torch.long
    assert model.faces.tolist() == arrays['f'].astype(np.int64).tolist()
    assert model.parents.tolist() == SMPL_PARENTS
    assert (model.num_vertices, model.num_joints, model.num_betas) == (
        6890, 24, 10)
    # licensed model data never goes into checkpoints
    assert len(model.state_dict()) == 0


def test_smpl_rest_pose_is_template(neutral, arrays):
    """Identity rotations and zero betas give the template (and joints from
    the file's regressor), whatever the input layout of global_orient."""
    eye = torch.eye(3).expand(2, 23, 3, 3)
    out = neutral(global_orient=torch.eye(3).expand(2, 3, 3), body_pose=eye)
    v = torch.from_numpy(arrays['v_template'].astype(np.float32))
    torch.testing.assert_close(out['vertices'][1], v, atol=ATOL, rtol=0)
    j24 = torch.from_numpy(
        (arrays['J_regressor'] @ arrays['v_template']).astype(np.float32))
    torch.testing.assert_close(out['joints'][0, :24], j24, atol=ATOL, rtol=0)


def test_smpl_gender_from_root(root, neutral, inputs):
    male = SMPL(model_path=root, gender='male')
    ref = smplx.SMPL(model_path='', data_struct=Struct(
        **fake_smpl_arrays(seed=1)))  # the male file's arrays
    out = run(male, inputs)
    torch.testing.assert_close(out['vertices'],
                               run_reference(ref, inputs).vertices,
                               atol=ATOL, rtol=0)
    other = run(neutral, inputs)
    assert (out['vertices'] - other['vertices']).abs().max() > 1e-3


def test_smpl_h36m_regressor_replaces_joints(root, inputs):
    path = osp.join(root, 'J_regressor_h36m.npy')
    model = SMPL(model_path=root, joints_regressor=path,
                 joints_regressor_convention='h36m')
    out = run(model, inputs)
    reg = torch.as_tensor(np.load(path), dtype=torch.float32)
    expected = torch.einsum('jv,bvc->bjc', reg, out['vertices'])
    assert model.native_convention == 'h36m'
    assert out['joints'].shape == (B, 17, 3)
    torch.testing.assert_close(out['joints'], expected, atol=ATOL, rtol=0)
    torch.testing.assert_close(out['keypoints'], expected, atol=ATOL, rtol=0)


def test_smpl_h36m_regressor_needs_convention(root):
    with pytest.raises(ValueError, match='joints_regressor_convention'):
        SMPL(model_path=root,
             joints_regressor=osp.join(root, 'J_regressor_h36m.npy'))
    with pytest.raises(ValueError, match='17 rows'):
        SMPL(model_path=root,
             joints_regressor=osp.join(root, 'J_regressor_h36m.npy'),
             joints_regressor_convention='coco_wholebody')


def test_smpl_54_appends_extra_regressor(root, neutral, inputs):
    path = osp.join(root, 'J_regressor_extra.npy')
    model = SMPL(model_path=root, extra_joints_regressor=path)
    out = run(model, inputs)
    base = run(neutral, inputs)
    reg = torch.as_tensor(np.load(path), dtype=torch.float32)
    assert model.native_convention == 'smpl_54'
    assert out['joints'].shape == (B, 54, 3)
    torch.testing.assert_close(out['joints'][:, :45], base['joints'])
    torch.testing.assert_close(
        out['joints'][:, 45:],
        torch.einsum('jv,bvc->bjc', reg, out['vertices']), atol=ATOL, rtol=0)


@pytest.mark.parametrize('extra', [False, True])
def test_smpl_coco_keypoints_by_name(root, inputs, extra):
    kwargs = {}
    if extra:
        kwargs['extra_joints_regressor'] = osp.join(root,
                                                    'J_regressor_extra.npy')
    model = SMPL(model_path=root, keypoint_convention='coco', **kwargs)
    out = run(model, inputs)
    native = get_keypoint_names(model.native_convention)
    assert out['keypoints'].shape == (B, 17, 3)
    unmapped = []
    for i, name in enumerate(get_keypoint_names('coco')):
        if name in native:
            assert out['keypoints_mask'][i] == 1
            torch.testing.assert_close(out['keypoints'][:, i],
                                       out['joints'][:, native.index(name)])
        else:
            unmapped.append(name)
            assert out['keypoints_mask'][i] == 0
            assert torch.all(out['keypoints'][:, i] == 0)
    # COCO's hips are surface hips: only SPIN's extra regressor has them
    assert unmapped == ([] if extra else ['left_hip_extra',
                                          'right_hip_extra'])


def test_smpl_registry_build(root, neutral, inputs):
    model = BODY_MODELS.build(dict(type='SMPL', model_path=root))
    assert isinstance(model, SMPL)
    torch.testing.assert_close(run(model, inputs)['vertices'],
                               run(neutral, inputs)['vertices'])


def test_smpl_rejects_axis_angle(neutral, inputs):
    aa, betas, _ = inputs
    with pytest.raises(ValueError, match='rotation matrices'):
        neutral(global_orient=aa[:, :1], body_pose=aa[:, 1:], betas=betas)


# ------------------------------------------------------- missing files ----
def test_missing_model_file_message(tmp_path):
    where = tmp_path / 'nowhere'
    with pytest.raises(BodyModelFileNotFoundError) as info:
        SMPL(model_path=str(where))
    msg = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    assert str(where / 'smpl' / 'SMPL_NEUTRAL.npz') in msg
    assert str(where / 'smpl' / 'SMPL_NEUTRAL.pkl') in msg
    assert 'https://smpl.is.tue.mpg.de' in msg
    assert 'tools/convert_body_model.py' in msg
    assert 'anny' in msg
    assert info.value.looked_at[0] == str(where / 'smpl' / 'SMPL_NEUTRAL.npz')


def test_missing_regressor_and_smplx_messages(root, tmp_path):
    with pytest.raises(BodyModelFileNotFoundError) as info:
        SMPL(model_path=root,
             extra_joints_regressor=str(tmp_path / 'J_regressor_extra.npy'))
    assert str(tmp_path / 'J_regressor_extra.npy') in str(info.value)
    assert 'fetch_data.sh' in str(info.value)
    with pytest.raises(BodyModelFileNotFoundError) as info:
        SMPLX(model_path=str(tmp_path), gender='female')
    assert str(tmp_path / 'smplx' / 'SMPLX_FEMALE.npz') in str(info.value)
    assert 'https://smpl-x.is.tue.mpg.de' in str(info.value)


def test_default_root_from_env(root, tmp_path, monkeypatch, inputs):
    """The default model_path searches $HMRZOO_BODY_MODELS first; relative
    regressor paths under data/body_models/ follow it too."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', root)
    model = SMPL(extra_joints_regressor='data/body_models/'
                 'J_regressor_extra.npy')
    assert model.model_file == osp.join(root, 'smpl', 'SMPL_NEUTRAL.npz')
    assert model.native_convention == 'smpl_54'
    empty = tmp_path / 'empty'
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(empty))
    with pytest.raises(BodyModelFileNotFoundError) as info:
        SMPL()
    looked = info.value.looked_at
    assert looked[0] == str(empty / 'smpl' / 'SMPL_NEUTRAL.npz')
    assert str(tmp_path / 'data' / 'body_models' / 'smpl' /
               'SMPL_NEUTRAL.pkl') in looked
    assert model.model_file not in looked


# --------------------------------------------------------------- SMPL-X ----
@pytest.mark.parametrize('contour', [False, True])
def test_smplx_matches_smplx(root, smplx_ref, contour):
    model = SMPLX(model_path=root, use_face_contour=contour)
    g = torch.Generator().manual_seed(1)
    aa = 0.3 * torch.randn(2, 55, 3, generator=g)
    betas, expr = torch.randn(2, 10, generator=g), torch.randn(2, 10,
                                                                generator=g)
    transl = torch.randn(2, 3, generator=g)
    rot = axis_angle_to_rotmat(aa)
    out = model(global_orient=rot[:, :1], body_pose=rot[:, 1:22],
                betas=betas, transl=transl, jaw_pose=rot[:, 22:23],
                leye_pose=rot[:, 23:24], reye_pose=rot[:, 24:25],
                left_hand_pose=rot[:, 25:40], right_hand_pose=rot[:, 40:55],
                expression=expr)
    r = smplx_ref(
            global_orient=aa[:, 0], body_pose=aa[:, 1:22].reshape(2, -1),
            betas=betas, transl=transl, jaw_pose=aa[:, 22],
            leye_pose=aa[:, 23], reye_pose=aa[:, 24],
            left_hand_pose=aa[:, 25:40].reshape(2, -1),
            right_hand_pose=aa[:, 40:].reshape(2, -1), expression=expr)
    n = 144 if contour else 127
    assert model.native_convention == ('smplx_144' if contour else 'smplx')
    assert out['joints'].shape == (2, n, 3)
    torch.testing.assert_close(out['vertices'], r.vertices, atol=ATOL, rtol=0)
    torch.testing.assert_close(out['joints'], r.joints[:, :n], atol=ATOL,
                               rtol=0)


def test_smplx_defaults_and_layout(root, smplx_ref):
    """Hands, face and expression default to identity / zeros."""
    model = BODY_MODELS.build(dict(type='SMPLX', model_path=root,
                                   keypoint_convention='smpl_24'))
    assert isinstance(model, SMPLX)
    g = torch.Generator().manual_seed(2)
    aa = 0.3 * torch.randn(2, 22, 3, generator=g)
    rot = axis_angle_to_rotmat(aa)
    out = model(global_orient=rot[:, 0], body_pose=rot[:, 1:])
    r = smplx_ref(global_orient=aa[:, 0], body_pose=aa[:, 1:].reshape(2, -1),
                  betas=torch.zeros(2, 10), expression=torch.zeros(2, 10),
                  jaw_pose=torch.zeros(2, 3), leye_pose=torch.zeros(2, 3),
                  reye_pose=torch.zeros(2, 3),
                  left_hand_pose=torch.zeros(2, 45),
                  right_hand_pose=torch.zeros(2, 45))
    torch.testing.assert_close(out['vertices'], r.vertices, atol=ATOL, rtol=0)
    assert out['left_hand_pose'].shape == (2, 15, 3, 3)
    assert torch.equal(out['jaw_pose'][0, 0], torch.eye(3))
    assert torch.equal(out['expression'], torch.zeros(2, 10))
    # body joints only in the common interface; 55 in the tree
    assert (model.num_joints, model.num_vertices) == (22, 10475)
    assert model.parents.tolist() == SMPLX_PARENTS
    assert len(model.state_dict()) == 0
    # smpl_24 from SMPL-X: the 22 shared joints, no hand joints 22 / 23
    assert out['keypoints_mask'].tolist() == [1] * 22 + [0, 0]
    torch.testing.assert_close(out['keypoints'][:, :22], out['joints'][:, :22])
    with pytest.raises(ValueError, match='21 joints'):
        model(global_orient=rot[:, 0],
              body_pose=torch.eye(3).expand(2, 23, 3, 3))


# -------------------------------------------------------- mean params ----
def test_own_mean_params():
    mean = load_mean_params()
    assert mean['pose'].shape == (24, 6) and mean['pose'].dtype == \
        torch.float32
    assert mean['pose'][0].tolist() == [1, 0, 0, -1, 0, 0]
    assert torch.equal(mean['pose'][1:],
                       torch.tensor([1., 0, 0, 1, 0, 0]).expand(23, 6))
    torch.testing.assert_close(rot6d_to_rotmat(mean['pose'][0]),
                               torch.diag(torch.tensor([1., -1., -1.])))
    assert mean['betas'].tolist() == [0.0] * 10
    torch.testing.assert_close(mean['cam'], torch.tensor([0.9, 0.0, 0.0]))
    sized = load_mean_params(body_model=types.SimpleNamespace(num_joints=22,
                                                              num_betas=16))
    assert sized['pose'].shape == (22, 6) and sized['betas'].shape == (16, )


def test_mean_params_from_file(root, tmp_path):
    default = load_mean_params(root)  # folder holding smpl_mean_params.npz
    torch.testing.assert_close(default['pose'], load_mean_params()['pose'])
    pose = np.arange(144, dtype=np.float32) / 144
    shape = np.arange(1, 11, dtype=np.float32)
    path = write_fake_mean_params(str(tmp_path / 'm.npz'), pose=pose,
                                  shape=shape, cam=[1.1, 0.2, -0.3])
    mean = load_mean_params(path)
    assert torch.equal(mean['pose'], torch.from_numpy(pose.reshape(24, 6)))
    assert torch.equal(mean['betas'], torch.from_numpy(shape))
    torch.testing.assert_close(mean['cam'], torch.tensor([1.1, 0.2, -0.3]))
    # sized for a model with 22 joints and 12 betas: cut / zero-padded
    sized = load_mean_params(path, types.SimpleNamespace(num_joints=22,
                                                         num_betas=12))
    assert torch.equal(sized['pose'], mean['pose'][:22])
    assert sized['betas'].tolist() == shape.tolist() + [0.0, 0.0]
    with pytest.raises(BodyModelFileNotFoundError) as info:
        load_mean_params(str(tmp_path / 'missing.npz'))
    assert str(tmp_path / 'missing.npz') in str(info.value)
