"""Inference speed of HMR, CLIFF, Multi-RoI with 1..5 RoIs and PyMAF.

    python benchmarks/roi_speed.py [--batches 1 32] [--repeats 5]
        [--size 256 192] [--device cpu]

Builds each model from its ResNet-50 config (the ``_anny`` variants, so
no licensed file is needed; Multi-RoI with M = 1..5 RoIs), feeds random
crops of ``--size`` (H, W; CLIFF's and Multi-RoI's 256x192 by default) with
the bboxes of a person in a 512x512 image, and times the network
(backbone, fusion, regressor: ``mode='tensor'``) in eval mode without
gradients.  Prints images (persons) per second, the median of
``--repeats`` calls after one warm-up, and the ratio of Multi-RoI with M
RoIs to Multi-RoI with 1 RoI, and of PyMAF to HMR.  The body-model
forward, the same for every model, is timed once on its own (Anny here;
the papers use SMPL); PyMAF's network runs it inside its feedback loop
(twice, for the mesh-aligned points), so its time includes two Anny
forwards.

Reference: Table 4 of the Multi-RoI paper reports 76.3 fps with 1 RoI and
55.6 fps with 5 (ratio 0.73) on an RTX 3090.  The PyMAF paper reports no
speed.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import hmrzoo  # noqa: E402,F401  (registers the modules)
from hmrzoo.cameras import roi_boxes  # noqa: E402
from hmrzoo.registry import MODELS  # noqa: E402
from hmrzoo.structures import HMRDataSample  # noqa: E402
from timing import median_time  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(HMR='configs/hmr/r50_hmr_anny.py',
               CLIFF='configs/cliff/cliff_r50_anny.py',
               MultiRoI='configs/multiroi/r50_cliff_anny.py',
               PyMAF='configs/pymaf/r50_pymaf_anny.py')


def build(name: str, num_rois: int = 5):
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS[name]))
    if name == 'MultiRoI':
        cfg.model.head.num_rois = num_rois
        if num_rois == 1:  # no pairs, no second view
            cfg.model.losses.pop('camera_consistency')
            cfg.model.losses.pop('contrastive')
    return MODELS.build(cfg.model).eval()


def samples(batch: int, num_rois: int):
    """Data samples of persons in a 512x512 image (focal = its diagonal)
    with their RoI boxes."""
    g = torch.Generator().manual_seed(0)
    center = torch.rand(batch, 2, generator=g) * 256 + 128
    size = torch.rand(batch, generator=g) * 150 + 100
    centers, sizes = roi_boxes(center, size, num_rois)
    return [HMRDataSample(metainfo=dict(
        roi_center=centers[i], roi_size=sizes[i],
        img_wh=torch.tensor([512., 512.]), focal_length=724.08))
        for i in range(batch)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batches', type=int, nargs='+', default=[1, 32])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--size', type=int, nargs=2, default=[256, 192],
                        metavar=('H', 'W'))
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    init_default_scope('hmrzoo')
    torch.set_flush_denormal(True)
    h, w = args.size
    runs = [('HMR', 1), ('CLIFF', 1)] + [('MultiRoI', m) for m in range(1, 6)]
    runs.append(('PyMAF', 1))
    print(f'device {args.device}, crops {h}x{w}, threads '
          f'{torch.get_num_threads()}, median of {args.repeats}')
    print(f"{'model':<14}{'RoIs':>5}" + ''.join(
        f'{f"batch {b} img/s":>16}' for b in args.batches)
        + ''.join(f'{f"ratio b{b}":>10}' for b in args.batches)
        + '   (ratio: Multi-RoI to 1 RoI; PyMAF to HMR)')
    base, hmr = {}, {}
    for name, m in runs:
        model = build(name, m).to(args.device)
        cells, ratios = [], []
        for b in args.batches:
            shape = (b, m, 3, h, w) if name == 'MultiRoI' else (b, 3, h, w)
            x = torch.randn(*shape, device=args.device)
            data = samples(b, m)
            with torch.no_grad():
                sec = median_time(lambda: model(x, data, mode='tensor'),
                                  args.repeats, args.device)
            ips = b / sec
            cells.append(f'{ips:>16.2f}')
            if name == 'HMR':
                hmr[b] = ips
            if name == 'MultiRoI':
                base.setdefault(b, ips) if m == 1 else None
                ratios.append(f'{ips / base[b]:>10.2f}')
            elif name == 'PyMAF':
                ratios.append(f'{ips / hmr[b]:>10.2f}')
            else:
                ratios.append(f"{'':>10}")
        print(f'{name:<14}{m:>5}' + ''.join(cells) + ''.join(ratios))
        body = model.body_model
    for b in args.batches:
        pose = torch.eye(3, device=args.device).expand(b, 24, 3, 3)
        betas = torch.zeros(b, body.num_betas, device=args.device)
        with torch.no_grad():
            sec = median_time(lambda: body(pose[:, :1], pose[:, 1:], betas),
                              args.repeats, args.device)
        print(f'body model ({type(body).__name__}) forward, batch {b}: '
              f'{sec * 1e3:.1f} ms')


if __name__ == '__main__':
    main()
