"""CRA's refinement loss on unlabelled images (``000_f8ace6beef631e18.txt``
eq. 7): the IUV discrepancy D_M of eq. 4 as a loss."""
from torch import Tensor, nn

from ...registry import MODELS
from ..utils.alignment import EPS, downsample_iuv, iuv_discrepancy


@MODELS.register_module()
class IUVAlignmentLoss(nn.Module):
    """Mean over pixels of ``indicator + |U term| + |V term|`` of eq. 4.

    Eq. 7 adds the map ``D_M`` to a scalar; this reduces it by the mean and
    takes the U, V terms in absolute value (eq. 4 writes them signed, which
    as a loss would be unbounded below).  The indicator term carries no
    gradient to the vertices with hmrzoo's rasterizer (the part index is
    constant over a face), the U and V terms do.

    Args:
        eps (float): eq. 4's ε. loss_weight (float): factor.

    Forward: ``pred`` (B, 3, h, w) rendered compact IUV of the prediction,
    ``target`` (B, 3, H, W) evidence (downsized to h x w).  Returns a scalar.
    """

    def __init__(self, eps: float = EPS, loss_weight: float = 1.0):
        super().__init__()
        self.eps, self.loss_weight = eps, loss_weight

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        terms = iuv_discrepancy(pred, downsample_iuv(target, pred.shape[-2:]),
                                self.eps)
        return self.loss_weight * terms.abs().sum(dim=1).mean()
