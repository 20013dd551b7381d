"""End-to-end latency of the photograph path, per image, by stage.

    python benchmarks/demo_latency.py [--people 1 5] [--repeats 3]
        [--configs hmr/r18_keypoints_anny.py ...]

The image is seeded Anny renders (256 x 256 each) side by side, 1 or 5
people.  For each model (untrained: speed does not depend on the weights)
it times ``inference_mesh`` by stage (``people``: the person detector;
``evidence``: keypoints detected in each box, evidence models only;
``network``: crops, preprocessing and the model; ``meshes``: body model and
cameras) and the overlay rendering, the median of ``--repeats`` runs after
one warm-up.  Then, for the models that export, the network alone in
PyTorch and in ONNX Runtime on the same preprocessed batch, and their
ratio (> 1: ONNX Runtime is faster), measured in this process.
"""
import argparse
import os.path as osp
import statistics
import sys
import tempfile
import time
import warnings

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from hmrzoo.apis import inference_mesh, init_model  # noqa: E402
from hmrzoo.apis.onnx_export import (ExportError, ExportedNetwork,  # noqa
                                     example_inputs, export_onnx)
from hmrzoo.testing import render_people  # noqa: E402
from hmrzoo.visualization import overlay  # noqa: E402
from timing import median_time  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = ('hmr/r18_keypoints_anny.py', 'hmr/r50_hmr_anny.py',
           'cliff/cliff_r50_anny.py', 'multiroi/r50_cliff_anny.py',
           'pymaf/r50_pymaf_anny.py', 'cra/r18_cra_anny.py')
STAGES = ('people', 'evidence', 'network', 'meshes', 'overlay')


def photo(num: int) -> np.ndarray:
    images, _ = render_people(num=8, seed=1, size=256)
    picks = [0, 1, 2, 4, 5, 6, 7][:num]       # renders mediapipe finds
    return np.ascontiguousarray(np.concatenate(
        [images[k] for k in picks], axis=1)[..., ::-1])


def stage_times(model, img, repeats):
    runs = []
    for _ in range(repeats + 1):
        t = {}
        people = inference_mesh(model, img, timings=t)
        t0 = time.perf_counter()
        overlay(img, people)
        t['overlay'] = time.perf_counter() - t0
        runs.append(t)
    runs = runs[1:]
    return {s: statistics.median(r.get(s, 0.) for r in runs)
            for s in STAGES}, len(people)


def onnx_ratio(model, repeats):
    import onnxruntime
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as tmp:
        warnings.simplefilter('ignore')
        result = export_onnx(model, osp.join(tmp, 'm.onnx'))
        session = onnxruntime.InferenceSession(
            result['path'], providers=['CPUExecutionProvider'])
        names = result['inputs']
        net = ExportedNetwork(model, result['geometry']).eval()
        ex = example_inputs(model, 1)
        feeds = {n: ex[n].numpy() for n in names}
        args = tuple(ex[n] for n in names)
        with torch.no_grad():
            torch_s = median_time(lambda: net(*args), repeats)
        ort_s = median_time(lambda: session.run(None, feeds), repeats)
    return torch_s, ort_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--people', type=int, nargs='+', default=[1, 5])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--configs', nargs='+', default=list(CONFIGS))
    args = parser.parse_args()
    torch.set_flush_denormal(True)
    print(f'CPU threads {torch.get_num_threads()}, median of '
          f'{args.repeats}; milliseconds per image')
    print(f"{'config':<30}{'people':>7}" + ''.join(f'{s:>10}' for s in
                                                   STAGES) + f"{'total':>10}")
    images = {n: photo(n) for n in args.people}
    for cfg in args.configs:
        model = init_model(osp.join(ROOT, 'configs', cfg))
        for n in args.people:
            times, found = stage_times(model, images[n], args.repeats)
            print(f'{cfg:<30}{found:>7}' + ''.join(
                f'{times[s] * 1e3:>10.0f}' for s in STAGES)
                + f'{sum(times.values()) * 1e3:>10.0f}')
        try:
            torch_s, ort_s = onnx_ratio(model, args.repeats)
            print(f'{"":<30}network alone, batch 1: PyTorch '
                  f'{torch_s * 1e3:.1f} ms, ONNX Runtime {ort_s * 1e3:.1f} '
                  f'ms, ratio {torch_s / ort_s:.2f}')
        except ExportError as err:
            print(f'{"":<30}no ONNX: {str(err)[:90]}')


if __name__ == '__main__':
    main()
