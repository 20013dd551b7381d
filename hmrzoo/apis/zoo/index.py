"""The zoo's index: one ``metafile.yml`` per config folder (OpenMMLab's
layout), read into :class:`ZooEntry` objects.

A metafile holds ``Collections`` (a method: its paper and model card) and
``Models`` (checkpoints), each model::

    - Name: cliff_r50_official           # unique, the name users type
      In Collection: CLIFF
      Config: configs/cliff/cliff_r50.py
      Metadata:
        Body Model: SMPL
        Training Data: ...                # what the weights were trained on
      Weights:
        Source: official-cliff            # hmrzoo | official-cliff |
                                          # official-pymaf | mmhuman3d |
                                          # torchvision | mmpose
        File: res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt   # name in the cache
        URL: https://...                  # direct download, if any
        Manual: how to get it by hand     # when there is no direct link
        Build: python tools/train.py ...  # hmrzoo's own: how it is made
        SHA256: <hex or an 8-hex prefix>  # unknown: null
        Size: <bytes>                     # unknown: null
        Converter: cliff-res50            # a CHECKPOINT_FORMATS name
        Licence: ...
      Results:
        - Dataset: 3DPW test (...)        # what it was measured on
          Metrics: {PA-MPJPE: 43.0}
          Source: paper | hmrzoo          # who measured it

:func:`load_index` reads every ``configs/**/metafile.yml`` and refuses an
index with a duplicate name, an unknown field or a model without a config,
naming the file.
"""
import glob
import os
import os.path as osp
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple

import yaml

from ...utils.errors import UserInputError
from ..download import url_file_name

#: where the repository's configs are (hmrzoo is installed editable)
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
SOURCES = ('hmrzoo', 'official-cliff', 'official-pymaf',
           'official-multiroi', 'mmhuman3d', 'torchvision', 'mmpose')
MODEL_KEYS = {'Name', 'In Collection', 'Config', 'Metadata', 'Weights',
              'Results'}
WEIGHT_KEYS = {'Source', 'File', 'URL', 'Manual', 'Build', 'SHA256', 'Size',
               'Converter', 'Licence'}


class ZooError(UserInputError, KeyError):
    """An unknown name or a broken metafile; the message says which."""


class ZooEntry(NamedTuple):
    """One checkpoint of the zoo (see the module docstring)."""
    name: str
    collection: str
    config: str
    metadata: dict
    weights: dict
    results: List[dict]
    metafile: str

    @property
    def file(self) -> str:
        """The file name of the source weights (in the cache's ``raw``
        folder), default the URL's last part, else ``NAME.pth``."""
        if self.weights.get('File'):
            return self.weights['File']
        url = self.weights.get('URL')
        return url_file_name(url) if url else f'{self.name}.pth'

    @property
    def source(self) -> str:
        return self.weights['Source']

    @property
    def converter(self) -> Optional[str]:
        return self.weights.get('Converter')

    @property
    def sha256(self) -> Optional[str]:
        return self.weights.get('SHA256')


def metafiles(root: str = ROOT) -> List[str]:
    """Every ``configs/**/metafile.yml`` under ``root``, then every
    ``**/metafile.yml`` under the folders of ``HMRZOO_ZOO_INDEX``
    (``os.pathsep``-separated: a team's or a plugin's own entries)."""
    found = sorted(glob.glob(osp.join(root, 'configs', '**', 'metafile.yml'),
                             recursive=True))
    for extra in filter(None, os.environ.get('HMRZOO_ZOO_INDEX', '')
                        .split(os.pathsep)):
        found += sorted(glob.glob(osp.join(extra, '**', 'metafile.yml'),
                                  recursive=True))
    return found


def _shown(path: str, root: str) -> str:
    """``path`` relative to the repository when inside it."""
    rel = osp.relpath(path, root)
    return path if rel.startswith('..') else rel


def _entry(model: dict, path: str, collections: dict) -> ZooEntry:
    def bad(problem):
        return ZooError(f'{path}: model {model.get("Name")!r} {problem}')
    unknown = set(model) - MODEL_KEYS
    if unknown or 'Name' not in model or 'Config' not in model:
        raise bad(f'has unknown keys {sorted(unknown)} or lacks Name / '
                  f'Config (keys: {sorted(MODEL_KEYS)})')
    weights = dict(model.get('Weights') or {})
    if set(weights) - WEIGHT_KEYS:
        extra = sorted(set(weights) - WEIGHT_KEYS)
        raise bad(f'has unknown Weights keys {extra} (keys: '
                  f'{sorted(WEIGHT_KEYS)})')
    if weights.get('Source') not in SOURCES:
        raise bad(f'has Weights.Source {weights.get("Source")!r}; one of '
                  f'{list(SOURCES)}')
    if weights.get('SHA256') is not None and \
            not isinstance(weights['SHA256'], str):
        raise bad('has a SHA256 that YAML read as a number; quote it '
                  "(SHA256: '0676ba61')")
    if not any(weights.get(k) for k in ('URL', 'Manual', 'Build')):
        raise bad('says neither where its weights come from (URL), how to '
                  'get them by hand (Manual) nor how they are made (Build)')
    collection = model.get('In Collection')
    if collection not in collections:
        raise bad(f'is in collection {collection!r}, which {path} does not '
                  'define')
    return ZooEntry(name=model['Name'], collection=collection,
                    config=model['Config'],
                    metadata=dict(model.get('Metadata') or {}),
                    weights=weights, results=list(model.get('Results') or []),
                    metafile=path)


def _documents(root: str) -> Iterator[Tuple[str, dict]]:
    """``(path, parsed document)`` of every metafile; a file that is not
    YAML is named."""
    for path in metafiles(root):
        try:
            with open(path) as f:
                yield path, yaml.safe_load(f) or {}
        except yaml.YAMLError as exc:
            raise ZooError(f'{path} is not valid YAML: {exc}') from None


def load_index(root: str = ROOT) -> Dict[str, ZooEntry]:
    """name -> :class:`ZooEntry` of every metafile (their collections:
    :func:`load_collections`)."""
    index: Dict[str, ZooEntry] = {}
    for path, doc in _documents(root):
        collections = {c['Name']: c for c in doc.get('Collections') or []}
        for model in doc.get('Models') or []:
            entry = _entry(model, _shown(path, root), collections)
            if entry.name in index:
                raise ZooError(f'{entry.metafile} and '
                               f'{index[entry.name].metafile} both define '
                               f'{entry.name!r}; names must be unique')
            index[entry.name] = entry
    return index


def load_collections(root: str = ROOT) -> Dict[str, dict]:
    """collection name -> its metafile entry (``Paper``, ``README``)."""
    out = {}
    for path, doc in _documents(root):
        for c in doc.get('Collections') or []:
            out[c['Name']] = dict(c, metafile=_shown(path, root))
    return out


def get_entry(name: str, index: Optional[Dict[str, ZooEntry]] = None
              ) -> ZooEntry:
    """The entry ``name``, or an error listing close names."""
    import difflib
    index = load_index() if index is None else index
    if name not in index:
        close = difflib.get_close_matches(name, list(index), n=3)
        hint = f'; did you mean {close}?' if close else ''
        raise ZooError(f'no zoo entry named {name!r}{hint} (python '
                       f'tools/zoo.py list shows all {len(index)})')
    return index[name]


def config_path(entry: ZooEntry, root: str = ROOT) -> str:
    """The entry's config as a path that exists here."""
    path = entry.config if osp.isabs(entry.config) else \
        osp.join(root, entry.config)
    if not osp.isfile(path):
        raise ZooError(f'{entry.metafile}: {entry.name!r} names config '
                       f'{entry.config}, which does not exist')
    return path


def mirror_url() -> Optional[str]:
    """``HMRZOO_ZOO_URL``: a base URL that serves zoo files by their file
    name (a team's own mirror), tried before an entry's own URL."""
    base = os.environ.get('HMRZOO_ZOO_URL', '').strip()
    return base.rstrip('/') if base else None
