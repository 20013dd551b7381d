"""``init_model``: a config and a checkpoint (a path, an http(s) URL or a
zoo name) to a model ready for inference, the way mmpose's ``init_model``
works.  Loading is strict and safe: the checkpoint is read with
``weights_only=True`` and must cover the model (as ``tools/test.py``
checks it), unless ``strict=False`` is asked for."""
import hashlib
import logging
import os.path as osp
from typing import Optional, Sequence, Union

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from ...engine import check_cfg_options, load_plugins
from ...engine.checkpoint_coverage import (CheckpointMismatchError,
                                           coverage_report, key_prefixes,
                                           strip_wrapper_prefix)
from ...registry import MODELS
from ...utils.checkpoint_file import check_checkpoint
from ...utils.errors import UserFileNotFoundError
from ..download import cache_dir, download
from ..fast_path import apply_fast_path
from .setup import input_setup


def resolve_checkpoint(checkpoint: str) -> str:
    """The local file of ``checkpoint``: a path as it is, an http(s) URL
    downloaded into the cache (:func:`hmrzoo.apis.download.download`), a
    zoo name (``NAME`` or ``zoo://NAME``) through the zoo's cache."""
    from ..zoo import ZOO_SCHEME, load_index, resolve
    if checkpoint.startswith(('http://', 'https://')):
        # one folder per URL: two URLs ending in the same name never share
        key = hashlib.sha1(checkpoint.encode()).hexdigest()[:12]
        return download(checkpoint, directory=osp.join(
            cache_dir('downloads'), key))
    if checkpoint.startswith(ZOO_SCHEME):
        return resolve(checkpoint[len(ZOO_SCHEME):])
    if osp.isfile(checkpoint):
        return checkpoint
    if osp.sep not in checkpoint and checkpoint in load_index():
        return resolve(checkpoint)
    return checkpoint       # check_checkpoint names a missing file


_FOLDED_HINT = ('It looks like the state dict of a model on the inference '
                'fast path (BatchNorm folded into the convolutions: no '
                'running statistics, a bias on each folded convolution); save '
                "the model built with init_model(..., fast_path='off') "
                'instead.')


def _looks_folded(report: dict) -> bool:
    """Missing BatchNorm statistics and only convolution biases extra."""
    missing, extra = report['missing'], report['unexpected']
    return any(k.endswith('running_mean') for k in missing) and bool(extra) \
        and all(k.endswith('.bias') for k in extra)


def _load(model, path: str, strict: bool, config_name: str) -> None:
    """Load ``path`` into ``model``: refused unless it covers the model
    (``strict``), else the keys that fit (same name and shape), the rest
    listed in a warning."""
    ckpt = check_checkpoint(path)
    report = coverage_report(model, ckpt)
    lines = [f'{what}: {", ".join(key_prefixes(keys))}' for what, keys in
             (('missing from the checkpoint', report['missing']),
              ('not in the model', report['unexpected'])) if keys]
    if report['shape']:
        lines.append(f'different shapes: {"; ".join(report["shape"][:5])}')
    if strict and lines:
        raise CheckpointMismatchError(
            f'checkpoint {path} does not fit the model of {config_name}: '
            + '; '.join(lines) + '. ' + (_FOLDED_HINT if _looks_folded(
                report) else 'Use the config the checkpoint was trained '
                'with, or strict=False to load the matching part.'))
    own = model.state_dict()
    saved = strip_wrapper_prefix(ckpt.get('state_dict', ckpt))
    state = {k: v for k, v in saved.items()
             if k in own and tuple(getattr(v, 'shape', ())) ==
             tuple(own[k].shape)}
    model.load_state_dict(state, strict=False)
    if lines:
        MMLogger.get_current_instance().warning(
            f'partial load of {path} (strict=False): ' + '; '.join(lines))


def init_model(config: Union[str, Config], checkpoint: Optional[str] = None,
               device: str = 'cpu', cfg_options: Optional[dict] = None,
               strict: bool = True,
               fast_path: Union[str, Sequence[str], None] = 'fp32'
               ) -> torch.nn.Module:
    """Build the model of ``config`` in eval mode on ``device``.

    Args:
        config (str | Config): a config file or a loaded config.
        checkpoint (str, optional): a checkpoint file, an http(s) URL or a
            zoo name; None keeps the model as initialised (its ``init_cfg``
            and frozen priors applied), e.g. to test the plumbing.
        device (str): ``'cpu'`` (default), ``'cuda'``, ...
        cfg_options (dict, optional): ``--cfg-options``-style overrides,
            checked like the tools check them.
        strict (bool): refuse a checkpoint whose keys or shapes do not fit
            the model (default); False loads the matching part.
        fast_path (str | list): the inference fast path
            (:func:`~hmrzoo.apis.fast_path.apply_fast_path`): ``'fp32'``
            (default: BatchNorm folded, channels-last; outputs equal the
            plain model's to float32 rounding), ``'auto'`` (plus bf16 / fp16
            convolutions where the device has them natively), ``'off'``
            (the plain model, e.g. to fine-tune it), or a list of levers.
            The fast path refuses ``model.train()``.

    Returns:
        nn.Module: the estimator with ``model.cfg`` (the config) and
        ``model.inference`` (:class:`~.setup.InputSetup`, how a photograph
        becomes its input).
    """
    load_plugins()
    init_default_scope('hmrzoo')
    if isinstance(config, Config):
        cfg = config.copy()
    else:
        if not osp.isfile(config):
            raise UserFileNotFoundError(f'config file not found: {config}')
        cfg = Config.fromfile(config)
    if cfg_options:
        check_cfg_options(cfg, list(cfg_options), cfg_options)
        cfg.merge_from_dict(cfg_options)
    model = MODELS.build(cfg.model)
    if checkpoint is None:
        logger = MMLogger.get_current_instance()
        level = logger.level
        logger.setLevel(logging.WARNING)  # mmengine lists every parameter
        try:
            model.init_weights()
        finally:
            logger.setLevel(level)
    else:
        _load(model, resolve_checkpoint(checkpoint), strict,
              cfg.get('filename') or 'the config')
    model.cfg = cfg
    model.to(device).eval()
    model.inference = input_setup(cfg, model)
    apply_fast_path(model, fast_path)
    return model
