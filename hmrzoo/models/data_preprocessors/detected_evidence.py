"""CRA's input on real crops: heatmaps of detected 2D keypoints and, when
the samples carry one, a detected compact IUV map."""
from typing import List

import torch
from mmengine.model import BaseDataPreprocessor

from ...registry import MODELS
from ...structures import HMRDataSample
from ...utils.heatmaps import normalised_to_heatmap, render_gaussian_heatmaps


@MODELS.register_module()
class DetectedEvidencePreprocessor(BaseDataPreprocessor):
    """Build ``inputs`` from detections packed in the data samples.

    Keypoints: ``keypoints_key`` (K, 2) in normalised crop coordinates
    with ``<keypoints_key>_mask`` (K,) (what :class:`PackHMRInputs` makes of
    an annotation file's ``keypoints2d``; for CRA the detector's COCO-17
    keypoints, file convention ``coco``), drawn as Gaussian heatmaps of
    ``heatmap_size`` and copied to ``input_keypoints2d`` (+ ``_mask``), the
    field CRA's joint discrepancy reads.  IUV: ``iuv_key`` (3, S, S)
    compact ``[I/24, U, V]`` (a DensePose crop), appended after the
    heatmaps; with ``with_iuv=False`` the inputs hold the heatmaps only
    (CRA's IUV decoder then supplies the IUV).  Images are ignored.

    Args:
        heatmap_size (int), sigma (float): as for the synthetic evidence.
        keypoints_key (str), iuv_key (str): sample fields.
        with_iuv (bool): append the IUV map.
    """

    def __init__(self, heatmap_size: int = 256, sigma: float = 4.0,
                 keypoints_key: str = 'gt_keypoints2d',
                 iuv_key: str = 'input_iuv', with_iuv: bool = True):
        super().__init__()
        self.size = (heatmap_size, heatmap_size)
        self.sigma = sigma
        self.keypoints_key, self.iuv_key = keypoints_key, iuv_key
        self.with_iuv = with_iuv

    def _stack(self, samples: List[HMRDataSample], key: str):
        missing = [i for i, s in enumerate(samples) if key not in s]
        if missing:
            raise KeyError(f'DetectedEvidencePreprocessor reads {key!r}, '
                           f'which samples {missing} lack (fields: '
                           f'{sorted(samples[missing[0]].keys())})')
        return torch.stack([torch.as_tensor(getattr(s, key)).float()
                            for s in samples]).to(self.device)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples = data['data_samples']
        kp = self._stack(samples, self.keypoints_key)
        mask = self._stack(samples, f'{self.keypoints_key}_mask')
        if mask.dim() == 3:
            mask = mask[..., 0]
        maps = [render_gaussian_heatmaps(
            normalised_to_heatmap(kp, self.size), mask, self.size,
            self.sigma)]
        if self.with_iuv:
            maps.append(self._stack(samples, self.iuv_key))
        for i, s in enumerate(samples):
            s.input_keypoints2d = kp[i]
            s.input_keypoints2d_mask = mask[i]
        return dict(inputs=torch.cat(maps, dim=1), data_samples=samples)
