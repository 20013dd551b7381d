"""PyMAF's feature pyramid: transposed convolutions on the backbone's last
map, each doubling the resolution (``004_5b6799bce7999b60.txt`` §4.1)."""
from typing import List

from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS


@MODELS.register_module()
class DeconvPyramid(BaseModule):
    """``num_layers`` x [ConvTranspose2d(k 4, stride 2, pad 1, no bias), BN,
    ReLU]; the output of every block is one pyramid level.

    A 224x224 crop through ResNet-50 (7x7) gives 14x14, 28x28 and 56x56
    maps of ``channels`` = 256 (PyMAF).  The blocks live in one
    ``nn.Sequential`` named ``deconv_layers`` (indices 3k, 3k+1, 3k+2 for
    block k), the layout of PyMAF's checkpoints.

    Forward: (B, in_channels, h, w) -> list of ``num_layers`` maps
    (B, channels, h 2^(k+1), w 2^(k+1)), coarse to fine; ``out_channels``
    is ``channels``.
    """

    def __init__(self, in_channels: int = 2048, channels: int = 256,
                 num_layers: int = 3, init_cfg=None):
        super().__init__(init_cfg)
        layers = []
        for k in range(num_layers):
            layers += [nn.ConvTranspose2d(in_channels if k == 0 else channels,
                                          channels, 4, stride=2, padding=1,
                                          output_padding=0, bias=False),
                       nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
        self.deconv_layers = nn.Sequential(*layers)
        self.num_layers = num_layers
        self.out_channels = channels

    def forward(self, x: Tensor) -> List[Tensor]:
        maps = []
        for k in range(self.num_layers):
            x = self.deconv_layers[3 * k:3 * k + 3](x)
            maps.append(x)
        return maps
