"""A damaged or unsafe body-model file is named with the cause and the
fix, through the loader and through tools/convert_body_model.py."""
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hmrzoo.body_models import (BodyModelFileError, UnsafeBodyModelFileError,
                                load_model_arrays)

ROOT = Path(__file__).resolve().parents[2]


class _Payload:
    def __reduce__(self):
        import os
        return os.getcwd, ()


@pytest.fixture
def files(tmp_path):
    good = tmp_path / 'SMPL_NEUTRAL.npz'
    np.savez(good, v_template=np.zeros((10, 3)), f=np.zeros((4, 3), int))
    cut_npz = tmp_path / 'cut.npz'
    cut_npz.write_bytes(good.read_bytes()[:40])
    cut_pkl = tmp_path / 'cut.pkl'
    cut_pkl.write_bytes(pickle.dumps(dict(v=np.zeros(100)))[:60])
    garbage = tmp_path / 'garbage.pkl'
    garbage.write_bytes(b'this is not a pickle at all')
    unsafe = tmp_path / 'unsafe.pkl'
    unsafe.write_bytes(pickle.dumps(dict(v_template=_Payload())))
    return dict(good=good, cut_npz=cut_npz, cut_pkl=cut_pkl,
                garbage=garbage, unsafe=unsafe)


@pytest.mark.parametrize('name', ['cut_npz', 'cut_pkl', 'garbage'])
def test_damaged_file_is_named_with_the_fix(files, name):
    path = files[name]
    with pytest.raises(BodyModelFileError) as err:
        load_model_arrays(path)
    msg = str(err.value)
    assert f'body-model file {path} cannot be read' in msg
    assert 'truncated or not a body-model file; download it again' in msg


def test_unsafe_pickle_is_refused_naming_file_and_global(files):
    with pytest.raises(UnsafeBodyModelFileError) as err:
        load_model_arrays(files['unsafe'])
    msg = str(err.value)
    assert str(files['unsafe']) in msg and 'getcwd' in msg
    assert 'never contain' in msg
    assert isinstance(err.value, pickle.UnpicklingError)
    assert sorted(load_model_arrays(files['good'])) == ['f', 'v_template']


def test_convert_body_model_tool_prints_no_traceback(files, tmp_path):
    proc = subprocess.run(
        [sys.executable, 'tools/convert_body_model.py', str(files['cut_pkl']),
         '--out', str(tmp_path / 'out.npz')], cwd=ROOT, capture_output=True,
        text=True, timeout=120)
    assert proc.returncode != 0
    assert f'body-model file {files["cut_pkl"]} cannot be read' in \
        proc.stderr
    assert 'Traceback' not in proc.stderr
