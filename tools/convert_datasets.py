"""Convert a dataset from its official layout to hmrzoo's annotation format.

    python tools/convert_datasets.py --dataset 3dpw --root data/datasets/3DPW \
        --out data/preprocessed [--split test] [--options key=value ...]

``--list`` prints the converters.  See docs/data_preparation.md for where
each dataset comes from and the exact commands.  ``--dataset`` is any entry
of ``hmrzoo.registry.DATASET_CONVERTERS``: the built-in converters, those
of the modules given to ``--custom-imports MODULE ...`` (imported first)
and those of ``hmrzoo.plugins`` entry points.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402
from mmengine.utils import import_modules_from_strings  # noqa: E402

from hmrzoo.datasets.converters import CONVERTERS, run_converter  # noqa
from hmrzoo.engine import load_plugins  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dataset', help='converter name (see --list)')
    parser.add_argument('--root', help='the dataset in its official layout')
    parser.add_argument('--out', default='data/preprocessed',
                        help='output folder (default: data/preprocessed)')
    parser.add_argument('--split', help='one split (default: all)')
    parser.add_argument('--options', nargs='+', action=DictAction,
                        default={}, help='converter-specific key=value')
    parser.add_argument('--list', action='store_true',
                        help='list the converters and exit')
    parser.add_argument(
        '--custom-imports', nargs='+', default=[], metavar='MODULE',
        help='modules imported first (as a config\'s custom_imports), e.g. '
        'a plugin that registers a converter with register_converter')
    args = parser.parse_args(argv)
    if not args.list and not (args.dataset and args.root):
        parser.error('--dataset and --root are required (or --list)')
    try:
        import_modules_from_strings(args.custom_imports)
    except ImportError as exc:
        parser.error(f'--custom-imports: {exc} ({exc.__context__ or exc})')
    load_plugins()
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for name, spec in sorted(CONVERTERS.items()):
            print(f'{name:<14} splits {"/".join(spec.splits):<28} '
                  f'{spec.description}')
        return []
    written = run_converter(args.dataset, args.root, args.out, args.split,
                            **args.options)
    for path in written:
        print(f'wrote {path}')
    return written


if __name__ == '__main__':
    try:
        main()
    except (KeyError, FileNotFoundError, ValueError) as err:
        raise SystemExit(f'error: {err}')
