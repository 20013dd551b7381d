"""Every shipped config is at most MAX_DEPTH levels of `_base_` deep, so
what a config resolves to can be read off a short chain of files.

Depth: a file without `_base_` is 0; a file is 1 + the deepest of its
bases.  `_base_` is read from the module-level assignment (comments and
strings elsewhere do not count); its paths are relative to the file that
names them."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_DEPTH = 3


def _bases(path: Path) -> list:
    """The files named by `path`'s module-level `_base_` (resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '_base_'
                for t in node.targets):
            names = ast.literal_eval(node.value)
            if isinstance(names, str):
                names = [names]
            return [(path.parent / name).resolve() for name in names]
    return []


def _deepest_chain(path: Path, memo: dict, stack: tuple = ()) -> list:
    """The longest `_base_` chain from `path` down to a file without
    `_base_` (its length - 1 is the depth)."""
    if path in stack:
        raise AssertionError('_base_ cycle: ' + ' <- '.join(
            str(p) for p in stack + (path, )))
    if path not in memo:
        if not path.is_file():
            raise AssertionError(f'{stack[-1]} names a missing _base_ '
                                 f'file {path}')
        chains = [_deepest_chain(base, memo, stack + (path, ))
                  for base in _bases(path)]
        memo[path] = [path] + max(chains, key=len, default=[])
    return memo[path]


def too_deep(configs: Path, max_depth: int = MAX_DEPTH) -> list:
    """'depth: a <- b <- ...' for every config under `configs` (not
    `_base_/`) deeper than `max_depth`, deepest first."""
    memo, rows = {}, []
    for path in sorted(configs.rglob('*.py')):
        if '_base_' in path.relative_to(configs).parts:
            continue
        chain = _deepest_chain(path.resolve(), memo)
        if len(chain) - 1 > max_depth:
            rows.append((len(chain) - 1, ' <- '.join(
                str(p.relative_to(configs.resolve())) for p in chain)))
    return [f'{depth}: {chain}' for depth, chain in sorted(rows,
                                                            reverse=True)]


def test_shipped_configs_are_at_most_three_levels_deep():
    configs = ROOT / 'configs'
    assert any(configs.rglob('*.py'))
    offending = too_deep(configs)
    assert not offending, (
        f'{len(offending)} config(s) more than {MAX_DEPTH} levels of _base_ '
        'deep (let a variant inherit its main config, or flatten a _base_ '
        'file):\n' + '\n'.join(offending))


def test_depth_follows_the_deepest_base(tmp_path):
    # a.py <- b.py <- c.py <- d.py, and e.py <- [a.py, d.py] (depth 4);
    # comments and other strings naming files do not count
    (tmp_path / '_base_').mkdir()
    (tmp_path / '_base_' / 'a.py').write_text("x = '_base_ = [\"b.py\"]'\n")
    (tmp_path / '_base_' / 'b.py').write_text("_base_ = './a.py'\n")
    (tmp_path / 'c.py').write_text("# _base_ = ['nope.py']\n"
                                   "_base_ = ['./_base_/b.py']\n")
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'd.py').write_text("_base_ = ['../c.py']\n")
    (tmp_path / 'sub' / 'e.py').write_text(
        "_base_ = ['../_base_/a.py', './d.py']\n")
    assert too_deep(tmp_path) == [
        '4: sub/e.py <- sub/d.py <- c.py <- _base_/b.py <- _base_/a.py']
    assert too_deep(tmp_path, max_depth=4) == []
