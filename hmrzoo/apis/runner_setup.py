"""What ``tools/train.py`` and ``tools/test.py`` share: reading the config,
applying ``--cfg-options`` with checks, plugins and launcher settings."""
import os
import os.path as osp
from typing import Optional, Sequence

import torch
from mmengine.config import Config

from ..utils.errors import (UserFileNotFoundError, UserIsADirectoryError,
                             UserNotADirectoryError, UserOSError,
                             UserPermissionError, UserSyntaxError,
                             UserTypeError)

from ..engine import (announce_paper_differences, check_cfg_options,
                      check_plugin_types, check_required_data,
                      check_top_level_keys, load_plugins)


def load_config(path: str, cfg_options: Optional[dict] = None,
                cfg_option_keys: Sequence[str] = (),
                launcher: str = 'none',
                work_dir: Optional[str] = None) -> Config:
    """Read a config, load plugins, apply and check ``--cfg-options``,
    add the checkpoint check (``load_strict``, default True) and the
    non-finite guard, choose the work dir (``./work_dirs/<config name>`` by
    default) and make distributed settings work without a GPU (gloo
    backend, CPU-capable DDP wrapper)."""
    if not osp.isfile(path):
        raise UserFileNotFoundError(f'config file not found: {path}')
    load_plugins()
    # Flush denormal floats to zero: on CPU, tiny activations and gradients
    # otherwise take a slow path (measured 2-4x slower ResNet training).
    torch.set_flush_denormal(True)
    try:
        cfg = Config.fromfile(path)
    except SyntaxError as err:
        raise _named_syntax_error(path, err) from None
    if cfg_options:
        check_cfg_options(cfg, cfg_option_keys, cfg_options)
        cfg.merge_from_dict(cfg_options)
    check_top_level_keys(cfg)
    check_plugin_types(cfg)
    check_required_data(cfg)
    announce_paper_differences(cfg)
    # a loaded checkpoint either fits the model or is refused
    # (engine/checkpoint_coverage.py); load_strict=False asks for partial
    strict = cfg.pop('load_strict', True)
    if not isinstance(strict, bool):
        raise UserTypeError(
            f'load_strict must be True or False, got {strict!r}')
    # saving writes before it deletes (engine/safe_checkpoint.py)
    ckpt_hook = cfg.get('default_hooks', {}).get('checkpoint')
    if ckpt_hook is not None and str(ckpt_hook.get('type')).split('.')[-1] \
            == 'CheckpointHook' and not ckpt_hook.get('backend_args'):
        ckpt_hook.type = 'hmrzoo.SafeCheckpointHook'
    # ... and non-finite values never reach one (engine/finite_guard.py)
    # ... and a loss term that is always 0 is named (engine/zero_loss_watch)
    # ... and the share of rows with SMPL is said (engine/smpl_supervision)
    guards = ('CheckpointCoverageHook', 'FiniteGuardHook',
              'ZeroLossWatchHook', 'SMPLSupervisionHook')
    cfg.custom_hooks = [h for h in cfg.get('custom_hooks', [])
                        if not str(h.get('type')).endswith(guards)] + [
        dict(type='hmrzoo.CheckpointCoverageHook', strict=strict),
        dict(type='hmrzoo.FiniteGuardHook'),
        dict(type='hmrzoo.ZeroLossWatchHook'),
        dict(type='hmrzoo.SMPLSupervisionHook')]
    cfg.launcher = launcher
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(path))[0])
    if osp.exists(cfg.work_dir) and not osp.isdir(cfg.work_dir):
        raise UserNotADirectoryError(
            f'--work-dir {cfg.work_dir} is an existing file; give a folder '
            '(it is created when missing)')
    if launcher != 'none' and not torch.cuda.is_available():
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
        cfg.env_cfg.dist_cfg['backend'] = 'gloo'
        cfg.setdefault('model_wrapper_cfg',
                       dict(type='hmrzoo.DeviceAgnosticDDP'))
    if 'LOCAL_RANK' not in os.environ and launcher == 'pytorch':
        raise RuntimeError('--launcher pytorch needs torchrun (LOCAL_RANK is '
                           'not set); use tools/dist_train.sh')
    if launcher == 'pytorch' and not torch.cuda.is_available():
        _init_cpu_process_group(cfg.env_cfg.dist_cfg)
    return cfg


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1 (a count of samples, a size)."""
    import argparse
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'{text!r} is not an integer')
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be at least 1, got {value}')
    return value


def prepare_output_file(path: Optional[str], option: str = '--out') -> None:
    """Make sure ``path`` can be written *before* the work that fills it:
    its folder is created when missing; a folder in its place or a folder
    that cannot be written is refused naming ``option``."""
    if not path:
        return
    if osp.isdir(path):
        example = osp.join(path, 'results.json')
        raise UserIsADirectoryError(
            f'{option} {path} is a folder; give a file name, e.g. {example}')
    folder = osp.dirname(osp.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as err:
        raise UserOSError(
            f'{option} {path}: cannot create its folder {folder} '
            f'({err.strerror}); choose another path') from None
    if not os.access(folder, os.W_OK):
        raise UserPermissionError(
            f'{option} {path}: the folder {folder} is not '
            'writable; choose another path')


def _named_syntax_error(path: str, err: SyntaxError) -> SyntaxError:
    """mmengine parses config text without its file name (``File
    "<unknown>"``): find the file of ``path``'s ``_base_`` chain that does
    not parse and name it."""
    import ast
    seen, todo = set(), [osp.abspath(path)]
    while todo:
        file = todo.pop()
        if file in seen or not osp.isfile(file):
            continue
        seen.add(file)
        with open(file, encoding='utf-8') as f:
            text = f.read()
        try:
            tree = ast.parse(text, filename=file)
        except SyntaxError as own:
            line = (own.text or '').rstrip()
            return UserSyntaxError(f'config {file}, line {own.lineno}: '
                                   f'{own.msg}\n    {line}')
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                    getattr(t, 'id', None) == '_base_' for t in node.targets):
                for base in ast.walk(node.value):
                    if isinstance(base, ast.Constant) and \
                            isinstance(base.value, str):
                        todo.append(osp.normpath(osp.join(
                            osp.dirname(file), base.value)))
    return UserSyntaxError(f'config {path} (or one of its _base_ files): '
                           f'{err.msg}, line {err.lineno}')


def _init_cpu_process_group(dist_cfg) -> None:
    """Initialise the gloo process group ourselves on a machine without a
    GPU: mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device``
    unconditionally.  The Runner then finds the group initialised and uses
    it as it is."""
    import torch.distributed as dist
    if dist.is_initialized():
        return
    kwargs = {k: v for k, v in dist_cfg.items() if k != 'backend'}
    dist.init_process_group(backend='gloo', **kwargs)
