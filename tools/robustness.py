"""CRA's robustness protocol (Table 5): evaluate a model that reads joints
and / or IUV while its evidence is damaged with probability p.

    python tools/robustness.py CONFIG CHECKPOINT [--probs 0.1 0.2 ...]
        [--num-samples 128] [--seed 0] [--out table.json]

Two kinds of damage, applied by the synthetic evidence preprocessor at test
time (its ``corruption`` argument):

* ``part_mask``: with probability p a sample's IUV map loses one of the six
  coarse parts (head, torso, arms, legs), chosen uniformly;
* ``limb_joint_drop``: each elbow, wrist, knee and ankle is removed from the
  input joints with probability p.

Each setting runs the config's test set (its first ``--num-samples``
samples) with the same seed, so two models see the same damage.  A kind the
model does not read (no IUV input, no joint input) is skipped.  Prints PVE
and PA-MPJPE (mm) per p, p = 0 (clean) first.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from hmrzoo.apis import (check_checkpoint,  # noqa: E402
                         load_config, positive_int,
                         prepare_output_file)
from hmrzoo.apis.fast_path import (FastPathHook,  # noqa: E402
                                   add_fast_path_argument, resolve_levers)
from hmrzoo.utils.errors import UserInputError  # noqa: E402

KINDS = dict(part_mask=('iuv', 'IUV part masked'),
             limb_joint_drop=('heatmaps', 'limb joints removed'))
METRICS = ('PVE', 'PA-MPJPE')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--probs', type=float, nargs='+',
                        default=[round(0.1 * i, 1) for i in range(1, 10)])
    parser.add_argument('--num-samples', type=positive_int, default=128,
                        help='test samples per setting (default 128)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--work-dir')
    parser.add_argument('--out', help='json file for the table')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    add_fast_path_argument(parser)
    return parser.parse_args(argv)


def _preprocessor(runner: Runner):
    model = runner.model.module if hasattr(runner.model, 'module') \
        else runner.model
    pre = model.data_preprocessor
    if not hasattr(pre, 'corruption'):
        raise SystemExit(f'{type(pre).__name__} cannot damage its evidence: '
                         'the robustness protocol needs a synthetic evidence '
                         'preprocessor (SyntheticEvidencePreprocessor and '
                         'its subclasses)')
    return pre


def format_table(table: dict, num_samples: int, seed: int) -> str:
    """``table[kind][p] = {metric: value}`` as text, one row per p."""
    kinds = list(table)
    probs = sorted({p for k in kinds for p in table[k]})
    head = f'{"p":>5}' + ''.join(
        f' | {KINDS[k][1]:^23}' for k in kinds)
    sub = ' ' * 5 + ''.join(' | ' + ''.join(f'{m:>11} ' for m in METRICS)
                            for _ in kinds)
    lines = [f'Robustness (CRA Table 5 protocol): {num_samples} test '
             f'samples, seed {seed}, errors in mm', head, sub,
             '-' * len(sub)]
    for p in probs:
        cells = ''.join(
            ' | ' + ''.join(f'{table[k][p][m]:>11.2f} ' for m in METRICS)
            for k in kinds)
        lines.append(f'{p:>5.1f}' + cells)
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    check_checkpoint(args.checkpoint)
    prepare_output_file(args.out)   # before the work, not after
    cfg = load_config(args.config, args.cfg_options,
                      list(args.cfg_options or {}), 'none', args.work_dir)
    cfg.load_from, cfg.resume = args.checkpoint, False
    dataset = cfg.test_dataloader.dataset
    if 'num_samples' in dataset:
        dataset.num_samples = min(int(dataset.num_samples),
                                  args.num_samples)
    else:
        dataset.indices = args.num_samples
    levers = resolve_levers(args.fast_path)      # a bad name fails first
    runner = Runner.from_cfg(cfg)
    if levers:      # applied once, before the first test
        runner.register_hook(FastPathHook(levers))
    pre = _preprocessor(runner)
    kinds = [k for k, (needs, _) in KINDS.items() if needs in pre.outputs]
    if not kinds:
        raise SystemExit(f'the model reads neither IUV nor joints '
                         f'(inputs {pre.outputs}): nothing to damage')
    table = {}
    for kind in kinds:
        table[kind] = {}
        for p in [0.0] + list(args.probs):
            pre.corruption.update(part_mask=0.0, limb_joint_drop=0.0)
            pre.corruption[kind] = p
            torch.manual_seed(args.seed)
            np.random.seed(args.seed)
            metrics = runner.test()
            missing = [m for m in METRICS if m not in metrics]
            if missing:
                raise SystemExit(f'the test evaluator gives {list(metrics)}'
                                 f', not {missing}')
            table[kind][p] = {m: float(metrics[m]) for m in METRICS}
    pre.corruption.update(part_mask=0.0, limb_joint_drop=0.0)
    text = format_table(table, args.num_samples, args.seed)
    print('\n' + text)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                           num_samples=args.num_samples, seed=args.seed,
                           table={k: {str(p): v for p, v in rows.items()}
                                  for k, rows in table.items()}), f,
                      indent=1)
        print(f'wrote {args.out}')
    return table


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:   # names its subject and the fix
        raise SystemExit(str(err))
