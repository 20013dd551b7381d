"""Writing a file so that it is never seen half-written: write a private
temporary file beside it, rename it over the target only when the writer
succeeded, remove it otherwise."""
import contextlib
import os
import os.path as osp
import tempfile
from typing import Iterator


@contextlib.contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yield a temporary path in ``path``'s folder, ending like ``path``
    (writers that infer the format from the extension, such as OpenCV or
    trimesh, see the same one); rename it to ``path`` when the block ends
    normally, delete it when it raises."""
    folder, name = osp.split(osp.abspath(path))
    stem, ext = osp.splitext(name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f'.{stem}.',
                               suffix=f'.part{ext}')
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
