"""Multi-RoI's RoI-aware feature fusion (``003_f4ff51958fd81859.txt`` §3.1,
eq. 2-4) and the positional encoding of the boxes (eq. 3)."""
import math

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS

ENCODINGS = ('relative', 'absolute', 'none')


class BoxPositionalEncoding(nn.Module):
    """γ(p) = (p, sin(2⁰πp), cos(2⁰πp), …, sin(2^(L-1)πp), cos(2^(L-1)πp))
    applied to each of the ``d_in`` box values (eq. 3).

    Eq. 3 writes the last frequency as ``2^L π``; the official code uses
    ``L`` frequencies ``2^0 … 2^(L-1)``, which this follows, so that L = 32
    gives its 3 + 3·2·32 = 195 values per box and L = 0 is the box itself
    (the ``L = 0`` row of Table 3).  The values are grouped as
    ``[p, sin(all frequencies, all values), cos(…)]``.

    Forward: (..., d_in) -> (..., d_in * (1 + 2 L)).
    """

    def __init__(self, num_freqs: int = 32, d_in: int = 3):
        super().__init__()
        self.num_freqs, self.d_in = num_freqs, d_in
        freqs = math.pi * 2. ** torch.arange(num_freqs, dtype=torch.float64)
        self.register_buffer('freqs', freqs.float(), persistent=False)

    @property
    def out_dim(self) -> int:
        return self.d_in * (1 + 2 * self.num_freqs)

    def forward(self, p: Tensor) -> Tensor:
        if self.num_freqs == 0:
            return p
        angles = (p[..., None, :] * self.freqs[:, None]).flatten(-2)
        return torch.cat([p, angles.sin(), angles.cos()], dim=-1)


@MODELS.register_module()
class RoIAwareFusion(BaseModule):
    """Fuse the features of a person's M RoIs, guided by their boxes.

    For RoI m (eq. 4): ``u_m = Σ_n w_mn h_n`` with
    ``{w_mn}_n = Softmax_n(Linear(F_mn))`` and ``F_mn = [h_n, e_mn]``, where
    the box term ``e_mn`` is chosen by ``encoding`` (Table 3):

    * ``'relative'`` (the method): ``γ(B_m) - γ(B_n)`` (eq. 2);
    * ``'absolute'``: ``γ(B_n)``;
    * ``'none'``: nothing (``h_n`` alone).

    The score of each ``F_mn`` is a small MLP (Linear -> tanh -> Linear to
    one scalar), not the single Linear layer that §3.1 names: with a linear
    score, ``w·[h_n, γ(B_m) - γ(B_n)]`` splits into a term of n and a term
    of m alone, the softmax over n cancels the latter, and the relative
    code becomes the absolute one with every RoI getting the same weights
    (so u_1 = … = u_M).  The official code is nonlinear too (a per-pair
    linear embedding, then a tanh MLP over the M embeddings of a row).
    Boxes are CLIFF's bbox information of each RoI (B, M, 3).

    Args:
        in_channels (int): feature size C.
        encoding (str): 'relative', 'absolute' or 'none'.
        num_freqs (int): L of eq. 3 (paper: 32).
        box_dim (int): values per box (3).
        hidden (int): width of the score MLP.

    Forward: features (B, M, C), boxes (B, M, box_dim) -> fused (B, M, C);
    the last weights (B, M, M) (rows m sum to 1) are kept in
    ``self.last_weights`` for inspection.
    """

    def __init__(self, in_channels: int, encoding: str = 'relative',
                 num_freqs: int = 32, box_dim: int = 3, hidden: int = 256,
                 init_cfg=None):
        super().__init__(init_cfg)
        if encoding not in ENCODINGS:
            raise ValueError(f'encoding must be one of {ENCODINGS}, got '
                             f'{encoding!r}')
        self.encoding = encoding
        self.pos_enc = BoxPositionalEncoding(num_freqs, box_dim)
        box_term = 0 if encoding == 'none' else self.pos_enc.out_dim
        self.score = nn.Sequential(
            nn.Linear(in_channels + box_term, hidden), nn.Tanh(),
            nn.Linear(hidden, 1))
        self.last_weights = None

    def forward(self, features: Tensor, boxes: Tensor) -> Tensor:
        b, m, c = features.shape
        h_n = features[:, None].expand(b, m, m, c)      # [b, m, n] = h_n
        if self.encoding == 'none':
            pair = h_n
        else:
            g = self.pos_enc(boxes.to(features.dtype))   # (B, M, D)
            if self.encoding == 'relative':
                e = g[:, :, None] - g[:, None, :]        # γ(B_m) - γ(B_n)
            else:
                e = g[:, None].expand(b, m, m, g.shape[-1])   # γ(B_n)
            pair = torch.cat([h_n, e], dim=-1)
        weights = self.score(pair)[..., 0].softmax(dim=-1)   # (B, M, M)
        self.last_weights = weights.detach()
        return weights @ features
