"""Evidence-input models on real crops: heatmaps of detected 2D keypoints
and, when the samples carry them, a detected compact IUV map (CRA) and a
depth estimator's map (the joints+depth method)."""
from typing import List, Optional

import torch
from mmengine.model import BaseDataPreprocessor

from ...conventions import convert_kps, get_keypoint_num
from ...registry import MODELS
from ...synthetic.augment import iqr_trim, relative_depth
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
    (CRA's IUV decoder then supplies the IUV).  Depth: ``input_depth``
    (1, S, S) (what ``LoadDepth`` + ``PackHMRInputs`` make of
    ``depth_path``), IQR-trimmed in place with ``depth_iqr_trim`` (the loss
    reads the trimmed map) and appended last, as
    :class:`SyntheticEvidencePreprocessor` does.  Images are ignored.

    Args:
        heatmap_size (int), sigma (float): as for the synthetic evidence.
        keypoints_key (str), iuv_key (str): sample fields.
        with_iuv (bool): append the IUV map.
        with_depth (bool): read the depth map; ``depth_input`` False keeps
            it out of ``inputs`` (written to the samples only).
        depth_iqr_trim (bool): eq. 1-3 of the joints+depth method.
        depth_scale (float, optional): see
            :class:`SyntheticEvidencePreprocessor`.
        input_convention (str, optional): the convention of the packed
            keypoints (``'coco'`` for the detector's); when given, a batch
            with another number of keypoints is refused and
            ``network_channels`` is known before any batch (estimators then
            derive their backbone's ``in_channels``).
        packed_convention (str, optional): the convention the dataset
            packs the keypoints in (its ``keypoint_convention``) when that
            is not ``input_convention``, e.g. ``'smpl_54'`` on a test set
            whose 3D ground truth needs it: the keypoints are converted to
            ``input_convention`` (which must be given) before drawing.
    """

    def __init__(self, heatmap_size: int = 256, sigma: float = 4.0,
                 keypoints_key: str = 'gt_keypoints2d',
                 iuv_key: str = 'input_iuv', with_iuv: bool = True,
                 with_depth: bool = False, depth_input: bool = True,
                 depth_iqr_trim: bool = False, depth_scale: float = None,
                 input_convention: Optional[str] = None,
                 packed_convention: Optional[str] = None):
        super().__init__()
        if packed_convention is not None and input_convention is None:
            raise ValueError('DetectedEvidencePreprocessor: packed_convention '
                             f'{packed_convention!r} needs input_convention '
                             '(the convention to convert the keypoints to)')
        self.input_convention = input_convention
        self.packed_convention = packed_convention
        self.with_depth, self.depth_input = with_depth, depth_input
        self.depth_iqr_trim, self.depth_scale = depth_iqr_trim, depth_scale
        self.size = (heatmap_size, heatmap_size)
        self.sigma = sigma
        self.keypoints_key, self.iuv_key = keypoints_key, iuv_key
        self.with_iuv = with_iuv

    @property
    def network_channels(self) -> Optional[int]:
        """Channels of ``inputs`` (K heatmaps, 3 IUV, 1 depth), or None
        without an ``input_convention`` (K is then known only from the
        data)."""
        if self.input_convention is None:
            return None
        return (get_keypoint_num(self.input_convention)
                + 3 * self.with_iuv
                + (self.with_depth and self.depth_input))

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
        if self.packed_convention is not None:
            kp, kept = convert_kps(kp, self.packed_convention,
                                   self.input_convention)
            mask, _ = convert_kps(mask[..., None], self.packed_convention,
                                  self.input_convention)
            mask = mask[..., 0] * torch.as_tensor(kept).to(mask)
        if self.input_convention is not None and kp.shape[1] != \
                get_keypoint_num(self.input_convention):
            raise ValueError(
                f'DetectedEvidencePreprocessor: the samples carry '
                f'{kp.shape[1]} keypoints in {self.keypoints_key!r}, but '
                f'input_convention {self.input_convention!r} has '
                f'{get_keypoint_num(self.input_convention)}; convert the '
                'annotation file to that convention (or run '
                'tools/detect_keypoints.py) or set '
                'model.data_preprocessor.input_convention')
        maps = [render_gaussian_heatmaps(
            normalised_to_heatmap(kp, self.size), mask, self.size,
            self.sigma)]
        if self.with_iuv:
            maps.append(self._stack(samples, self.iuv_key))
        if self.with_depth:
            depth = self._stack(samples, 'input_depth')
            if self.depth_iqr_trim:
                depth = iqr_trim(depth[:, 0])[:, None]
            if self.depth_input:
                maps.append(relative_depth(depth, self.depth_scale)
                            if self.depth_scale else depth)
        for i, s in enumerate(samples):
            s.input_keypoints2d = kp[i]
            s.input_keypoints2d_mask = mask[i]
            if self.with_depth:
                s.input_depth = depth[i]
        return dict(inputs=torch.cat(maps, dim=1), data_samples=samples)
