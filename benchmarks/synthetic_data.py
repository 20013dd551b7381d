"""Throughput of the synthetic data engine, and its share of a training
iteration of a model that consumes it.

    python benchmarks/synthetic_data.py [--batch 128] [--size 256] [--iters 3]

1. Engine: samples per second of parameter sampling (the dataset) plus
   the batched preprocessor producing COCO-17 heatmaps + IUV at
   ``size``^2 on Anny (what CRA consumes).
2. Training: a short training run of a ResNet-18 estimator on those 20
   channels (MeshEstimator, IEF head, Anny, SPIN-style losses): each
   iteration makes a fresh batch with the engine, then takes one
   optimisation step (forward + backward + Adam) on it.  hmrzoo makes the
   evidence in the data preprocessor, i.e. inside the iteration (mmengine's
   ``data_time`` does not include it), so the engine's share of the run,
   ``sum(t_engine) / sum(t_engine + t_step)``, is the time the model waits
   for data.

``--iters`` iterations after one uncounted warm-up iteration; the per-part
times printed are medians.
"""
import argparse
import os.path as osp
import statistics
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import torch  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import hmrzoo  # noqa: E402,F401
from hmrzoo.synthetic import SyntheticPoseDataset  # noqa: E402
from hmrzoo.registry import MODELS  # noqa: E402
from timing import median_time  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--size', type=int, default=256)
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available()
                        else 'cpu')
    args = parser.parse_args()
    init_default_scope('hmrzoo')
    torch.set_flush_denormal(True)
    device = torch.device(args.device)
    dataset = SyntheticPoseDataset(num_samples=10 ** 6, seed=0,
                                   keypoint_jitter=0.01,
                                   keypoint_dropout=0.1)
    model = MODELS.build(dict(
        type='MeshEstimator',
        data_preprocessor=dict(
            type='SyntheticEvidencePreprocessor', body_model=dict(type='Anny'),
            outputs=('heatmaps', 'iuv'), heatmap_size=args.size,
            crop_from='foreground', vertex_noise=0.01),
        backbone=dict(type='ResNet', depth=18, in_channels=17 + 3),
        head=dict(type='IEFHead', in_channels=512, num_betas=6),
        body_model=dict(type='Anny'),
        projection=dict(type='WeakPerspectiveProjection', img_res=args.size),
        losses=dict(keypoints3d=dict(type='KeypointMSELoss', loss_weight=300),
                    keypoints2d=dict(type='KeypointMSELoss', loss_weight=300),
                    pose=dict(type='MSELoss', loss_weight=60),
                    betas=dict(type='MSELoss', loss_weight=0.06),
                    vertices=dict(type='L1Loss', loss_weight=60)))).to(device)
    optim = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()
    times = dict(engine=[], step=[])
    for it in range(args.iters + 1):
        idx = range(it * args.batch, (it + 1) * args.batch)
        holder = {}

        def engine():
            holder['data'] = model.data_preprocessor(
                pseudo_collate([dataset[i] for i in idx]), True)

        def step():
            optim.zero_grad()
            losses = model(**holder['data'], mode='loss')
            sum(losses.values()).backward()
            optim.step()

        for name, fn in (('engine', engine), ('step', step)):
            t = median_time(fn, 1, device, warmup=False)
            if it:  # the first iteration is the warm-up
                times[name].append(t)
    t_engine, t_step = (statistics.median(times[k]) for k in times)
    share = sum(times['engine']) / (sum(times['engine']) +
                                    sum(times['step']))
    print(f'device {device}, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads; batch {args.batch}, '
          f'{args.size}x{args.size}, Anny, COCO-17 heatmaps + IUV')
    print(f'engine:   {t_engine:.3f} s/batch = '
          f'{args.batch / t_engine:.1f} samples/s')
    print(f'training: {t_step:.3f} s/step (ResNet-18 estimator, fwd+bwd+Adam)')
    print(f'engine share of the {args.iters}-iteration run: '
          f'{100 * share:.1f} %')


if __name__ == '__main__':
    main()
