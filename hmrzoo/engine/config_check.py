"""Checks that turn config typos into errors that name them.

mmengine already fails on an unknown ``type`` (``KeyError: 'X is not in the
hmrzoo::model registry'``) and on an unexpected constructor argument
(``TypeError: ... got an unexpected keyword argument 'x'``).  What it lets
through silently is a misspelt *top-level* key (``train_cfgg``) or a
``--cfg-options`` key that does not exist (``model.hed.n_iter=2`` creates a
new dict instead of changing the head); these checks catch both.  Two more
``--cfg-options`` slips are caught before any work: a new leaf that is a
near-miss of an argument of the component (``default_hooks.checkpoint.
max_keep_ckpt=1``, which mmengine's CheckpointHook swallows in its
``**kwargs`` and fails on at the first save), and a text value where the
config holds a number (``train_cfg.max_iters=two``).
"""
import difflib
import inspect
from typing import Iterable, Mapping, Optional

from mmengine.config import Config

from ..registry import find_registered
from ..utils.errors import UserKeyError, UserTypeError

#: top-level keys mmengine's Runner and hmrzoo's tools read.
KNOWN_TOP_LEVEL = {
    'model', 'work_dir', 'train_dataloader', 'val_dataloader',
    'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr',
    'optim_wrapper', 'param_scheduler', 'val_evaluator', 'test_evaluator',
    'default_hooks', 'custom_hooks', 'data_preprocessor', 'load_from',
    'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level',
    'visualizer', 'default_scope', 'randomness', 'experiment_name', 'cfg',
    'vis_backends', 'custom_imports', 'model_wrapper_cfg', 'dist_cfg',
    'compile', 'strategy', 'work_dirs', 'required_data', 'load_strict',
    'paper_differences',
}


def check_top_level_keys(cfg: Config) -> None:
    """Raise KeyError for a top-level key that looks like a misspelt Runner
    key (close to a known key but not equal to one).

    Keys that are not close to any known key are helper variables that
    configs share through ``_base_`` (``body_model``, ``num_betas`` ...) and
    are allowed.
    """
    for key in cfg.keys():
        if key in KNOWN_TOP_LEVEL or key.startswith('_'):
            continue
        close = difflib.get_close_matches(key, KNOWN_TOP_LEVEL, n=1,
                                          cutoff=0.85)
        if close:
            raise UserKeyError(f'config {cfg.filename}: unknown top-level key '
                               f'{key!r}; did you mean {close[0]!r}?')


def _component_arguments(node) -> Optional[list]:
    """The constructor arguments of the registered class a config dict
    builds (its ``type``), or None when it is not found."""
    kind = node.get('type') if hasattr(node, 'get') else None
    if kind is None:
        return None
    cls = find_registered(kind) if isinstance(kind, str) else kind
    if cls is None:
        return None
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return None
    return [n for n, p in params.items()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _check_new_leaf(option: str, node, leaf: str) -> None:
    """A new leaf that is a near-miss of the component's arguments."""
    args = _component_arguments(node)
    if not args or leaf in args:
        return
    close = difflib.get_close_matches(leaf, args, n=1, cutoff=0.8)
    if close:
        raise UserKeyError(
            f'--cfg-options {option}: {node.get("type")} has no '
            f'argument {leaf!r}; did you mean {close[0]!r}?')


def _check_value_type(option: str, old, new) -> None:
    """A text value given for a number the config holds."""
    number = isinstance(old, (int, float)) and not isinstance(old, bool)
    if number and isinstance(new, str):
        raise UserTypeError(
            f'--cfg-options {option}={new}: the config holds a '
            f'number here ({old!r}); give a number, e.g. '
            f'{option}={old!r}')


def check_cfg_options(cfg: Config, options: Iterable[str],
                      values: Optional[Mapping] = None) -> None:
    """Raise KeyError when a ``--cfg-options`` key path does not exist in the
    config.  Only the part up to the last dict that exists must match: a
    new leaf inside an existing dict whose parent is a built component
    (``model.head.new_arg=1``) is allowed unless it is a near-miss of one of
    the component's arguments; mmengine reports other unknown arguments when
    it builds the component.  With ``values`` (option -> value), a text
    value where the config holds a number raises TypeError."""
    for option in options:
        parts = option.split('.')
        node = cfg._cfg_dict if hasattr(cfg, '_cfg_dict') else cfg
        for depth, part in enumerate(parts):
            if isinstance(node, (list, tuple)) and part.isdigit():
                if int(part) >= len(node):
                    raise UserKeyError(
                        f'--cfg-options {option}: index {part} out '
                        f'of range for {".".join(parts[:depth])}')
                node = node[int(part)]
                continue
            if not hasattr(node, 'keys'):
                break
            if part not in node:
                if depth == 0 and part in KNOWN_TOP_LEVEL:
                    break  # a Runner key the config leaves at its default
                if depth == len(parts) - 1 and depth > 0:
                    _check_new_leaf(option, node, part)
                    break  # a new argument of an existing component
                known = sorted(node.keys())
                close = difflib.get_close_matches(part, known, n=1)
                hint = f'; did you mean {close[0]!r}?' if close else ''
                where = '.'.join(parts[:depth]) or 'the config'
                raise UserKeyError(
                    f'--cfg-options {option}: {where} has no key '
                    f'{part!r}{hint} (keys: {known})')
            node = node[part]
        else:
            if values is not None and option in values:
                _check_value_type(option, node, values[option])
