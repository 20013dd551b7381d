"""Checkpoint loading is not a gadget: the ``getattr`` that mmengine's
HistoryBuffer needs reaches only its statistics methods
(utils/safe_load.py)."""
import pickle
from collections import OrderedDict

import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import hmrzoo  # noqa: F401  (installs the allow-list)


class _Lookup:
    """Pickles as ``getattr(owner, name)``, as a crafted file would."""

    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __reduce__(self):
        return getattr, (self.owner, self.name)


def test_history_buffer_round_trips_with_its_statistics(tmp_path):
    hub = MessageHub.get_instance('safe_load_test')
    for v in (1.0, 3.0, 2.0):
        hub.update_scalar('train/loss', v)
    path = tmp_path / 'hub.pth'
    torch.save(dict(message_hub=hub.state_dict()), path)
    state = torch.load(path, weights_only=True)
    buf = state['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer)
    assert buf.min() == 1.0 and buf.max() == 3.0 and buf.mean() == 2.0
    assert buf.statistics('current') == 2.0


@pytest.mark.parametrize('owner,name', [
    (HistoryBuffer, '__init__'),       # first step towards __globals__
    (HistoryBuffer, '__class__'),
    (HistoryBuffer, 'update'),         # a method, but not a statistic
    (OrderedDict, 'fromkeys'),         # another allow-listed class
])
def test_crafted_lookup_is_refused(tmp_path, owner, name):
    path = tmp_path / 'crafted.pth'
    torch.save(dict(state_dict={}, message_hub=_Lookup(owner, name)), path)
    with pytest.raises(pickle.UnpicklingError, match='refused getattr'):
        torch.load(path, weights_only=True)


def test_crafted_checkpoint_is_refused_by_check_checkpoint(tmp_path):
    from hmrzoo.apis import check_checkpoint
    path = tmp_path / 'crafted.pth'
    torch.save(dict(state_dict={}, meta=_Lookup(HistoryBuffer, '__init__')),
               path)
    with pytest.raises(RuntimeError) as err:
        check_checkpoint(str(path))
    msg = str(err.value)
    assert f'checkpoint {path} cannot be read' in msg
    assert "refused getattr('HistoryBuffer', '__init__')" in msg
    assert 'not safe to unpickle' in msg and 'truncated' not in msg


def test_truncated_checkpoint_is_called_truncated(tmp_path):
    from hmrzoo.apis import check_checkpoint
    path = tmp_path / 'cut.pth'
    torch.save(dict(state_dict={'w': torch.zeros(100)}), path)
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(RuntimeError, match=r'cut\.pth cannot be read: .*'
                                           r'truncated, corrupt'):
        check_checkpoint(str(path))
