"""Convert official SMPL / SMPL-X ``.pkl`` model files to chumpy-free ``.npz``.

Usage (from the repository root)::

    python tools/convert_body_model.py data/body_models/smpl/SMPL_NEUTRAL.pkl
    python tools/convert_body_model.py IN.pkl --out OUT.npz
    python tools/convert_body_model.py --all data/body_models

The official pickles hold ``chumpy`` objects, and chumpy does not work with
current numpy.  hmrzoo reads them without chumpy
(:func:`hmrzoo.body_models.model_files.load_model_arrays`) and this tool
writes what it reads to ``.npz``: every array (chumpy arrays as their numpy
value, sparse matrices dense) and every string; entries that are neither
(e.g. SMPL's ``pose_training_info`` dict) are skipped and reported, so the
``.npz`` needs no pickle to be read.  hmrzoo prefers the ``.npz`` when both
files are present.
"""
import argparse
import os
import os.path as osp
import sys

try:
    import hmrzoo  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402

from hmrzoo.body_models.model_files import (  # noqa: E402
    BodyModelFileError, BodyModelFileNotFoundError, load_model_arrays)


def _storable(value):
    """The array to store, or None for entries that would need pickle."""
    if isinstance(value, np.ndarray):
        return None if value.dtype == object else value
    if isinstance(value, (str, bytes, int, float, bool, np.generic)):
        return np.asarray(value)
    if isinstance(value, (list, tuple)):
        try:
            arr = np.asarray(value)
        except ValueError:
            return None
        return None if arr.dtype == object else arr
    return None


def convert_file(src: str, dst: str = None, compress: bool = False) -> str:
    """Convert one model file; print what was written.

    Args:
        src: input ``.pkl``.
        dst: output ``.npz`` (default: ``src`` with the ``.npz`` extension).
        compress: write with ``np.savez_compressed``.

    Returns:
        The output path.
    """
    if not osp.isfile(src):
        raise FileNotFoundError(f'input file not found: {src}')
    if dst is None:
        dst = osp.splitext(src)[0] + '.npz'
    if osp.abspath(dst) == osp.abspath(src):
        raise ValueError(f'output would overwrite the input: {dst}')
    arrays = load_model_arrays(src)
    out, skipped = {}, []
    for key, value in arrays.items():
        stored = _storable(value)
        if stored is None:
            skipped.append(f'{key} ({type(value).__name__})')
        else:
            out[key] = stored
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    save = np.savez_compressed if compress else np.savez
    with open(dst, 'wb') as f:
        save(f, **out)
    print(f'{src} -> {dst}')
    for key, value in out.items():
        print(f'  {key:28s} {str(value.shape):18s} {value.dtype}')
    if skipped:
        print('  skipped (not arrays): ' + ', '.join(skipped))
    return dst


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert SMPL / SMPL-X .pkl model files to .npz '
        'without chumpy.')
    parser.add_argument('input', nargs='?', help='a .pkl model file')
    parser.add_argument('--out', help='output .npz (default: the input '
                        'with the .npz extension)')
    parser.add_argument('--all', metavar='DIR', help='convert every .pkl '
                        'under DIR (recursively), each next to its input')
    parser.add_argument('--compress', action='store_true',
                        help='write compressed .npz files')
    args = parser.parse_args(argv)
    if (args.input is None) == (args.all is None):
        parser.error('give either INPUT.pkl or --all DIR')
    if args.all is not None and args.out is not None:
        parser.error('--out applies to a single INPUT, not to --all')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.input is not None:
        if not osp.isfile(args.input):
            print(f'error: input file not found: {args.input}',
                  file=sys.stderr)
            return 1
        convert_file(args.input, args.out, args.compress)
        return 0
    if not osp.isdir(args.all):
        print(f'error: directory not found: {args.all}', file=sys.stderr)
        return 1
    found = sorted(
        osp.join(d, f) for d, _, files in os.walk(args.all) for f in files
        if f.lower().endswith('.pkl'))
    if not found:
        print(f'error: no .pkl file under {args.all}', file=sys.stderr)
        return 1
    failed = []
    for src in found:
        try:
            convert_file(src, compress=args.compress)
        except Exception as e:  # report and go on with the other files
            failed.append(src)
            print(f'error: {src}: {e}', file=sys.stderr)
    print(f'converted {len(found) - len(failed)} of {len(found)} file(s)')
    return 1 if failed else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (BodyModelFileError, BodyModelFileNotFoundError) as err:
        raise SystemExit(str(err))   # names the file and what to do
