"""The model zoo: checkpoints by name (``configs/**/metafile.yml``),
downloaded, verified, converted and cached offline-first
(:mod:`.store`); ``tools/zoo.py`` is its command line; ``init_model``,
``tools/test.py CONFIG NAME`` and ``load_from='zoo://NAME'`` resolve
names through :func:`resolve`."""
from typing import List

from .index import (ZooEntry, ZooError, get_entry, load_collections,
                    load_index, mirror_url)
from .store import (build, cache_file, cached_path, fetch, import_file,
                    is_cached, resolve, verify)

ZOO_SCHEME = 'zoo://'


def table_rows() -> List[dict]:
    """One row per entry: name, method, body model, data, result (the
    first reported figure with what it was measured on), size, cached."""
    rows = []
    for name, e in sorted(load_index().items()):
        result = '-'
        if e.results:
            r = e.results[0]
            metric, value = next(iter((r.get('Metrics') or {}).items()),
                                 ('', ''))
            result = f"{metric} {value} ({r.get('Dataset', '?')}, " \
                     f"{r.get('Source', '?')})"
        size = e.weights.get('Size')
        rows.append(dict(
            name=name, method=e.collection,
            body_model=e.metadata.get('Body Model', '-'),
            data=e.metadata.get('Training Data', '-'), result=result,
            size='-' if not size else f'{int(size) / 2 ** 20:.1f} MiB',
            cached='yes' if is_cached(name) else 'no'))
    return rows


def register_zoo_scheme() -> None:
    """``load_from = 'zoo://NAME'`` (and ``--resume`` / ``init_cfg``
    checkpoints): mmengine loads the resolved file with the safe loader."""
    from mmengine.runner import CheckpointLoader

    from ...utils.checkpoint_file import check_checkpoint

    @CheckpointLoader.register_scheme(prefixes=ZOO_SCHEME, force=True)
    def load_from_zoo(filename, map_location=None, logger=None):
        from mmengine.logging import print_log
        path = resolve(filename[len(ZOO_SCHEME):])
        print_log(f'{filename} -> {path}', logger='current')
        return check_checkpoint(path)


register_zoo_scheme()

__all__ = ['ZooEntry', 'ZooError', 'build', 'cache_file', 'cached_path',
           'fetch',
           'get_entry', 'import_file', 'is_cached', 'load_collections',
           'load_index', 'mirror_url', 'resolve', 'table_rows', 'verify',
           'ZOO_SCHEME']
