"""The synthetic data engine's batched half: sampled parameters -> posed
body -> camera -> crop -> the evidence a model consumes (2D keypoint
heatmaps, IUV, depth, silhouette) and the ground truth.

The dataset (:class:`hmrzoo.datasets.SyntheticPoseDataset`) draws the
parameters per sample; this preprocessor does the rest for the whole batch
at once (one body-model call, one rasterisation), on the model's device.
"""
from typing import Dict, List, Sequence, Tuple, Union

import torch
from mmengine.model import BaseDataPreprocessor
from torch import Tensor

from ...body_models.conventions import convert_kps
from ...datasets.augment import (add_depth_outliers, drop_coarse_part,
                                 drop_named_keypoints, iqr_trim,
                                 occlude_rectangle)
from ...cameras.perspective import perspective_project
from ...registry import BODY_MODELS, MODELS
from ...structures import HMRDataSample
from ...utils.heatmaps import normalised_to_heatmap, render_gaussian_heatmaps

#: evidence kinds and their channel counts in ``inputs``
EVIDENCE_CHANNELS = dict(iuv=3, depth=1, silhouette=1, rgb=3, parts=1)


@MODELS.register_module()
class SyntheticEvidencePreprocessor(BaseDataPreprocessor):
    """Pose, project, crop and render a batch of sampled parameters.

    ``inputs`` is the channel-wise concatenation, in the order of
    ``outputs``, of:

    * ``'heatmaps'``: (K_in, S, S) Gaussian heatmaps of the (noisy, partly
      removed) input keypoints, ``heatmap_size`` S;
    * ``'iuv'``: (3, R, R) compact IUV map [I/24, U, V] (I normalised to
      [0, 1] as CRA feeds it; 0 on the background), ``render_size`` R;
    * ``'depth'``: (1, R, R) camera depth in metres, 0 on the background;
    * ``'silhouette'``: (1, R, R) 1 on the body;
    * ``'rgb'``: (3, R, R) shaded image in [0, 1]: albedo from a
      procedural texture through the body model's UV layout
      (``rgb_albedo='texture'``; models without one, and ``'parts'``, use
      one colour per IUV part), Lambertian light and ambient, over a
      procedural colour field spanning the whole camera image, of which
      each crop sees its part (``rgb_background='field'``), a
      uniform colour (``'uniform'``) or a random crop of an image from
      ``background_dir`` (``'images'``); all drawn per sample by the dataset
      (``texture_seed``, ``part_colors``, ``light_dir``, ``ambient``,
      ``background_seed``, ``background``);
    * ``'parts'``: (1, R, R) body-part index 0..24 (the I of IUV as a
      segmentation map; 0 = background).

    (Several kinds need one resolution: all maps must share the heatmap
    size when heatmaps are combined with rendered maps.)

    Each data sample is completed with the ground truth (camera frame,
    metres): ``gt_keypoints3d`` (K, 3) + mask, ``gt_vertices`` (V, 3), the
    same keypoints in normalised crop coordinates ``gt_keypoints2d`` (K, 2)
    ([-1, 1] at the crop corners, x right, y down) + mask, the input
    keypoints ``input_keypoints2d`` + ``input_keypoints2d_mask``, each
    rendered map as ``input_<kind>`` and metainfo ``crop_center`` (2,),
    ``crop_size`` (pixels of the camera image).

    The crop is the square box around the clean input keypoints
    (``crop_from='keypoints'``) or around the rendered body
    (``'foreground'``: the box of the projected vertices, which is the box
    of the silhouette), enlarged by ``crop_scale`` (1.2, CRA), the same at
    training and test time.  Maps are rendered directly at the crop's
    resolution (no resampling).

    Args:
        body_model (dict): body-model config (the estimator's).
        outputs (sequence[str]): evidence kinds, see above.
        input_convention (str): keypoints drawn as heatmaps.
        heatmap_size (int), sigma (float): heatmap side and Gaussian std in
            heatmap pixels.
        render_size (int): side of rendered maps; defaults to heatmap_size.
        crop_from (str): 'keypoints' or 'foreground'.
        crop_scale (float): crop side / box side.
        vertex_noise (float): training only: every vertex moves by
            U(-v, v) metres per axis before rendering (CRA: 0.01).
        augment (dict): training-only augmentations of the rendered maps
            (:mod:`hmrzoo.datasets.augment`), each a probability per sample
            (0 = off): ``part_drop`` (erase one of six coarse parts from
            the IUV map), ``occlusion`` (one rectangle of area
            ``occlusion_area`` (fractions) set to 0 in every rendered map),
            ``depth_outliers`` (share of depth pixels corrupted).
            Keypoint noise and removal are drawn by the dataset.
        rgb_albedo (str): 'texture' or 'parts', see above.
        rgb_background (str): 'field', 'uniform' or 'images', see above.
        background_dir (str): folder of background images for 'images'.
        texture_size (int): side of the procedural textures.
        depth_iqr_trim (bool): apply the IQR trimming of eq. 1-3 of the
            joints+depth paper to the depth map (training and test).
        corruption (dict): damage applied in training **and** testing, the
            robustness protocol of CRA's Table 5 (``tools/robustness.py``):
            ``part_mask`` (probability that a sample's IUV map loses one of
            six coarse parts) and ``limb_joint_drop`` (probability that each
            elbow, wrist, knee and ankle is removed from the input joints).
        input_detector (dict | str, optional): a keypoint detector config
            (``KEYPOINT_DETECTORS``, e.g. ``dict(type=
            'MediaPipePoseDetector')``, or just its type name, as
            ``--cfg-options`` can give it).  When given, the input joints are
            what it detects on each sample's rendered RGB crop (confidence
            >= 0.5; a crop without a person has none) instead of the
            jittered ground truth: detector noise on stand-ins for
            photographs.  Built on first use, kept out of the module's
            state.
    """

    def __init__(self, body_model: dict,
                 outputs: Sequence[str] = ('heatmaps', ),
                 input_convention: str = 'coco', heatmap_size: int = 256,
                 sigma: float = 2.0, render_size: int = None,
                 crop_from: str = 'keypoints', crop_scale: float = 1.2,
                 vertex_noise: float = 0.0, augment: dict = None,
                 rgb_albedo: str = 'texture', rgb_background: str = 'field',
                 background_dir: str = None,
                 texture_size: int = 128, depth_iqr_trim: bool = False,
                 corruption: dict = None,
                 input_detector: Union[dict, str] = None):
        super().__init__()
        unknown = set(outputs) - set(EVIDENCE_CHANNELS) - {'heatmaps'}
        if unknown or not outputs:
            raise ValueError(f'unknown evidence kind(s) {sorted(unknown)}; '
                             f"choose from {['heatmaps'] + list(EVIDENCE_CHANNELS)}")
        if crop_from not in ('keypoints', 'foreground'):
            raise ValueError("crop_from must be 'keypoints' or 'foreground'")
        self.body_model = BODY_MODELS.build(body_model)
        self.outputs = tuple(outputs)
        self.input_convention = input_convention
        self.heatmap_size = (heatmap_size, heatmap_size)
        self.sigma = sigma
        size = render_size or heatmap_size
        self.render_size = (size, size)
        self.crop_from = crop_from
        self.crop_scale = crop_scale
        self.vertex_noise = vertex_noise
        self.augment = dict(part_drop=0.0, occlusion=0.0,
                            occlusion_area=(0.05, 0.2), depth_outliers=0.0)
        unknown = set(augment or {}) - set(self.augment)
        if unknown:
            raise ValueError(f'unknown augmentation(s) {sorted(unknown)}; '
                             f'known: {sorted(self.augment)}')
        self.augment.update(augment or {})
        self.corruption = dict(part_mask=0.0, limb_joint_drop=0.0)
        unknown = set(corruption or {}) - set(self.corruption)
        if unknown:
            raise ValueError(f'unknown corruption(s) {sorted(unknown)}; '
                             f'known: {sorted(self.corruption)}')
        self.corruption.update(corruption or {})
        self.depth_iqr_trim = depth_iqr_trim
        if rgb_albedo not in ('texture', 'parts') or \
                rgb_background not in ('field', 'uniform', 'images'):
            raise ValueError("rgb_albedo must be 'texture' or 'parts' and "
                             "rgb_background 'field', 'uniform' or 'images'")
        if rgb_background == 'images':
            from ...renderers.backgrounds import list_images
            list_images(background_dir or '')  # fail now if unusable
        self.background_dir = background_dir
        self.rgb_albedo, self.rgb_background = rgb_albedo, rgb_background
        self.texture_size = texture_size
        self.input_detector = dict(type=input_detector) \
            if isinstance(input_detector, str) else input_detector
        self._detector = None

    @staticmethod
    def _stack(samples: Sequence[HMRDataSample], key: str, device) -> Tensor:
        return torch.stack([getattr(s, key) for s in samples]).to(device)

    @staticmethod
    def _square_box(points: Tensor, valid: Tensor, scale: float
                    ) -> Tuple[Tensor, Tensor]:
        """Centre (B,2) and side (B,) of the square box around the valid
        points (B,N,2), enlarged by ``scale``."""
        big = torch.finfo(points.dtype).max
        lo = torch.where(valid[..., None], points, big).amin(1)
        hi = torch.where(valid[..., None], points, -big).amax(1)
        return (lo + hi) / 2, (hi - lo).amax(-1) * scale

    def _scene(self, samples: Sequence[HMRDataSample], training: bool
               ) -> Dict[str, Tensor]:
        """Pose the batch's bodies in their cameras (no grad).

        Returns a dict: ``kp3d`` (B,K,3) and ``verts`` (B,V,3) camera frame,
        metres; ``kp_mask`` (K,); ``kp_px`` (B,K,2) and ``in_px`` (B,K_in,2)
        image pixels of the body-model and input keypoints, ``in_mask``
        (K_in,); ``render_verts`` (vertices with the training-time noise);
        ``focal`` (B,), ``pp`` (B,2) and ``img`` (B,) of the camera image.
        """
        device = self.device
        stack = lambda key: self._stack(samples, key, device)  # noqa: E731
        transl = stack('gt_transl')
        focal = torch.tensor([s.focal_length for s in samples], device=device)
        img = torch.tensor([float(s.img_size) for s in samples],
                           device=device)
        pp = (img / 2)[:, None].expand(-1, 2)
        out = self.body_model(stack('gt_global_orient'),
                              stack('gt_body_pose'), stack('gt_betas'),
                              transl=transl)
        kp3d, verts = out['keypoints'], out['vertices']
        kp_mask = out['keypoints_mask'].float()
        zeros = torch.zeros_like(transl)
        kp_px = perspective_project(kp3d, zeros, focal, pp)
        in_px, in_mask = convert_kps(
            kp_px, self.body_model.keypoint_convention,
            self.input_convention, mask=kp_mask)
        render_verts = verts
        if training and self.vertex_noise > 0:
            render_verts = verts + (torch.rand_like(verts) * 2 - 1) \
                * self.vertex_noise
        return dict(kp3d=kp3d, verts=verts, kp_mask=kp_mask, kp_px=kp_px,
                    in_px=in_px, in_mask=in_mask, render_verts=render_verts,
                    focal=focal, pp=pp, img=img)

    def _crop_box(self, scene: Dict[str, Tensor]) -> Tuple[Tensor, Tensor]:
        """The square crop box: centre (B,2) and side (B,), image pixels."""
        if self.crop_from == 'keypoints':
            in_px = scene['in_px']
            valid = (scene['in_mask'] > 0)[None].expand(len(in_px), -1)
            return self._square_box(in_px, valid, self.crop_scale)
        v_px = perspective_project(
            scene['render_verts'], torch.zeros_like(scene['verts'][:, 0]),
            scene['focal'], scene['pp'])
        return self._square_box(
            v_px, torch.ones_like(v_px[..., 0], dtype=torch.bool),
            self.crop_scale)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples: List[HMRDataSample] = data['data_samples']
        with torch.no_grad():
            scene = self._scene(samples, training)
            center, size = self._crop_box(scene)
            to_crop = lambda p: (p - center[:, None]) \
                / (size[:, None, None] / 2)  # noqa: E731
            kp2d = to_crop(scene['kp_px'])
            in_kp = to_crop(scene['in_px']) + 2 * self._stack(
                samples, 'keypoint_jitter', self.device)
            in_keep = self._stack(samples, 'keypoint_keep',
                                  self.device).float() * scene['in_mask'][None]
            kinds = [k for k in self.outputs if k in EVIDENCE_CHANNELS]
            detect = self.input_detector is not None
            if detect and 'rgb' not in kinds:
                kinds.append('rgb')  # the detector's input, in one pass
            maps = self._render(scene['render_verts'], scene['focal'],
                                scene['pp'], center, size, samples, kinds)
            if detect:
                in_kp, in_keep = self._detected_inputs(
                    maps['rgb'] if 'rgb' in self.outputs
                    else maps.pop('rgb'))
            if self.corruption['limb_joint_drop'] > 0:
                in_keep = drop_named_keypoints(
                    in_keep, self.input_convention,
                    self.corruption['limb_joint_drop'], None)
            maps = self._postprocess(maps, training)
            inputs = self._assemble(maps, in_kp, in_keep)
        for i, s in enumerate(samples):
            self._set_ground_truth(s, scene, i, kp2d[i])
            s.input_keypoints2d = in_kp[i]
            s.input_keypoints2d_mask = in_keep[i]
            for kind in self.outputs:
                if kind != 'heatmaps':
                    setattr(s, f'input_{kind}', maps[kind][i])
            s.set_metainfo(dict(crop_center=center[i], crop_size=size[i]))
        return dict(inputs=inputs, data_samples=samples)

    def _detected_inputs(self, rgb: Tensor) -> Tuple[Tensor, Tensor]:
        """Input joints (B, K, 2) normalised crop coordinates and their
        mask (B, K) from ``input_detector`` on the RGB crops (B, 3, S, S)
        (rendered in the same pass as the other maps)."""
        from ...registry import KEYPOINT_DETECTORS
        from .detected_inputs import detect_crop_keypoints
        if self._detector is None:
            self._detector = KEYPOINT_DETECTORS.build(
                dict(self.input_detector, convention=self.input_convention))
        return detect_crop_keypoints(self._detector, rgb)

    def _assemble(self, maps: Dict[str, Tensor], in_kp: Tensor,
                  in_keep: Tensor) -> Tensor:
        """The network input (B, C, H, W): the outputs' channels in order.

        The heatmaps are drawn straight into their channels and ``maps``
        entries are replaced by views of ``inputs``; one allocation instead
        of the maps plus their concatenation, which on CPU halves the
        engine's fresh memory (page faults dominated its variance).
        """
        sizes = [in_kp.shape[1] if k == 'heatmaps' else maps[k].shape[1]
                 for k in self.outputs]
        shapes = {tuple(m.shape[-2:]) for m in maps.values()}
        if 'heatmaps' in self.outputs:
            shapes.add(self.heatmap_size)
        if len(shapes) != 1:
            raise ValueError(f'the outputs {self.outputs} have different '
                             f'sizes {sorted(shapes)}: set render_size to '
                             'heatmap_size')
        inputs = in_kp.new_empty(len(in_kp), sum(sizes), *shapes.pop())
        for kind, part in zip(self.outputs, inputs.split(sizes, 1)):
            if kind == 'heatmaps':
                render_gaussian_heatmaps(
                    normalised_to_heatmap(in_kp, self.heatmap_size), in_keep,
                    self.heatmap_size, self.sigma, out=part)
            else:
                part.copy_(maps[kind])
            maps[kind] = part
        return inputs

    @staticmethod
    def _set_ground_truth(sample: HMRDataSample, scene: Dict[str, Tensor],
                          i: int, keypoints2d: Tensor) -> None:
        """Write sample i's camera-frame 3D keypoints, vertices and 2D
        keypoints (in the crop frame the caller chose) with their masks."""
        sample.gt_keypoints3d = scene['kp3d'][i]
        sample.gt_keypoints3d_mask = scene['kp_mask']
        sample.gt_vertices = scene['verts'][i]
        sample.gt_keypoints2d = keypoints2d
        sample.gt_keypoints2d_mask = scene['kp_mask']

    def _postprocess(self, maps: Dict[str, Tensor],
                     training: bool) -> Dict[str, Tensor]:
        """Training-time augmentations, then the optional depth trimming."""
        if training:
            maps = self._augment(maps)
        if 'iuv' in maps and self.corruption['part_mask'] > 0:
            maps['iuv'] = drop_coarse_part(maps['iuv'],
                                           self.corruption['part_mask'], None)
        if self.depth_iqr_trim and 'depth' in maps:
            maps['depth'] = iqr_trim(maps['depth'][:, 0])[:, None]
        return maps

    def _augment(self, maps: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """Training-time augmentations of the rendered maps."""
        aug, gen = self.augment, None
        if 'iuv' in maps and aug['part_drop'] > 0:
            maps['iuv'] = drop_coarse_part(maps['iuv'], aug['part_drop'], gen)
        if 'depth' in maps and aug['depth_outliers'] > 0:
            maps['depth'] = add_depth_outliers(
                maps['depth'][:, 0], gen, aug['depth_outliers'])[:, None]
        if aug['occlusion'] > 0 and maps:
            kinds = list(maps)
            stacked = torch.cat([maps[k] for k in kinds], 1)
            stacked = occlude_rectangle(stacked, aug['occlusion'],
                                        tuple(aug['occlusion_area']), gen)
            sizes = [maps[k].shape[1] for k in kinds]
            maps = dict(zip(kinds, stacked.split(sizes, 1)))
        return maps

    def _render(self, verts: Tensor, focal: Tensor, pp: Tensor,
                center: Tensor, size: Tensor,
                samples: Sequence[HMRDataSample],
                kinds: Sequence[str] = None,
                resolution: int = None) -> Dict[str, Tensor]:
        """Render maps of camera-frame vertices (B,V,3) into the crops:
        ``kinds`` (default: the configured outputs) at ``resolution``
        (default ``render_size``; RGB always at ``render_size``)."""
        if kinds is None:
            kinds = [k for k in self.outputs if k in EVIDENCE_CHANNELS]
        render_size = self.render_size if resolution is None else (
            resolution, resolution)
        if 'rgb' in kinds and render_size != self.render_size:
            raise ValueError('RGB renders at render_size only')
        if not kinds:
            return {}
        from ...renderers import (interpolate_face_attributes,
                                  interpolate_vertex_attributes, rasterize,
                                  render_depth, render_mask, to_screen)
        from ...renderers.iuv_body_models import atlas_for
        res = verts.new_tensor(render_size[::-1])  # (W, H)
        # crop pixels = (image pixels - crop corner) * res / size - 0.5 maps
        # the crop corners to the outer edges of its pixels
        scale = (res / size[:, None])
        crop_focal = focal[:, None] * scale
        crop_pp = (pp - (center - size[:, None] / 2)) * scale - 0.5
        screen = to_screen(verts, crop_focal, crop_pp)
        atlas = atlas_for(self.body_model).to(verts.device)
        frags = rasterize(screen, atlas.faces, render_size)
        maps = {}
        if 'iuv' in kinds:
            iuv = interpolate_vertex_attributes(
                atlas.corner_iuv(verts.dtype, verts.device,
                                 normalize_index=True).reshape(-1, 3),
                atlas.corner_faces(verts.device), frags)
            maps['iuv'] = iuv.permute(0, 3, 1, 2)
        if 'depth' in kinds:
            maps['depth'] = render_depth(frags)[:, None]
        if 'silhouette' in kinds:
            maps['silhouette'] = render_mask(frags, verts.dtype)[:, None]
        if 'parts' in kinds:
            maps['parts'] = interpolate_face_attributes(
                atlas.face_part.to(verts.dtype)[:, None], frags
            ).permute(0, 3, 1, 2)
        if 'rgb' in kinds:
            maps['rgb'] = self._shade(verts, atlas, frags, samples,
                                      center, size, pp * 2)
        return maps

    def _field_backgrounds(self, seeds: Sequence[int], center: Tensor,
                           size: Tensor, img: Tensor) -> Tensor:
        """(B, H, W, 3) crops of per-image colour fields: the field spans
        the whole camera image ``img`` (B, 2) pixels, so crops of one image
        (e.g. the RoIs of one person) see one consistent background."""
        from ...renderers.textures import colour_field_at
        height, width = self.render_size
        dtype, device = center.dtype, center.device
        unit = torch.stack(torch.meshgrid(
            (torch.arange(width, dtype=dtype, device=device) + 0.5) / width,
            (torch.arange(height, dtype=dtype, device=device) + 0.5) / height,
            indexing='xy'), -1)                       # (H, W, 2) in (0, 1)
        corner = center - size[:, None] / 2
        points = (corner[:, None, None] + unit * size[:, None, None, None]) \
            / img[:, None, None] * 2 - 1
        return torch.stack([
            colour_field_at(s, p.cpu()) for s, p in zip(seeds, points)
        ]).permute(0, 2, 3, 1).to(device)

    def _shade(self, verts: Tensor, atlas, frags,
               samples: Sequence[HMRDataSample], center: Tensor,
               size: Tensor, img: Tensor) -> Tensor:
        """(B, 3, H, W) synthetic RGB, see the class docstring."""
        from ...renderers import (interpolate_face_attributes,
                                  interpolate_vertex_attributes, render_mask)
        from ...renderers.shading import shade_lambertian, vertex_normals
        from ...renderers.textures import sample_texture, smooth_colour_field
        look = lambda key: self._stack(samples, key, verts.device)  # noqa
        seeds = lambda key: [int(getattr(s, key)) for s in samples]  # noqa
        corner_uv = getattr(self.body_model, 'corner_texture_uv', None)
        if self.rgb_albedo == 'texture' and corner_uv is not None and \
                torch.equal(atlas.faces, self.body_model.faces.to(
                    atlas.faces.device)):
            texture = torch.stack([smooth_colour_field(
                s, self.texture_size, cells=8) for s in seeds('texture_seed')
            ]).to(verts)
            uv = interpolate_vertex_attributes(
                corner_uv.to(verts).reshape(-1, 2),
                atlas.corner_faces(verts.device), frags)
            albedo = sample_texture(texture, uv)
        else:
            albedo = interpolate_face_attributes(
                look('part_colors')[:, atlas.face_part], frags)
        normals = interpolate_vertex_attributes(
            vertex_normals(verts, atlas.faces), atlas.faces, frags)
        if self.rgb_background == 'field':
            background = self._field_backgrounds(
                seeds('background_seed'), center, size, img).to(verts)
        elif self.rgb_background == 'images':
            from ...renderers.backgrounds import background_crops
            background = background_crops(
                self.background_dir, seeds('background_seed'),
                self.render_size).to(verts)
        else:
            background = look('background')
        return shade_lambertian(albedo, normals,
                                render_mask(frags, verts.dtype),
                                look('light_dir'), look('ambient'), background)


@MODELS.register_module()
class SyntheticKeypointPreprocessor(SyntheticEvidencePreprocessor):
    """:class:`SyntheticEvidencePreprocessor` producing keypoint heatmaps
    only, cropped around the keypoints (the embedded-default HMR config)."""

    def __init__(self, body_model: dict, input_convention: str = 'coco',
                 heatmap_size: int = 64, sigma: float = 2.0,
                 crop_scale: float = 1.2):
        super().__init__(body_model, outputs=('heatmaps', ),
                         input_convention=input_convention,
                         heatmap_size=heatmap_size, sigma=sigma,
                         crop_from='keypoints', crop_scale=crop_scale)
