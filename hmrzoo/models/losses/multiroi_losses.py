"""The two regularisers of Multi-RoI (``003_f4ff51958fd81859.txt`` §3.2-3.3).

* :class:`CameraConsistencyLoss`, eq. 15-16: the local cameras of the RoIs
  of one person must imply the same full-image camera.
* :class:`RoIContrastiveLoss`, eq. 17: features of RoIs of the same person
  attract, those of different persons repel.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ...cameras.multiroi import camera_consistency_residuals
from ...registry import MODELS


@MODELS.register_module()
class CameraConsistencyLoss(nn.Module):
    """Eq. 16: ``sum_{m,n} lx Lx(m,n) + ly Ly(m,n) + ls Ls(m,n)`` with the
    squared residuals of eq. 15, averaged over the persons of the batch.

    ``Lx(m, n) = (tx_m + 2 cx_m / (b_m s_m) - tx_n - 2 cx_n / (b_n s_n))^2``
    (likewise y) and ``Ls(m, n) = (b_m s_m - b_n s_n)^2``: the full-image
    translation implied by each RoI's camera (eq. 12) must agree.  The sum
    runs over all ordered pairs (m, n), as eq. 16 is written (each
    unordered pair counts twice; m = n contributes 0).  The official code
    squares ``rx + ry`` instead of summing the squares; this follows the
    paper.

    Args:
        lambda_x, lambda_y, lambda_s (float): eq. 16's weights (paper:
            0.1, 0.1, 0.0001).
        loss_weight (float): lambda_cam (paper: 1).

    Forward:
        local_cams (B, M, 3) ``[s, tx, ty]`` per RoI; bboxes (B, M, 3)
        ``[cx, cy, b]``, the RoI centre relative to the image centre and
        its size, pixels.  Returns a scalar.
    """

    def __init__(self, lambda_x: float = 0.1, lambda_y: float = 0.1,
                 lambda_s: float = 1e-4, loss_weight: float = 1.0):
        super().__init__()
        self.lambdas = (lambda_x, lambda_y, lambda_s)
        self.loss_weight = loss_weight

    def forward(self, local_cams: Tensor, bboxes: Tensor) -> Tensor:
        res = camera_consistency_residuals(local_cams, bboxes)
        lx, ly, ls = self.lambdas
        per_person = (lx * res['x'] ** 2 + ly * res['y'] ** 2
                      + ls * res['s'] ** 2).sum(dim=(1, 2))
        return self.loss_weight * per_person.mean()


@MODELS.register_module()
class RoIContrastiveLoss(nn.Module):
    """Eq. 17 on L2-normalised RoI features.

    For person i and RoI m, with ``sim = z . z' / tau``::

        l(i, m) = -1/(M-1) sum_{n != m} log( exp(sim(z_m^i, z_n^i))
                  / sum_{i' != i} sum_{m'} exp(sim(z_m^i, z_m'^i')) )

    ``denominator='negatives'`` is eq. 17 as printed (the other persons'
    RoIs only); ``'all'`` also counts the same person's other RoIs, as the
    supervised-contrastive loss of the official code does.  The loss is the
    mean of ``l(i, m)`` over the N*M anchors (eq. 17 sums them; the mean
    keeps ``loss_weight`` independent of the batch size).

    Args:
        temperature (float): tau (paper: 0.5).
        denominator (str): 'negatives' or 'all'.
        loss_weight (float): lambda_cont (paper: 0.1).

    Forward:
        features (N, M, C), N >= 2 persons with M >= 2 RoIs each.
        Returns a scalar.
    """

    def __init__(self, temperature: float = 0.5,
                 denominator: str = 'negatives', loss_weight: float = 1.0):
        super().__init__()
        if denominator not in ('negatives', 'all'):
            raise ValueError("denominator must be 'negatives' or 'all'")
        self.temperature = temperature
        self.denominator = denominator
        self.loss_weight = loss_weight

    def forward(self, features: Tensor) -> Tensor:
        n, m, _ = features.shape
        if n < 2 or m < 2:
            raise ValueError('the contrastive loss needs >= 2 persons with '
                             f'>= 2 RoIs each, got {n} x {m}')
        z = F.normalize(features, dim=-1).reshape(n * m, -1)
        sim = z @ z.T / self.temperature                  # (NM, NM)
        person = torch.arange(n, device=z.device).repeat_interleave(m)
        same = person[:, None] == person[None, :]
        self_pair = torch.eye(n * m, dtype=torch.bool, device=z.device)
        positive = same & ~self_pair
        in_denominator = ~same if self.denominator == 'negatives' \
            else ~self_pair
        log_denominator = torch.logsumexp(
            sim.masked_fill(~in_denominator, float('-inf')), dim=1)
        log_prob = sim - log_denominator[:, None]
        per_anchor = -(log_prob * positive).sum(1) / (m - 1)
        return self.loss_weight * per_anchor.mean()
