"""The checkpoint formats: names, lookup and recognition.

A format is an entry of :data:`hmrzoo.registry.CHECKPOINT_FORMATS` under
its ``--format`` name: a converter ``fn(state_dict) -> Converted`` (a
function, or any callable object), called with a prefix-free state dict
(:func:`~.files.strip_prefixes` has run).  It checks the names and shapes
against its official layout (:mod:`.layouts`) and returns the renamed
tensors; ``Converted.notes`` are sentences added to the summary and the
``meta`` of the output.  Importing :mod:`hmrzoo.apis.checkpoint_formats`
registers the built-in ones; a third-party module registers its own the
same way and is imported first (``tools/convert_checkpoint.py
--custom-imports MODULE``, ``custom_imports`` of a config, or an
``hmrzoo.plugins`` entry point)::

    from hmrzoo.apis.checkpoint_formats import Converted
    from hmrzoo.registry import CHECKPOINT_FORMATS

    @CHECKPOINT_FORMATS.register_module(name='my-format')
    def convert_my_format(state_dict):
        ...
        return Converted(renamed, 'my codebase (ResNet-50)', dropped_keys)

A converter may carry a ``recognize(state_dict) -> description or None``
(:func:`recognizes`): :func:`guess_format` asks it, for the error message
of a file given with the wrong ``--format``.
"""
from types import MappingProxyType
from typing import Callable, Optional, Tuple

from ...registry import CHECKPOINT_FORMATS

#: format name -> converter: a read-only, live view of CHECKPOINT_FORMATS
#: (registration order), formats registered later included
FORMATS = MappingProxyType(CHECKPOINT_FORMATS.module_dict)

HOW_TO_REGISTER = (
    "register a format with @CHECKPOINT_FORMATS.register_module(name='NAME')"
    ' (hmrzoo.registry) on a function state_dict -> Converted, in a module '
    'imported first: --custom-imports MODULE, custom_imports in a config, '
    'or an hmrzoo.plugins entry point')


def unknown_format_message(name: str) -> str:
    """Names ``name``, the registered formats and how to register one."""
    return (f'unknown format {name!r}; registered formats: '
            f'{", ".join(FORMATS) or "none"}; {HOW_TO_REGISTER}')


def get_format(name: str) -> Callable:
    """The converter registered as ``name``.

    Raises:
        ValueError: ``name`` is not registered (the message lists the
            registered formats).
    """
    converter = FORMATS.get(name)
    if converter is None:
        raise ValueError(unknown_format_message(name))
    return converter


def recognizes(recognize: Callable[[dict], Optional[str]]):
    """Decorator of a converter: ``recognize(state_dict)`` returns a
    description of a (prefix-free) state dict of that format, ending with
    the ``--format`` to use, or None."""
    def wrap(converter):
        converter.recognize = recognize
        return converter
    return wrap


def has_prefix(state_dict, prefix: str) -> bool:
    """Whether some key of ``state_dict`` starts with ``prefix``."""
    return any(k.startswith(prefix) for k in state_dict)


def concatenated_hrnet(state_dict) -> bool:
    """HRNet branches downsampled and concatenated (``downsample_stage_*``
    keys): not the classification HRNet, whatever its other names."""
    return any('downsample_stage_' in k for k in state_dict)


#: (test, description) of layouts that no format converts, tried after
#: the formats' recognizers
_OTHER_LAYOUTS = (
    (concatenated_hrnet,
     'a model whose HRNet branches are downsampled and concatenated '
     '(downsample_stage_* keys, as in Multi-RoI-style encoders), not '
     'CLIFF\'s classification HRNet'),
    (lambda sd: has_prefix(sd, 'layer4.') and 'fc1.weight' in sd,
     'a SPIN / HMR checkpoint (ResNet at the top level, no encoder. '
     'prefix), not CLIFF'),
    (lambda sd: has_prefix(sd, 'layer4.') and 'fc.weight' in sd,
     'an ImageNet ResNet classifier (backbone weights only)'),
    (lambda sd: has_prefix(sd, 'stage4.') and has_prefix(sd, 'classifier.'),
     'an ImageNet HRNet classifier (backbone weights only)'),
)


def guess_format(state_dict) -> Tuple[Optional[str], Optional[str]]:
    """``(format name or None, description)`` of what a (prefix-free) state
    dict looks like, for error messages; ``(None, None)`` if unknown.

    The formats' recognizers are asked first, the latest registered first
    (a plugin's before the built-in ones); then an hmrzoo checkpoint is
    recognised (mmhuman3d's share its ``backbone.`` / ``head.`` names and
    are told apart by their discriminator or SMPL arrays); then the
    layouts that no format converts.
    """
    for name, converter in reversed(list(FORMATS.items())):
        recognize = getattr(converter, 'recognize', None)
        description = recognize(state_dict) if recognize is not None else None
        if description:
            return name, description
    if has_prefix(state_dict, 'backbone.') and has_prefix(state_dict,
                                                          'head.'):
        return None, ('an hmrzoo checkpoint already (backbone.* and head.* '
                      'keys): it needs no conversion')
    for test, description in _OTHER_LAYOUTS:
        if test(state_dict):
            return None, description
    return None, None
