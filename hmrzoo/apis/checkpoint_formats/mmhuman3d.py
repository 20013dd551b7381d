"""mmhuman3d's HMR, SPIN and CLIFF checkpoints (formats ``mmhuman3d-hmr``,
``mmhuman3d-cliff``).

mmhuman3d saves mmcv checkpoints ``{'meta', 'state_dict', 'optimizer'}``
of its ``ImageBodyModelEstimator``:

* ``backbone.*``: mmcv's ResNet-50, whose module names below the prefix are
  torchvision's (``conv1``, ``bn1``, ``layerN.i.conv1..3 / bn1..3``,
  ``layerN.0.downsample.0/1``; no classifier) -> hmrzoo ``backbone.*``
  unchanged;
* ``head.*``: ``HMRHead`` (HMR, SPIN: ``fc1`` takes 2048 + 144 + 10 + 3 =
  2205 inputs) or ``CliffHead`` (``fc1`` takes 2208: the 3 bounding-box
  values after the feature), with ``fc2``, ``decpose``, ``decshape``,
  ``deccam`` and the ``init_pose`` (1, 144) / ``init_shape`` (1, 10) /
  ``init_cam`` (1, 3) buffers -> hmrzoo ``IEFHead`` keys, unchanged: the
  same concatenation order, 6D layout and iteration;
* dropped and reported: ``disc.*`` (the adversarial prior of HMR / SPIN
  training) and ``body_model_train.*`` / ``body_model_test.*`` (SMPL's
  arrays: hmrzoo never stores the licensed model, it reads the user's
  files).

Target configs: ``configs/hmr/r50_hmr.py`` (HMR, SPIN) and
``configs/cliff/cliff_r50.py`` (CLIFF).
"""
from ...registry import CHECKPOINT_FORMATS
from .formats import has_prefix, recognizes
from .layouts import (Converted, StateDict, check_layout, ief_head_layout,
                      resnet50_layout)

#: prefixes of an mmhuman3d estimator that hmrzoo does not keep
DROPPED = ('disc.', 'body_model_train.', 'body_model_test.')


def mmhuman3d_layout(extra_in: int) -> dict:
    out = {f'backbone.{k}': v for k, v in resnet50_layout().items()}
    out.update({f'head.{k}': v
                for k, v in ief_head_layout(extra_in=extra_in).items()})
    return out


def _convert(state_dict: StateDict, extra_in: int, fmt: str,
             what: str) -> Converted:
    expected = mmhuman3d_layout(extra_in)
    dropped = [k for k in state_dict if k.startswith(DROPPED)]
    keys = [k for k in state_dict if not k.startswith(DROPPED)]
    fc1 = state_dict.get('head.fc1.weight')
    check_layout(state_dict, keys, expected, fmt,
                 f'an mmhuman3d {what} state dict (backbone / head)',
                 f'head.fc1 takes {None if fc1 is None else fc1.shape[-1]} '
                 'inputs: 2205 is HMR / SPIN (--format mmhuman3d-hmr), '
                 '2208 CLIFF (--format mmhuman3d-cliff)')
    return Converted({k: state_dict[k] for k in keys}, f'mmhuman3d {what}',
                     dropped)


def _recognizer(width: int, description: str):
    """Recognise an mmhuman3d estimator (its discriminator or SMPL arrays
    beside ``backbone.*`` / ``head.*``: what tells it from an hmrzoo
    checkpoint) whose ``head.fc1`` takes ``width`` inputs."""
    def recognize(state_dict):
        if has_prefix(state_dict, 'backbone.layer4.') and \
                'head.fc1.weight' in state_dict and \
                any(has_prefix(state_dict, p) for p in DROPPED) and \
                state_dict['head.fc1.weight'].shape[-1] == width:
            return description
        return None
    return recognize


@CHECKPOINT_FORMATS.register_module(name='mmhuman3d-hmr')
@recognizes(_recognizer(2205, 'an mmhuman3d HMR / SPIN checkpoint: use '
                              '--format mmhuman3d-hmr'))
def convert_mmhuman3d_hmr(state_dict: StateDict) -> Converted:
    """mmhuman3d HMR / SPIN -> hmrzoo ``ResNet(50)`` + ``IEFHead``."""
    return _convert(state_dict, 0, 'mmhuman3d-hmr', 'HMR / SPIN')


@CHECKPOINT_FORMATS.register_module(name='mmhuman3d-cliff')
@recognizes(_recognizer(2208, 'an mmhuman3d CLIFF checkpoint: use '
                              '--format mmhuman3d-cliff'))
def convert_mmhuman3d_cliff(state_dict: StateDict) -> Converted:
    """mmhuman3d CLIFF -> hmrzoo ``ResNet(50)`` + ``IEFHead(extra_in=3)``."""
    return _convert(state_dict, 3, 'mmhuman3d-cliff', 'CLIFF')
