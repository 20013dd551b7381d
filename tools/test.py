"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT``.

Prints the config's metrics by name (MPJPE, PA-MPJPE, PVE, ...; mm) and the
data they were measured on; ``--out FILE.json`` also writes the metrics and
the per-sample errors.
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import hmrzoo  # noqa: E402,F401
from hmrzoo.apis.fast_path import (FastPathHook,  # noqa: E402
                                   add_fast_path_argument, resolve_levers)
from hmrzoo.apis import (check_checkpoint, resolve_checkpoint,  # noqa
                         load_config, prepare_output_file)
from hmrzoo.utils.errors import UserInputError  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test an hmrzoo model')
    parser.add_argument('config', help='test config file')
    parser.add_argument('checkpoint', help='checkpoint file, http(s) URL '
                        'or zoo name (python tools/zoo.py list)')
    parser.add_argument('--work-dir', help='where the test logs go')
    parser.add_argument('--out', help='json file for metrics and per-sample '
                        'errors')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys (must exist)')
    add_fast_path_argument(parser)
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'],
                        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int,
                        help='set by the legacy torch.distributed.launch')
    args = parser.parse_args(argv)
    if args.local_rank is not None:
        os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None):
    args = parse_args(argv)
    args.checkpoint = resolve_checkpoint(args.checkpoint)
    check_checkpoint(args.checkpoint)
    prepare_output_file(args.out)   # before the work, not after
    cfg = load_config(args.config, args.cfg_options,
                      list(args.cfg_options or {}), args.launcher,
                      args.work_dir)
    cfg.load_from = args.checkpoint
    cfg.resume = False
    levers = resolve_levers(args.fast_path)      # a bad name fails first
    runner = Runner.from_cfg(cfg)
    if levers:
        runner.register_hook(FastPathHook(levers))
    metrics = runner.test()
    evaluator = runner.test_loop.evaluator
    described = [getattr(m, 'data_description', '') for m in
                 evaluator.metrics]
    lines = [f'{k}: {v:.2f}' + (' mm' if 'PCK' not in k and 'AUC' not in k
                                else '') for k, v in metrics.items()]
    print('\n'.join(['', f'Results of {args.checkpoint}'] + lines
                    + [f'measured on: {d}' for d in described if d]))
    if args.out:
        per_sample = [getattr(m, 'per_sample', None)
                      for m in evaluator.metrics]
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                           metrics=metrics, data=described,
                           per_sample=[p for p in per_sample if p]), f,
                      indent=1, default=float)
        print(f'wrote {args.out}')
    return metrics


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:   # names its subject and the fix
        raise SystemExit(str(err))
