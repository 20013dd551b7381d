"""Semantic graph convolution (Zhao et al., CVPR 2019, the STS paper's
reference [45]) and the four-layer regressor built from it.

A semantic graph convolution learns, besides its feature transforms, one
weight per edge of a fixed graph: with adjacency ``A`` (self loops
included) and learnable edge logits ``M``, the neighbour weights are
``softmax_j(M_ij)`` over the neighbours j of i (non-edges get no weight),
and a node's own feature and its neighbours' get separate transforms::

    H'_i = W_self H_i * a_ii + sum_{j != i} a_ij W_nbr H_j + b.
"""
import torch
from torch import Tensor, nn


class SemGraphConv(nn.Module):
    """One semantic graph convolution.

    Args:
        in_channels, out_channels (int): feature sizes per node.
        adj (Tensor): (N, N) 0/1 adjacency with self loops.
    """

    def __init__(self, in_channels: int, out_channels: int, adj: Tensor):
        super().__init__()
        self.register_buffer('adj', adj.float().clone(), persistent=False)
        self.weight = nn.Parameter(torch.empty(2, in_channels, out_channels))
        nn.init.xavier_uniform_(self.weight[0])
        nn.init.xavier_uniform_(self.weight[1])
        self.edge_logits = nn.Parameter(torch.ones(int(adj.gt(0).sum())))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def weights(self) -> Tensor:
        """(N, N) the row-softmax of the edge logits over each node's
        neighbours (0 off the graph)."""
        logits = torch.full_like(self.adj, -torch.inf)
        logits[self.adj > 0] = self.edge_logits
        return torch.softmax(logits, dim=1)

    def forward(self, x: Tensor) -> Tensor:
        """(B, N, C_in) -> (B, N, C_out)."""
        a = self.weights()
        eye = torch.eye(a.shape[0], dtype=a.dtype, device=a.device)
        own = x @ self.weight[0]
        nbr = x @ self.weight[1]
        return (a * eye) @ own + (a * (1 - eye)) @ nbr + self.bias


class SemGCNRegressor(nn.Module):
    """Four semantic graph convolutions (batch-norm + ReLU between them),
    then a linear read-out of the flattened node features.

    Args:
        adj (Tensor): (N, N) adjacency with self loops.
        in_channels (int): features per node (3: normalised x, y, visible).
        out_channels (int): size of the regressed vector.
        hidden (int): features per node inside.
        num_layers (int): graph convolutions (4, as the paper).
    """

    def __init__(self, adj: Tensor, in_channels: int, out_channels: int,
                 hidden: int = 64, num_layers: int = 4):
        super().__init__()
        sizes = [in_channels] + [hidden] * num_layers
        self.convs = nn.ModuleList(SemGraphConv(a, b, adj)
                                   for a, b in zip(sizes[:-1], sizes[1:]))
        self.norms = nn.ModuleList(nn.BatchNorm1d(hidden)
                                   for _ in range(num_layers))
        self.readout = nn.Linear(hidden * adj.shape[0], out_channels)

    def features(self, x: Tensor) -> Tensor:
        """(B, N, C_in) -> (B, N * hidden) flattened node features."""
        for conv, norm in zip(self.convs, self.norms):
            x = torch.relu(norm(conv(x).transpose(1, 2)).transpose(1, 2))
        return x.flatten(1)

    def forward(self, x: Tensor) -> Tensor:
        """(B, N, C_in) -> (B, out_channels)."""
        return self.readout(self.features(x))
