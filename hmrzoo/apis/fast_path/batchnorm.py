"""Folding BatchNorm into the convolution before it, where exact (see
:mod:`hmrzoo.apis.fast_path`)."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.fx as fx
from torch import nn
from torch.nn.utils import parametrize

from ...utils.image_networks import conv_networks

_CONVS = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
_BNS = nn.modules.batchnorm._BatchNorm


def _fold_pair(conv: nn.Module, bn: _BNS) -> None:
    """Fold ``bn`` (eval statistics) into ``conv`` in place."""
    scale = bn.weight.detach() if bn.affine else \
        torch.ones_like(bn.running_var)
    scale = scale / torch.sqrt(bn.running_var + bn.eps)
    shift = bn.bias.detach() if bn.affine else \
        torch.zeros_like(bn.running_mean)
    weight = conv.weight.detach()
    # ConvTranspose weights are (in, out / groups, ...): out on dim 1
    out_dim = 1 if isinstance(conv, nn.ConvTranspose2d) else 0
    if out_dim == 1 and conv.groups != 1:
        raise ValueError('grouped transposed convolution')
    view = [1] * weight.dim()
    view[out_dim] = -1
    bias = conv.bias.detach() if conv.bias is not None else \
        torch.zeros_like(bn.running_mean)
    with torch.no_grad():
        conv.weight.copy_(weight * scale.reshape(view))
        new_bias = (bias - bn.running_mean) * scale + shift
    if conv.bias is None:
        conv.bias = nn.Parameter(new_bias)
    else:
        with torch.no_grad():
            conv.bias.copy_(new_bias)


def _set_child(root: nn.Module, path: str, module: nn.Module) -> None:
    parent, _, name = path.rpartition('.')
    setattr(root.get_submodule(parent) if parent else root, name, module)


class _LeafTracer(fx.Tracer):
    """``torch.fx`` tracer that keeps the given submodules as leaves."""

    def __init__(self, leaves):
        super().__init__()
        self.leaves = leaves

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return m in self.leaves or super().is_leaf_module(m, qualname)


def _trace(module: nn.Module) -> Tuple[Optional[fx.Graph], List[nn.Module]]:
    """The graph of ``module`` with its untraceable children kept as
    leaves (returned too), or ``(None, children)`` when its own forward
    cannot be traced."""
    try:                       # the common case: traceable as a whole
        return fx.symbolic_trace(module).graph, []
    except Exception:  # data-dependent control flow, ...
        pass
    leaves = []
    for child in module.children():
        try:
            fx.symbolic_trace(child)
        except Exception:
            leaves.append(child)
    try:
        return _LeafTracer(set(leaves)).trace(module), leaves
    except Exception:
        return None, list(module.children())


def _fold_traced(module: nn.Module) -> int:
    """Fold the conv -> BN pairs of ``module`` (traced with its untraceable
    children as leaves, which are searched in turn); the number folded.

    A pair is folded only when it is exact: the BN reads the convolution's
    output and nothing else does, each is called once and appears once in
    the module tree, and the convolution's weight is a plain parameter
    (not parametrised, not read elsewhere through ``get_attr``)."""
    if not any(isinstance(m, _BNS) for m in module.modules()):
        return 0
    graph, leaves = _trace(module)
    folded = sum(_fold_traced(leaf) for leaf in leaves)
    if graph is None:
        return folded
    modules = dict(module.named_modules())
    seen: Dict[int, int] = {}
    for _, m in module.named_modules(remove_duplicate=False):
        seen[id(m)] = seen.get(id(m), 0) + 1
    calls: Dict[str, int] = {}
    read: set = set()
    for node in graph.nodes:
        if node.op == 'call_module':
            calls[node.target] = calls.get(node.target, 0) + 1
        elif node.op == 'get_attr':
            read.add(node.target.rpartition('.')[0])
    for node in graph.nodes:
        bn = modules.get(node.target) if node.op == 'call_module' else None
        if not isinstance(bn, _BNS) or bn.running_mean is None \
                or calls[node.target] != 1 or not node.args:
            continue
        prev = node.args[0]
        if not isinstance(prev, fx.Node) or prev.op != 'call_module':
            continue
        conv = modules.get(prev.target)
        if not isinstance(conv, _CONVS + (nn.ConvTranspose2d, )) \
                or len(prev.users) != 1 or calls[prev.target] != 1 \
                or conv.out_channels != bn.num_features \
                or seen[id(conv)] != 1 or seen[id(bn)] != 1 \
                or prev.target in read or node.target in read \
                or parametrize.is_parametrized(conv) \
                or hasattr(conv, 'weight_g'):
            continue
        try:
            _fold_pair(conv, bn)
        except ValueError:
            continue
        _set_child(module, node.target, nn.Identity())
        folded += 1
    return folded


def fold_batchnorm(model: nn.Module) -> int:
    """Fold every foldable BatchNorm of ``model``'s convolutional
    sub-networks into its convolution (in place); returns how many."""
    return sum(_fold_traced(model.get_submodule(name))
               for name in conv_networks(model))
