"""The body-map renderer: posed bodies seen by an image camera -> dense maps.

One renderer serves every place hmrzoo draws a body: the synthetic engine's
evidence (:mod:`hmrzoo.synthetic`), the IUV targets of PyMAF and CRA's
rendered IUV of a prediction (eq. 4).  It knows cameras only through
:class:`~hmrzoo.cameras.base.ImageCamera` and bodies only through their IUV
atlas (:func:`hmrzoo.renderers.iuv_atlas.atlas_for`), so a plugin body model
or projection renders with no change here.  It is registered in
``RENDERERS`` as ``BodyMapRenderer``; a plugin may register another with the
same methods.

Maps (B, C, H, W), pixel (i, j) centred at x = j, y = i:

* ``'iuv'``: (3) compact ``[I/24, U, V]``; 0 on the background.
* ``'depth'``: (1) depth along the optical axis, metres; 0 on the
  background.
* ``'silhouette'``: (1) 1 on the body.
* ``'parts'``: (1) body-part index 0..24 (0 = background).
"""
from typing import Dict, Optional, Sequence, Tuple

from torch import Tensor

from ..cameras.base import BaseProjection, ImageCamera
from ..registry import RENDERERS
from .interpolate import (interpolate_face_attributes,
                          interpolate_vertex_attributes, render_depth,
                          render_mask)
from .iuv_atlas import IUVAtlas
from .rasterizer import Fragments, rasterize
from .screen import camera_to_screen

Size = Tuple[int, int]

#: map kinds and their channel counts
MAP_CHANNELS = dict(iuv=3, depth=1, silhouette=1, parts=1)


@RENDERERS.register_module()
class BodyMapRenderer:
    """Rasterize posed bodies and read the maps of :data:`MAP_CHANNELS`.

    Visibility comes from the rasterizer (no gradient).  With
    ``differentiable=True`` the U, V and depth values are interpolated with
    barycentrics recomputed from the screen vertices, so they carry
    gradients to the vertices and the camera
    (:mod:`hmrzoo.renderers.interpolate`); I and the part index are constant
    over a face (zero gradient).  Without it the rasterizer's barycentrics
    are used (the synthetic engine's evidence, under ``no_grad``).
    """

    kinds = tuple(MAP_CHANNELS)

    def rasterize(self, vertices: Tensor, camera: ImageCamera, faces: Tensor,
                  size: Size, R: Optional[Tensor] = None
                  ) -> Tuple[Tensor, Fragments]:
        """Screen vertices (B, V, 3) ``(x_px, y_px, depth)`` and fragments
        of bodies ``vertices`` (B, V, 3) metres, body frame (rotated by
        ``R`` (B, 3, 3) first when given), seen by ``camera`` on an image of
        ``size = (H, W)``; ``faces`` (F, 3)."""
        screen = camera_to_screen(camera, vertices, R)
        frags = rasterize(screen, faces.to(vertices.device), size,
                          perspective_correct=not camera.orthographic)
        return screen, frags

    def read_maps(self, frags: Fragments, atlas: IUVAtlas,
                  kinds: Sequence[str], like: Tensor,
                  screen: Optional[Tensor] = None,
                  perspective_correct: bool = True) -> Dict[str, Tensor]:
        """The maps ``kinds`` of rasterized bodies.

        Args:
            frags (Fragments): the rasterizer's output.
            atlas (IUVAtlas): the body model's atlas.
            kinds (sequence[str]): among :data:`MAP_CHANNELS`.
            like (Tensor): gives dtype and device.
            screen (Tensor, optional): (B, V, 3) screen vertices: makes
                U, V and depth differentiable.
            perspective_correct (bool): as given to the rasterizer.
        """
        unknown = [k for k in kinds if k not in MAP_CHANNELS]
        if unknown:
            raise ValueError(f'{type(self).__name__} renders '
                             f'{list(MAP_CHANNELS)}, not {unknown}')
        dtype, device = like.dtype, like.device
        faces = atlas.faces.to(device)
        corner = None if screen is None else screen[:, faces.reshape(-1)]
        maps = {}
        if 'iuv' in kinds:
            iuv = interpolate_vertex_attributes(
                atlas.corner_iuv(dtype, device,
                                 normalize_index=True).reshape(-1, 3),
                atlas.corner_faces(device), frags, screen_vertices=corner,
                perspective_correct=perspective_correct)
            maps['iuv'] = iuv.permute(0, 3, 1, 2)
        if 'depth' in kinds:
            depth = render_depth(frags) if screen is None else render_depth(
                frags, screen, faces, perspective_correct)
            maps['depth'] = depth[:, None]
        if 'silhouette' in kinds:
            maps['silhouette'] = render_mask(frags, dtype)[:, None]
        if 'parts' in kinds:
            maps['parts'] = interpolate_face_attributes(
                atlas.face_part.to(device, dtype)[:, None], frags
            ).permute(0, 3, 1, 2)
        return maps

    def render(self, vertices: Tensor, camera: ImageCamera, atlas: IUVAtlas,
               size: Size, kinds: Sequence[str],
               R: Optional[Tensor] = None,
               differentiable: bool = False) -> Dict[str, Tensor]:
        """``kinds`` -> (B, C, H, W) maps of bodies ``vertices`` (B, V, 3)
        seen by ``camera`` (see :meth:`rasterize`)."""
        screen, frags = self.rasterize(vertices, camera, atlas.faces, size,
                                       R)
        return self.read_maps(frags, atlas, kinds, vertices,
                              screen if differentiable else None,
                              not camera.orthographic)


def render_compact_iuv(projection: BaseProjection, cam: Tensor,
                       vertices: Tensor, atlas: IUVAtlas, size: Size,
                       renderer: Optional[BodyMapRenderer] = None,
                       **meta) -> Tensor:
    """Differentiable compact IUV map ``[I/24, U, V]`` (B, 3, H, W) of
    bodies seen by a projection's camera (CRA's M̂, eq. 4; PyMAF's IUV
    targets).

    Args:
        projection (BaseProjection): its ``image_camera`` maps its output
            frame onto the image (the normalised crop ``[-1, 1]`` spans the
            image for weak perspective).
        cam (Tensor): (B, cam_dim) camera parameters.
        vertices (Tensor): (B, V, 3) metres, body frame (global orientation
            applied, no translation).
        atlas (IUVAtlas): the body model's atlas.
        size (tuple[int, int]): (H, W) of the map.
        renderer: default :class:`BodyMapRenderer`.
        **meta: per-sample projection metainfo (``R`` rotates first).
    """
    camera = projection.image_camera(cam, size, **meta)
    return (renderer or BodyMapRenderer()).render(
        vertices, camera, atlas, size, ('iuv', ), R=meta.get('R'),
        differentiable=True)['iuv']
