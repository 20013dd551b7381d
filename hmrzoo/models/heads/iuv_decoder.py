"""CRA's auxiliary reconstruction (``000_f8ace6beef631e18.txt`` §4.4): a
decoder symmetric to the encoder predicts the IUV map from the joint
stream's features."""
from typing import Dict, Sequence

from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS
from .iuv_head import IUVPredictor


def _up_stage(in_ch: int, out_ch: int) -> nn.Sequential:
    """x2 upsampling: 4x4 transposed convolution (stride 2) + BN + ReLU,
    then a 3x3 convolution + BN + ReLU."""
    return nn.Sequential(
        nn.ConvTranspose2d(in_ch, out_ch, 4, stride=2, padding=1,
                           bias=False),
        nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True),
        nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True))


@MODELS.register_module()
class IUVDecoder(BaseModule):
    """ResNet-18 run backwards: one x2 stage per entry of ``channels``
    (default 512 -> 256 -> 128 -> 64 -> 64 -> 64, mirroring layer4 ...
    conv1: five stages bring 8x8 back to 256x256), then PyMAF's IUV
    predictor (:class:`IUVPredictor`: part logits, coarse-part logits, U
    and V per part), trained with PyMAF's dense-correspondence loss.

    Args:
        in_channels (int): channels of φ0 (512).
        channels (sequence[int]): output channels of each stage; fewer
            stages decode at a lower resolution (the target is downsized).
        num_parts (int): DensePose parts (24).

    Forward: (B, in_channels, h, w) -> dict ``index`` (B, 25, H, W),
    ``ann`` (B, 15, H, W), ``u``, ``v`` (B, 25, H, W) with
    ``H = h · 2^len(channels)``.
    """

    def __init__(self, in_channels: int = 512,
                 channels: Sequence[int] = (256, 128, 64, 64, 64),
                 num_parts: int = 24, init_cfg=None):
        super().__init__(init_cfg)
        if not channels:
            raise ValueError('IUVDecoder needs at least one stage')
        widths = [in_channels] + list(channels)
        self.stages = nn.Sequential(*[
            _up_stage(a, b) for a, b in zip(widths[:-1], widths[1:])])
        self.predictor = IUVPredictor(widths[-1], num_parts=num_parts)
        self.upsampling = 2 ** len(channels)

    def forward(self, feat: Tensor) -> Dict[str, Tensor]:
        return self.predictor(self.stages(feat))
