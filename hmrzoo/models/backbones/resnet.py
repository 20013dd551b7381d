"""torchvision ResNets as hmrzoo backbones, any number of input channels."""
from typing import Sequence

import torch
import torchvision
from mmengine.model import BaseModule
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class ResNet(BaseModule):
    """torchvision ResNet-18/34/50/101/152 without its classifier.

    Args:
        depth (int): 18, 34, 50, 101 or 152.
        in_channels (int): input channels (3 for RGB, K for K heatmaps).
        out_indices (sequence[int]): stages whose feature maps are returned
            (0..3 = layer1..layer4).  Output strides 4, 8, 16, 32.
        init_cfg: mmengine init config; e.g. ``dict(type='Pretrained',
            checkpoint='path/to/resnet50.pth')``.  Nothing is downloaded.

    Forward: (B, in_channels, H, W) -> tuple of (B, C_i, H/s_i, W/s_i),
    one per ``out_indices``; ``out_channels`` is the tuple of those C_i.
    """

    def __init__(self, depth: int = 50, in_channels: int = 3,
                 out_indices: Sequence[int] = (3,), init_cfg=None):
        super().__init__(init_cfg)
        builders = {18: torchvision.models.resnet18,
                    34: torchvision.models.resnet34,
                    50: torchvision.models.resnet50,
                    101: torchvision.models.resnet101,
                    152: torchvision.models.resnet152}
        if depth not in builders:
            raise ValueError(f'ResNet depth must be one of {sorted(builders)}'
                             f', got {depth}')
        net = builders[depth](weights=None)
        if in_channels != 3:
            net.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.conv1, self.bn1, self.relu, self.maxpool = (
            net.conv1, net.bn1, net.relu, net.maxpool)
        self.layer1, self.layer2, self.layer3, self.layer4 = (
            net.layer1, net.layer2, net.layer3, net.layer4)
        expansion = 4 if depth >= 50 else 1
        self.out_indices = tuple(out_indices)
        stages = tuple(c * expansion for c in (64, 128, 256, 512))
        self.out_channels = tuple(stages[i] for i in self.out_indices)

    def forward(self, x: torch.Tensor):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        outs = []
        for i, layer in enumerate(
                (self.layer1, self.layer2, self.layer3, self.layer4)):
            x = layer(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
