"""Backbone weights the paper configs start from (format
``torchvision-resnet50``).

``torchvision-resnet50``
    torchvision's ImageNet ResNet-50 (``resnet50-0676ba61.pth``,
    ``IMAGENET1K_V1``, the weights HMR / SPIN / PyMAF start from; and
    ``resnet50-11ad3fa6.pth``, ``IMAGENET1K_V2``): a plain state dict of
    ``conv1``, ``bn1``, ``layer1-4`` and the classifier ``fc``.  hmrzoo's
    ``ResNet`` keeps torchvision's module names, so every key but the
    classifier becomes ``backbone.<key>`` unchanged; ``fc.*`` is dropped
    and reported.  The result holds a backbone only: load it with
    ``load_strict=False`` (or a config's ``init_cfg``), which lists the
    head as left at initialisation.
"""
from ...registry import CHECKPOINT_FORMATS
from .formats import has_prefix, recognizes
from .layouts import (Converted, StateDict, check_names, resnet50_layout,
                      shape_error, wrong_shapes)


def _looks_like_torchvision(state_dict):
    if 'conv1.weight' in state_dict and has_prefix(state_dict, 'layer4.') \
            and 'fc.weight' in state_dict:
        return ('a torchvision ImageNet ResNet: use --format '
                'torchvision-resnet50')
    return None


@CHECKPOINT_FORMATS.register_module(name='torchvision-resnet50')
@recognizes(_looks_like_torchvision)
def convert_torchvision_resnet50(state_dict: StateDict) -> Converted:
    """torchvision ResNet-50 -> hmrzoo ``backbone.*`` (classifier
    dropped)."""
    expected = resnet50_layout()
    dropped = [k for k in state_dict if k.startswith('fc.')]
    keys = [k for k in state_dict if not k.startswith('fc.')]
    check_names(state_dict, keys, expected, 'torchvision-resnet50',
                f'not a torchvision ResNet-50 state dict ({len(expected)} '
                f'keys expected besides fc.*, {len(keys)} found):')
    wrong = wrong_shapes(state_dict, keys, expected)
    if wrong:
        raise shape_error(f'{len(wrong)} tensor(s) of the ResNet-50 have '
                          'unexpected shapes:', wrong)
    return Converted({f'backbone.{k}': state_dict[k] for k in keys},
                     'torchvision ResNet-50 (ImageNet)', dropped,
                     ('backbone only: load with load_strict=False or '
                      'init_cfg', ))
