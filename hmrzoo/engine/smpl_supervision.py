"""Say at start-up how much of the training data carries body-model
(SMPL) parameters.

The mesh terms of a loss (pose, shape, vertices, CRA's SMPL term, PyMAF's
IUV target) are computed only on rows with SMPL parameters; a mix whose
sources have none trains them on nothing, silently.
:class:`SMPLSupervisionHook`,
added to every run by ``apis.load_config``, logs before training, per
source of the training set, its share of the sampled rows and the
fraction of its rows with parameters, and the share of sampled rows that
has them; it warns when a configured mesh term gets no row, or when a
source of the mix gives it none.
"""
import logging
import os.path as osp
from typing import List, NamedTuple, Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log

from ..registry import HOOKS

#: loss terms that read SMPL parameters of the ground truth
MESH_TERMS = ('pose', 'betas', 'vertices', 'smpl', 'iuv')


class Source(NamedTuple):
    """One source of a training set: ``name``, ``share`` of the sampled
    rows, ``fraction`` of its rows with SMPL (None: unknown)."""
    name: str
    share: float
    fraction: Optional[float]


def _name(dataset) -> str:
    ann = getattr(dataset, 'ann_file', None)
    return osp.basename(ann) if ann else type(dataset).__name__


def smpl_sources(dataset, share: float = 1.0) -> List[Source]:
    """The sources of a (mixed, concatenated or plain) dataset."""
    children = getattr(dataset, 'datasets', None)
    if children is not None:
        ratios = getattr(dataset, 'ratios', None)
        if ratios is None:  # a concatenation: shares by length
            total = max(sum(len(d) for d in children), 1)
            ratios = [len(d) / total for d in children]
        return [s for d, r in zip(children, ratios)
                for s in smpl_sources(d, share * float(r))]
    measure = getattr(dataset, 'smpl_fraction', None)
    return [Source(_name(dataset), share,
                   None if measure is None else float(measure()))]


def supervision_report(sources: List[Source], mesh_terms) -> tuple:
    """``(level, text)`` of the start-up line (module docstring)."""
    known = [s for s in sources if s.fraction is not None]
    overall = sum(s.share * s.fraction for s in known)
    rows = '; '.join(
        f'{s.name}: {s.share:.0%} of the mix, ' + (
            'unknown' if s.fraction is None else
            f'{s.fraction:.0%} with SMPL') for s in sources)
    text = (f'training rows with SMPL parameters: {rows}; overall '
            f'{overall:.0%} of the sampled rows')
    level = logging.INFO
    if mesh_terms and known:
        empty = [s.name for s in known if s.share > 0 and s.fraction == 0]
        if overall == 0:
            level = logging.WARNING
            text += (f'. The mesh terms {sorted(mesh_terms)} get no row: '
                     'they train nothing (add SMPL fits to the data, e.g. '
                     'docs/datasets/pseudo_gt_fits.md, or drop the terms)')
        elif empty:
            level = logging.WARNING
            text += (f'. {empty} give the mesh terms {sorted(mesh_terms)} '
                     'no row (2D / 3D keypoints only)')
    return level, text


@HOOKS.register_module()
class SMPLSupervisionHook(Hook):
    """Log the SMPL share of the training data before training (module
    docstring)."""
    priority = 'LOW'

    def before_train(self, runner) -> None:
        losses = (runner.cfg.get('model') or {}).get('losses') or {}
        terms = {k for k, v in losses.items() if v is not None}
        mesh = {k for k in terms
                if k.split('refine_')[-1] in MESH_TERMS}
        level, text = supervision_report(
            smpl_sources(runner.train_dataloader.dataset), mesh)
        print_log(text, logger='current', level=level)
