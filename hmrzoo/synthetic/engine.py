"""The synthetic engine: sampled parameters -> posed bodies -> crops ->
rendered evidence maps, batched on the model's device.

The dataset (:class:`~hmrzoo.synthetic.SyntheticPoseDataset`) draws the
parameters per sample; the engine does the rest for the whole batch at once
(one body-model call, one rasterisation).  The data preprocessors of
:mod:`hmrzoo.models.data_preprocessors` own one engine each and decide what
the network sees (heatmaps, RoIs, targets).
"""
from typing import Dict, Sequence, Tuple

from torch import Tensor, nn

from ..registry import BODY_MODELS, RENDERERS
from ..renderers.body_renderer import MAP_CHANNELS
from ..renderers.iuv_body_models import atlas_for
from ..structures import HMRDataSample
from .appearance import RGBAppearance
from .damage import EvidenceDamage
from .scene import Scene, crop_box, crop_camera, pose_scene


class SyntheticEngine(nn.Module):
    """Pose, crop, render and damage a batch of sampled parameters.

    Args:
        body_model (dict): body-model config (the estimator's).
        input_convention (str): convention of the input keypoints.
        render_size (int): side of rendered maps.
        crop_from (str): 'keypoints' (the square box around the clean
            input keypoints) or 'foreground' (the box of the projected
            vertices, i.e. of the silhouette).
        crop_scale (float): crop side / box side (1.2, CRA), the same at
            training and test time.
        vertex_noise (float): training only: every rendered vertex moves by
            U(-v, v) metres per axis (CRA: 0.01).
        augment, corruption, depth_iqr_trim: see
            :class:`~hmrzoo.synthetic.damage.EvidenceDamage`.
        rgb_albedo, rgb_background, background_dir, texture_size: see
            :class:`~hmrzoo.synthetic.appearance.RGBAppearance`.
        renderer (dict): a ``RENDERERS`` config with the methods of
            :class:`~hmrzoo.renderers.BodyMapRenderer`.
    """

    def __init__(self, body_model: dict, input_convention: str = 'coco',
                 render_size: int = 256, crop_from: str = 'keypoints',
                 crop_scale: float = 1.2, vertex_noise: float = 0.0,
                 augment: dict = None, corruption: dict = None,
                 depth_iqr_trim: bool = False, rgb_albedo: str = 'texture',
                 rgb_background: str = 'field', background_dir: str = None,
                 texture_size: int = 128,
                 renderer: dict = dict(type='BodyMapRenderer')):
        super().__init__()
        if crop_from not in ('keypoints', 'foreground'):
            raise ValueError("crop_from must be 'keypoints' or 'foreground'")
        self.body_model = BODY_MODELS.build(body_model)
        self.input_convention = input_convention
        self.render_size = (render_size, render_size)
        self.crop_from, self.crop_scale = crop_from, crop_scale
        self.vertex_noise = vertex_noise
        self.damage = EvidenceDamage(augment, corruption, depth_iqr_trim)
        self.appearance = RGBAppearance(rgb_albedo, rgb_background,
                                        background_dir, texture_size)
        self.renderer = RENDERERS.build(renderer)

    def scene(self, samples: Sequence[HMRDataSample], training: bool,
              device) -> Scene:
        """The batch's bodies posed in their cameras (see
        :func:`~hmrzoo.synthetic.scene.pose_scene`)."""
        return pose_scene(self.body_model, samples, self.input_convention,
                          self.vertex_noise, training, device)

    def crop(self, scene: Scene) -> Tuple[Tensor, Tensor]:
        """Centre (B, 2) and side (B,) of each sample's crop, pixels."""
        return crop_box(scene, self.crop_from, self.crop_scale)

    def render(self, verts: Tensor, focal: Tensor, pp: Tensor,
               center: Tensor, size: Tensor,
               samples: Sequence[HMRDataSample], kinds: Sequence[str],
               resolution: int = None,
               mesh_repeats: int = 1) -> Dict[str, Tensor]:
        """Maps ``kinds`` (among :data:`EVIDENCE_CHANNELS`) of camera-frame
        vertices (B, V, 3) in the crops ``center`` (B, 2) / ``size`` (B,)
        of cameras ``focal`` (B,) / ``pp`` (B, 2), at ``resolution``
        (default ``render_size``; RGB always at ``render_size``).
        ``mesh_repeats``: every mesh comes that many times in a row (the
        RoIs of one scene); per-mesh work (normals) is done once."""
        size_hw = self.render_size if resolution is None else (
            resolution, resolution)
        if 'rgb' in kinds and size_hw != self.render_size:
            raise ValueError('RGB renders at render_size only')
        if not kinds:
            return {}
        camera = crop_camera(focal, pp, center, size, size_hw)
        atlas = atlas_for(self.body_model).to(verts.device)
        _, frags = self.renderer.rasterize(verts, camera, atlas.faces,
                                           size_hw)
        maps = self.renderer.read_maps(
            frags, atlas, [k for k in kinds if k in MAP_CHANNELS], verts)
        if 'rgb' in kinds:
            maps['rgb'] = self.appearance.shade(
                self.body_model, verts, atlas, frags, samples, center, size,
                pp * 2, self.render_size, mesh_repeats)
        return maps
