"""Synthetic evidence plus clean dense targets: the maps as rendered,
before the training augmentations damage them."""
from typing import Dict, Sequence

from torch import Tensor

from ...registry import MODELS
from .synthetic_evidence import (EVIDENCE_CHANNELS,
                                 SyntheticEvidencePreprocessor)


@MODELS.register_module()
class SyntheticTargetsPreprocessor(SyntheticEvidencePreprocessor):
    """:class:`SyntheticEvidencePreprocessor` that also writes ``gt_<kind>``
    (C, R, R) for each kind of ``targets``: the map rendered for the input,
    copied before part drop and occlusion (it still has the ±``vertex_noise``
    of the rendered body).  CRA's IUV decoder learns the clean IUV from it.

    Args:
        targets (sequence[str]): rendered kinds among ``outputs``.
        *args, **kwargs: :class:`SyntheticEvidencePreprocessor` arguments.
    """

    def __init__(self, *args, targets: Sequence[str] = ('iuv', ), **kwargs):
        super().__init__(*args, **kwargs)
        bad = [k for k in targets
               if k not in self.outputs or k not in EVIDENCE_CHANNELS]
        if bad:
            raise ValueError(f'targets {bad} are not rendered maps among '
                             f'outputs {self.outputs}')
        self.targets = tuple(targets)
        self._clean: Dict[str, Tensor] = {}

    def _postprocess(self, maps: Dict[str, Tensor],
                     training: bool) -> Dict[str, Tensor]:
        self._clean = {k: maps[k].clone() for k in self.targets}
        return super()._postprocess(maps, training)

    def forward(self, data: dict, training: bool = False) -> dict:
        out = super().forward(data, training)
        clean, self._clean = self._clean, {}
        for i, sample in enumerate(out['data_samples']):
            for kind, maps in clean.items():
                setattr(sample, f'gt_{kind}', maps[i])
        return out
