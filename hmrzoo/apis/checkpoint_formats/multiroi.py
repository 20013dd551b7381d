"""The official Multi-RoI ResNet-50 layout (format ``multiroi-official-r50``).

Source: a state dict of the official code's Multi-RoI ResNet-50 model (354
keys for M = 5 RoIs, no prefix, saved under ``'model'``).  Target:
``configs/multiroi/r50_cliff_official-layout.py``
(``RoIAttentionFusion`` + ``MultiRoIPerRoIHead``, ``contrast_gate``).

Key mapping (values are never changed, only renamed):

* ``conv1``, ``bn1``, ``layer1-4`` (a SPIN ResNet-50 at the top level, no
  classifier) -> ``backbone.<same>``;
* ``init_pose``, ``init_shape``, ``init_cam``, ``decpose``, ``decshape``,
  ``deccam`` -> ``head.<same>``; ``fc1`` -> ``head.mlp.0``, ``fc2`` ->
  ``head.mlp.2`` (fc1 reads 2048 + 3·M + 144 + 10 + 3 = 2220 values for
  M = 5; fc1 is 2048 wide, fc2 1024);
* ``fuse_fc`` -> ``neck.pair_embed``, ``attention.{0,2,4}`` ->
  ``neck.score.{0,2,4}``;
* ``proj_head.*`` -> ``contrast_head.*`` (the same fc-BN-ReLU-fc-BN);
* ``pos_enc._freqs`` / ``pos_enc._phases`` are checked against the
  encoding hmrzoo computes (an equal code, else the file is refused) and
  dropped: hmrzoo keeps them as non-persistent buffers.

M is read from the file (``attention.4.weight`` has M rows).  The bbox
information the official data code feeds is not in the release (its
dataset package is missing); hmrzoo feeds CLIFF's normalisation.
"""
import torch

from ...registry import CHECKPOINT_FORMATS
from .formats import recognizes
from .layouts import (ConversionError, Converted, Layout, StateDict,
                      check_layout, resnet50_layout)

_BACKBONE = ('conv1.', 'bn1.', 'layer1.', 'layer2.', 'layer3.', 'layer4.')
_RENAMES = {'fc1.': 'head.mlp.0.', 'fc2.': 'head.mlp.2.',
            'decpose.': 'head.decpose.', 'decshape.': 'head.decshape.',
            'deccam.': 'head.deccam.', 'fuse_fc.': 'neck.pair_embed.',
            'attention.': 'neck.score.', 'proj_head.': 'contrast_head.'}
_BUFFERS = ('init_pose', 'init_shape', 'init_cam')
_CODE = ('pos_enc._freqs', 'pos_enc._phases')


def _linear(out: Layout, name: str, cout: int, cin: int, bias=True):
    out[f'{name}.weight'] = (cout, cin)
    if bias:
        out[f'{name}.bias'] = (cout, )


def multiroi_official_layout(num_rois: int = 5, num_freqs: int = 32,
                             feat: int = 2048) -> Layout:
    """Names and shapes of an official Multi-RoI ResNet-50 state dict."""
    out = resnet50_layout()
    code = 3 * (1 + 2 * num_freqs)
    out.update({'init_pose': (1, 144), 'init_shape': (1, 10),
                'init_cam': (1, 3), 'pos_enc._freqs': (1, 2 * num_freqs, 1),
                'pos_enc._phases': (1, 2 * num_freqs, 1)})
    _linear(out, 'fc1', 2048, feat + 3 * num_rois + 144 + 13)
    _linear(out, 'fc2', 1024, 2048)
    for name, size in (('decpose', 144), ('decshape', 10), ('deccam', 3)):
        _linear(out, name, size, 1024)
    _linear(out, 'fuse_fc', 256, feat + code)
    _linear(out, 'attention.0', 256, 256 * num_rois)
    _linear(out, 'attention.2', 256, 256)
    _linear(out, 'attention.4', num_rois, 256)
    _linear(out, 'proj_head.0', feat, feat)
    _linear(out, 'proj_head.3', feat, feat, bias=False)
    for bn in ('proj_head.1', 'proj_head.4'):
        for k in ('weight', 'bias', 'running_mean', 'running_var'):
            out[f'{bn}.{k}'] = (feat, )
        out[f'{bn}.num_batches_tracked'] = ()
    return out


def rename_multiroi_key(key: str) -> str:
    """hmrzoo name of an official Multi-RoI key (prefixes removed)."""
    if key.startswith(_BACKBONE):
        return 'backbone.' + key
    if key in _BUFFERS:
        return 'head.' + key
    for old, new in _RENAMES.items():
        if key.startswith(old):
            return new + key[len(old):]
    raise ConversionError(f'{key!r} is not a key of the official Multi-RoI '
                          'layout')


def _check_code(state_dict: StateDict, num_freqs: int) -> None:
    """Refuse a positional code other than the one hmrzoo computes."""
    from ...models.necks import PhasePositionalEncoding
    ours = PhasePositionalEncoding(num_freqs)
    for key, mine in zip(_CODE, (ours.freqs, ours.phases)):
        theirs = state_dict[key].reshape(-1).float()
        if not torch.allclose(theirs, mine.reshape(-1), rtol=1e-6, atol=0):
            raise ConversionError(
                f'{key} differs from the positional code hmrzoo computes '
                f'(pi 2^k frequencies, phases 0, pi/2): this is not the '
                'official Multi-RoI encoding')


def _looks_like_multiroi(state_dict):
    if 'fuse_fc.weight' in state_dict and \
            'attention.4.weight' in state_dict and \
            any(k.startswith('layer4.') for k in state_dict):
        return ('the official Multi-RoI ResNet-50 release (one regressor '
                'per RoI over the concatenated RoI state, a fuse_fc + '
                'attention fusion): use --format multiroi-official-r50 with '
                'configs/multiroi/r50_cliff_official-layout.py')
    return None


@CHECKPOINT_FORMATS.register_module(name='multiroi-official-r50')
@recognizes(_looks_like_multiroi)
def convert_multiroi_official_r50(state_dict: StateDict) -> Converted:
    """Official Multi-RoI ResNet-50 -> hmrzoo's official-layout variant."""
    if 'attention.4.weight' not in state_dict or \
            'pos_enc._freqs' not in state_dict:
        raise ConversionError(
            'not an official Multi-RoI ResNet-50 state dict: it has no '
            'attention.4.weight / pos_enc._freqs (the fusion)')
    shapes = [tuple(state_dict[k].shape) for k in ('attention.4.weight',
                                                    'pos_enc._freqs')]
    if len(shapes[0]) != 2 or len(shapes[1]) != 3:
        raise ConversionError(
            'not an official Multi-RoI ResNet-50 state dict: '
            f'attention.4.weight {shapes[0]} (expected (M, 256)) and '
            f'pos_enc._freqs {shapes[1]} (expected (1, 2L, 1))')
    num_rois, num_freqs = shapes[0][0], shapes[1][1] // 2
    keys = list(state_dict)
    check_layout(state_dict, keys, multiroi_official_layout(
        num_rois, num_freqs), 'multiroi-official-r50',
        f'an official Multi-RoI ResNet-50 state dict (M = {num_rois})')
    _check_code(state_dict, num_freqs)
    out = {rename_multiroi_key(k): state_dict[k] for k in keys
           if k not in _CODE}
    return Converted(out, f'Multi-RoI official (ResNet-50, M = {num_rois})',
                     list(_CODE),
                     (f'the model needs num_rois={num_rois} and '
                      f'num_freqs={num_freqs}', ))
