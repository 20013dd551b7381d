"""Point-wise features of PyMAF's feedback loop: sample a feature map at 2D
points and reduce each point's feature to a few channels
(``004_5b6799bce7999b60.txt`` §3.2, §4.1)."""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn


def grid_points(size: int = 21) -> Tensor:
    """(size², 2) points of a uniform grid over [-1, 1]² in PyMAF's order:
    point ``k = i * size + j`` is ``(x, y) = (lin[i], lin[j])`` (x varies
    slowest), ``lin = linspace(-1, 1, size)``."""
    lin = torch.linspace(-1, 1, size)
    xs, ys = torch.meshgrid(lin, lin, indexing='ij')
    return torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=-1)


def sample_points(feature_map: Tensor, points: Tensor) -> Tensor:
    """Bilinear features at normalised points.

    Args:
        feature_map: (B, C, H, W).
        points: (B, N, 2) ``(x, y)`` in [-1, 1], where -1 and 1 are the
            centres of the first and last pixel (``align_corners=True``, as
            PyMAF samples); outside points read zeros.

    Returns:
        (B, C, N) features.
    """
    out = F.grid_sample(feature_map, points[:, :, None, :].to(feature_map),
                        mode='bilinear', padding_mode='zeros',
                        align_corners=True)
    return out[..., 0]


class PointFeatureReducer(BaseModule):
    """PyMAF's three-layer point MLP (1x1 convolutions over the points) with
    the input feature concatenated to the two deeper layers' inputs:

    ``y0 = lrelu(conv0(f))``, ``y1 = lrelu(conv1([y0, f]))``,
    ``y2 = relu(conv2([y1, f]))`` with widths ``dims`` (256 -> 128 -> 64 ->
    5 in PyMAF; leaky slope 0.01).

    Forward: (B, C, N) -> (B, dims[-1] * N), flattened channel-major
    (index ``c * N + n``) as the official model flattens it.
    """

    def __init__(self, in_channels: int = 256, dims=(128, 64, 5),
                 init_cfg=None):
        super().__init__(init_cfg)
        d0, d1, d2 = dims
        self.conv0 = nn.Conv1d(in_channels, d0, 1)
        self.conv1 = nn.Conv1d(d0 + in_channels, d1, 1)
        self.conv2 = nn.Conv1d(d1 + in_channels, d2, 1)
        self.out_channels = d2

    def forward(self, feat: Tensor) -> Tensor:
        y = F.leaky_relu(self.conv0(feat))
        y = F.leaky_relu(self.conv1(torch.cat([y, feat], dim=1)))
        y = F.relu(self.conv2(torch.cat([y, feat], dim=1)))
        return y.flatten(1)
