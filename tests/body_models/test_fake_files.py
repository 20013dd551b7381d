"""The fabricated body-model files: structure of the real ones, plausible
geometry, determinism, chumpy-style pickles."""
import os
import os.path as osp
import pickle
import sys

import numpy as np
import pytest
from smplx.vertex_ids import vertex_ids

from hmrzoo.body_models.model_files import load_model_arrays
from hmrzoo.testing import (SMPL_PARENTS, SMPLX_PARENTS, fake_chumpy,
                            fake_smpl_arrays, fake_smplx_arrays,
                            make_fake_body_model_dir, write_fake_mean_params,
                            write_fake_regressor, write_fake_smpl)


@pytest.fixture(scope='module')
def smpl():
    return fake_smpl_arrays(seed=0)


@pytest.fixture(scope='module')
def smplx_arrays():
    return fake_smplx_arrays(seed=0)


def check_body(a, n_verts, n_faces, parents, n_shape):
    n_joints = len(parents)
    assert a['v_template'].shape == (n_verts, 3)
    assert a['shapedirs'].shape == (n_verts, 3, n_shape)
    assert a['posedirs'].shape == (n_verts, 3, 9 * (n_joints - 1))
    assert a['J_regressor'].shape == (n_joints, n_verts)
    assert a['weights'].shape == (n_verts, n_joints)
    assert a['f'].shape == (n_faces, 3) and a['f'].dtype == np.uint32
    # kinematic tree: real parents, root stored as uint32 -1
    assert a['kintree_table'].shape == (2, n_joints)
    assert a['kintree_table'][0, 0] == 4294967295
    assert a['kintree_table'][0, 1:].tolist() == parents[1:]
    assert a['kintree_table'][1].tolist() == list(range(n_joints))
    # regressor and weights: non-negative rows summing to one
    for m in (a['J_regressor'], a['weights']):
        assert m.min() >= 0
        np.testing.assert_allclose(m.sum(1), 1.0, atol=1e-12)
    # faces: valid, non-degenerate triangles
    f = a['f'].astype(np.int64)
    assert f.min() >= 0 and f.max() < n_verts
    assert np.all((f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2]) &
                  (f[:, 0] != f[:, 2]))
    # geometry: about 1.7 m tall, joints distinct and inside the body's box
    v = a['v_template']
    height = v[:, 1].max() - v[:, 1].min()
    assert 1.6 < height < 1.85
    joints = a['J_regressor'] @ v
    assert np.all(joints.min(0) > v.min(0)) and np.all(joints.max(0) <
                                                        v.max(0))
    d = np.linalg.norm(joints[:, None] - joints[None], axis=-1)
    assert d[np.triu_indices(n_joints, 1)].min() > 0.005
    # faces join neighbouring vertices (no triangle spans the body)
    edges = np.linalg.norm(v[f[:, 0]] - v[f[:, 1]], axis=1)
    assert edges.max() < 0.3
    return joints


def test_smpl_structure_and_geometry(smpl):
    joints = check_body(smpl, 6890, 13776, SMPL_PARENTS, 10)
    d = np.linalg.norm(joints[:, None] - joints[None], axis=-1)
    assert d[np.triu_indices(24, 1)].min() > 0.05  # body joints well apart
    # anatomy: head above neck above pelvis above knees above ankles;
    # left side at +x
    y = joints[:, 1]
    assert y[15] > y[12] > y[0] > y[4] > y[7]
    assert joints[16, 0] > 0.1 and joints[17, 0] < -0.1
    # smplx's vertex joints sit where their names say
    v = smpl['v_template']
    ids = vertex_ids['smplh']
    assert v[ids['nose'], 2] > joints[15, 2] and v[ids['nose'], 1] > y[12]
    for toe in ('LBigToe', 'RBigToe', 'LHeel', 'RHeel'):
        assert v[ids[toe], 1] < y[4]
    assert v[ids['LBigToe'], 2] > v[ids['LHeel'], 2]
    for tip in ('thumb', 'index', 'middle', 'ring', 'pinky'):
        assert v[ids['l' + tip], 0] > joints[20, 0]
        assert v[ids['r' + tip], 0] < joints[21, 0]
    assert smpl['bs_style'] == 'lbs'


def test_smplx_structure(smplx_arrays):
    a = smplx_arrays
    check_body(a, 10475, 20908, SMPLX_PARENTS, 20)
    assert SMPLX_PARENTS[22:25] == [15, 15, 15]
    assert SMPLX_PARENTS[25:28] == [20, 25, 26]
    assert SMPLX_PARENTS[40:43] == [21, 40, 41]
    for side in 'lr':
        c = a[f'hands_components{side}']
        np.testing.assert_allclose(c @ c.T, np.eye(45), atol=1e-10)
        assert a[f'hands_mean{side}'].shape == (45, )
    assert a['lmk_faces_idx'].shape == (51, )
    assert a['dynamic_lmk_faces_idx'].shape == (79, 17)
    for key in ('lmk_bary_coords', 'dynamic_lmk_bary_coords'):
        np.testing.assert_allclose(a[key].sum(-1), 1.0, atol=1e-12)
    # landmarks lie on the head
    head = (a['J_regressor'] @ a['v_template'])[15]
    f = a['f'].astype(np.int64)
    centres = a['v_template'][f[a['lmk_faces_idx']]].mean(1)
    assert np.linalg.norm(centres - head, axis=1).max() < 0.2


def test_deterministic_and_seeded(smpl):
    again = fake_smpl_arrays(seed=0)
    other = fake_smpl_arrays(seed=1)
    for key in ('v_template', 'shapedirs', 'posedirs', 'J_regressor', 'f'):
        np.testing.assert_array_equal(smpl[key], again[key])
    assert not np.allclose(smpl['v_template'], other['v_template'])
    assert fake_smpl_arrays(num_betas=16)['shapedirs'].shape[-1] == 16


def test_smpl_npz(tmp_path, smpl):
    npz = write_fake_smpl(str(tmp_path / 'm.npz'), fmt='npz')
    with np.load(npz, allow_pickle=False) as z:
        assert sorted(z.files) == sorted(smpl)
        np.testing.assert_array_equal(z['posedirs'], smpl['posedirs'])
        np.testing.assert_array_equal(z['J_regressor'], smpl['J_regressor'])


def test_chumpy_like_pickle_needs_chumpy(tmp_path, smpl):
    path = write_fake_smpl(str(tmp_path / 'ch.pkl'), chumpy_like=True)
    # the throw-away module is gone: a plain load must fail...
    assert 'chumpy' not in sys.modules and 'chumpy.ch' not in sys.modules
    with open(path, 'rb') as f, pytest.raises(ModuleNotFoundError,
                                              match='chumpy'):
        pickle.load(f, encoding='latin1')
    # ... and it really holds chumpy.ch.Ch objects with the array under 'x'
    with fake_chumpy() as ch:
        with open(path, 'rb') as f:
            raw = pickle.load(f, encoding='latin1')
        assert type(raw['shapedirs']) is ch
        np.testing.assert_array_equal(raw['shapedirs'].x, smpl['shapedirs'])
    # hmrzoo's reader recovers the same arrays without chumpy
    arrays = load_model_arrays(path)
    for key in ('shapedirs', 'v_template', 'J_regressor', 'f'):
        assert type(arrays[key]) is np.ndarray
        np.testing.assert_array_equal(arrays[key], smpl[key])


def test_regressor_and_mean_params(tmp_path):
    path = write_fake_regressor(str(tmp_path / 'r.npy'), 9)
    reg = np.load(path)
    assert reg.shape == (9, 6890) and reg.min() >= 0
    np.testing.assert_allclose(reg.sum(1), 1.0, atol=1e-12)
    assert np.all((reg > 0).sum(1) == 12)
    with np.load(write_fake_mean_params(str(tmp_path / 'm.npz'))) as m:
        assert m['pose'].shape == (144, ) and m['pose'].dtype == np.float32
        pose = m['pose'].reshape(24, 6)
        assert pose[0].tolist() == [1, 0, 0, -1, 0, 0]
        assert np.all(pose[1:] == [1, 0, 0, 1, 0, 0])
        assert m['shape'].tolist() == [0.0] * 10
        np.testing.assert_allclose(m['cam'], [0.9, 0, 0])


def test_make_fake_body_model_dir(tmp_path, smpl):
    root = make_fake_body_model_dir(str(tmp_path / 'bm'), smplx=False)
    found = sorted(osp.relpath(osp.join(d, f), root)
                   for d, _, fs in os.walk(root) for f in fs)
    assert found == sorted([
        'J_regressor_extra.npy', 'J_regressor_h36m.npy',
        'smpl_mean_params.npz', osp.join('smpl', 'SMPL_FEMALE.pkl'),
        osp.join('smpl', 'SMPL_MALE.pkl'), osp.join('smpl', 'SMPL_NEUTRAL.pkl')
    ])
    assert np.load(osp.join(root, 'J_regressor_h36m.npy')).shape == (17, 6890)
    male = load_model_arrays(osp.join(root, 'smpl', 'SMPL_MALE.pkl'))
    np.testing.assert_array_equal(male['v_template'],
                                  fake_smpl_arrays(seed=1)['v_template'])
    # the neutral file is a protocol-2 pickle of plain numpy / scipy objects
    # (no chumpy needed) with a sparse regressor, as the official one
    path = osp.join(root, 'smpl', 'SMPL_NEUTRAL.pkl')
    with open(path, 'rb') as f:
        assert f.read(2) == b'\x80\x02'
        f.seek(0)
        raw = pickle.load(f, encoding='latin1')
    assert type(raw['J_regressor']).__name__ == 'csc_matrix'
    np.testing.assert_array_equal(raw['J_regressor'].toarray(),
                                  smpl['J_regressor'])
    np.testing.assert_array_equal(raw['v_template'], smpl['v_template'])
