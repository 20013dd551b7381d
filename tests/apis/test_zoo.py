"""The model zoo: the index agrees with the configs and the model cards,
and names resolve to verified, converted, cached checkpoints (a real HTTP
server on the loopback address serves fabricated files in the sources'
layouts; a file fetched by hand is imported; a local build is cached and
resolves through init_model, tools/test.py and load_from='zoo://')."""
import functools
import hashlib
import re
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch
import torchvision
from mmengine.config import Config

from hmrzoo.apis import init_model, zoo
from hmrzoo.apis.checkpoint_formats import cliff_layout
from hmrzoo.apis.download import DownloadError
from hmrzoo.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import zoo as zoo_tool  # noqa: E402


def test_every_entry_has_a_config_that_builds(fake_body_models):
    index = zoo.load_index()
    assert len(index) >= 10
    for name, entry in index.items():
        cfg = Config.fromfile(zoo.index.config_path(entry))
        model = MODELS.build(cfg.model)
        assert sum(p.numel() for p in model.parameters()) > 0, name
        for result in entry.results:
            assert result['Dataset'] and result['Source'] and \
                result['Metrics'], (name, result)


def test_model_cards_and_index_agree():
    index = zoo.load_index()
    collections = zoo.load_collections()
    for name, coll in collections.items():
        card = ROOT / coll['README']
        assert card.is_file(), coll['README']
        text = card.read_text()
        named = set(re.findall(r'`([a-z0-9_]+)`', text)) & set(index)
        mine = {n for n, e in index.items() if e.collection == name}
        assert mine <= named, f'{card.name} does not name {mine - named}'
        listed = set(re.findall(r'^\| `([a-z0-9_]+)` \|', text, re.M))
        assert listed <= set(index) | set(re.findall(
            r'configs/\S+', text)), listed - set(index)


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A loopback HTTP server over a folder, a private cache, and an extra
    index folder; yields (files folder, index folder, base URL)."""
    files, index = tmp_path / 'files', tmp_path / 'index'
    files.mkdir()
    index.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler,
                                directory=str(files))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv('HMRZOO_CACHE', str(tmp_path / 'cache'))
    monkeypatch.setenv('HMRZOO_ZOO_INDEX', str(index))
    monkeypatch.delenv('HMRZOO_OFFLINE', raising=False)
    monkeypatch.delenv('HMRZOO_ZOO_URL', raising=False)
    yield files, index, f'http://127.0.0.1:{httpd.server_address[1]}'
    httpd.shutdown()


def _metafile(index, models):
    lines = ['Collections:', '  - Name: Test', '    README: none.md',
             'Models:']
    for m in models:
        lines += [f"  - Name: {m['name']}", '    In Collection: Test',
                  f"    Config: {m['config']}", '    Weights:']
        lines += [f"      {k}: '{v}'" for k, v in m['weights'].items()]
    (index / 'metafile.yml').write_text('\n'.join(lines) + '\n')


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_download_verify_convert_and_cache(served):
    files, index, base = served
    src = files / 'resnet50-test.pth'
    torch.save(torchvision.models.resnet50().state_dict(), src)
    _metafile(index, [
        dict(name='tv_good', config='configs/hmr/r50_hmr.py', weights=dict(
            Source='torchvision', URL=f'{base}/resnet50-test.pth',
            SHA256=_sha(src), Converter='torchvision-resnet50')),
        dict(name='tv_bad', config='configs/hmr/r50_hmr.py', weights=dict(
            Source='torchvision', URL=f'{base}/resnet50-test.pth',
            File='bad.pth', SHA256='0' * 64,
            Converter='torchvision-resnet50'))])
    path = zoo_tool.main(['download', 'tv_good']) or zoo.resolve('tv_good')
    ckpt = torch.load(path, weights_only=True)
    assert ckpt['meta']['format'] == 'torchvision-resnet50'
    assert ckpt['meta']['source_sha256'] == _sha(src)
    state = {k[len('backbone.'):]: v for k, v in ckpt['state_dict'].items()}
    MODELS.build(dict(type='ResNet', depth=50)).load_state_dict(state)
    assert zoo.is_cached('tv_good')
    assert zoo.verify(['tv_good']) == [('tv_good', True, 'ok')]
    with pytest.raises(DownloadError, match='does not match its checksum'):
        zoo.resolve('tv_bad')
    assert not zoo.is_cached('tv_bad')
    # a changed cached file is found by verify
    Path(path).write_bytes(Path(path).read_bytes()[:-10] + b'0' * 10)
    [(_, ok, detail)] = zoo.verify(['tv_good'])
    assert not ok and 'the file changed' in detail


def test_offline_and_manual_entries_say_what_to_do(served, monkeypatch,
                                                   tmp_path):
    files, index, base = served
    sd = {k: torch.randn(shape) for k, shape in
          cliff_layout('res50').items()}
    hand = tmp_path / 'res50-test.pt'
    torch.save(dict(model=sd), hand)
    _metafile(index, [
        dict(name='cliff_hand', config='configs/cliff/cliff_r50.py',
             weights=dict(Source='official-cliff', File='res50-test.pt',
                          Manual='from the CLIFF drive folder',
                          SHA256=_sha(hand), Converter='cliff-res50')),
        dict(name='tv_offline', config='configs/hmr/r50_hmr.py',
             weights=dict(Source='torchvision', URL=f'{base}/x.pth'))])
    with pytest.raises(zoo.ZooError, match='has no direct download: from '
                       'the CLIFF drive folder. Then: python tools/zoo.py '
                       'import cliff_hand FILE'):
        zoo.resolve('cliff_hand')
    wrong = tmp_path / 'wrong.pt'
    torch.save(dict(model={}), wrong)
    with pytest.raises(zoo.ZooError, match='nothing was cached'):
        zoo_tool.main(['import', 'cliff_hand', str(wrong)])
    path = zoo.import_file('cliff_hand', str(hand))
    state = torch.load(path, weights_only=True)['state_dict']
    assert torch.equal(state['head.fc1.weight'], sd['fc1.weight'])
    assert torch.equal(state['backbone.layer4.2.conv3.weight'],
                       sd['encoder.layer4.2.conv3.weight'])
    monkeypatch.setenv('HMRZOO_OFFLINE', '1')
    assert zoo.resolve('cliff_hand') == path           # cached: no network
    with pytest.raises(DownloadError, match='HMRZOO_OFFLINE is set'):
        zoo.resolve('tv_offline')


def test_build_then_resolve_everywhere(served, tmp_path):
    files, index, base = served
    tiny = ROOT / 'tests/data/configs/tiny_keypoints_anny.py'
    _metafile(index, [dict(
        name='tiny_built', config=str(tiny), weights=dict(
            Source='hmrzoo', Build=f'python tools/train.py {tiny} '
                                   '--cfg-options train_cfg.max_iters=2'))])
    with pytest.raises(zoo.ZooError, match='python tools/zoo.py build '
                       'tiny_built'):
        zoo.resolve('tiny_built')
    path = zoo_tool.main(['build', 'tiny_built']) or zoo.cached_path(
        'tiny_built')
    assert zoo.is_cached('tiny_built')
    built = torch.load(path, weights_only=True)
    assert built['meta']['iter'] == 2
    model = init_model(str(tiny), 'tiny_built', fast_path='off')
    for key, value in model.state_dict().items():
        assert torch.equal(value, built['state_dict'][key]), key
    sys.path.insert(0, str(ROOT / 'tools'))
    import test as test_tool
    metrics = test_tool.main([str(tiny), 'zoo://tiny_built', '--work-dir',
                              str(tmp_path / 't')])
    again = test_tool.main([str(tiny), 'tiny_built', '--work-dir',
                            str(tmp_path / 't2')])
    assert metrics == again and 'MPJPE' in metrics
