"""HRNet backbones (timm's ``HighResolutionNet``) for hmrzoo.

Two encoder forms are provided, selected by ``out_type``:

* ``'cls'`` -- the classification HRNet.  This is the ``hr48`` encoder of
  CLIFF: HRNet-W48 with a stem of two 3x3 stride-2 convolutions (64
  channels), four multi-resolution stages, then the classification head's
  ``incre_modules`` (a Bottleneck per branch raising the channels to
  128/256/512/1024), ``downsamp_modules`` (3x3 stride-2 conv + BN + ReLU
  that fuse the branches from high to low resolution) and ``final_layer``
  (1x1 conv + BN + ReLU to 2048 channels).  CLIFF global-average-pools that
  2048-channel stride-32 map into its image feature; here the map itself is
  returned and the estimator does the pooling.  The 1000-way classifier is
  not built.
* ``'concat'`` -- the pose HRNet.  This is the HRNet-W48 encoder of
  Multi-RoI: the four branch outputs of the last stage (48, 96, 192 and 384
  channels at strides 4, 8, 16, 32 for W48) are brought to stride 32 by 3,
  2 and 1 repetitions of [3x3 conv stride 2, BatchNorm, ReLU] that keep
  each branch's channel count, and concatenated with the last branch into a
  720-channel stride-32 map.  The classification head (incre / downsamp /
  final layers, classifier) is not built.

The timm network is stored as ``self.net`` so its parameters are named
``net.conv1.weight``, ``net.transition1.0.0.weight``,
``net.stage2.0.branches.0.0.conv1.weight``, ``net.incre_modules.0.0.*``,
``net.downsamp_modules.0.0.*``, ``net.final_layer.0.*`` and so on, i.e. the
official HRNet names with a ``net.`` prefix.

Measured parameter counts (in_channels=3; the 1000-way classifier, which
would add 2,049,000, is not included):

=====  ===========  ============  ===========================
arch   ``'cls'``    ``'concat'``  of which new downsampling
=====  ===========  ============  ===========================
w18    19,250,004    9,641,388       79,128
w32    39,183,680   29,555,072      249,536
w48    75,420,864   65,886,048      560,928
=====  ===========  ============  ===========================

Nothing is downloaded: the timm network is always built with
``pretrained=False``; load weights with ``init_cfg=dict(type='Pretrained',
checkpoint=...)``.
"""
from typing import Optional

import timm
import torch
from mmengine.model import BaseModule
from torch import nn

from ...registry import MODELS

ARCHS = ('w18_small', 'w18_small_v2', 'w18', 'w30', 'w32', 'w40', 'w44',
         'w48', 'w64')
OUT_TYPES = ('cls', 'concat')


def _down_block(channels: int) -> nn.Sequential:
    """3x3 stride-2 conv (no bias) + BatchNorm + ReLU, channels unchanged."""
    return nn.Sequential(
        nn.Conv2d(channels, channels, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(channels),
        nn.ReLU(inplace=True))


@MODELS.register_module()
class HRNet(BaseModule):
    """HRNet encoder with a single stride-32 output map.

    Args:
        arch (str): one of ``'w18_small'``, ``'w18_small_v2'``, ``'w18'``,
            ``'w30'``, ``'w32'``, ``'w40'``, ``'w44'``, ``'w48'``,
            ``'w64'`` (timm ``hrnet_<arch>``).
        out_type (str): ``'cls'`` for the classification HRNet's 2048-channel
            map (CLIFF), ``'concat'`` for the concatenation of the last
            stage's four branches downsampled to stride 32 (Multi-RoI).
        in_channels (int): input channels.
        init_cfg: mmengine init config; e.g. ``dict(type='Pretrained',
            checkpoint='path/to/hrnet_w48.pth')``.  Nothing is downloaded.

    Forward: (B, in_channels, H, W) -> tuple with one (B, C, H/32, W/32)
    map, C = 2048 for ``'cls'`` and C = sum of the branch widths for
    ``'concat'`` (W48: 48 + 96 + 192 + 384 = 720; W18: 270).
    ``self.out_channels`` is ``(C,)``.
    """

    def __init__(self, arch: str = 'w48', out_type: str = 'cls',
                 in_channels: int = 3, init_cfg: Optional[dict] = None):
        super().__init__(init_cfg)
        if arch not in ARCHS:
            raise ValueError(f'HRNet arch must be one of {list(ARCHS)}, '
                             f'got {arch!r}')
        if out_type not in OUT_TYPES:
            raise ValueError(f'HRNet out_type must be one of '
                             f'{list(OUT_TYPES)}, got {out_type!r}')
        self.arch = arch
        self.out_type = out_type
        name = f'hrnet_{arch}'
        if out_type == 'cls':
            # classification head up to final_layer; no classifier weights
            self.net = timm.create_model(name, pretrained=False,
                                         in_chans=in_channels,
                                         num_classes=0)
            self.out_channels = (self.net.num_features,)
        else:
            # head='' builds no incre/downsamp/final/classifier modules and
            # forward_features returns the last stage's branch list
            self.net = timm.create_model(name, pretrained=False,
                                         in_chans=in_channels, head='')
            branch_channels = [f['num_chs']
                               for f in self.net.feature_info[1:]]
            assert len(branch_channels) == 4, branch_channels
            self.downsample_stage_1 = nn.Sequential(
                *[_down_block(branch_channels[0]) for _ in range(3)])
            self.downsample_stage_2 = nn.Sequential(
                *[_down_block(branch_channels[1]) for _ in range(2)])
            self.downsample_stage_3 = nn.Sequential(
                _down_block(branch_channels[2]))
            self.out_channels = (sum(branch_channels),)

    def forward(self, x: torch.Tensor):
        feats = self.net.forward_features(x)
        if self.out_type == 'cls':
            return (feats,)
        y1, y2, y3, y4 = feats
        out = torch.cat([self.downsample_stage_1(y1),
                         self.downsample_stage_2(y2),
                         self.downsample_stage_3(y3), y4], dim=1)
        return (out,)
