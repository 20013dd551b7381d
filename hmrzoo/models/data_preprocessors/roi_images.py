"""Image batches with a RoI axis: mmengine's ImgDataPreprocessor applied to
every RoI of every sample (Multi-RoI on real images)."""
import torch
from mmengine.model import ImgDataPreprocessor

from ...registry import MODELS


@MODELS.register_module()
class RoIImgDataPreprocessor(ImgDataPreprocessor):
    """Normalise (and convert BGR to RGB) M crops per sample.

    ``inputs``: a list of B tensors (M, 3, H, W) (``pseudo_collate``) or a
    (B, M, 3, H, W) tensor; returns (B, M, 3, H, W) floats.  Arguments are
    those of :class:`mmengine.model.ImgDataPreprocessor`; every crop of a
    batch must have one size (the RoIs are resized to the crop size).
    """

    #: channels of one crop (RGB), the backbone's ``in_channels``; the
    #: number of RoIs comes with the data (the dataset's pipeline), so the
    #: head's ``num_rois`` is stated in the config
    network_channels = 3

    def forward(self, data: dict, training: bool = False) -> dict:
        inputs = data['inputs']
        if isinstance(inputs, torch.Tensor):
            inputs = list(inputs)
        counts = {x.shape[0] for x in inputs}
        if len(counts) != 1 or inputs[0].dim() != 4:
            raise ValueError('RoIImgDataPreprocessor expects (M, 3, H, W) '
                             'crops per sample with one M for the batch; got '
                             f'shapes {[tuple(x.shape) for x in inputs]}')
        m = counts.pop()
        flat = [crop for x in inputs for crop in x]
        out = super().forward(dict(data, inputs=flat), training)
        batch = out['inputs']
        out['inputs'] = batch.reshape(len(inputs), m, *batch.shape[1:])
        return out
