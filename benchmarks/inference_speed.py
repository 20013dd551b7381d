"""Inference fast path: images per second of plain eager float32 against
each lever of :mod:`hmrzoo.apis.fast_path` and the combined fast path, per
model, with the numeric change each lever causes.

    python benchmarks/inference_speed.py [--models HMR CLIFF ...]
        [--batches 1 16] [--repeats 5] [--device cpu]

Models: the embedded (Anny) variants of HMR, CLIFF R50, CLIFF HRNet-W48
(CLIFF's config with its paper backbone), Multi-RoI R50 (5 RoIs), PyMAF,
CRA (two ResNet-18 streams at 256²) and keypoint HMR (ResNet-18 on 17
heatmaps, 64²).  The RGB models render their crops at the papers' 224²
(HMR, PyMAF; CLIFF's 256x192 has 2 % fewer pixels) instead of the
embedded configs' 64² / 128², which are sized for CPU training.
Weights are as initialised (no hmrzoo checkpoint of these
models is published); every BatchNorm is first calibrated on the held-out
batch (cumulative statistics in train mode), so folding meets real
statistics rather than the (0, 1) it starts with.

Input: the first ``max(batches)`` samples of the config's own held-out
synthetic test set (seed 1234), through its data preprocessor.  Timed:
``model(inputs, samples, mode='predict')`` under ``torch.inference_mode``
(network, body model and
prediction, what ``inference_mesh`` runs after cropping), the variants
interleaved call by call, median of ``--repeats`` after a warm-up call.

Numeric change of a variant against eager float32 on that held-out batch:
``dV`` the largest vertex displacement (mm; vertices centred on their
mean: the camera translation, whose depth a weak-perspective scale
amplifies tenfold and more, is left out) and ``dPA`` the change of
PA-MPJPE against the ground truth (mm; the model is untrained, so its
PA-MPJPE itself is large; the change is what the lever costs).  The
eager row's note gives the float32 floor: dV when the network's outputs
move by 2e-7 (float32 rounding), which the body model (Anny) amplifies to
about 0.02 mm; float32 levers cannot be told apart from exact below it.

Ratios are variant / eager images per second from the same run;
``auto`` is the fast path ``init_model`` and the demos use on this
machine, ``fp32`` its float32-only preset.
"""
import argparse
import copy
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402

from hmrzoo.apis import init_model  # noqa: E402
from hmrzoo.apis.fast_path import apply_fast_path  # noqa: E402
from hmrzoo.evaluation.functional import pa_mpjpe  # noqa: E402
from hmrzoo.registry import DATASETS  # noqa: E402
from timing import interleaved, median_time  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PAPER_CROP = {'data_preprocessor': dict(render_size=224)}
HR48 = dict(PAPER_CROP, backbone=dict(_delete_=True, type='HRNet',
                                      arch='w48', out_type='cls'))
MODELS = {  # config, model overrides
    'HMR': ('configs/hmr/r50_hmr_anny.py', PAPER_CROP),
    'CLIFF-R50': ('configs/cliff/cliff_r50_anny.py', PAPER_CROP),
    'CLIFF-HR48': ('configs/cliff/cliff_r50_anny.py', HR48),
    'MultiRoI-R50': ('configs/multiroi/r50_cliff_anny.py', PAPER_CROP),
    'PyMAF': ('configs/pymaf/r50_pymaf_anny.py', PAPER_CROP),
    'CRA-R18': ('configs/cra/r18_cra_anny.py', None),
    'KeypointHMR-R18': ('configs/hmr/r18_keypoints_anny.py', None),
}
VARIANTS = (('eager', 'off'), ('fold_bn', ['fold_bn']),
            ('channels_last', ['channels_last']),
            ('reduced', ['reduced_precision']),
            ('onnxruntime', ['onnxruntime']), ('fp32', 'fp32'),
            ('auto', 'auto'))


def build(name: str, device: str):
    path, overrides = MODELS[name]
    cfg = Config.fromfile(osp.join(ROOT, path))
    if overrides is not None:
        cfg.merge_from_dict(dict(model=overrides))
    model = init_model(cfg, device=device, fast_path='off')
    return cfg, model


def held_out(cfg, model, count: int):
    """(inputs, samples) of the first ``count`` held-out test samples."""
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    data = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(count)]), False)
    return data['inputs'], data['data_samples']


@torch.no_grad()
def calibrate_bn(model, inputs, samples) -> None:
    """BatchNorm running statistics from the batch (cumulative average),
    the rest of the model in eval mode."""
    bns = [m for m in model.modules()
           if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None
        bn.train()
    model(inputs, samples, mode='tensor')
    for bn in bns:
        bn.eval()


@torch.no_grad()
def predict(model, inputs, samples):
    out = model(inputs, copy.deepcopy(samples), mode='predict')
    verts = np.stack([s.pred_vertices.float().cpu().numpy() for s in out])
    verts = verts - verts.mean(axis=1, keepdims=True)
    pred = np.stack([s.pred_keypoints3d.float().cpu().numpy() for s in out])
    gt = np.stack([s.gt_keypoints3d.float().cpu().numpy() for s in out])
    mask = np.stack([s.gt_keypoints3d_mask.cpu().numpy() for s in out]) \
        if 'gt_keypoints3d_mask' in out[0] else None
    return verts, 1000 * pa_mpjpe(pred, gt, mask)


@torch.no_grad()
def rounding_floor(model, inputs, samples, ref_verts) -> float:
    """dV (mm) caused by moving the network's outputs (pose, shape,
    camera) by 2e-7, about float32 rounding: the body model's own floor
    for any lever that changes the network's arithmetic."""
    head_out = model(inputs, None if samples is None else
                     copy.deepcopy(samples), mode='tensor')
    gen = torch.Generator().manual_seed(0)
    for key in ('pred_pose', 'pred_shape', 'pred_cam'):
        value = head_out[key]
        head_out[key] = value + 2e-7 * torch.randn(
            value.shape, generator=gen).to(value)
    out = model.finish(head_out, copy.deepcopy(samples), 'predict')
    verts = np.stack([s.pred_vertices.float().cpu().numpy() for s in out])
    verts = verts - verts.mean(axis=1, keepdims=True)
    return float(np.abs(verts - ref_verts).max() * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=list(MODELS),
                        choices=list(MODELS))
    parser.add_argument('--batches', type=int, nargs='+', default=[1, 16])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--min-seconds', type=float, default=3.0,
                        help='more repeats where eager fp32 is fast: at '
                        'least this many seconds of eager calls per batch')
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_flush_denormal(True)
    print(f'device {args.device}, threads {torch.get_num_threads()}, '
          f'median of {args.repeats} interleaved calls; ratio = variant / '
          'eager fp32 img/s; dV max vertex change (mm), dPA change of '
          'PA-MPJPE (mm) on the held-out batch')
    head = f"{'model':<16}{'variant':<15}" + ''.join(
        f"{f'b{b} img/s':>11}{'ratio':>7}" for b in args.batches) + \
        f"{'dV mm':>10}{'dPA mm':>9}  note"
    print(head)
    for name in args.models:
        cfg, model = build(name, args.device)
        inputs, samples = held_out(cfg, model, max(args.batches))
        calibrate_bn(model, inputs, samples)
        ref_verts, ref_pa = predict(model, inputs, samples)
        floor = rounding_floor(model, inputs, samples, ref_verts)
        variants = {}
        for label, levers in VARIANTS:
            variant = copy.deepcopy(model)
            report = apply_fast_path(variant, levers)
            wanted = [] if levers == 'off' else report['applied']
            if levers != 'off' and not wanted:
                print(f'{name:<16}{label:<15}skipped: '
                      + '; '.join(report['skipped'].values()))
                continue
            verts, pa = predict(variant, inputs, samples)
            variants[label] = (variant, report, float(np.abs(
                verts - ref_verts).max() * 1000), float(pa - ref_pa))
        times = {label: [] for label in variants}
        for b in args.batches:
            x, s = inputs[:b], samples[:b]
            calls = {label: (lambda v=variant: v(x, s, mode='predict'))
                     for label, (variant, *_) in variants.items()}
            with torch.inference_mode():
                eager = median_time(calls['eager'], 1, args.device)
                repeats = max(args.repeats,
                              int(np.ceil(args.min_seconds / eager)))
                medians = interleaved(calls, repeats, args.device)
            for label in variants:
                times[label].append(b / medians[label])
        for label, (variant, report, dv, dpa) in variants.items():
            cells = ''.join(f'{ips:>11.2f}{ips / base:>7.2f}' for ips, base
                            in zip(times[label], times['eager']))
            note = ', '.join(report['applied'])
            if report['dtype']:
                note += f" ({report['dtype']})"
            if label == 'eager':
                note = (f'PA-MPJPE {ref_pa:.1f} mm (untrained); float32 '
                        f'floor dV {floor:.4f} mm')
            print(f'{name:<16}{label:<15}{cells}{dv:>10.4f}{dpa:>9.4f}  '
                  f'{note}')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
