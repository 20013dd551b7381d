"""Learnable loss weights by homoscedastic uncertainty (Kendall et al.,
as CRA's eq. 6 uses them, ``000_f8ace6beef631e18.txt`` §3.5)."""
from typing import Dict, Mapping, Sequence, Union

import torch
from torch import Tensor, nn

from ...registry import MODELS


@MODELS.register_module()
class HomoscedasticLoss(nn.Module):
    """Eq. 6: ``Σ_k L_k / σ_k² + log Π_k σ_k``.

    Each term k has a learnable log-variance ``s_k = log σ_k²``, so
    ``L_k / σ_k² = exp(-s_k) L_k`` and ``log σ_k = s_k / 2``; with
    ``s_k = 0`` (σ = 1) every term starts with weight 1.

    Args:
        terms (sequence[str]): the weighted terms (CRA: ``vertices``,
            ``keypoints2d``, ``keypoints3d``, ``smpl``).
        init_log_variance (float | dict): initial ``s_k`` (one value, or
            per term).

    ``forward(losses)`` takes dict term -> scalar (it must hold every
    term) and returns dict term -> ``exp(-s_k) L_k``; :meth:`regulariser`
    is ``Σ_k s_k / 2``.  The weighted terms plus the regulariser are eq. 6.
    """

    def __init__(self, terms: Sequence[str] = ('vertices', 'keypoints2d',
                                               'keypoints3d', 'smpl'),
                 init_log_variance: Union[float, Mapping[str, float]] = 0.):
        super().__init__()
        if not terms:
            raise ValueError('HomoscedasticLoss needs at least one term')
        init = init_log_variance if isinstance(init_log_variance, Mapping) \
            else {t: init_log_variance for t in terms}
        self.terms = tuple(terms)
        self.log_variance = nn.ParameterDict({
            t: nn.Parameter(torch.tensor(float(init.get(t, 0.))))
            for t in self.terms})

    def forward(self, losses: Mapping[str, Tensor]) -> Dict[str, Tensor]:
        missing = [t for t in self.terms if t not in losses]
        if missing:
            raise KeyError(f'HomoscedasticLoss weighs {list(self.terms)}, '
                           f'but {missing} were not computed; add them to '
                           'the model\'s losses or drop them from terms')
        return {t: torch.exp(-self.log_variance[t]) * losses[t]
                for t in self.terms}

    def regulariser(self) -> Tensor:
        """``log Π_k σ_k = Σ_k s_k / 2``."""
        return 0.5 * sum(self.log_variance[t] for t in self.terms)

    def sigmas(self) -> Dict[str, Tensor]:
        """Current σ_k (detached), for logging."""
        return {t: torch.exp(0.5 * s.detach())
                for t, s in self.log_variance.items()}
