"""Synthetic full-image scenes seen through bounding boxes: the input of
CLIFF (one RoI + bbox information) and Multi-RoI (M RoIs of one person).

The dataset places the body in a camera image of ``img_size`` pixels with a
known focal length (a wide-angle camera rather than the near-orthographic
one of the keypoint configs, so where the box lies in the image matters).
The person's bbox is the square box around its keypoints enlarged by
``crop_scale``; the RoIs are derived from it as in Multi-RoI §3.5
(:func:`hmrzoo.cameras.roi_boxes`), and each RoI is rendered directly at
``render_size`` (the image is unbounded: a RoI reaching past the image
border still sees the body and the background field, where a real crop
would see padding).
"""
from typing import List, Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from ...cameras.multiroi import ROI_OFFSETS, ROI_SCALES, roi_boxes
from ...registry import MODELS
from ...structures import EVIDENCE_CHANNELS, HMRDataSample
from ...synthetic import SyntheticEngine
from .synthetic_evidence import set_ground_truth

#: torchvision / ImageNet RGB statistics (the official CLIFF and Multi-RoI
#: code normalise their crops with them).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@MODELS.register_module()
class SyntheticRoIPreprocessor(BaseDataPreprocessor):
    """Render M RoIs of every synthetic person.

    ``inputs``: (B, M, C, R, R), the rendered maps of each RoI (channels as
    in :class:`SyntheticEvidencePreprocessor`, without heatmaps); RGB is
    normalised by ``rgb_mean`` / ``rgb_std``.

    Each data sample gets the ground truth of
    :class:`SyntheticEvidencePreprocessor` (3D
    keypoints, vertices, camera frame, metres) and, per RoI,
    ``gt_keypoints2d`` (M, K, 2) in that RoI's normalised crop coordinates
    (``(p - c_m) / (b_m / 2)``: [-1, 1] at the crop edges) with
    ``gt_keypoints2d_mask`` (K,); ``gt_keypoints2d_full`` (K, 2) in image
    pixels; metainfo ``roi_center`` (M, 2) and ``roi_size`` (M,) in image
    pixels, ``img_wh`` (2,) and the dataset's ``focal_length``.

    Args:
        body_model (dict): body-model config.
        num_rois (int): M (1 = CLIFF's single crop).
        roi_offsets, roi_scales: see :func:`hmrzoo.cameras.roi_boxes`.
        outputs (sequence[str]): rendered kinds; default ``('rgb',)``.
        render_size (int): side R of each RoI's maps.
        rgb_mean, rgb_std (sequence[float]): RGB normalisation.
        targets (dict, optional): dense ground truth of RoI 0 rendered at
            its own size, ``kind -> side`` for kinds among iuv, parts,
            silhouette, depth; stored as ``gt_<kind>`` (C, S, S) (e.g.
            ``dict(iuv=56)``: PyMAF's IUV target at its finest level).
        **engine: the :class:`~hmrzoo.synthetic.SyntheticEngine`
            arguments (crop_from, crop_scale, vertex_noise, augment,
            rgb_albedo, rgb_background, ...).
    """

    def __init__(self, body_model: dict, num_rois: int = 5,
                 roi_offsets: Sequence = ROI_OFFSETS,
                 roi_scales: Sequence = ROI_SCALES,
                 outputs: Sequence[str] = ('rgb', ), render_size: int = 64,
                 rgb_mean: Sequence[float] = IMAGENET_MEAN,
                 rgb_std: Sequence[float] = IMAGENET_STD,
                 targets: dict = None, **engine):
        if 'heatmaps' in outputs:
            raise ValueError('SyntheticRoIPreprocessor renders maps only; '
                             "'heatmaps' is not supported")
        unknown = set(outputs) - set(EVIDENCE_CHANNELS)
        if unknown or not outputs:
            raise ValueError(f'unknown evidence kind(s) {sorted(unknown)}; '
                             f'choose from {list(EVIDENCE_CHANNELS)}')
        super().__init__()
        self.engine = SyntheticEngine(body_model, render_size=render_size,
                                      **engine)
        self.outputs = tuple(outputs)
        self.num_rois = num_rois
        self.targets = dict(targets or {})
        bad = set(self.targets) - {'iuv', 'parts', 'silhouette', 'depth'}
        if bad:
            raise ValueError(f'unknown target kind(s) {sorted(bad)}; '
                             'choose from iuv, parts, silhouette, depth')
        self.roi_offsets = tuple(tuple(o) for o in roi_offsets)
        self.roi_scales = tuple(roi_scales)
        roi_boxes(torch.zeros(1, 2), torch.ones(1), num_rois,
                  self.roi_offsets, self.roi_scales)  # validate now
        self.register_buffer('rgb_mean', torch.tensor(rgb_mean)[:, None,
                                                                None], False)
        self.register_buffer('rgb_std', torch.tensor(rgb_std)[:, None,
                                                              None], False)

    def real_data_counterpart(self) -> dict:
        """How the same network reads a real photograph (the inference
        API): RGB crops (M = ``num_rois`` about each person box, as
        ``AffineCrop`` cuts them) normalised as this preprocessor normalises
        its renders (mmengine's ``ImgDataPreprocessor`` on BGR uint8 crops,
        one RoI; :class:`RoIImgDataPreprocessor` for several), at the render
        size, the crop ``crop_scale`` times the person box.

        Raises:
            ValueError: the network reads maps other than RGB.
        """
        if self.outputs != ('rgb', ):
            raise ValueError(f'the network reads {list(self.outputs)}; a '
                             'photograph gives only its RGB crops')
        mean = [255. * float(v) for v in self.rgb_mean.flatten()]
        std = [255. * float(v) for v in self.rgb_std.flatten()]
        return dict(
            preprocessor=dict(
                type='ImgDataPreprocessor' if self.num_rois == 1 else
                'RoIImgDataPreprocessor', mean=mean, std=std,
                bgr_to_rgb=True),
            crop_size=tuple(self.engine.render_size),
            box_scale=self.engine.crop_scale, num_rois=self.num_rois,
            rois=dict(offsets=self.roi_offsets, scales=self.roi_scales,
                      num_rois=self.num_rois) if self.num_rois > 1 else None,
            keypoints=None, iuv=False, depth=False)

    @property
    def network_channels(self) -> int:
        """Channels of one RoI's input (the outputs' channels), the size
        estimators give their backbone's ``in_channels``; ``num_rois`` is
        the head's M."""
        return sum(EVIDENCE_CHANNELS[k] for k in self.outputs)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples: List[HMRDataSample] = data['data_samples']
        batch, m = len(samples), self.num_rois
        engine = self.engine
        with torch.no_grad():
            scene = engine.scene(samples, training, self.device)
            center, size = engine.crop(scene)
            centers, sizes = roi_boxes(center, size, m, self.roi_offsets,
                                       self.roi_scales)     # (B,M,2), (B,M)
            rows = lambda t: t.repeat_interleave(m, 0)  # noqa: E731
            maps = engine.render(
                rows(scene.render_verts), rows(scene.focal), rows(scene.pp),
                centers.reshape(-1, 2), sizes.reshape(-1),
                [s for s in samples for _ in range(m)], self.outputs,
                mesh_repeats=m)
            maps = engine.damage.maps(maps, training)
            if 'rgb' in maps:
                maps['rgb'] = (maps['rgb'] - self.rgb_mean) / self.rgb_std
            gt_maps = {}
            for kind, side in self.targets.items():
                gt_maps.update(engine.render(   # from the clean body
                    scene.verts, scene.focal, scene.pp, centers[:, 0],
                    sizes[:, 0], samples, kinds=(kind, ), resolution=side))
            kp_px = scene.kp_px
            kp2d = (kp_px[:, None] - centers[:, :, None]) \
                / (sizes[..., None, None] / 2)               # (B,M,K,2)
        inputs = torch.cat([maps[k] for k in self.outputs], dim=1)
        inputs = inputs.reshape(batch, m, *inputs.shape[1:])
        img_wh = torch.stack([scene.img, scene.img], -1)
        for i, s in enumerate(samples):
            set_ground_truth(s, scene, i, kp2d[i])
            s.gt_keypoints2d_full = kp_px[i]
            for kind, value in gt_maps.items():
                setattr(s, f'gt_{kind}', value[i])
            s.set_metainfo(dict(roi_center=centers[i], roi_size=sizes[i],
                                img_wh=img_wh[i]))
        return dict(inputs=inputs, data_samples=samples)
