"""Official key layouts and the checks every converter runs on a source.

A layout is ``{name: shape}`` of a state dict without prefixes, written out
here from the architectures (not read from a file): every key of a source
is checked against the layout of its format, names and shapes, before
anything is written.  :func:`check_names` names the unexpected and the
missing keys (and what the file looks like instead, from
:func:`~.formats.guess_format`); :func:`wrong_shapes` lists the tensors of
another shape.

Builders: :func:`resnet50_layout` (torchvision ResNet-50, classifier
excluded), :func:`cls_hrnet_layout` (the official classification HRNet,
classifier excluded) and :func:`ief_head_layout` (the IEF regressor of
SPIN / CLIFF / PyMAF and hmrzoo's ``IEFHead``).
"""
from typing import Dict, List, NamedTuple, Tuple

import torch

from .formats import guess_format

StateDict = Dict[str, torch.Tensor]
Shape = Tuple[int, ...]
Layout = Dict[str, Shape]

#: how many names an error message lists per kind
SHOW = 6


class ConversionError(ValueError):
    """The source cannot be converted to the requested format."""


class Converted(NamedTuple):
    """What a converter returns (``notes``: sentences for the summary)."""
    state_dict: StateDict
    converted_from: str
    dropped_keys: List[str]
    notes: Tuple[str, ...] = ()


def listing(keys: List[str]) -> str:
    """The first :data:`SHOW` of ``keys``, comma-separated, and how many
    more there are."""
    shown = ', '.join(keys[:SHOW])
    return shown + (f', ... ({len(keys) - SHOW} more)'
                    if len(keys) > SHOW else '')


# ---- building blocks (torchvision / official HRNet module names) ---------

def add_conv(out: Layout, name: str, cout: int, cin: int, k: int,
         bias: bool = False):
    """A ``k`` x ``k`` Conv2d ``cin -> cout`` under ``name``."""
    out[f'{name}.weight'] = (cout, cin, k, k)
    if bias:
        out[f'{name}.bias'] = (cout, )


def add_bn(out: Layout, name: str, c: int):
    """A BatchNorm2d of ``c`` channels (parameters and buffers)."""
    for p in ('weight', 'bias', 'running_mean', 'running_var'):
        out[f'{name}.{p}'] = (c, )
    out[f'{name}.num_batches_tracked'] = ()


def _bottleneck(out: Layout, name: str, cin: int, planes: int):
    """ResNet Bottleneck (expansion 4), projection shortcut when needed."""
    add_conv(out, f'{name}.conv1', planes, cin, 1)
    add_bn(out, f'{name}.bn1', planes)
    add_conv(out, f'{name}.conv2', planes, planes, 3)
    add_bn(out, f'{name}.bn2', planes)
    add_conv(out, f'{name}.conv3', 4 * planes, planes, 1)
    add_bn(out, f'{name}.bn3', 4 * planes)
    if cin != 4 * planes:
        add_conv(out, f'{name}.downsample.0', 4 * planes, cin, 1)
        add_bn(out, f'{name}.downsample.1', 4 * planes)


def _basic(out: Layout, name: str, c: int):
    """ResNet BasicBlock with equal input and output channels."""
    add_conv(out, f'{name}.conv1', c, c, 3)
    add_bn(out, f'{name}.bn1', c)
    add_conv(out, f'{name}.conv2', c, c, 3)
    add_bn(out, f'{name}.bn2', c)


def resnet50_layout() -> Layout:
    """torchvision ResNet-50 parameter/buffer shapes, classifier excluded."""
    out: Layout = {}
    add_conv(out, 'conv1', 64, 3, 7)
    add_bn(out, 'bn1', 64)
    cin = 64
    for i, (blocks, planes) in enumerate(zip((3, 4, 6, 3),
                                             (64, 128, 256, 512))):
        # the first block of each layer changes the channels (and, from
        # layer2 on, the stride): it alone has a projection shortcut
        for b in range(blocks):
            _bottleneck(out, f'layer{i + 1}.{b}', cin, planes)
            cin = 4 * planes
    return out


def _transition(out: Layout, name: str, prev: List[int], cur: List[int]):
    for i, c in enumerate(cur):
        if i < len(prev):
            if c != prev[i]:  # otherwise an empty slot (no weights)
                add_conv(out, f'{name}.{i}.0', c, prev[i], 3)
                add_bn(out, f'{name}.{i}.1', c)
            continue
        # a new, lower-resolution branch from the last one (3x3 stride 2)
        for j in range(i + 1 - len(prev)):
            cout = c if j == i - len(prev) else prev[-1]
            add_conv(out, f'{name}.{i}.{j}.0', cout, prev[-1], 3)
            add_bn(out, f'{name}.{i}.{j}.1', cout)


def _hr_module(out: Layout, name: str, chans: List[int], blocks: int = 4,
               outputs: int = None):
    """A multi-resolution module; its fusion makes ``outputs`` branches
    (all by default; 1 for a pose HRNet's last module)."""
    for b, c in enumerate(chans):
        for k in range(blocks):
            _basic(out, f'{name}.branches.{b}.{k}', c)
    if len(chans) == 1:
        return
    for i, ci in enumerate(chans[:outputs]):
        for j, cj in enumerate(chans):
            if j > i:  # 1x1 conv + BN, then upsampling (no weights)
                add_conv(out, f'{name}.fuse_layers.{i}.{j}.0', ci, cj, 1)
                add_bn(out, f'{name}.fuse_layers.{i}.{j}.1', ci)
            elif j < i:  # i - j 3x3 stride-2 convs, the last one to ci
                for k in range(i - j):
                    cout = ci if k == i - j - 1 else cj
                    add_conv(out, f'{name}.fuse_layers.{i}.{j}.{k}.0',
                             cout, cj, 3)
                    add_bn(out, f'{name}.fuse_layers.{i}.{j}.{k}.1', cout)


def _hrnet_body(out: Layout, width: int, last_outputs: int = None) -> List:
    """Stem and the 4 stages of HRNet-W<width> into ``out``; the last
    module's fusion makes ``last_outputs`` branches.  Returns the last
    stage's widths."""
    add_conv(out, 'conv1', 64, 3, 3)
    add_bn(out, 'bn1', 64)
    add_conv(out, 'conv2', 64, 64, 3)
    add_bn(out, 'bn2', 64)
    cin = 64
    for b in range(4):
        _bottleneck(out, f'layer1.{b}', cin, 64)
        cin = 256
    prev = [256]
    for stage, modules in ((2, 1), (3, 4), (4, 3)):
        chans = [width * 2**i for i in range(stage)]
        _transition(out, f'transition{stage - 1}', prev, chans)
        for m in range(modules):
            last = stage == 4 and m == modules - 1
            _hr_module(out, f'stage{stage}.{m}', chans,
                       outputs=last_outputs if last else None)
        prev = chans
    return prev


def pose_hrnet_layout(width: int = 48) -> Layout:
    """Pose (top-down heatmap) HRNet-W<width> shapes, as mmpose and the
    official pose HRNet build it: the classification HRNet's stem and
    stages, but the last module fuses into the highest resolution only
    (``multiscale_output=False``), and no classification head."""
    out: Layout = {}
    _hrnet_body(out, width, last_outputs=1)
    return out


def cls_hrnet_layout(width: int = 48) -> Layout:
    """Classification HRNet-W<width> shapes (stem, 4 stages, incre /
    downsamp / final layers), classifier excluded.  Stage 2/3/4 have 1/4/3
    modules of 4 BasicBlocks per branch (widths 18 to 64)."""
    out: Layout = {}
    prev = _hrnet_body(out, width)
    head = (32, 64, 128, 256)
    for i, c in enumerate(prev):
        _bottleneck(out, f'incre_modules.{i}.0', c, head[i])
    for i in range(len(head) - 1):
        add_conv(out, f'downsamp_modules.{i}.0', 4 * head[i + 1],
                 4 * head[i], 3, bias=True)
        add_bn(out, f'downsamp_modules.{i}.1', 4 * head[i + 1])
    add_conv(out, 'final_layer.0', 2048, 4 * head[-1], 1, bias=True)
    add_bn(out, 'final_layer.1', 2048)
    return out


def ief_head_layout(in_channels: int = 2048, extra_in: int = 3,
                    num_joints: int = 24, num_betas: int = 10,
                    cam_dim: int = 3, hidden: int = 1024) -> Layout:
    """Shapes of an IEF regressor (SPIN / CLIFF / hmrzoo ``IEFHead``)."""
    npose = 6 * num_joints
    in_dim = in_channels + extra_in + npose + num_betas + cam_dim
    out: Layout = {'init_pose': (1, npose), 'init_shape': (1, num_betas),
                   'init_cam': (1, cam_dim)}
    for name, cout, cin in (('fc1', hidden, in_dim), ('fc2', hidden, hidden),
                            ('decpose', npose, hidden),
                            ('decshape', num_betas, hidden),
                            ('deccam', cam_dim, hidden)):
        out[f'{name}.weight'] = (cout, cin)
        out[f'{name}.bias'] = (cout, )
    return out


# ---- checks --------------------------------------------------------------

def check_names(state_dict: StateDict, keys: List[str], expected: Layout,
                fmt: str, header: str) -> None:
    """Raise :class:`ConversionError` (``header``, the unexpected and the
    missing names, and the format the file looks like) unless ``keys`` are
    exactly the names of the layout."""
    unknown = [k for k in keys if k not in expected]
    missing = [k for k in expected if k not in state_dict]
    if not (unknown or missing):
        return
    lines = [header]
    if unknown:
        lines.append(f'{len(unknown)} unexpected key(s): '
                     f'{listing(unknown)}')
    if missing:
        lines.append(f'{len(missing)} missing key(s): {listing(missing)}')
    guessed, description = guess_format(state_dict)
    if description and guessed != fmt:
        lines.append(f'it looks like {description}')
    raise ConversionError('\n  '.join(lines))


def wrong_shapes(state_dict: StateDict, keys: List[str],
                 expected: Layout) -> List[Tuple[str, Shape, Shape]]:
    """(key, shape found, shape expected) of every mismatch."""
    return [(k, tuple(state_dict[k].shape), expected[k]) for k in keys
            if tuple(state_dict[k].shape) != expected[k]]


def shape_error(header: str, wrong: List[Tuple[str, Shape, Shape]],
                *notes: str) -> ConversionError:
    """The error for :func:`wrong_shapes`' list: ``header``, the first
    mismatches, then ``notes``."""
    lines = [header]
    lines += [f'{k}: {tuple(got)}, expected {want}'
              for k, got, want in wrong[:SHOW]]
    lines += notes
    return ConversionError('\n  '.join(lines))


def check_layout(state_dict: StateDict, keys: List[str], expected: Layout,
                 fmt: str, what: str, *notes: str) -> None:
    """:func:`check_names` then :func:`wrong_shapes` of ``keys`` against
    the layout ``expected`` of ``what`` (a description of the source),
    raising :class:`ConversionError` with ``notes`` after a shape error."""
    check_names(state_dict, keys, expected, fmt,
                f'not {what} ({len(expected)} keys expected, {len(keys)} '
                'found):')
    wrong = wrong_shapes(state_dict, keys, expected)
    if wrong:
        raise shape_error(f'{len(wrong)} tensor(s) of {what} have '
                          'unexpected shapes:', wrong, *notes)
