"""Where a training iteration of each embedded (synthetic) config goes.

    python benchmarks/training_speed.py [--configs keypoints cra pymaf
        multiroi] [--iters 3] [--batch N]

Per config, the config's own model, training dataset, batch size and
Adam learning rate (no Runner: the parts are timed one by one), medians of
``--iters`` iterations after one uncounted warm-up:

* ``engine``: the synthetic dataset's samples (poses, shapes, cameras,
  2D evidence) and their collation;
* ``render``: the data preprocessor (the engine's rendering of RGB crops /
  IUV / heatmaps, normalisation), without gradients;
* ``fwd <part>``: the forward time spent inside each top-level part of the
  model (backbone, neck, head, streams, body_model ...), exclusive: time
  in the body model called from a head counts for the body model only;
* ``fwd losses+glue``: the rest of the forward (loss terms, projection
  glue, ground-truth batching);
* ``backward`` and ``optimizer``.

Printed: seconds per iteration, each part's share of it, and the engine's
share (engine + render), which the design keeps under 10 %.
"""
import argparse
import os.path as osp
import statistics
import sys
import time
from collections import defaultdict

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.logging import MessageHub  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import hmrzoo  # noqa: E402,F401
from hmrzoo.utils.image_networks import (reduced_precision,  # noqa: E402
                                         to_channels_last)
from hmrzoo.registry import DATASETS, MODELS  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(keypoints='configs/hmr/r18_keypoints_anny.py',
               cra='configs/cra/r18_cra_anny.py',
               pymaf='configs/pymaf/r50_pymaf_anny.py',
               multiroi='configs/multiroi/r50_cliff_anny.py',
               hmr='configs/hmr/r50_hmr_anny.py')


class PartTimer:
    """Exclusive forward time per top-level part, through forward hooks: a
    part entered while another runs pauses the outer one."""

    def __init__(self, model):
        self.totals = defaultdict(float)
        self.stack = []
        self.handles = []
        for name, child in self.parts(model):
            self.handles.append(child.register_forward_pre_hook(
                self._enter(name)))
            self.handles.append(child.register_forward_hook(
                self._leave(name)))

    @staticmethod
    def parts(model):
        """(name, module) of the top-level parts; the items of a
        ModuleDict / ModuleList (whose own forward may never run, e.g.
        CRA's streams) count as parts."""
        for name, child in model.named_children():
            if name == 'data_preprocessor':
                continue
            if isinstance(child, (torch.nn.ModuleDict, torch.nn.ModuleList)):
                yield from ((f'{name}.{k}', m)
                            for k, m in child.named_children()
                            if any(True for _ in m.parameters()))
            elif any(True for _ in child.parameters()) or name in (
                    'body_model', 'projection'):
                yield name, child

    def _enter(self, name):
        def hook(_module, _args):
            now = time.perf_counter()
            if self.stack:
                outer, since = self.stack[-1]
                self.totals[outer] += now - since
            self.stack.append((name, now))
        return hook

    def _leave(self, name):
        def hook(_module, _args, _out):
            now = time.perf_counter()
            _, since = self.stack.pop()
            self.totals[name] += now - since
            if self.stack:
                outer, _ = self.stack[-1]
                self.stack[-1] = (outer, now)
        return hook

    def take(self) -> dict:
        out, self.totals = dict(self.totals), defaultdict(float)
        return out


def profile(name: str, iters: int, batch=None, levers=()) -> dict:
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS[name]))
    model = MODELS.build(cfg.model)
    model.train()
    if 'channels_last' in levers:
        to_channels_last(model)
    if 'bf16' in levers:
        reduced_precision(model)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = batch or cfg.train_dataloader.batch_size
    lr = cfg.optim_wrapper.optimizer.get('lr', 1e-4)
    optim = torch.optim.Adam(model.parameters(), lr=lr)
    hub = MessageHub.get_current_instance()
    timer = PartTimer(model)
    rows = []
    for it in range(iters + 1):
        hub.update_info('iter', it)
        part = {}
        t0 = time.perf_counter()
        data = pseudo_collate([dataset[(it * batch + i) % len(dataset)]
                               for i in range(batch)])
        t1 = time.perf_counter()
        with torch.no_grad():
            data = model.data_preprocessor(data, True)
        t2 = time.perf_counter()
        timer.take()
        losses = model(data['inputs'], data['data_samples'], 'loss')
        loss = sum(v for k, v in losses.items() if k.startswith('loss'))
        t3 = time.perf_counter()
        inside = timer.take()
        optim.zero_grad()
        loss.backward()
        t4 = time.perf_counter()
        optim.step()
        t5 = time.perf_counter()
        part.update({'engine': t1 - t0, 'render': t2 - t1,
                     'backward': t4 - t3, 'optimizer': t5 - t4})
        for key, value in inside.items():
            part[f'fwd {key}'] = value
        part['fwd losses+glue'] = (t3 - t2) - sum(inside.values())
        part['total'] = t5 - t0
        if it:                                   # the first is a warm-up
            rows.append(part)
    keys = list(rows[0])
    return dict(batch=batch, parts={k: statistics.median(r[k] for r in rows)
                                    for k in keys})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--configs', nargs='+', default=['keypoints', 'cra',
                                                         'pymaf', 'multiroi'],
                        choices=list(CONFIGS))
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--batch', type=int, default=None,
                        help="override the config's batch size")
    parser.add_argument('--levers', nargs='*', default=[],
                        choices=['channels_last', 'bf16'],
                        help='channels-last and / or bf16-autocast image '
                        'networks, as ImageNetworkPrecisionHook applies them '
                        '(regressors, body model, losses stay float32)')
    args = parser.parse_args()
    init_default_scope('hmrzoo')
    torch.manual_seed(0)
    torch.set_flush_denormal(True)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; '
          f'median of {args.iters} iterations after a warm-up; levers: '
          f'{", ".join(args.levers) or "none"}')
    for name in args.configs:
        result = profile(name, args.iters, args.batch, args.levers)
        parts = result['parts']
        total = parts.pop('total')
        engine = (parts['engine'] + parts['render']) / total
        print(f'\n{name} ({CONFIGS[name]}), batch {result["batch"]}: '
              f'{total:.3f} s/iter, engine share {100 * engine:.1f} %')
        for key, value in sorted(parts.items(), key=lambda kv: -kv[1]):
            print(f'  {key:<22}{value:>8.3f} s {100 * value / total:>6.1f} %')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
