"""The boxes a batch's inputs were cut with, read once per step from the
data samples' metainfo (:meth:`RoIGeometry.from_samples`) and shared by the
forward pass, the losses and the predictions."""
from dataclasses import dataclass, replace
from typing import Optional, Sequence

import torch
from torch import Tensor


@dataclass
class RoIGeometry:
    """Boxes of every RoI of every sample, image pixels.

    Attributes:
        center (Tensor): (B, M, 2) box centres.
        size (Tensor): (B, M) box sides.
        img_wh (Tensor): (B, 2) image width and height.
        focal (Tensor): (B,) focal length in pixels (the samples' own, or
            CLIFF's estimate, the image diagonal).
        crop_trans (Tensor, optional): (B, M, 2, 3) the exact (possibly
            rotated, non-square) crops of samples cut from real images:
            image -> crop pixels.
        crop_wh (Tensor, optional): (B, 2) their width and height.
    """

    center: Tensor
    size: Tensor
    img_wh: Tensor
    focal: Tensor
    crop_trans: Optional[Tensor] = None
    crop_wh: Optional[Tensor] = None

    @classmethod
    def from_samples(cls, samples: Optional[Sequence], device
                     ) -> Optional['RoIGeometry']:
        """From the samples' metainfo (``roi_center`` (M, 2), ``roi_size``
        (M,), ``img_wh`` (2,), optional ``focal_length``, ``crop_trans``
        (M, 2, 3) and ``crop_wh`` (2,)); None when they carry none."""
        if not samples or 'roi_center' not in samples[0].metainfo:
            return None
        try:
            img_wh = torch.stack([torch.as_tensor(s.img_wh,
                                                  dtype=torch.float32)
                                  for s in samples]).to(device)
            geo = cls(
                center=torch.stack([torch.as_tensor(s.roi_center).reshape(
                    -1, 2) for s in samples]).to(device),
                size=torch.stack([torch.as_tensor(s.roi_size).reshape(-1)
                                  for s in samples]).to(device),
                img_wh=img_wh,
                focal=torch.stack([
                    torch.as_tensor(float(s.focal_length), device=device)
                    if s.metainfo.get('focal_length') is not None
                    else torch.linalg.vector_norm(wh)
                    for s, wh in zip(samples, img_wh)]))
        except AttributeError as err:
            raise KeyError(f'data samples with roi_center also need '
                           f'roi_size and img_wh in their metainfo: {err}'
                           ) from None
        if 'crop_trans' in samples[0].metainfo:
            geo.crop_trans = torch.stack([
                torch.as_tensor(s.crop_trans, dtype=torch.float32).reshape(
                    -1, 2, 3) for s in samples]).to(device)
            geo.crop_wh = torch.stack([
                torch.as_tensor(s.crop_wh, dtype=torch.float32)
                for s in samples]).to(device)
        return geo

    @property
    def num_rois(self) -> int:
        return int(self.center.shape[1])

    def first_roi(self) -> 'RoIGeometry':
        """The geometry of RoI 0 only (the person's own box)."""
        return replace(self, center=self.center[:, :1],
                       size=self.size[:, :1],
                       crop_trans=None if self.crop_trans is None
                       else self.crop_trans[:, :1])

    def boxes(self) -> Tensor:
        """(B, M, 3) ``[x, y, b]``: box centres relative to the image
        centre and sides (Multi-RoI's box parameters)."""
        return torch.cat([self.center - self.img_wh[:, None] / 2,
                          self.size[..., None]], dim=-1)

    def projection_meta(self) -> dict:
        """Per-row (B*M) ``meta`` of a projection: ``center``,
        ``bbox_size``, ``img_size``, ``focal_length`` and the ``crop_trans``
        / ``crop_size`` that map image pixels to each RoI's crop: the
        samples' own crops when they carry them, else the square box
        (``crop_trans`` a translation by the box's corner)."""
        m = self.num_rois
        center, size = self.center.reshape(-1, 2), self.size.reshape(-1)
        if self.crop_trans is not None:
            crop_trans = self.crop_trans.reshape(-1, 2, 3).to(size)
            crop_size = self.crop_wh.repeat_interleave(m, 0).to(size)
        else:
            corner = center - size[:, None] / 2
            crop_trans = torch.zeros(size.shape[0], 2, 3, dtype=size.dtype,
                                     device=size.device)
            crop_trans[:, 0, 0] = crop_trans[:, 1, 1] = 1.
            crop_trans[:, :, 2] = -corner
            crop_size = size[:, None].expand(-1, 2)
        return dict(center=center, bbox_size=size,
                    img_size=self.img_wh.repeat_interleave(m, 0).to(size),
                    focal_length=self.focal.repeat_interleave(m, 0).to(size),
                    crop_trans=crop_trans, crop_size=crop_size)


def projection_meta(geo: Optional[RoIGeometry]) -> dict:
    """``geo.projection_meta()``, or ``{}`` without geometry."""
    return {} if geo is None else geo.projection_meta()
