"""Data-parallel scaling on this machine: the keypoint config trained by
1 and by 2 processes (torchrun, gloo on CPU), samples per second.

    python benchmarks/ddp_scaling.py [--config CONFIG] [--iters 40]
        [--batch 16]

(CONFIG: configs/hmr/r18_keypoints_anny.py by default.)

Runs ``tools/dist_train.sh CONFIG N`` for N = 1 and 2 with the config's
per-process batch (so 2 processes see twice the samples per iteration) and
``OMP_NUM_THREADS`` = cores / N, and reads mmengine's per-iteration
``time`` and ``data_time`` from each run's ``scalars.json`` (the first 5
iterations dropped).  Also a single process with 1 thread, the share a
process gets when two run.  Prints per run: s/iter, data s/iter, samples
per second, and the ratio to the single process with every core.
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import tempfile

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run(config: str, nproc: int, threads: int, iters: int, batch: int,
        port: int) -> dict:
    work = tempfile.mkdtemp(prefix=f'ddp{nproc}_')
    # tools/dist_train.sh runs `python`: this interpreter's
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), PORT=str(port),
               PYTHONWARNINGS='ignore', PATH=osp.dirname(sys.executable)
               + os.pathsep + os.environ.get('PATH', ''))
    cmd = ['bash', osp.join(ROOT, 'tools/dist_train.sh'), config,
           str(nproc), '--work-dir', work, '--cfg-options',
           f'train_cfg.max_iters={iters}',
           f'train_cfg.val_interval={iters * 10}',
           f'train_dataloader.batch_size={batch}',
           'default_hooks.logger.interval=1',
           f'default_hooks.checkpoint.interval={iters * 10}']
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit(f'{" ".join(cmd)} failed:\n{proc.stderr[-3000:]}')
    scalars = [osp.join(dp, f) for dp, _, fs in os.walk(work) for f in fs
               if f == 'scalars.json']
    rows = [json.loads(line) for line in open(scalars[0])]
    rows = [r for r in rows if 'time' in r and r.get('iter', 0) > 5]
    step = statistics.median(r['time'] for r in rows)
    data = statistics.median(r['data_time'] for r in rows)
    return dict(step=step, data=data, rate=nproc * batch / step)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/hmr/r18_keypoints_anny.py')
    parser.add_argument('--iters', type=int, default=40)
    parser.add_argument('--batch', type=int, default=16)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    runs = [('1 process, all cores', 1, cores),
            ('1 process, 1 core', 1, max(1, cores // 2)),
            ('2 processes (gloo)', 2, max(1, cores // 2))]
    print(f'{args.config}, per-process batch {args.batch}, {cores} cores, '
          f'median over iterations 6..{args.iters}')
    base = None
    for i, (label, nproc, threads) in enumerate(runs):
        r = run(args.config, nproc, threads, args.iters, args.batch,
                29600 + i)
        base = base or r['rate']
        print(f'{label:<24} threads/proc {threads}: {r["step"]:.3f} s/iter '
              f'(data {r["data"]:.3f}), {r["rate"]:.1f} samples/s, '
              f'x{r["rate"] / base:.2f}')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
