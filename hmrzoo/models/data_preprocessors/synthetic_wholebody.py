"""Paired whole-body data from sampled parameter vectors (the STS paper's
Fig. 4 b): pose the whole-body model, project its keypoints with the
sampled perspective camera, crop around them."""
from typing import List

import torch
from mmengine.model import BaseDataPreprocessor

from ...registry import BODY_MODELS, MODELS
from ...structures import HMRDataSample, stack_field
from ..utils.part_normalisation import normalise_part, part_indices

_PARAMS = ('left_hand_pose', 'right_hand_pose', 'expression', 'jaw_pose')


@MODELS.register_module()
class SyntheticWholeBodyPreprocessor(BaseDataPreprocessor):
    """Pose, project and crop a batch of
    :class:`~hmrzoo.synthetic.SyntheticWholeBodyDataset` samples.

    ``inputs`` (B, K, 3): the ``input_convention`` keypoints in normalised
    crop coordinates (``[-1, 1]`` at the crop's corners, x right, y down)
    with the noise the dataset drew (scaled to each part's size) and a
    third column, 1 where the point is given (the body model has it and it
    was not dropped).  The crop is the square ``crop_scale`` times the
    longer side of the box of the projected keypoints, centred on it.

    Each data sample gets ``gt_keypoints3d`` (K, 3) metres, camera frame,
    and its mask,
    ``gt_keypoints2d`` (K, 2) (the exact projection, crop frame) and its
    mask, ``input_keypoints2d`` / ``input_keypoints2d_mask``, and metainfo
    ``crop_center`` (2,), ``crop_size`` (pixels of the camera image).

    Args:
        body_model (dict): the whole-body model config (the estimator's).
        input_convention (str): convention of the keypoints.
        crop_scale (float): crop side over the keypoint box's longer side.
    """

    def __init__(self, body_model: dict,
                 input_convention: str = 'coco_wholebody',
                 crop_scale: float = 1.2):
        super().__init__()
        self.body_model = BODY_MODELS.build(dict(
            body_model, keypoint_convention=input_convention))
        self.input_convention = input_convention
        self.crop_scale = float(crop_scale)
        self.parts = part_indices(input_convention)

    def real_data_counterpart(self) -> dict:
        """How the same network reads a photograph (the inference API):
        whole-body keypoints found by the offline holistic detector in the
        person's box, a square crop ``crop_scale`` times the box (the
        synthetic crop frames the keypoints the same way)."""
        return dict(
            preprocessor=dict(type='DetectedWholeBodyPreprocessor',
                              input_convention=self.input_convention),
            crop_size=(256, 256), box_scale=self.crop_scale, num_rois=1,
            keypoints=self.input_convention,
            detector=dict(type='MediaPipeHolisticDetector'))

    def pose(self, samples: List[HMRDataSample]) -> dict:
        """The body-model output of the samples' parameters (body frame)."""
        dev = self.device
        kwargs = {k: stack_field(samples, f'gt_{k}', dev) for k in _PARAMS
                  if f'gt_{k}' in samples[0]}
        with torch.no_grad():
            return self.body_model(
                stack_field(samples, 'gt_global_orient', dev),
                stack_field(samples, 'gt_body_pose', dev),
                stack_field(samples, 'gt_betas', dev), **kwargs)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples: List[HMRDataSample] = data['data_samples']
        dev = self.device
        out = self.pose(samples)
        kp3d, mask = out['keypoints'], out['keypoints_mask'].float()
        transl = stack_field(samples, 'gt_transl', dev)
        focal = torch.tensor([s.focal_length for s in samples], device=dev)
        cam_pts = kp3d + transl[:, None]
        px = focal[:, None, None] * cam_pts[..., :2] / cam_pts[..., 2:]
        big = torch.finfo(px.dtype).max
        m = mask[None, :, None] > 0
        lo = torch.where(m, px, big).amin(1)
        hi = torch.where(m, px, -big).amax(1)
        center = (lo + hi) / 2
        size = (hi - lo).amax(-1) * self.crop_scale
        kp2d = (px - center[:, None]) / (size[:, None, None] / 2) * \
            mask[None, :, None]
        keep = stack_field(samples, 'keypoint_keep', dev).float() * mask
        noisy = kp2d.clone()
        jitter = stack_field(samples, 'keypoint_jitter', dev)
        present = mask[None].expand(len(samples), -1)
        for idx in self.parts.values():
            # noise at the part's own size: half its box's longer side
            _, _, half = normalise_part(kp2d[:, idx], present[:, idx])
            noisy[:, idx] += jitter[:, idx] * half[:, None, None]
        noisy = noisy * keep[..., None]
        inputs = torch.cat([noisy, keep[..., None]], -1)
        for i, s in enumerate(samples):
            s.gt_keypoints3d = cam_pts[i]
            s.gt_keypoints3d_mask = mask
            s.gt_keypoints2d = kp2d[i]
            s.gt_keypoints2d_mask = mask
            s.input_keypoints2d = noisy[i]
            s.input_keypoints2d_mask = keep[i]
            s.set_metainfo(dict(crop_center=center[i], crop_size=size[i]))
        return dict(inputs=inputs, data_samples=samples)


@MODELS.register_module()
class DetectedWholeBodyPreprocessor(BaseDataPreprocessor):
    """The real-photograph counterpart of
    :class:`SyntheticWholeBodyPreprocessor`: ``inputs`` (B, K, 3) from
    detected keypoints packed in the samples (``keypoints_key`` (K, 2)
    normalised crop coordinates and ``<keypoints_key>_mask`` (K,), what
    :class:`~hmrzoo.datasets.transforms.PackHMRInputs` makes of
    ``keypoints2d_detected``), absent points zeroed and flagged 0.

    Args:
        keypoints_key (str): the sample field of the keypoints.
        input_convention (str): their convention (the network's).
    """

    def __init__(self, keypoints_key: str = 'det_keypoints2d',
                 input_convention: str = 'coco_wholebody'):
        super().__init__()
        self.keypoints_key = keypoints_key
        self.input_convention = input_convention

    def forward(self, data: dict, training: bool = False) -> dict:
        samples = data['data_samples']
        key = self.keypoints_key
        kp = stack_field(samples, key, self.device, type(self).__name__)
        mask = stack_field(samples, f'{key}_mask', self.device,
                           type(self).__name__).float()
        kp = kp.reshape(len(samples), -1, 2)
        return dict(inputs=torch.cat([kp * mask[..., None], mask[..., None]],
                                     -1), data_samples=samples)
