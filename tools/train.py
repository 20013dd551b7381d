"""Train a model: ``python tools/train.py CONFIG [options]``.

Single process by default; ``--launcher pytorch`` under ``torchrun`` (see
``tools/dist_train.sh``) or ``--launcher slurm`` under ``srun`` (see
``tools/slurm_train.sh``).  Without a GPU, distributed runs use gloo.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import hmrzoo  # noqa: E402,F401  (registries, safe checkpoint loading)
from hmrzoo.apis import (check_checkpoint,  # noqa: E402
                         find_resume_checkpoint, load_config)
from hmrzoo.utils.errors import UserInputError  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train an hmrzoo model')
    parser.add_argument('config', help='train config file')
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the given checkpoint, or, with no value, from the '
        'latest checkpoint in the work dir')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config keys, e.g. train_cfg.max_iters=100; keys that '
        'do not exist in the config are rejected')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int,
                        help='set by the legacy torch.distributed.launch')
    args = parser.parse_args(argv)
    if args.local_rank is not None:
        os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None):
    args = parse_args(argv)
    keys = list(args.cfg_options or {})
    cfg = load_config(args.config, args.cfg_options, keys, args.launcher,
                      args.work_dir)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a GPU (mmengine\'s AmpOptimWrapper '
                             'runs on CUDA devices only); drop --amp on CPU')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':   # the checked last_checkpoint of the work dir
        cfg.resume = True
        cfg.load_from = find_resume_checkpoint(cfg.work_dir)
    elif args.resume is not None:
        check_checkpoint(args.resume)
        cfg.resume = True
        cfg.load_from = args.resume
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:   # names its subject and the fix
        raise SystemExit(str(err))
