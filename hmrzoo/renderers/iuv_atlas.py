"""DensePose-style IUV atlas (24 parts, per-part U,V in [0, 1]) for any
skinned body model.

DensePose (Güler et al. 2018) cuts the body surface into 24 charts; CRA
(``000_f8ace6beef631e18.txt`` §3.1) renders such ``I, U, V`` maps from the
body model.  DensePose's own atlas exists only for SMPL
(:mod:`.densepose_uv` reads it); this module *derives* an atlas with the same
parts from a body model's skinning weights and rest geometry, so Anny (the
embedded default), SMPL and SMPL-X all get one.

The part tables are in :mod:`.iuv_parts`; :mod:`.iuv_charts` derives an
atlas from skinning weights and rest geometry (its docstring defines the
parts and the U, V charts), and :mod:`.iuv_body_models` builds and caches
the atlas of an hmrzoo body model (:func:`~.iuv_body_models.atlas_for`).
"""
from dataclasses import dataclass, field
from typing import Union

import torch

from .iuv_parts import NUM_PARTS, PART_TO_COARSE

__all__ = ['IUVAtlas']


@dataclass(eq=False)
class IUVAtlas:
    """Per-face part index and per-face-corner (U, V) of a mesh.

    Attributes:
        faces (LongTensor): (F, 3) vertex indices of the faces the atlas
            describes.  For atlases built from a body model these are the
            body model's ``faces``; DensePose's SMPL atlas has its own face
            list (see :mod:`.densepose_uv`).  Render with these faces.
        face_part (LongTensor): (F,) part index 1..24 of each face
            (:data:`~.iuv_parts.DENSEPOSE_PARTS`).
        corner_uv (FloatTensor): (F, 3, 2) (U, V) in [0, 1] at each corner
            of each face, in that face's part.
        vertex_part (LongTensor): (V,) the part most incident faces of a
            vertex have (ties: the lower index); 0 for unused vertices.
        name (str): where the atlas comes from (e.g. ``'Anny'``).

    Rendering an IUV map: the values live on face *corners* (a vertex on a
    chart boundary has one (U, V) per chart), so interpolate them as
    attributes of "unwelded" vertices, one per corner::

        frags = rasterize(screen, atlas.faces, (H, W))
        iuv = interpolate_vertex_attributes(
            atlas.corner_iuv().reshape(-1, 3),   # (3F, 3) [I, U, V]
            atlas.corner_faces(),                # (F, 3) = arange(3F)
            frags,
            # for gradients w.r.t. the vertices, the unwelded positions:
            screen_vertices=screen[:, atlas.faces.reshape(-1)])
        # (B, H, W, 3) -> compact M (B, 3, H, W): iuv.permute(0, 3, 1, 2)
    """

    faces: torch.Tensor
    face_part: torch.Tensor
    corner_uv: torch.Tensor
    vertex_part: torch.Tensor
    name: str = ''
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def num_faces(self) -> int:
        return int(self.face_part.shape[0])

    @property
    def num_vertices(self) -> int:
        return int(self.vertex_part.shape[0])

    def corner_iuv(self, dtype: torch.dtype = torch.float32,
                   device: Union[str, torch.device, None] = None,
                   normalize_index: bool = False) -> torch.Tensor:
        """Per-face-corner attributes for the rasterizer.

        Interpolating them with a pixel's barycentric coordinates in its
        face gives the compact IUV map ``M = [M^I, M^U, M^V]`` (I is constant
        within a face, so it interpolates to the exact part index).

        Args:
            dtype, device: of the result (cached per dtype / device).
            normalize_index: give ``I / 24`` (in [0, 1], CRA's normalised
                ``M^I``) instead of the index 1..24.

        Returns:
            (F, 3, 3) tensor: ``[..., 0]`` = I, ``[..., 1]`` = U,
            ``[..., 2]`` = V.
        """
        key = ('iuv', dtype, str(device), normalize_index)
        if key not in self._cache:
            index = self.face_part.to(torch.float64)
            if normalize_index:
                index = index / NUM_PARTS
            out = torch.cat([index[:, None, None].expand(-1, 3, 1),
                             self.corner_uv.to(torch.float64)], dim=-1)
            self._cache[key] = out.to(dtype=dtype, device=device)
        return self._cache[key]

    def corner_faces(self, device: Union[str, torch.device, None] = None
                     ) -> torch.Tensor:
        """(F, 3) long ``arange(3F).view(F, 3)``: the faces over one vertex
        per face corner (the layout of ``corner_iuv().reshape(-1, 3)`` and
        of ``vertices[:, faces.reshape(-1)]``)."""
        return torch.arange(3 * self.num_faces, device=device).view(-1, 3)

    def face_coarse_part(self) -> torch.Tensor:
        """(F,) coarse part index 1..6 (:data:`~.iuv_parts.COARSE_PARTS`) per face."""
        table = torch.tensor(PART_TO_COARSE, device=self.face_part.device)
        return table[self.face_part]

    def to(self, device: Union[str, torch.device]) -> 'IUVAtlas':
        """A copy with every tensor on ``device``."""
        return IUVAtlas(self.faces.to(device), self.face_part.to(device),
                        self.corner_uv.to(device),
                        self.vertex_part.to(device), self.name)

