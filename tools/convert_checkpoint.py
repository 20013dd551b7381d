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
    python tools/convert_checkpoint.py --custom-imports my_plugin \\
        --format my-format SRC DST

The output is ``{'meta': {...}, 'state_dict': {...}}`` with the keys of an
hmrzoo ``MeshEstimator`` (``backbone.*``, ``head.*``; PyMAF's also
``neck.*``, ``head.point_reducers.*``, ``iuv_head.*``).  The SMPL data that
PyMAF's checkpoint embeds is not written.  Every source key is
checked against the official layout first; a file of another layout stops
the tool with the unexpected / missing keys named.  Key mapping rules:
:mod:`hmrzoo.apis.checkpoint_formats`.  ``--format`` is any format of
``hmrzoo.registry.CHECKPOINT_FORMATS``: the built-in ones, those of the
modules given to ``--custom-imports`` (imported first) and those of
``hmrzoo.plugins`` entry points.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.utils import import_modules_from_strings  # noqa: E402

from hmrzoo.apis.checkpoint_formats import (  # noqa: E402
    FORMATS, ConversionError, convert_checkpoint, get_format)
from hmrzoo.engine import load_plugins  # noqa: E402


def _parser(formats):
    parser = argparse.ArgumentParser(
        description='Convert a released checkpoint to an hmrzoo checkpoint')
    parser.add_argument(
        '--custom-imports', nargs='+', default=[], metavar='MODULE',
        help='modules imported first (as a config\'s custom_imports), e.g. '
        'a plugin that registers a format into '
        'hmrzoo.registry.CHECKPOINT_FORMATS')
    parser.add_argument('--format', required=True, metavar='FORMAT',
                        help='layout of the source file, one of: '
                        + ', '.join(formats))
    parser.add_argument('src', help='source checkpoint')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--allow-pickle', action='store_true',
        help='load the source with weights_only=False, for files that hold '
        'Python objects besides tensors; this runs code from the file, so '
        'only for files from a trusted source')
    return parser


def parse_args(argv=None):
    """Import the ``--custom-imports`` modules and the entry-point plugins,
    then parse with the formats registered by then."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument('--custom-imports', nargs='+', default=[])
    modules = early.parse_known_args(argv)[0].custom_imports
    try:
        import_modules_from_strings(modules)
    except ImportError as exc:
        _parser(FORMATS).error(f'--custom-imports: {exc} '
                               f'({exc.__context__ or exc})')
    load_plugins()
    parser = _parser(FORMATS)
    args = parser.parse_args(argv)
    try:
        get_format(args.format)
    except ValueError as exc:
        parser.error(str(exc))
    return args


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
