"""The image sub-networks of an estimator, and the levers that act on
them without changing their weights: channels-last memory format and
reduced-precision autocast.  Used by the inference fast path
(:mod:`hmrzoo.apis.fast_path`) and, for training, by
:class:`hmrzoo.engine.ImageNetworkPrecisionHook`; gradients flow through
both."""
import functools
import platform
from typing import List, Optional

import torch
from torch import Tensor, nn


def conv_networks(model: nn.Module) -> List[str]:
    """Names of ``model``'s direct children that are image networks (hold
    2-D convolutions: the backbone, necks, IUV heads, CRA's streams ...),
    in order, as dotted paths.  The items of a ``ModuleDict`` /
    ``ModuleList`` (whose own forward the estimator may never call) count
    as children.  Regressors with only 1-D convolutions (PyMAF's
    point-feature MLP, which poses the body model in its loop) are left
    alone."""
    names = []
    for name, child in model.named_children():
        if not any(isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))
                   for m in child.modules()):
            continue
        if isinstance(child, (nn.ModuleDict, nn.ModuleList)):
            names += [f'{name}.{sub}' for sub in conv_networks(child)]
        else:
            names.append(name)
    return names


def _map_tensors(value, fn):
    """``fn`` applied to every tensor in nested lists / tuples / dicts."""
    if isinstance(value, Tensor):
        return fn(value)
    if isinstance(value, tuple) and hasattr(value, '_fields'):
        return type(value)(*(_map_tensors(v, fn) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_map_tensors(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _map_tensors(v, fn) for k, v in value.items()}
    return value


def to_channels_last(model: nn.Module) -> List[str]:
    """Channels-last weights and 4-D inputs for the convolutional
    sub-networks; returns their names."""
    names = conv_networks(model)

    def pre_hook(_module, args):
        return _map_tensors(args, lambda t: t.contiguous(
            memory_format=torch.channels_last) if t.dim() == 4 else t)
    for name in names:
        child = model.get_submodule(name)
        child.to(memory_format=torch.channels_last)
        child.register_forward_pre_hook(pre_hook)
    return names


def native_reduced_dtype(device: torch.device) -> Optional[torch.dtype]:
    """bf16 on a CPU with native bf16 arithmetic, fp16 on CUDA, else
    None (emulated bf16 is slower than float32)."""
    if device.type == 'cuda':
        return torch.float16
    if device.type == 'cpu' and _cpu_has_native_bf16():
        return torch.bfloat16
    return None


@functools.lru_cache(maxsize=None)
def _cpu_has_native_bf16() -> bool:
    """AVX512-BF16 or AMX on x86 (oneDNN's own check also accepts plain
    AVX512, where bf16 is emulated and slower than float32); oneDNN's
    check elsewhere (ARM)."""
    if platform.machine().lower() in ('x86_64', 'amd64', 'i386', 'i686'):
        return bool(torch.cpu._is_avx512_bf16_supported()
                    or torch.cpu._is_amx_tile_supported())
    return bool(torch.backends.mkldnn.is_available()
                and torch.ops.mkldnn._is_mkldnn_bf16_supported())


def reduced_precision(model: nn.Module) -> List[str]:
    """Run the convolutional sub-networks under autocast to the device's
    native reduced dtype (:func:`native_reduced_dtype`, looked up at each
    call: the model may move), their floating outputs cast back to
    float32; returns their names."""
    names = conv_networks(model)
    for name in names:
        child = model.get_submodule(name)
        forward = child.forward

        def autocast_forward(*args, _forward=forward, _child=child,
                             **kwargs):
            # the device of the call (the model may have moved since)
            device = next(_child.parameters()).device
            low = native_reduced_dtype(device)
            if low is None:
                return _forward(*args, **kwargs)
            with torch.autocast(device.type, dtype=low):
                out = _forward(*args, **kwargs)
            return _map_tensors(out, lambda t: t.float()
                                if t.is_floating_point() else t)
        child.forward = autocast_forward
    return names
