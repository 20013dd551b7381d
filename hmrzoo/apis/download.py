"""Downloading checkpoints into hmrzoo's cache: verified, resumable,
atomic, offline-aware.

* The cache is ``~/.cache/hmrzoo/checkpoints`` (``HMRZOO_CACHE`` moves the
  ``hmrzoo`` folder).  A file is written as ``NAME.part`` and renamed to
  ``NAME`` only after its checksum matches, so the cache never holds a
  half-written or unverified file under its real name.
* An interrupted download resumes from the ``.part`` file (HTTP ``Range``);
  a server that ignores the range is read from the start again.
* A file whose checksum does not match is kept aside as ``NAME.bad`` (for
  inspection, never loaded) and the error says expected and got.
* ``HMRZOO_OFFLINE=1`` never touches the network: a file not in the cache
  is an error naming the URL and where to put the file by hand.
* Two processes downloading the same file take turns through a lock file
  (``NAME.lock``); the second finds the first's verified file.

Checksums: a full sha256, or the 8-hex prefix OpenMMLab checkpoint names
carry (``..._name-04f40f58_20211201.pth``), which
:func:`hash_prefix_of` reads from a URL.
"""
import contextlib
import fcntl
import hashlib
import os
import os.path as osp
import re
import shutil
import urllib.error
import urllib.request
from typing import Optional

from ..utils.errors import UserInputError

CHUNK = 1 << 20


class DownloadError(UserInputError, OSError):
    """A download failed or did not verify; the message names the URL, the
    file and what to do."""


def cache_dir(kind: str = 'checkpoints') -> str:
    """``$HMRZOO_CACHE/<kind>`` or ``~/.cache/hmrzoo/<kind>`` (created)."""
    root = os.environ.get('HMRZOO_CACHE') or osp.join(
        osp.expanduser('~'), '.cache', 'hmrzoo')
    path = osp.join(root, kind)
    os.makedirs(path, exist_ok=True)
    return path


@contextlib.contextmanager
def file_lock(path: str):
    """One process at a time works on ``path`` (an exclusive ``flock`` on
    ``path.lock``): two downloads, or ranks resolving one zoo name."""
    with open(path + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def url_file_name(url: str) -> str:
    """The file name a URL ends with, its query left out."""
    return url.split('?')[0].rsplit('/', 1)[-1]


def offline() -> bool:
    """Whether ``HMRZOO_OFFLINE`` forbids network access."""
    return os.environ.get('HMRZOO_OFFLINE', '') not in ('', '0', 'false')


def hash_prefix_of(url_or_name: str) -> Optional[str]:
    """The 8-hex sha256 prefix a published checkpoint name carries, or
    None: OpenMMLab's ``NAME-04f40f58_20211201.pth`` (hash, then a date),
    and torchvision's ``resnet50-0676ba61.pth`` on download.pytorch.org.
    Other names are never read as a checksum (``model-20211201.pth``)."""
    name = url_file_name(url_or_name)
    match = re.search(r'-([0-9a-f]{8})_\d{8}\.pth$', name)
    if match:
        return match.group(1)
    if '//download.pytorch.org/' in url_or_name:
        match = re.search(r'-([0-9a-f]{8})\.pth$', name)
        return match.group(1) if match else None
    return None


def sha256_of(path: str) -> str:
    """The sha256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def verify(path: str, sha256: Optional[str]) -> Optional[str]:
    """None when ``path`` matches ``sha256`` (full or a prefix), else the
    file's actual sha256."""
    if not sha256:
        return None
    actual = sha256_of(path)
    return None if actual.startswith(sha256.lower()) else actual


def _fetch(url: str, part: str, progress: bool) -> None:
    """Append the rest of ``url`` to ``part`` (resuming)."""
    start = osp.getsize(part) if osp.exists(part) else 0
    request = urllib.request.Request(url, headers={
        'User-Agent': 'hmrzoo', **({'Range': f'bytes={start}-'}
                                   if start else {})})
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:   # the part is already whole
            return
        raise
    with response:
        if start and response.status != 206:    # range ignored: restart
            start = 0
        ctype = response.headers.get('Content-Type', '')
        if ctype.startswith('text/html'):
            raise DownloadError(
                f'{url} answered with a web page (Content-Type {ctype}), '
                'not a file: the link needs a browser (a drive or login '
                'page); download it by hand and import it '
                '(tools/zoo.py import NAME FILE, or pass the path)')
        length = response.headers.get('Content-Length')
        total = int(length) + start if length is not None else None
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=total, initial=start, unit='B',
                       unit_scale=True, desc=osp.basename(part[:-5]))
        with open(part, 'ab' if start else 'wb') as out:
            for block in iter(lambda: response.read(CHUNK), b''):
                out.write(block)
                if bar is not None:
                    bar.update(len(block))
        if bar is not None:
            bar.close()
    if total is not None and osp.getsize(part) < total:
        raise DownloadError(f'{url}: the transfer stopped at '
                            f'{osp.getsize(part)} of {total} bytes; run '
                            'again to resume')


def download(url: str, name: Optional[str] = None,
             sha256: Optional[str] = None, directory: Optional[str] = None,
             progress: bool = True) -> str:
    """The cached, verified file of ``url``, downloaded when missing.

    Args:
        url (str): http(s) URL.
        name (str, optional): file name in the cache (default: the URL's).
        sha256 (str, optional): full sha256 or a prefix of it; default the
            8-hex prefix in an OpenMMLab-style name, else unverified.
        directory (str, optional): the cache folder (default
            :func:`cache_dir`).
        progress (bool): a progress bar on stderr.

    Returns:
        str: the path of the verified file.

    Raises:
        DownloadError: offline without the file, a network or server
            failure, an HTML answer, a checksum mismatch; each names the URL
            and the file.
    """
    name = name or url_file_name(url)
    sha256 = sha256 or hash_prefix_of(url)
    directory = directory or cache_dir()
    os.makedirs(directory, exist_ok=True)
    path = osp.join(directory, name)
    if osp.isfile(path):        # before the lock: a read-only cache works
        return path
    with file_lock(path):       # another process may be at it
        if osp.isfile(path):
            return path
        if offline():
            raise DownloadError(
                f'{name} is not in the cache ({directory}) and '
                f'HMRZOO_OFFLINE is set: download {url} by hand and put it '
                f'there as {name} (or unset HMRZOO_OFFLINE)')
        part = path + '.part'
        try:
            _fetch(url, part, progress)
        except DownloadError:
            raise
        except (urllib.error.URLError, OSError) as exc:
            raise DownloadError(
                f'could not download {url} ({exc}); what was received is '
                f'kept in {part} and the next try resumes it. Offline: '
                f'download it by hand and put it at {path}') from exc
        actual = verify(part, sha256)
        if actual is not None:
            shutil.move(part, path + '.bad')
            raise DownloadError(
                f'{url} does not match its checksum: expected {sha256}, got '
                f'{actual}. The file is kept aside as {path}.bad and not '
                'used; download again, or check the link')
        os.replace(part, path)
    return path
