"""A training mix of several datasets with fixed sampling ratios (the SPIN /
PyMAF / CLIFF mixes)."""
import copy
from typing import List, Optional, Sequence

import numpy as np
from torch.utils.data import Dataset

from ..registry import DATASETS


def apply_defaults(cfg: dict, defaults: dict) -> dict:
    """``defaults`` under ``cfg`` (the config's own keys win); a
    ``ConcatDataset`` passes them on to its children."""
    cfg = copy.deepcopy(cfg)
    if cfg.get('type') == 'ConcatDataset':
        cfg['datasets'] = [apply_defaults(c, defaults)
                           for c in cfg['datasets']]
        return cfg
    merged = copy.deepcopy(defaults)
    merged.update(cfg)
    return merged


def build_source(cfg: dict) -> Dataset:
    """Build one source; a ``ConcatDataset``'s children are built from
    hmrzoo's registry first (mmengine's own ConcatDataset would look them
    up in the root registry, which does not know hmrzoo's datasets), and
    the per-file metainfo (``dataset_name``, ``split``) may differ between
    them."""
    if cfg.get('type') == 'ConcatDataset':
        cfg = dict(cfg, datasets=[build_source(c) for c in cfg['datasets']])
        cfg.setdefault('ignore_keys', ['dataset_name', 'split'])
    return DATASETS.build(cfg)


@DATASETS.register_module()
class MixedDataset(Dataset):
    """Draw each sample from source ``s`` with probability ``ratios[s]``.

    Unlike SPIN's mix (a random source per ``__getitem__``), the mix here is
    a fixed, seeded table: index ``i`` always gives the same sample, so the
    run is reproducible, samplers (shuffling, distributed sharding) work as
    on any dataset, and every source appears in exactly its share of the
    ``length`` slots (``round(ratio * length)``, the remainder to the
    largest ratios).  Within a source, slots walk through a seeded
    permutation of its samples and wrap around, so a small source repeats
    and a large one is sub-sampled.

    Args:
        datasets (list[dict | Dataset]): the sources; a dict is built from
            the registry after ``defaults`` are applied (see
            :func:`apply_defaults`).
        ratios (sequence[float]): sampling ratio per source, summing to 1.
        defaults (dict, optional): keys every source config gets unless it
            sets them (``type``, ``crop_size``, ``test_mode`` ...).
        length (int, optional): slots per epoch; default the largest
            source's length divided by its ratio (every sample of the
            source that needs most slots is seen once per epoch).
        seed (int): seed of the table.
    """

    def __init__(self, datasets: Sequence, ratios: Sequence[float],
                 defaults: Optional[dict] = None,
                 length: Optional[int] = None, seed: int = 0):
        if len(datasets) != len(ratios) or not datasets:
            raise ValueError(f'MixedDataset needs one ratio per dataset, got '
                             f'{len(datasets)} datasets and {len(ratios)} '
                             'ratios')
        ratios = np.asarray(ratios, np.float64)
        if (ratios < 0).any() or abs(ratios.sum() - 1) > 1e-6:
            raise ValueError(f'ratios must be >= 0 and sum to 1, got '
                             f'{ratios.tolist()}')
        self.datasets: List[Dataset] = [
            build_source(apply_defaults(d, defaults or {}))
            if isinstance(d, dict) else d for d in datasets]
        sizes = [len(d) for d in self.datasets]
        empty = [i for i, (n, r) in enumerate(zip(sizes, ratios))
                 if n == 0 and r > 0]
        if empty:
            raise ValueError(f'MixedDataset sources {empty} are empty but '
                             'have a positive ratio')
        self.ratios = ratios
        if length is None:
            length = int(max(np.ceil(n / r) for n, r in zip(sizes, ratios)
                             if r > 0))
        self._source, self._local = self._table(sizes, ratios, length, seed)
        self.metainfo = dict(sources=[getattr(d, 'metainfo', {})
                                      for d in self.datasets],
                             ratios=ratios.tolist())

    @staticmethod
    def _table(sizes, ratios, length, seed):
        counts = np.floor(ratios * length).astype(np.int64)
        for i in np.argsort(-ratios)[:length - counts.sum()]:
            counts[i] += 1
        rng = np.random.default_rng(seed)
        source = np.repeat(np.arange(len(sizes)), counts)
        local = np.concatenate([
            np.resize(rng.permutation(n), c) if c else
            np.zeros(0, np.int64) for n, c in zip(sizes, counts)])
        order = rng.permutation(length)
        return source[order], local[order]

    def __len__(self) -> int:
        return len(self._source)

    def source_of(self, idx: int):
        """(source index, index within the source) of slot ``idx``."""
        return int(self._source[idx]), int(self._local[idx])

    def __getitem__(self, idx: int):
        source, local = self.source_of(idx)
        return self.datasets[source][local]
