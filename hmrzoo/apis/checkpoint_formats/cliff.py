"""CLIFF's released checkpoints (formats ``cliff-res50``, ``cliff-hr48``).

``cliff-res50``
    CLIFF's ResNet-50 release (``res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt``,
    331 keys).  Target: ``backbone=dict(type='ResNet', depth=50)`` and
    ``head=dict(type='IEFHead', in_channels=2048, num_joints=24,
    num_betas=10, extra_in=3)``.
``cliff-hr48``
    CLIFF's HRNet-W48 release (``hr48-PA43.0_MJE69.0_MVE81.2_3dpw.pt``,
    1967 keys).  Target: ``backbone=dict(type='HRNet', arch='w48',
    out_type='cls')`` and the same head.

Key mapping (values are never changed, only renamed):

* ``encoder.<rest>`` -> ``backbone.<rest>`` (res50) or
  ``backbone.net.<rest>`` (hr48).  hmrzoo's ``ResNet`` keeps torchvision's
  module names, which the SPIN ResNet-50 of CLIFF also uses.  hmrzoo's
  ``HRNet`` holds timm's ``HighResolutionNet`` as ``net``; timm's module
  tree is the one of the official classification HRNet that CLIFF's
  ``cls_hrnet`` uses, name for name and shape for shape: stem
  ``conv1/bn1/conv2/bn2``, ``layer1``, ``transition{1,2,3}`` (an index
  with no module, e.g. ``transition2.0``, holds no weights in both),
  ``stage{2,3,4}.<m>.branches.<b>.<k>.*`` and ``.fuse_layers.<i>.<j>.*``,
  ``incre_modules.<i>.0.*`` (one Bottleneck in a Sequential in both),
  ``downsamp_modules.<i>.{0,1}.*`` and ``final_layer.{0,1}.*`` (convs with
  a bias in both).  The only difference is that timm builds a classifier
  (``classifier.*``) and CLIFF's checkpoint has none; hmrzoo's HRNet is
  built without it (``num_classes=0``), so nothing is missing.
* ``init_pose``, ``init_shape``, ``init_cam``, ``fc1.*``, ``fc2.*``,
  ``decpose.*``, ``decshape.*``, ``deccam.*`` -> ``head.<same>``: hmrzoo's
  ``IEFHead`` concatenates ``[feature, extra (bbox info), pose, shape,
  cam]`` as CLIFF does and uses the same 6D rotation layout.
* Dropped and reported: ``encoder.fc.*`` (res50) and ``encoder.classifier.*``
  (hr48), ImageNet classifiers that some copies still carry.
"""
from typing import Callable, Dict, Tuple

from ...registry import CHECKPOINT_FORMATS
from .formats import concatenated_hrnet, has_prefix, recognizes
from .layouts import (ConversionError, Converted, Layout, StateDict,
                      check_names, cls_hrnet_layout, ief_head_layout,
                      resnet50_layout, shape_error, wrong_shapes)

#: arch -> (encoder layout, hmrzoo backbone prefix, encoder keys to drop)
_CLIFF_ARCHS: Dict[str, Tuple[Callable[[], Layout], str, str]] = {
    'res50': (resnet50_layout, 'backbone.', 'encoder.fc.'),
    'hr48': (lambda: cls_hrnet_layout(48), 'backbone.net.',
             'encoder.classifier.'),
}
_CLIFF_FC1 = ('CLIFF\'s regressor takes 2208 inputs: 2048 image feature + 3 '
              'bbox values + 144 pose (24 joints x 6D) + 10 betas + 3 camera')


def cliff_layout(arch: str) -> Layout:
    """Names and shapes of an official CLIFF state dict (``res50``/``hr48``)
    without prefixes."""
    encoder, _, _ = _CLIFF_ARCHS[arch]
    out = {f'encoder.{k}': v for k, v in encoder().items()}
    out.update(ief_head_layout())
    return out


def rename_cliff_key(key: str, arch: str) -> str:
    """hmrzoo name of an official CLIFF key (prefixes already removed)."""
    _, backbone_prefix, _ = _CLIFF_ARCHS[arch]
    if key.startswith('encoder.'):
        return backbone_prefix + key[len('encoder.'):]
    if key in ief_head_layout():
        return 'head.' + key
    raise ConversionError(f'{key!r} is not a CLIFF key (encoder.* or a '
                          f'regressor key: {", ".join(ief_head_layout())})')


def _convert_cliff(state_dict: StateDict, arch: str) -> Converted:
    fmt = f'cliff-{arch}'
    _, _, drop_prefix = _CLIFF_ARCHS[arch]
    expected = cliff_layout(arch)
    dropped = [k for k in state_dict if k.startswith(drop_prefix)]
    keys = [k for k in state_dict if not k.startswith(drop_prefix)]
    check_names(state_dict, keys, expected, fmt,
                f'not an official CLIFF {arch} state dict '
                f'({len(expected)} keys expected, {len(keys)} found):')
    wrong = wrong_shapes(state_dict, keys, expected)
    if wrong:
        notes = []
        fc1 = state_dict['fc1.weight'].shape
        if tuple(fc1) != expected['fc1.weight']:
            note = _CLIFF_FC1
            if len(fc1) == 2 and fc1[1] == 2205:
                note += ('; 2205 is SPIN/HMR\'s regressor, which has no bbox '
                         'input')
            notes.append(note)
        raise shape_error(f'{len(wrong)} tensor(s) of the CLIFF {arch} '
                          'state dict have unexpected shapes:', wrong, *notes)
    out = {rename_cliff_key(k, arch): state_dict[k] for k in keys}
    return Converted(out, f'CLIFF official ({arch})', dropped)


def _looks_like_hr48(state_dict):
    if (has_prefix(state_dict, 'encoder.stage4.')
            and has_prefix(state_dict, 'encoder.incre_modules.')
            and not concatenated_hrnet(state_dict)):
        return 'CLIFF with the HRNet-W48 encoder: use --format cliff-hr48'
    return None


def _looks_like_res50(state_dict):
    if (has_prefix(state_dict, 'encoder.layer4.')
            and 'fc1.weight' in state_dict
            and not concatenated_hrnet(state_dict)):
        return 'CLIFF with the ResNet-50 encoder: use --format cliff-res50'
    return None


@CHECKPOINT_FORMATS.register_module(name='cliff-res50')
@recognizes(_looks_like_res50)
def convert_cliff_res50(state_dict: StateDict) -> Converted:
    """CLIFF ResNet-50 release -> hmrzoo ``ResNet(depth=50)`` + IEFHead."""
    return _convert_cliff(state_dict, 'res50')


@CHECKPOINT_FORMATS.register_module(name='cliff-hr48')
@recognizes(_looks_like_hr48)
def convert_cliff_hr48(state_dict: StateDict) -> Converted:
    """CLIFF HRNet-W48 release -> hmrzoo ``HRNet('w48', 'cls')`` + IEFHead."""
    return _convert_cliff(state_dict, 'hr48')
