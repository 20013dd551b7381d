"""Export a model's network to ONNX and check it with ONNX Runtime.

    python tools/export_onnx.py CONFIG [CKPT] --out model.onnx \
        [--batch 2] [--cfg-options k=v ...]

The network runs from its preprocessed input (and, for CLIFF-style
models, the RoI boxes) to the body-model parameters and the camera, with
a dynamic batch (``hmrzoo/apis/onnx_export.py`` lists the inputs and
outputs).  Prints the largest difference between ONNX Runtime and PyTorch
on random inputs of another batch size, or why the model cannot be
exported (networks that pose a body model with a non-traceable skinning
kernel, or render, inside the forward pass).
"""
import argparse
import os.path as osp
import sys
import warnings

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from mmengine.config import DictAction  # noqa: E402

from hmrzoo.apis import init_model  # noqa: E402
from hmrzoo.apis.onnx_export import export_onnx  # noqa: E402
from hmrzoo.apis.runner_setup import prepare_output_file  # noqa: E402
from hmrzoo.utils.errors import UserInputError  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', default=None,
                        help='checkpoint file or URL (default: the model '
                             'as initialised)')
    parser.add_argument('--out', required=True, help='the .onnx file')
    parser.add_argument('--batch', type=int, default=2,
                        help='batch size of the traced example')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={})
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    prepare_output_file(args.out, '--out')
    # the plain network: ONNX Runtime folds BatchNorm itself
    model = init_model(args.config, args.checkpoint,
                       cfg_options=args.cfg_options or None, fast_path='off')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')     # the tracer's many warnings
        result = export_onnx(model, args.out, args.batch)
    print(f"wrote {result['path']} (inputs: {', '.join(result['inputs'])})")
    for name, diff in result['max_abs_diff'].items():
        print(f'  {name}: max |ONNX Runtime - PyTorch| = {diff:.3g}')
    return result


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:
        raise SystemExit(f'error: {err}')
