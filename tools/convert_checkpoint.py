"""Convert a released checkpoint of another codebase to an hmrzoo one.

Usage (from the repository root)::

    python tools/convert_checkpoint.py --format cliff-res50 \\
        data/ckpt/res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt \\
        checkpoints/cliff_res50.pth
    python tools/convert_checkpoint.py --format cliff-hr48 \\
        data/ckpt/hr48-PA43.0_MJE69.0_MVE81.2_3dpw.pt \\
        checkpoints/cliff_hr48.pth
    python tools/convert_checkpoint.py --format pymaf \\
        data/pretrained_model/PyMAF_model_checkpoint.pt \\
        checkpoints/pymaf_r50.pth

The output is ``{'meta': {...}, 'state_dict': {...}}`` with the keys of an
hmrzoo ``MeshEstimator`` (``backbone.*``, ``head.*``; PyMAF's also
``neck.*``, ``head.point_reducers.*``, ``iuv_head.*``).  The SMPL data that
PyMAF's checkpoint embeds is not written.  Every source key is
checked against the official layout first; a file of another layout stops
the tool with the unexpected / missing keys named.  Key mapping rules:
:mod:`hmrzoo.apis.convert_checkpoint`.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from hmrzoo.apis.convert_checkpoint import (  # noqa: E402
    FORMATS, ConversionError, convert_checkpoint)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a released checkpoint to an hmrzoo checkpoint')
    parser.add_argument('--format', required=True, choices=list(FORMATS),
                        help='layout of the source file')
    parser.add_argument('src', help='source checkpoint')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--allow-pickle', action='store_true',
        help='load the source with weights_only=False, for files that hold '
        'Python objects besides tensors; this runs code from the file, so '
        'only for files from a trusted source')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        result = convert_checkpoint(args.src, args.dst, args.format,
                                    allow_pickle=args.allow_pickle)
    except (ConversionError, FileNotFoundError, ValueError) as exc:
        raise SystemExit(f'convert_checkpoint: error: {exc}')
    print(result['summary'])
    return result


if __name__ == '__main__':
    main()
