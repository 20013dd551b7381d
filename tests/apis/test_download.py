"""Downloads into the cache from a real HTTP server on the loopback
address: a good file, an interrupted transfer resumed with a Range
request, a wrong checksum, an HTML page, a server that is down, offline
mode, and two processes fetching the same file.  Each ends with a verified
file in the cache or a clear message, never a bad file under its name."""
import hashlib
import multiprocessing
import random
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hmrzoo.apis.download import DownloadError, download, hash_prefix_of

PAYLOAD = random.Random(0).randbytes(300_000)   # same in spawned processes
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


class Handler(BaseHTTPRequestHandler):
    cut_once = set()
    requests = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Handler.requests.append((self.path, self.headers.get('Range')))
        if self.path.startswith('/page'):
            body = b'<html>sign in</html>'
            self.send_response(200)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        start = 0
        rng = self.headers.get('Range')
        if rng:
            start = int(rng.split('=')[1].split('-')[0])
            if start >= len(PAYLOAD):       # nothing left: 416
                self.send_response(416)
                self.send_header('Content-Length', '0')
                self.end_headers()
                return
            self.send_response(206)
        else:
            self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(len(PAYLOAD) - start))
        self.end_headers()
        if self.path.startswith('/cut') and self.path not in self.cut_once:
            Handler.cut_once.add(self.path)
            self.wfile.write(PAYLOAD[start:start + 100_000])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(PAYLOAD[start:])


@pytest.fixture(scope='module')
def server():
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{httpd.server_address[1]}'
    httpd.shutdown()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv('HMRZOO_CACHE', str(tmp_path))
    monkeypatch.delenv('HMRZOO_OFFLINE', raising=False)
    return tmp_path / 'checkpoints'


def _only_good_files(folder):
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith('.lock'))


def test_good_file_is_verified_and_cached(server, cache):
    path = download(f'{server}/good.pth', sha256=DIGEST, progress=False)
    assert open(path, 'rb').read() == PAYLOAD
    assert _only_good_files(cache) == ['good.pth']
    Handler.requests.clear()
    assert download(f'{server}/good.pth', sha256=DIGEST) == path
    assert Handler.requests == []                      # served from cache


def test_interrupted_transfer_resumes(server, cache):
    url = f'{server}/cut.pth'
    with pytest.raises(DownloadError, match='stopped at 100000 of 300000'):
        download(url, sha256=DIGEST, progress=False)
    assert _only_good_files(cache) == ['cut.pth.part']
    Handler.requests.clear()
    path = download(url, sha256=DIGEST, progress=False)
    assert Handler.requests == [('/cut.pth', 'bytes=100000-')]
    assert open(path, 'rb').read() == PAYLOAD
    assert _only_good_files(cache) == ['cut.pth']


def test_a_whole_part_left_by_a_killed_run_is_verified(server, cache):
    cache.mkdir(parents=True, exist_ok=True)
    (cache / 'whole.pth.part').write_bytes(PAYLOAD)    # killed before rename
    Handler.requests.clear()
    path = download(f'{server}/whole.pth', sha256=DIGEST, progress=False)
    assert Handler.requests == [('/whole.pth', 'bytes=300000-')]   # 416
    assert open(path, 'rb').read() == PAYLOAD


def test_only_published_names_carry_a_checksum():
    assert hash_prefix_of('https://h/x/res50-ec54d7f3_20200709.pth') == \
        'ec54d7f3'
    assert hash_prefix_of('https://download.pytorch.org/models/'
                          'resnet50-0676ba61.pth') == '0676ba61'
    assert hash_prefix_of('https://example.org/model-20211201.pth') is None
    assert hash_prefix_of('https://example.org/resnet50-0676ba61.pth') is None


def test_wrong_checksum_is_kept_aside(server, cache):
    with pytest.raises(DownloadError) as err:
        download(f'{server}/other.pth', sha256='0' * 64, progress=False)
    msg = str(err.value)
    assert f'expected {"0" * 64}, got {DIGEST}' in msg
    assert _only_good_files(cache) == ['other.pth.bad']


def test_openmmlab_hash_prefix_in_the_name_is_checked(server, cache):
    good = f'{server}/hmr_r50-{DIGEST[:8]}_20211201.pth'
    assert hash_prefix_of(good) == DIGEST[:8]
    assert open(download(good, progress=False), 'rb').read() == PAYLOAD
    with pytest.raises(DownloadError, match='does not match'):
        download(f'{server}/hmr_r50-deadbeef_20211201.pth', progress=False)


def test_html_page_is_refused(server, cache):
    with pytest.raises(DownloadError, match='answered with a web page'):
        download(f'{server}/page.pth', progress=False)
    assert not (cache / 'page.pth').exists()


def test_server_down_names_the_url_and_the_manual_path(cache):
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()                                   # nothing listens there
    url = f'http://127.0.0.1:{port}/model.pth'
    with pytest.raises(DownloadError) as err:
        download(url, progress=False)
    assert url in str(err.value) and str(cache / 'model.pth') in \
        str(err.value)


def test_offline_never_touches_the_network(server, cache, monkeypatch):
    monkeypatch.setenv('HMRZOO_OFFLINE', '1')
    Handler.requests.clear()
    with pytest.raises(DownloadError, match='HMRZOO_OFFLINE is set'):
        download(f'{server}/offline.pth', progress=False)
    assert Handler.requests == []
    (cache / 'offline.pth').write_bytes(PAYLOAD)      # put there by hand
    assert download(f'{server}/offline.pth', sha256=DIGEST) == \
        str(cache / 'offline.pth')


def _fetch(url, queue):
    queue.put(download(url, sha256=DIGEST, progress=False))


def test_two_processes_leave_one_good_file(server, cache):
    ctx = multiprocessing.get_context('spawn')
    queue = ctx.Queue()
    Handler.requests.clear()
    procs = [ctx.Process(target=_fetch, args=(f'{server}/shared.pth',
                                              queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    paths = {queue.get(timeout=5) for _ in procs}
    assert paths == {str(cache / 'shared.pth')}
    # the lock let one process download; the other found its file
    assert Handler.requests == [('/shared.pth', None)]
    assert open(cache / 'shared.pth', 'rb').read() == PAYLOAD
    assert _only_good_files(cache) == ['shared.pth']
