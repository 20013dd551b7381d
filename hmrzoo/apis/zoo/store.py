"""The zoo's cache: checkpoints by name, downloaded or imported (verified,
converted, recorded) or built here.

Layout under :func:`hmrzoo.apis.download.cache_dir` (``~/.cache/hmrzoo/
checkpoints``, ``HMRZOO_CACHE`` moves it):

* ``raw/FILE``: the source weights as published (verified against the
  entry's SHA256 when it has one);
* ``NAME.pth``: the hmrzoo checkpoint (converted from the source with the
  entry's ``Converter``, or the source itself, or a local build);
* ``NAME.json``: how it was made (downloaded / imported / built), the
  SHA-256 of ``NAME.pth`` and of the source.

Only the safe loader ever opens these files (``weights_only=True``).
"""
import datetime
import json
import os.path as osp
import shlex
import shutil
import subprocess
import sys
from typing import List, Optional

from ...engine.work_dir import last_checkpoint
from ...utils.atomic import atomic_path
from ..checkpoint_formats import convert_checkpoint
from ..download import (DownloadError, cache_dir, download, file_lock,
                        sha256_of)
from .index import (ROOT, ZooEntry, ZooError, config_path, get_entry,
                    load_index, mirror_url)


def cached_path(name: str) -> str:
    return osp.join(cache_dir(), f'{name}.pth')


def record_path(name: str) -> str:
    return osp.join(cache_dir(), f'{name}.json')


def is_cached(name: str) -> bool:
    return osp.isfile(cached_path(name)) and osp.isfile(record_path(name))


def _locked(name: str):
    """One process at a time makes ``NAME.pth`` (ranks of a distributed
    run resolve the same name together)."""
    return file_lock(cached_path(name))


def _finish(entry: ZooEntry, raw: Optional[str], how: str,
            built: Optional[str] = None) -> str:
    """Convert (or copy) the source into ``NAME.pth`` and record it
    (both written under temporary names and renamed)."""
    dst = cached_path(entry.name)
    source_sha256 = None
    with atomic_path(dst) as part:
        if built is not None:
            shutil.copyfile(built, part)
        elif entry.converter:   # the converter records the source's hash
            source_sha256 = convert_checkpoint(
                raw, part, entry.converter)['meta']['source_sha256']
        else:
            shutil.copyfile(raw, part)
    if raw is not None and source_sha256 is None:
        source_sha256 = sha256_of(raw)
    record = dict(name=entry.name, how=how, config=entry.config,
                  sha256=sha256_of(dst), size=osp.getsize(dst),
                  source_file=None if raw is None else osp.basename(raw),
                  source_sha256=source_sha256,
                  converter=entry.converter,
                  date=datetime.datetime.now().isoformat(timespec='seconds'))
    with atomic_path(record_path(entry.name)) as tmp:
        with open(tmp, 'w') as f:
            json.dump(record, f, indent=1)
    return dst


def _raw_dir() -> str:
    return cache_dir(osp.join('checkpoints', 'raw'))


def fetch(entry: ZooEntry, progress: bool = True) -> str:
    """The entry's source file in ``raw/``: the mirror's copy, else its
    URL's; refused with how to get it when there is neither."""
    urls = []
    if mirror_url():
        urls.append(f'{mirror_url()}/{entry.file}')
    if entry.weights.get('URL'):
        urls.append(entry.weights['URL'])
    if not urls:
        raise ZooError(_how_to_get(entry))
    errors = []
    for url in urls:
        try:
            return download(url, name=entry.file, sha256=entry.sha256,
                            directory=_raw_dir(), progress=progress)
        except DownloadError as exc:
            errors.append(str(exc))
    raise DownloadError(f'{entry.name}: ' + ' | '.join(errors))


def _how_to_get(entry: ZooEntry) -> str:
    if entry.weights.get('Build'):
        return (f'{entry.name} is built here, not downloaded: python '
                f'tools/zoo.py build {entry.name} (runs: '
                f'{entry.weights["Build"]}); or set HMRZOO_ZOO_URL to a '
                f'mirror that serves {entry.file}')
    return (f'{entry.name} has no direct download: '
            f'{entry.weights.get("Manual", "see its model card")}. Then: '
            f'python tools/zoo.py import {entry.name} FILE')


def resolve(name: str, progress: bool = True) -> str:
    """The cached hmrzoo checkpoint of ``name``, fetched and converted
    when missing (never built implicitly: that is a training run)."""
    entry = get_entry(name)
    if _usable(name):
        return cached_path(name)
    with _locked(name):
        if _usable(name):         # another process made it meanwhile
            return cached_path(name)
        return _finish(entry, fetch(entry, progress), 'downloaded')


def _usable(name: str) -> bool:
    """Cached, with a record whose size is the file's."""
    if not is_cached(name):
        return False
    try:
        with open(record_path(name)) as f:
            size = json.load(f).get('size')
    except (OSError, ValueError):
        return False
    return size == osp.getsize(cached_path(name))


def import_file(name: str, path: str) -> str:
    """Cache a file obtained by hand as entry ``name``'s source: verified
    against the entry's checksum, converted, recorded."""
    entry = get_entry(name)
    if not osp.isfile(path):
        raise ZooError(f'{path} does not exist')
    actual = sha256_of(path)
    if entry.sha256 and not actual.startswith(entry.sha256.lower()):
        raise ZooError(f'{path} is not {entry.name}\'s file: its sha256 is '
                       f'{actual}, the zoo expects {entry.sha256}; '
                       'nothing was cached')
    raw = osp.join(_raw_dir(), entry.file)
    with _locked(name):
        with atomic_path(raw) as tmp:
            shutil.copyfile(path, tmp)
        return _finish(entry, raw, 'imported')


def build(name: str, extra_options: List[str] = ()) -> str:
    """Reproduce an hmrzoo checkpoint here: run the entry's ``Build``
    command (``python`` is this interpreter) with its own work dir, then
    cache its last checkpoint under the name."""
    entry = get_entry(name)
    command = entry.weights.get('Build')
    if not command:
        raise ZooError(f'{name} is not built by hmrzoo ({entry.source}); '
                       f'use tools/zoo.py download {name}')
    work_dir = osp.join(cache_dir('builds'), name)
    argv = shlex.split(command)
    if argv[0] == 'python':
        argv[0] = sys.executable
    argv += ['--work-dir', work_dir] + list(extra_options)
    if subprocess.run(argv, cwd=ROOT).returncode != 0:
        raise ZooError(f'building {name} failed (see the training output '
                       f'above): {" ".join(argv)}')
    ckpt = last_checkpoint(work_dir)
    if ckpt is None:
        raise ZooError(f'building {name} wrote no checkpoint in {work_dir}')
    how = f'built: {" ".join(argv[1:])}'
    if extra_options:
        how += ' (with extra options: not the entry\'s own recipe)'
    with _locked(name):
        return _finish(entry, None, how, built=ckpt)


def cache_file(name: str, path: str, how: str) -> str:
    """Cache ``path`` (an hmrzoo checkpoint, no conversion) as entry
    ``name``'s, recording ``how`` it was made (e.g. a team's own copy, or
    fabricated weights in tests)."""
    entry = get_entry(name)
    with _locked(name):
        return _finish(entry, None, how, built=path)


def verify(names: Optional[List[str]] = None) -> List[tuple]:
    """``(name, ok, detail)`` for the cached entries (or ``names``): the
    file's SHA-256 against its record, and the source against the index."""
    index = load_index()
    out = []
    for name in names or sorted(n for n in index if is_cached(n)):
        get_entry(name, index)
        if not is_cached(name):
            out.append((name, False, 'not in the cache'))
            continue
        with open(record_path(name)) as f:
            record = json.load(f)
        actual = sha256_of(cached_path(name))
        ok = actual == record['sha256']
        expect = index[name].sha256
        src = record.get('source_sha256')
        if ok and expect and src and not src.startswith(expect):
            out.append((name, False, f'source sha256 {src} is not the '
                        f'index\'s {expect}'))
            continue
        out.append((name, ok, 'ok' if ok else
                    f'sha256 {actual} differs from the recorded '
                    f'{record["sha256"]}: the file changed; fetch it again '
                    f'(delete {cached_path(name)})'))
    return out


def check_config(entry: ZooEntry) -> str:
    """The entry's config path (exists), for callers that build it."""
    return config_path(entry)
