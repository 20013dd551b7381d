"""Where a training iteration of the whole-body STS method goes, as ratios
to a reference in the same process: posing Anny's *body* (the 24-joint
model every embedded config uses) forward + backward at the same batch.

    python benchmarks/sts_training.py [--batch 16] [--iters 5]

Parts, medians of ``--iters`` iterations after one uncounted warm-up:

* ``data``: sampling the parameter vectors (dataset) + posing the
  whole-body model, projecting and cropping (the preprocessor, no grad);
* ``2D step``: forward + backward + Adam of a 2D step (L_2D + L_r);
* ``STS step``: the same for an STS step (L_pm + L_3D);
* ``whole-body model fwd+bwd``: ``AnnyWholeBody`` alone on the predicted
  parameters (52 facial actions, 30 finger bones), the body-model part of
  a step;
* ``network fwd+bwd``: the head alone (both branches).

The reference (1.00) is ``Anny`` (body only) forward + backward at the
same batch: the ratios say how much the hands, the face and the network
add on top of the body model every method pays for.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import torch  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.logging import MessageHub  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import hmrzoo  # noqa: E402,F401
from hmrzoo.body_models import Anny  # noqa: E402
from hmrzoo.registry import DATASETS, MODELS  # noqa: E402
from hmrzoo.utils.rotations import axis_angle_to_rotmat  # noqa: E402
from timing import median_time  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--iters', type=int, default=5)
    args = parser.parse_args()
    init_default_scope('hmrzoo')
    torch.set_flush_denormal(True)
    bm = dict(type='AnnyWholeBody', keypoint_convention='coco_wholebody')
    model = MODELS.build(dict(
        type='STSWholeBodyEstimator', body_model=bm,
        projection=dict(type='D2SProjection'),
        head=dict(type='STSWholeBodyHead', cam_init=(1., 0., 0., 5.),
                  positive_cam=(0, 3)),
        data_preprocessor=dict(type='SyntheticWholeBodyPreprocessor',
                               body_model=bm)))
    dataset = DATASETS.build(dict(
        type='SyntheticWholeBodyDataset', keypoint_jitter=0.02,
        camera=dict(focal_length=1000., img_size=1000,
                    depth_range=(1.3, 15.), xy_range=0., log_depth=True)))
    optim = torch.optim.Adam(model.parameters(), lr=1e-4)
    hub = MessageHub.get_instance('sts_benchmark')
    state = {}
    batch = args.batch

    def data():
        state['data'] = model.data_preprocessor(pseudo_collate(
            [dataset[i] for i in range(batch)]), True)

    def step(iteration):
        def run():
            hub.update_info('iter', iteration)
            optim.zero_grad()
            d = state['data']
            sum(model(d['inputs'], d['data_samples'], 'loss').values()
                ).backward()
            optim.step()
        return run

    def network():
        d = state['data']
        from hmrzoo.models.utils.part_normalisation import normalise_parts
        parts = normalise_parts(d['inputs'][..., :2], d['inputs'][..., 2],
                                model.parts)
        out = model.head(parts)
        sum(v.float().mean() for v in out.values()).backward()
        state['head'] = {k: v.detach() for k, v in out.items()}

    def whole_body():
        out = {k: v.clone().requires_grad_() for k, v in
               state['head'].items()}
        model.whole_body(out)['vertices'].sum().backward()

    body = Anny()
    pose = axis_angle_to_rotmat(torch.randn(batch, 24, 3) * .2)

    def reference():
        p = pose.clone().requires_grad_()
        body(p[:, :1], p[:, 1:], torch.zeros(batch, 6))['vertices'].sum() \
            .backward()

    model.train()
    data()
    times = {name: median_time(fn, args.iters) for name, fn in (
        ('reference', reference), ('data', data),
        ('2D step', step(1)), ('STS step', step(5)),
        ('network fwd+bwd', network),
        ('whole-body model fwd+bwd', whole_body))}
    ref = times['reference']
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'batch {batch}; reference: Anny (body only) fwd+bwd '
          f'{1000 * ref:.1f} ms')
    for name, t in times.items():
        print(f'{name:>26}: {1000 * t:8.1f} ms  {t / ref:5.2f} x reference')


if __name__ == '__main__':
    main()
