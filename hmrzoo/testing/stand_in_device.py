"""A stand-in accelerator for checking device placement on a CPU-only
machine.

Code that runs on CPU can still fail on CUDA: a tensor made without
``device=`` (so on the CPU) meeting one on the GPU, or a ``.numpy()`` of a
GPU tensor.  Inside :func:`stand_in_device`, tensors moved or created on
the returned device report that device (``t.device.type == 'meta'``, which
is not ``'cpu'``, so code takes its accelerator branches), compute with
real CPU arithmetic underneath, and any operation that mixes them with a
CPU tensor raises as CUDA would.  CUDA's own allowances are kept: 0-dim CPU
tensors (scalars), CPU index tensors in advanced indexing, and copies
between devices.

It checks placement only, not CUDA kernels; a real GPU run
(``tests/renderers/test_rasterizer.py::test_cuda_matches_cpu``) does that.
``torch.Generator(device=...)``, ``torch.cuda.*`` calls and third-party
kernels (e.g. warp) cannot run on it.

Example::

    with stand_in_device() as dev:
        out = rasterize(screen.to(dev), faces.to(dev), (64, 64))
        assert out.face_idx.device == dev
        face_idx = out.face_idx.cpu()
"""
import contextlib
from typing import Iterator

import numpy as np
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten, tree_map

#: The device the stand-in tensors report.  ``meta`` is the one non-CPU
#: device type that PyTorch builds without a backend can name; a real meta
#: tensor (no data) reaching an operation is reported as an error.
STAND_IN = torch.device('meta')

_aten = torch.ops.aten
#: Operations whose second argument (the index list) may hold CPU tensors.
_INDEXING = {_aten.index.Tensor, _aten.index_put.default,
             _aten.index_put_.default, _aten._index_put_impl_.default}
#: Operations that may read from one device and write to another.
_COPIES = {_aten.copy_.default, _aten._to_copy.default,
           _aten.copy.default}


class DeviceTensor(torch.Tensor):
    """A CPU tensor (``elem``) that reports the stand-in device."""

    @staticmethod
    def __new__(cls, elem: torch.Tensor):
        out = torch.Tensor._make_wrapper_subclass(
            cls, elem.shape, strides=elem.stride(), dtype=elem.dtype,
            device=STAND_IN, requires_grad=elem.requires_grad,
            storage_offset=elem.storage_offset())
        out.elem = elem
        return out

    def tolist(self):
        return self.elem.tolist()

    def numpy(self, *args, **kwargs):
        raise TypeError(f"can't convert {self.device} device type tensor to "
                        'numpy (as on CUDA); use Tensor.cpu() first')

    # PyTorch turns list / array indices into tensors on the indexed
    # tensor's device without dispatch; hand it CPU index tensors instead
    def __getitem__(self, index):
        return super().__getitem__(_cpu_indices(index))

    def __setitem__(self, index, value):
        return super().__setitem__(_cpu_indices(index), value)

    def __repr__(self):
        return f'DeviceTensor({self.elem!r})'

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        raise RuntimeError(f'{func}: a stand-in device tensor was used '
                           'outside stand_in_device()')


def _cpu_indices(index):
    if isinstance(index, tuple):
        return tuple(_cpu_indices(i) for i in index)
    if isinstance(index, (list, np.ndarray)):
        return torch.as_tensor(np.asarray(index))
    return index


def _on_stand_in(device) -> bool:
    return device is not None and torch.device(device).type == STAND_IN.type


def _writes_its_input(func) -> bool:
    """In-place operations (``add_``, ``__iand__``, ...): the result is the
    first argument, written to."""
    returns = func._schema.returns
    return len(returns) == 1 and returns[0].alias_info is not None and \
        returns[0].alias_info.is_write


def _check(func, args, kwargs) -> bool:
    """Raise on CPU / stand-in mixing; True when any input is on the
    stand-in device."""
    leaves = [t for t in tree_flatten((args, kwargs))[0]
              if isinstance(t, torch.Tensor)]
    indices = tree_flatten(args[1])[0] if func in _INDEXING else []
    on_device = any(isinstance(t, DeviceTensor) for t in leaves)
    for t in leaves:
        if isinstance(t, DeviceTensor):
            continue
        if t.device.type == STAND_IN.type:
            raise RuntimeError(f'{func}: a real meta tensor (no data) met the '
                               'stand-in device; was it made by a function '
                               'stand_in_device() does not cover?')
        if on_device and t.dim() > 0 and func not in _COPIES and not any(
                t is i for i in indices):
            raise RuntimeError(
                f'{func}: a CPU tensor of shape {tuple(t.shape)} meets a '
                f'tensor on the accelerator; on CUDA this fails with '
                '"Expected all tensors to be on the same device"')
    return on_device


class _StandInMode(TorchDispatchMode):

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        on_device = _check(func, args, kwargs)
        if 'device' in kwargs:  # an explicit device decides the result's
            on_device = _on_stand_in(kwargs['device'])
            if on_device:
                kwargs['device'] = torch.device('cpu')
        unwrap = lambda t: t.elem if isinstance(t, DeviceTensor) else t  # noqa
        out = func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs))
        if 'out' in kwargs:
            return kwargs['out']
        if _writes_its_input(func):
            return args[0]  # in-place: the destination, which is unchanged
        if not on_device:
            return out
        return tree_map(lambda t: DeviceTensor(t) if isinstance(
            t, torch.Tensor) and not isinstance(t, DeviceTensor) else t, out)


@contextlib.contextmanager
def stand_in_device() -> Iterator[torch.device]:
    """Run the body with a stand-in accelerator; yields its device.

    ``torch.tensor``, ``torch.as_tensor`` and ``Tensor.new_tensor`` (which
    PyTorch runs outside dispatch modes) are patched for the duration, so
    that they put their result on the stand-in device when asked to.
    """
    tensor, as_tensor = torch.tensor, torch.as_tensor
    new_tensor = torch.Tensor.new_tensor

    def patched(make):
        def build(data, *args, device=None, **kwargs):
            if not _on_stand_in(device):
                return make(data, *args, device=device, **kwargs)
            if isinstance(data, DeviceTensor):
                return data.to(*args, **kwargs)
            return DeviceTensor(make(data, *args, **kwargs))
        return build

    def patched_new(self, data, *args, device=None, **kwargs):
        if device is None and isinstance(self, DeviceTensor):
            return patched(tensor)(data, *args, device=STAND_IN,
                                   dtype=kwargs.pop('dtype', self.dtype),
                                   **kwargs)
        return new_tensor(self, data, *args, device=device, **kwargs)

    torch.tensor, torch.as_tensor = patched(tensor), patched(as_tensor)
    torch.Tensor.new_tensor = patched_new
    try:
        with _StandInMode():
            yield STAND_IN
    finally:
        torch.tensor, torch.as_tensor = tensor, as_tensor
        torch.Tensor.new_tensor = new_tensor
