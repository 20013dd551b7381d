"""tools/convert_body_model.py and the chumpy-free reader / file finder of
hmrzoo.body_models.model_files."""
import importlib.util
import os
import os.path as osp
import pickle

import numpy as np
import pytest

from hmrzoo.body_models.model_files import (BodyModelFileNotFoundError,
                                            find_model_file,
                                            load_model_arrays, load_regressor)
from hmrzoo.testing import (fake_chumpy, fake_smpl_arrays,
                            write_fake_regressor, write_fake_smpl)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'convert_body_model.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('convert_body_model', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def tool():
    return load_tool()


@pytest.fixture(scope='module')
def arrays():
    return fake_smpl_arrays(seed=0)


@pytest.fixture(scope='module')
def chumpy_pkl(tmp_path_factory):
    d = tmp_path_factory.mktemp('ch')
    # (protocol-2 chumpy pickles are read in test_fake_files)
    return write_fake_smpl(str(d / 'SMPL_NEUTRAL.pkl'), chumpy_like=True,
                           protocol=pickle.HIGHEST_PROTOCOL)


# ------------------------------------------------------------ converter ----
def test_convert_round_trip(tool, chumpy_pkl, arrays, capsys):
    """chumpy-style pickle with a sparse regressor -> .npz readable without
    pickle, holding exactly the model's arrays and strings."""
    out = tool.main([chumpy_pkl])
    assert out == 0
    npz = osp.splitext(chumpy_pkl)[0] + '.npz'
    printed = capsys.readouterr().out
    assert npz in printed
    assert 'posedirs' in printed and '(6890, 3, 207)' in printed
    with np.load(npz, allow_pickle=False) as z:
        assert sorted(z.files) == sorted(arrays)
        for key, value in arrays.items():
            np.testing.assert_array_equal(z[key], value)
            if isinstance(value, np.ndarray):
                assert z[key].dtype == value.dtype
        assert str(z['bs_type']) == 'lrotmin'
    # and hmrzoo reads the converted file back to the same arrays
    back = load_model_arrays(npz)
    np.testing.assert_array_equal(back['J_regressor'], arrays['J_regressor'])


def test_convert_out_and_skip(tool, tmp_path):
    src = tmp_path / 'odd.pkl'
    with open(src, 'wb') as f:
        pickle.dump({'a': np.arange(4.0), 'info': {'k': 1}, 'n': [1, 2]}, f)
    dst = tmp_path / 'sub' / 'x.npz'
    assert tool.convert_file(str(src), str(dst)) == str(dst)
    with np.load(dst, allow_pickle=False) as z:
        assert sorted(z.files) == ['a', 'n']  # the dict is skipped
        assert z['n'].tolist() == [1, 2]
    with pytest.raises(ValueError, match='overwrite the input'):
        tool.convert_file(str(src), str(src))


def test_convert_all(tool, tmp_path, capsys):
    for i, name in enumerate(('smpl/SMPL_MALE.pkl', 'smpl/SMPL_FEMALE.pkl')):
        write_fake_smpl(str(tmp_path / name), seed=i,
                        protocol=pickle.HIGHEST_PROTOCOL)
    assert tool.main(['--all', str(tmp_path)]) == 0
    assert 'converted 2 of 2' in capsys.readouterr().out
    for i, name in enumerate(('SMPL_MALE.npz', 'SMPL_FEMALE.npz')):
        with np.load(tmp_path / 'smpl' / name) as z:
            np.testing.assert_array_equal(
                z['v_template'], fake_smpl_arrays(seed=i)['v_template'])


def test_convert_missing_input(tool, tmp_path, capsys):
    missing = str(tmp_path / 'nope.pkl')
    assert tool.main([missing]) == 1
    assert f'input file not found: {missing}' in capsys.readouterr().err
    assert tool.main(['--all', str(tmp_path / 'nodir')]) == 1
    with pytest.raises(SystemExit):  # neither an input nor --all
        tool.parse_args([])


# --------------------------------------------------------------- reader ----
@pytest.mark.parametrize('protocol', [0, 2])
def test_chumpy_pickle_protocols(tmp_path, protocol):
    """Python 2 wrote protocol 0 (``copy_reg._reconstructor``) or 2
    (``NEWOBJ``) pickles; chumpy objects nested in chumpy objects and
    sparse matrices come out as dense arrays."""
    import scipy.sparse
    path = tmp_path / 'small.pkl'
    value = np.arange(6.0).reshape(2, 3)
    with fake_chumpy() as ch:
        inner = ch()
        inner.x = value
        outer = ch()
        outer.x = inner
        with open(path, 'wb') as f:
            pickle.dump({'a': inner, 'b': outer, 'bs_style': 'lbs',
                         'J': scipy.sparse.csc_matrix(value)}, f,
                        protocol=protocol)
    out = load_model_arrays(str(path))
    for key in ('a', 'b', 'J'):
        assert type(out[key]) is np.ndarray
        np.testing.assert_array_equal(out[key], value)
    assert out['bs_style'] == 'lbs'


def test_chumpy_object_without_array(tmp_path):
    path = tmp_path / 'bad.pkl'
    with fake_chumpy() as ch:
        obj = ch()
        obj.label = 'no array here'
        with open(path, 'wb') as f:
            pickle.dump({'v_template': np.zeros(3), 'shapedirs': obj}, f,
                        protocol=2)
    with pytest.raises(ValueError, match="'shapedirs'"):
        load_model_arrays(str(path))


def test_reader_refuses_code(tmp_path):
    """A pickle naming anything but arrays / sparse / chumpy is refused."""
    path = tmp_path / 'evil.pkl'
    with open(path, 'wb') as f:
        pickle.dump({'f': os.getcwd}, f)
    with pytest.raises(pickle.UnpicklingError, match='getcwd'):
        load_model_arrays(str(path))


def test_reader_npz_object_array_without_allow_pickle(tmp_path):
    path = tmp_path / 'obj.npz'
    np.savez(path, a=np.ones(2), joint2num=np.array({'pelvis': 0}))
    out = load_model_arrays(str(path))
    assert out['a'].tolist() == [1.0, 1.0]
    assert out['joint2num'].item() == {'pelvis': 0}


def test_reader_errors(tmp_path):
    with pytest.raises(BodyModelFileNotFoundError) as info:
        load_model_arrays(str(tmp_path / 'none.npz'))
    assert str(tmp_path / 'none.npz') in str(info.value)
    (tmp_path / 'm.txt').write_text('x')
    with pytest.raises(ValueError, match='.npz or .pkl'):
        load_model_arrays(str(tmp_path / 'm.txt'))


def test_load_regressor(tmp_path):
    path = write_fake_regressor(str(tmp_path / 'r.npy'), 17)
    reg = load_regressor(path)
    assert reg.dtype == np.float32 and reg.shape == (17, 6890)
    np.testing.assert_allclose(reg, np.load(path), rtol=1e-6)


# --------------------------------------------------------------- finder ----
def test_find_model_file_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / 'bm'
    pkl = write_fake_smpl(str(root / 'smpl' / 'SMPL_NEUTRAL.pkl'),
                          protocol=pickle.HIGHEST_PROTOCOL)
    assert find_model_file('smpl', str(root)) == pkl
    npz = root / 'smpl' / 'SMPL_NEUTRAL.npz'
    npz.write_bytes(b'')
    assert find_model_file('smpl', str(root)) == str(npz)  # npz first
    assert find_model_file('smpl', pkl) == pkl  # a file is taken as is
    # a folder holding SMPL_{GENDER}.* directly
    assert find_model_file('smpl', str(root / 'smpl'), 'NEUTRAL') == str(npz)
    # the default root goes through $HMRZOO_BODY_MODELS
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    assert find_model_file('smpl') == str(npz)
    assert find_model_file('smpl', 'data/body_models') == str(npz)
    # mmhuman3d-style folder and file paths under data/body_models/
    assert find_model_file('smpl', 'data/body_models/smpl') == str(npz)
    assert find_model_file(
        'smpl', 'data/body_models/smpl/SMPL_NEUTRAL.pkl') == pkl
    with pytest.raises(BodyModelFileNotFoundError) as info:
        find_model_file('smpl', gender='female')
    assert info.value.looked_at[:2] == [
        str(root / 'smpl' / 'SMPL_FEMALE.npz'),
        str(root / 'smpl' / 'SMPL_FEMALE.pkl')
    ]
    assert 'SMPL model' in str(info.value) and 'female' in str(info.value)
    with pytest.raises(ValueError, match='gender'):
        find_model_file('smpl', gender='robot')
