"""The model zoo from the command line.

    python tools/zoo.py list                  # every checkpoint, a table
    python tools/zoo.py info NAME             # its entry: data, results
    python tools/zoo.py download NAME         # fetch, verify, convert, cache
    python tools/zoo.py import NAME FILE      # a file fetched by hand
    python tools/zoo.py build NAME [OPTS...]  # hmrzoo's own: train it here
    python tools/zoo.py verify [NAME ...]     # checksums of cached files

The cache is ~/.cache/hmrzoo/checkpoints (HMRZOO_CACHE moves it);
HMRZOO_OFFLINE=1 never touches the network; HMRZOO_ZOO_URL is a mirror
that serves zoo files by name.  Names resolve in init_model,
tools/test.py CONFIG NAME and load_from='zoo://NAME'.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from hmrzoo.apis import zoo  # noqa: E402
from hmrzoo.utils.errors import UserInputError  # noqa: E402

COLUMNS = ('name', 'method', 'body_model', 'data', 'result', 'size',
           'cached')


def print_table(rows):
    if not rows:
        print('the zoo index is empty (configs/*/metafile.yml)')
        return
    widths = {c: max(len(c), *(min(len(str(r[c])), 60) for r in rows))
              for c in COLUMNS}
    print('  '.join(c.replace('_', ' ').ljust(widths[c]) for c in COLUMNS))
    for r in rows:
        cells = []
        for c in COLUMNS:
            text = str(r[c])
            text = text if len(text) <= 60 else text[:57] + '...'
            cells.append(text.ljust(widths[c]))
        print('  '.join(cells).rstrip())


def info(name):
    entry = zoo.get_entry(name)
    lines = [f'{entry.name} ({entry.collection}; {entry.metafile})',
             f'  config: {entry.config}']
    lines += [f'  {k}: {v}' for k, v in entry.metadata.items()]
    lines += [f'  weights {k}: {v}' for k, v in entry.weights.items()]
    for r in entry.results:
        metrics = ', '.join(f'{k} {v}' for k, v in
                            (r.get('Metrics') or {}).items())
        lines.append(f"  result: {metrics} on {r.get('Dataset', '?')} "
                     f"({r.get('Source', '?')})")
    cached = zoo.cached_path(name) if zoo.is_cached(name) else 'no'
    lines.append(f'  cached: {cached}')
    print('\n'.join(lines))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('list')
    for cmd in ('info', 'download'):
        sub.add_parser(cmd).add_argument('name')
    imp = sub.add_parser('import')
    imp.add_argument('name')
    imp.add_argument('file')
    bld = sub.add_parser('build')
    bld.add_argument('name')
    bld.add_argument('options', nargs=argparse.REMAINDER,
                     help='extra tools/train.py arguments')
    ver = sub.add_parser('verify')
    ver.add_argument('names', nargs='*')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.command == 'list':
        print_table(zoo.table_rows())
    elif args.command == 'info':
        info(args.name)
    elif args.command == 'download':
        print(zoo.resolve(args.name))
    elif args.command == 'import':
        print(zoo.import_file(args.name, args.file))
    elif args.command == 'build':
        print(zoo.build(args.name, args.options))
    elif args.command == 'verify':
        results = zoo.verify(args.names or None)
        for name, ok, detail in results:
            print(f"{'ok ' if ok else 'BAD'} {name}: {detail}")
        if not all(ok for _, ok, _ in results):
            raise SystemExit(1)
        return results
    return None


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:
        raise SystemExit(f'error: {err}')
