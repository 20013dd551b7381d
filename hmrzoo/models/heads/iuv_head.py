"""PyMAF's auxiliary dense-correspondence head (``004_5b6799bce7999b60``
§3.3): per-pixel part index and per-part U, V from a spatial feature map."""
from typing import Dict

from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS


@MODELS.register_module()
class IUVPredictor(BaseModule):
    """Four 3x3 convolutions on a (B, C, H, W) map: ``predict_uv_index``
    (25 = background + 24 parts), ``predict_ann_index`` (15 = background
    + DensePose-COCO's 14 coarse parts), ``predict_u`` and ``predict_v``
    (25 each: one U / V channel per part), PyMAF's layout and names.

    Forward: (B, C, H, W) -> dict ``index`` (B, 25, H, W) and ``ann``
    (B, 15, H, W) logits, ``u``, ``v`` (B, 25, H, W).
    """

    def __init__(self, in_channels: int = 256, num_parts: int = 24,
                 num_coarse: int = 14, init_cfg=None):
        super().__init__(init_cfg)
        conv = lambda out: nn.Conv2d(in_channels, out, 3, padding=1)  # noqa
        self.predict_uv_index = conv(num_parts + 1)
        self.predict_ann_index = conv(num_coarse + 1)
        self.predict_u = conv(num_parts + 1)
        self.predict_v = conv(num_parts + 1)

    def forward(self, x: Tensor) -> Dict[str, Tensor]:
        return dict(index=self.predict_uv_index(x),
                    ann=self.predict_ann_index(x),
                    u=self.predict_u(x), v=self.predict_v(x))
