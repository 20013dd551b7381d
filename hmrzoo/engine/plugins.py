"""Third-party plugins.

A package outside hmrzoo registers new components (heads, backbones, body
models, ...) into :mod:`hmrzoo.registry` when it is imported.  Two ways to
get it imported:

* in a config: ``custom_imports = dict(imports=['my_plugin'],
  allow_failed_imports=False)`` (mmengine's mechanism);
* by declaring an entry point in the group ``hmrzoo.plugins`` in the
  plugin's packaging metadata, e.g. in ``pyproject.toml``::

      [project.entry-points."hmrzoo.plugins"]
      my_plugin = "my_plugin"

  :func:`load_plugins` (called by ``tools/train.py`` / ``tools/test.py``
  and :func:`hmrzoo.apis.init_model`) imports every such module at start-up.
  Set ``HMRZOO_DISABLE_PLUGINS=1`` to skip discovery.
"""
import importlib
import os
from importlib.metadata import entry_points
from typing import Any, Dict, Iterator, List

from mmengine.logging import print_log

from ..utils.errors import UserImportError

GROUP = 'hmrzoo.plugins'
_LOADED: List[str] = []
#: entry-point name -> the message of its failed import
FAILED: Dict[str, str] = {}


def load_plugins(strict: bool = False) -> List[str]:
    """Import every module registered under the ``hmrzoo.plugins`` entry
    point group; return the names of the entry points loaded.

    A plugin that fails to import is reported (with its error) and skipped,
    unless ``strict``, in which case the error is raised.
    """
    if os.environ.get('HMRZOO_DISABLE_PLUGINS') == '1':
        return []
    loaded = []
    for ep in entry_points(group=GROUP):
        if ep.name in _LOADED:
            loaded.append(ep.name)
            continue
        try:
            obj = ep.load()
            if isinstance(obj, str):  # ``name = "module"`` value form
                importlib.import_module(obj)
        except Exception as exc:  # report and go on: one bad plugin
            msg = (f'hmrzoo plugin {ep.name!r} ({ep.value}) failed to '
                   f'import: {exc!r}')
            if strict:
                raise ImportError(msg) from exc
            FAILED[ep.name] = msg
            print_log(msg, logger='current', level=30)
            continue
        _LOADED.append(ep.name)
        loaded.append(ep.name)
    if loaded:
        print_log(f'hmrzoo plugins loaded: {loaded}', logger='current')
    return loaded


def _types(node: Any) -> Iterator[str]:
    """Every string ``type`` of a config, nested dicts and lists included."""
    if hasattr(node, 'items'):
        kind = node.get('type')
        if isinstance(kind, str):
            yield kind
        for value in node.values():
            yield from _types(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _types(value)


def check_plugin_types(cfg) -> None:
    """After a plugin failed to import, a config ``type`` that no registry
    knows is most likely that plugin's: raise its own import error now,
    instead of mmengine's 'X is not in the registry' at build time."""
    if not FAILED:
        return
    from ..registry import find_registered
    missing = sorted({k for k in _types(cfg._cfg_dict)
                      if find_registered(k) is None})
    if missing:
        raise UserImportError(
            f'config {cfg.filename} uses {missing}, which no registry has, '
            'and a plugin failed to import: ' + '; '.join(FAILED.values())
            + '. Fix that import (install what it needs) or uninstall the '
            'plugin.')
