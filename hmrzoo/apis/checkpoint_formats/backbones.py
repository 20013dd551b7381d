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
``mmpose-resnet50``
    mmpose's COCO 2D-pose ResNet-50 (``res50_coco_256x192-ec54d7f3_
    20200709.pth``, the encoder CLIFF and Multi-RoI start from): an mmcv
    checkpoint whose ``backbone.*`` keys are mmcv's ResNet, named below the
    prefix as torchvision names them, and a heatmap head
    ``keypoint_head.*``.  ``backbone.*`` is kept unchanged; the head is
    dropped and reported.
``mmpose-hrnet-w48``
    mmpose's COCO 2D-pose HRNet-W48 (``hrnet_w48_coco_256x192-b9e0b3ab_
    20200708.pth``; the paper's "HRNet-W48 pre-trained on COCO for 2D pose"
    of Multi-RoI): ``backbone.*`` is the pose HRNet
    (:func:`.layouts.pose_hrnet_layout`, names as the official HRNet's), put
    below hmrzoo's ``backbone.net.`` (``HRNet(out_type='concat')`` wraps
    timm's network, which uses the same names).  A pose HRNet fuses its
    last module into the highest resolution only, so the fusion into
    branches 2-4 of that module and the concatenation's down-sampling
    blocks are not in the file and start at initialisation (reported).
"""
from ...registry import CHECKPOINT_FORMATS
from .formats import has_prefix, recognizes
from .layouts import (Converted, StateDict, check_layout,
                      pose_hrnet_layout, resnet50_layout)


def _looks_like_torchvision(state_dict):
    if 'conv1.weight' in state_dict and has_prefix(state_dict, 'layer4.') \
            and 'fc.weight' in state_dict:
        return ('a torchvision ImageNet ResNet: use --format '
                'torchvision-resnet50')
    return None


def _backbone(state_dict: StateDict, layout, prefix: str, drop: str,
              fmt: str, what: str, source: str, target: str = 'backbone.',
              note: str = 'backbone only: load with load_strict=False or '
                          'init_cfg') -> Converted:
    """Every key but those starting with ``drop`` (dropped and reported)
    must be a key of ``layout`` under ``prefix`` (names and shapes
    checked); they become ``target`` + the key below ``prefix``."""
    expected = {prefix + k: v for k, v in layout.items()}
    dropped = [k for k in state_dict if k.startswith(drop)]
    keys = [k for k in state_dict if not k.startswith(drop)]
    check_layout(state_dict, keys, expected, fmt, what)
    return Converted({target + k[len(prefix):]: state_dict[k]
                      for k in keys}, source, dropped, (note, ))


@CHECKPOINT_FORMATS.register_module(name='torchvision-resnet50')
@recognizes(_looks_like_torchvision)
def convert_torchvision_resnet50(state_dict: StateDict) -> Converted:
    """torchvision ResNet-50 -> hmrzoo ``backbone.*`` (classifier
    dropped)."""
    return _backbone(
        state_dict, resnet50_layout(), '', 'fc.', 'torchvision-resnet50',
        'a torchvision ResNet-50 state dict (besides fc.*)',
        'torchvision ResNet-50 (ImageNet)')


def _looks_like_mmpose(state_dict):
    if has_prefix(state_dict, 'backbone.layer4.') and \
            has_prefix(state_dict, 'keypoint_head.'):
        return ('an mmpose top-down ResNet (backbone + keypoint_head): use '
                '--format mmpose-resnet50')
    return None


@CHECKPOINT_FORMATS.register_module(name='mmpose-resnet50')
@recognizes(_looks_like_mmpose)
def convert_mmpose_resnet50(state_dict: StateDict) -> Converted:
    """mmpose top-down ResNet-50 -> hmrzoo ``backbone.*`` (keypoint head
    dropped)."""
    return _backbone(
        state_dict, resnet50_layout(), 'backbone.', 'keypoint_head.',
        'mmpose-resnet50',
        'an mmpose ResNet-50 state dict (its backbone.*)',
        'mmpose ResNet-50 (COCO 2D pose)')


def _looks_like_mmpose_hrnet(state_dict):
    if has_prefix(state_dict, 'backbone.stage4.') and \
            has_prefix(state_dict, 'keypoint_head.'):
        return ('an mmpose top-down HRNet (backbone + keypoint_head): use '
                '--format mmpose-hrnet-w48')
    return None


@CHECKPOINT_FORMATS.register_module(name='mmpose-hrnet-w48')
@recognizes(_looks_like_mmpose_hrnet)
def convert_mmpose_hrnet_w48(state_dict: StateDict) -> Converted:
    """mmpose top-down HRNet-W48 -> hmrzoo ``backbone.net.*`` (keypoint
    head dropped)."""
    return _backbone(
        state_dict, pose_hrnet_layout(48), 'backbone.', 'keypoint_head.',
        'mmpose-hrnet-w48', 'an mmpose HRNet-W48 state dict (its backbone.*)',
        'mmpose HRNet-W48 (COCO 2D pose)', target='backbone.net.',
        note="backbone only: load with load_strict=False or init_cfg; the "
             "last module's fusion into branches 2-4 and the "
             "concatenation's down-sampling start at initialisation")
