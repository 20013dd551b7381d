"""atomic_path: the target appears only complete, and a failed writer
leaves neither it nor a temporary file."""
import os

import pytest

from hmrzoo.utils.atomic import atomic_path


def test_written_then_renamed(tmp_path):
    target = tmp_path / 'a.json'
    with atomic_path(str(target)) as tmp:
        assert tmp.endswith('.json') and os.path.dirname(tmp) == \
            str(tmp_path)
        with open(tmp, 'w') as f:
            f.write('{"x": 1}')
        assert not target.exists()            # not before the block ends
    assert target.read_text() == '{"x": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.json']


def test_a_failed_writer_leaves_nothing_and_keeps_the_old_file(tmp_path):
    target = tmp_path / 'b.txt'
    target.write_text('old')
    with pytest.raises(RuntimeError):
        with atomic_path(str(target)) as tmp:
            with open(tmp, 'w') as f:
                f.write('half')
            raise RuntimeError('the writer died')
    assert target.read_text() == 'old'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['b.txt']
