"""Multi-RoI's RoI fusion as the official code builds it (the
``official-layout`` variant, selected by config; hmrzoo's default is
:class:`~.roi_fusion.RoIAwareFusion`, written from the paper's text).

Facts of the official layout this follows (Multi-RoI release, ResNet-50
model): the relative box term is the positional code of the *difference*
of two RoIs' bbox information, ``γ(b_m - b_n)`` (the paper's eq. 2 writes
``γ(B_m) - γ(B_n)``); the code interleaves its frequencies as
``sin(x f_k + φ_k)`` with ``f = π 2^⌊k/2⌋`` and ``φ = 0, π/2, 0, π/2 …``
(so the cosines are sines shifted by π/2, evaluated in float32 as such);
each pair ``[h_n, γ(b_m - b_n)]`` goes through one linear layer to 256
values; a row's M embeddings, concatenated, go through a tanh MLP
(256·M -> 256 -> 256 -> M, tanh after each layer) whose M outputs are
the scores, softmax-normalised over n.
"""
import math

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS


class PhasePositionalEncoding(nn.Module):
    """``[p, sin(p f_0 + φ_0), sin(p f_1 + φ_1), …]`` over ``2L`` rows
    ``f_k = π 2^⌊k/2⌋``, ``φ_k = (k mod 2) π/2``: each row gives ``d_in``
    values, rows in order (sin and cos of a frequency side by side).

    Forward: (..., d_in) -> (..., d_in (1 + 2L)).
    """

    def __init__(self, num_freqs: int = 32, d_in: int = 3):
        super().__init__()
        self.num_freqs, self.d_in = num_freqs, d_in
        k = torch.arange(num_freqs, dtype=torch.float64)
        freqs = (math.pi * 2. ** k).repeat_interleave(2)
        phases = torch.tensor([0., math.pi / 2]).repeat(num_freqs)
        # (2L, 1): broadcast over the d_in values of a box
        self.register_buffer('freqs', freqs.float()[:, None],
                             persistent=False)
        self.register_buffer('phases', phases.float()[:, None],
                             persistent=False)

    @property
    def out_dim(self) -> int:
        return self.d_in * (1 + 2 * self.num_freqs)

    def forward(self, p: Tensor) -> Tensor:
        rows = torch.sin(p[..., None, :] * self.freqs + self.phases)
        return torch.cat([p, rows.flatten(-2)], dim=-1)


@MODELS.register_module()
class RoIAttentionFusion(BaseModule):
    """``u_m = Σ_n w_mn h_n``, ``w_m = softmax_n(A([E_m1, …, E_mM]))``,
    ``E_mn = Linear([h_n, γ(b_m - b_n)])`` (the official layout).

    Args:
        in_channels (int): feature size C.
        num_rois (int): M (the score MLP reads a whole row of M pairs).
        num_freqs (int): L of the positional code (official: 32).
        box_dim (int): bbox-information values per RoI (3).
        embed_dim (int): size of a pair's embedding (official: 256).
        encode_boxes (bool): False leaves the box term out (the official
            ``wo_enc`` ablation).

    Forward: features (B, M, C), boxes (B, M, box_dim) -> fused (B, M, C);
    the weights (B, M, M) (rows sum to 1) stay in ``self.last_weights``.
    """

    def __init__(self, in_channels: int, num_rois: int = 5,
                 num_freqs: int = 32, box_dim: int = 3, embed_dim: int = 256,
                 encode_boxes: bool = True, init_cfg=None):
        super().__init__(init_cfg)
        self.num_rois, self.encode_boxes = num_rois, encode_boxes
        self.pos_enc = PhasePositionalEncoding(num_freqs, box_dim)
        box_term = self.pos_enc.out_dim if encode_boxes else 0
        self.pair_embed = nn.Linear(in_channels + box_term, embed_dim)
        self.score = nn.Sequential(
            nn.Linear(embed_dim * num_rois, embed_dim), nn.Tanh(),
            nn.Linear(embed_dim, embed_dim), nn.Tanh(),
            nn.Linear(embed_dim, num_rois), nn.Tanh())
        self.last_weights = None

    def forward(self, features: Tensor, boxes: Tensor) -> Tensor:
        b, m, c = features.shape
        if m != self.num_rois:
            raise ValueError(f'{type(self).__name__} was built for '
                             f'{self.num_rois} RoIs, got {m}')
        pair = features[:, None].expand(b, m, m, c)       # [b, m, n] = h_n
        if self.encode_boxes:
            boxes = boxes.to(features.dtype)
            rel = boxes[:, :, None] - boxes[:, None, :]   # b_m - b_n
            pair = torch.cat([pair, self.pos_enc(rel)], dim=-1)
        embed = self.pair_embed(pair).flatten(-2)         # (B, M, M*E)
        weights = self.score(embed).softmax(dim=-1)       # (B, M, M)
        self.last_weights = weights.detach()
        return weights @ features
