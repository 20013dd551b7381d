"""Synthetic RGB: albedo, light and background of rasterized bodies.

The look of each sample is drawn by the dataset
(:class:`~hmrzoo.synthetic.SyntheticPoseDataset`: ``texture_seed``,
``part_colors``, ``light_dir``, ``ambient``, ``background_seed``,
``background``); :class:`RGBAppearance` turns it into pixels:

* albedo from a procedural texture through the body model's UV layout
  (``albedo='texture'``; models without one, and ``'parts'``, use one
  colour per IUV part);
* Lambertian light plus ambient (:mod:`hmrzoo.synthetic.shading`);
* over a procedural colour field spanning the whole camera image, of which
  each crop sees its part (``background='field'``), a uniform colour
  (``'uniform'``) or a random crop of an image from ``background_dir``
  (``'images'``).
"""
from typing import Sequence, Tuple

import torch
from torch import Tensor

from ..renderers import (interpolate_face_attributes,
                         interpolate_vertex_attributes, render_mask)
from ..renderers.iuv_atlas import IUVAtlas
from ..renderers.rasterizer import Fragments
from ..structures import HMRDataSample, stack_field
from .backgrounds import background_crops, list_images
from .shading import shade_lambertian, vertex_normals
from .textures import colour_field_at, sample_texture, smooth_colour_field


class RGBAppearance:
    """Shade rasterized bodies into (B, 3, H, W) RGB in [0, 1].

    Args:
        albedo (str): 'texture' or 'parts'.
        background (str): 'field', 'uniform' or 'images'.
        background_dir (str): folder of background images for 'images'
            (checked now).
        texture_size (int): side of the procedural textures.
    """

    def __init__(self, albedo: str = 'texture', background: str = 'field',
                 background_dir: str = None, texture_size: int = 128):
        if albedo not in ('texture', 'parts') or \
                background not in ('field', 'uniform', 'images'):
            raise ValueError("rgb_albedo must be 'texture' or 'parts' and "
                             "rgb_background 'field', 'uniform' or 'images'")
        if background == 'images':
            list_images(background_dir or '')  # fail now if unusable
        self.albedo, self.background = albedo, background
        self.background_dir = background_dir
        self.texture_size = texture_size

    def field_backgrounds(self, seeds: Sequence[int], center: Tensor,
                          size: Tensor, img: Tensor,
                          resolution: Tuple[int, int]) -> Tensor:
        """(B, H, W, 3) crops of per-image colour fields: the field spans
        the whole camera image ``img`` (B, 2) pixels, so crops of one image
        (e.g. the RoIs of one person) see one consistent background."""
        height, width = resolution
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

    def shade(self, body_model, verts: Tensor, atlas: IUVAtlas,
              frags: Fragments, samples: Sequence[HMRDataSample],
              center: Tensor, size: Tensor, img: Tensor,
              resolution: Tuple[int, int], mesh_repeats: int = 1) -> Tensor:
        """(B, 3, H, W) RGB of bodies ``verts`` (B, V, 3) rasterized into
        ``frags`` at ``resolution``, seen through crops ``center`` (B, 2) /
        ``size`` (B,) of camera images of ``img`` (B, 2) pixels;
        ``mesh_repeats``: each mesh comes that many times in a row (RoIs of
        one scene), so its normals are computed once."""
        look = lambda key: stack_field(samples, key, verts.device)  # noqa
        seeds = lambda key: [int(getattr(s, key)) for s in samples]  # noqa
        corner_uv = getattr(body_model, 'corner_texture_uv', None)
        if self.albedo == 'texture' and corner_uv is not None and \
                torch.equal(atlas.faces, body_model.faces.to(
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
        normals = vertex_normals(verts[::mesh_repeats], atlas.faces)
        normals = interpolate_vertex_attributes(
            normals.repeat_interleave(mesh_repeats, dim=0), atlas.faces,
            frags)
        if self.background == 'field':
            background = self.field_backgrounds(
                seeds('background_seed'), center, size, img,
                resolution).to(verts)
        elif self.background == 'images':
            background = background_crops(
                self.background_dir, seeds('background_seed'),
                resolution).to(verts)
        else:
            background = look('background')
        return shade_lambertian(albedo, normals,
                                render_mask(frags, verts.dtype),
                                look('light_dir'), look('ambient'), background)
