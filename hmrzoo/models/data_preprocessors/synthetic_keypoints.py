"""Turn sampled parameters into 2D keypoint heatmaps and ground truth."""
from typing import List, Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from ...body_models.conventions import convert_kps
from ...cameras.perspective import perspective_project
from ...registry import BODY_MODELS, MODELS
from ...structures import HMRDataSample
from ...utils.heatmaps import normalised_to_heatmap, render_gaussian_heatmaps


@MODELS.register_module()
class SyntheticKeypointPreprocessor(BaseDataPreprocessor):
    """Pose the body model on a batch of sampled parameters, project it with
    the sampled perspective camera, crop around the keypoints and render
    Gaussian heatmaps.

    Produces ``inputs`` (B, K_in, H, W) heatmaps and completes each data
    sample with:

    * ``gt_keypoints3d`` (K, 3), ``gt_keypoints3d_mask`` (K,): the body
      model's keypoints (its ``keypoint_convention``), camera frame, metres;
    * ``gt_vertices`` (V, 3), camera frame, metres;
    * ``gt_keypoints2d`` (K, 2): the same keypoints in normalised crop
      coordinates ([-1, 1] at the crop corners, x right, y down) and
      ``gt_keypoints2d_mask`` (K,);
    * ``input_keypoints2d`` (K_in, 2) / ``input_keypoints2d_mask``: the
      (noisy, partly removed) input keypoints, normalised crop coordinates;
    * metainfo ``crop_center`` (2,), ``crop_size`` (pixels of the full
      image).

    The crop is the square box around the clean input keypoints enlarged by
    ``crop_scale`` (1.2, as in CRA), identical at training and test time.

    Args:
        body_model (dict): body-model config (the same as the estimator's).
        input_convention (str): keypoints drawn as heatmaps (``'coco'``).
        heatmap_size (int): side of the square heatmaps.
        sigma (float): Gaussian std in heatmap pixels.
        crop_scale (float): crop side / keypoint-box side.
    """

    def __init__(self, body_model: dict, input_convention: str = 'coco',
                 heatmap_size: int = 64, sigma: float = 2.0,
                 crop_scale: float = 1.2):
        super().__init__()
        self.body_model = BODY_MODELS.build(body_model)
        self.input_convention = input_convention
        self.heatmap_size = (heatmap_size, heatmap_size)
        self.sigma = sigma
        self.crop_scale = crop_scale

    @staticmethod
    def _stack(samples: Sequence[HMRDataSample], key: str, device):
        return torch.stack([getattr(s, key) for s in samples]).to(device)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples: List[HMRDataSample] = data['data_samples']
        device = self.device
        go = self._stack(samples, 'gt_global_orient', device)
        pose = self._stack(samples, 'gt_body_pose', device)
        betas = self._stack(samples, 'gt_betas', device)
        transl = self._stack(samples, 'gt_transl', device)
        jitter = self._stack(samples, 'keypoint_jitter', device)
        keep = self._stack(samples, 'keypoint_keep', device).float()
        focal = torch.tensor([s.focal_length for s in samples],
                             device=device)
        img = torch.tensor([float(s.img_size) for s in samples],
                           device=device)
        with torch.no_grad():
            out = self.body_model(go, pose, betas, transl=transl)
            kp3d, verts = out['keypoints'], out['vertices']
            kp_mask = out['keypoints_mask'].float()
            pp = (img / 2)[:, None].expand(-1, 2)
            kp2d_px = perspective_project(kp3d, torch.zeros_like(transl),
                                          focal, pp)
            in_px, in_mask = convert_kps(
                kp2d_px, self.body_model.keypoint_convention,
                self.input_convention, mask=kp_mask)
            valid = in_mask > 0
            big = torch.finfo(in_px.dtype).max
            lo = torch.where(valid[None, :, None], in_px, big).amin(1)
            hi = torch.where(valid[None, :, None], in_px, -big).amax(1)
            center = (lo + hi) / 2
            size = (hi - lo).amax(-1) * self.crop_scale  # (B,)
            to_crop = lambda p: (p - center[:, None]) / (size[:, None, None] / 2)  # noqa
            kp2d = to_crop(kp2d_px)
            in_kp = to_crop(in_px) + 2 * jitter
            in_keep = keep * in_mask[None]
            heat = render_gaussian_heatmaps(
                normalised_to_heatmap(in_kp, self.heatmap_size), in_keep,
                self.heatmap_size, self.sigma)
        for i, s in enumerate(samples):
            s.gt_keypoints3d = kp3d[i]
            s.gt_keypoints3d_mask = kp_mask
            s.gt_vertices = verts[i]
            s.gt_keypoints2d = kp2d[i]
            s.gt_keypoints2d_mask = kp_mask
            s.input_keypoints2d = in_kp[i]
            s.input_keypoints2d_mask = in_keep[i]
            s.set_metainfo(dict(crop_center=center[i], crop_size=size[i]))
        return dict(inputs=heat, data_samples=samples)
