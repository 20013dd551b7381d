"""CLIFF: bounding-box information and the crop <-> full-image camera.

Notation (all per sample, pixels of the *full* image):

* ``center`` (B, 2): bbox centre ``(cx, cy)``.
* ``bbox_size`` (B,): ``b``, the side of the bbox that the crop spans
  (CLIFF: ``scale * 200``, the height of its 256x192 crop).
* ``img_size`` (B, 2): full image ``(W, H)``.
* ``focal_length`` (B,): focal of the full-image camera; when unknown,
  CLIFF uses the diagonal ``sqrt(W^2 + H^2)``.

The full-image camera has principal point ``(W/2, H/2)``.  A crop camera
``[s, tx, ty]`` predicted from the crop corresponds to the full-image
translation

    ``tz = 2 f / (b s)``,  ``tx_full = tx + 2 (cx - W/2) / (b s)``,
    ``ty_full = ty + 2 (cy - H/2) / (b s)``

(with ``b s`` replaced by ``b s + eps``).  This is the same relation as
Multi-RoI's local/full camera (:mod:`hmrzoo.cameras.multiroi`) with the bbox
centre measured from the image centre.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from hmrzoo.registry import CAMERAS
from .base import (BaseProjection, compose_affine, normalised_to_image,
                   pixels_to_image)
from .perspective import perspective_project

# The constants of CLIFF's official bbox-info normalisation.
CLIFF_XY_SCALE = 2.8
CLIFF_SIZE_MEAN = 0.24
CLIFF_SIZE_STD = 0.06


def _floating(x, like: Optional[Tensor] = None) -> Tensor:
    """``x`` as a floating tensor (``like``'s dtype / device if given and
    floating); bboxes and image sizes often arrive as integers."""
    if like is not None and like.is_floating_point():
        return torch.as_tensor(x, dtype=like.dtype, device=like.device)
    x = torch.as_tensor(x)
    return x if x.is_floating_point() else x.to(torch.get_default_dtype())


def default_focal_length(img_size: Tensor) -> Tensor:
    """CLIFF's focal estimate, the image diagonal.

    Args:
        img_size (Tensor): (B, 2) image ``(W, H)`` in pixels.

    Returns:
        Tensor: (B,) ``sqrt(W^2 + H^2)`` pixels.
    """
    return torch.linalg.vector_norm(_floating(img_size), dim=-1)


def _focal(focal_length: Optional[Union[float, Tensor]],
           img_size: Tensor) -> Tensor:
    """(B,) focal: given (number / (B,) / (B, 1)) or the image diagonal."""
    if focal_length is None:
        return default_focal_length(img_size)
    focal = _floating(focal_length, img_size)
    if focal.dim() == 2:
        focal = focal[..., 0]
    return focal.expand(img_size.shape[:-1])


def _offset_from_image_centre(center: Tensor, img_size: Tensor) -> Tensor:
    """(B, 2) ``(cx - W/2, cy - H/2)``."""
    return center - img_size / 2.


def bbox_info(center: Tensor,
              bbox_size: Tensor,
              img_size: Tensor,
              focal_length: Optional[Union[float, Tensor]] = None,
              normalise: str = 'cliff') -> Tensor:
    """CLIFF's bounding-box information, the extra input of its regressor.

    Args:
        center (Tensor): (B, 2) bbox centre, full-image pixels.
        bbox_size (Tensor): (B,) bbox size ``b``, pixels.
        img_size (Tensor): (B, 2) full image ``(W, H)``, pixels.
        focal_length (float | Tensor, optional): (B,) focal, pixels.
            Defaults to ``sqrt(W^2 + H^2)``.
        normalise (str): ``'cliff'`` (default; the official code and its
            checkpoints): ``[2.8 (cx - W/2)/f, 2.8 (cy - H/2)/f,
            (b - 0.24 f)/(0.06 f)]``; ``'plain'`` (eq. 5 of the paper):
            ``[(cx - W/2)/f, (cy - H/2)/f, b/f]``.

    Returns:
        Tensor: (B, 3) bbox information (dimensionless).
    """
    center = _floating(center)
    bbox_size = _floating(bbox_size, center)
    img_size = _floating(img_size, center)
    focal = _focal(focal_length, img_size)
    offset = _offset_from_image_centre(center, img_size) / focal[..., None]
    size = bbox_size / focal
    if normalise == 'cliff':
        offset = offset * CLIFF_XY_SCALE
        size = (size - CLIFF_SIZE_MEAN) / CLIFF_SIZE_STD
    elif normalise != 'plain':
        raise ValueError("normalise must be 'cliff' or 'plain', got "
                         f'{normalise!r}')
    return torch.cat([offset, size[..., None]], dim=-1)


def cam_crop2full(crop_cam: Tensor,
                  center: Tensor,
                  bbox_size: Tensor,
                  img_size: Tensor,
                  focal_length: Optional[Union[float, Tensor]] = None,
                  eps: float = 1e-9) -> Tensor:
    """Crop camera ``[s, tx, ty]`` to the full-image translation.

    Args:
        crop_cam (Tensor): (B, 3) ``[s, tx, ty]`` predicted from the crop.
        center (Tensor): (B, 2) bbox centre, full-image pixels.
        bbox_size (Tensor): (B,) bbox size ``b``, pixels.
        img_size (Tensor): (B, 2) full image ``(W, H)``, pixels.
        focal_length (float | Tensor, optional): (B,) focal of the full
            image, pixels. Defaults to ``sqrt(W^2 + H^2)``.
        eps (float): added to ``b s``. Defaults to 1e-9 (official value).

    Returns:
        Tensor: (B, 3) translation ``[tx, ty, tz]`` of the full-image camera
        (focal f, principal point ``(W/2, H/2)``), metres.
    """
    center, bbox_size, img_size = (_floating(v, crop_cam)
                                   for v in (center, bbox_size, img_size))
    focal = _focal(focal_length, img_size)
    s, tx, ty = crop_cam.unbind(-1)
    bs = bbox_size * s + eps
    offset = _offset_from_image_centre(center, img_size)
    return torch.stack([
        2 * offset[..., 0] / bs + tx,
        2 * offset[..., 1] / bs + ty,
        2 * focal / bs,
    ], dim=-1)


def cam_full2crop(full_transl: Tensor,
                  center: Tensor,
                  bbox_size: Tensor,
                  img_size: Tensor,
                  focal_length: Optional[Union[float, Tensor]] = None,
                  eps: float = 1e-9) -> Tensor:
    """Inverse of :func:`cam_crop2full` (same arguments and ``eps``).

    Args:
        full_transl (Tensor): (B, 3) full-image translation, metres.
        center, bbox_size, img_size, focal_length, eps: as in
            :func:`cam_crop2full`.

    Returns:
        Tensor: (B, 3) crop camera ``[s, tx, ty]``.
    """
    center, bbox_size, img_size = (_floating(v, full_transl)
                                   for v in (center, bbox_size, img_size))
    focal = _focal(focal_length, img_size)
    tx_full, ty_full, tz = full_transl.unbind(-1)
    bs = 2 * focal / tz
    offset = _offset_from_image_centre(center, img_size)
    return torch.stack([
        (bs - eps) / bbox_size,
        tx_full - 2 * offset[..., 0] / bs,
        ty_full - 2 * offset[..., 1] / bs,
    ], dim=-1)


@CAMERAS.register_module()
class CliffFullFrameProjection(BaseProjection):
    """Project with the full-image camera implied by a crop camera (CLIFF).

    ``cam`` is the crop camera ``[s, tx, ty]`` (B, 3).  Required ``meta``:
    ``center`` (B, 2), ``bbox_size`` (B,), ``img_size`` (B, 2) as
    ``(W, H)``; optional ``focal_length`` (B,) (default: image diagonal)
    and ``crop_trans``.

    Output frame:

    * without ``crop_trans``: full-image pixels (u right, v down, origin at
      the top-left image corner), from the camera with focal f, principal
      point ``(W/2, H/2)`` and translation :func:`cam_crop2full`;
    * with ``crop_trans`` (B, 2, 3), the affine map from full-image pixels
      to crop pixels used to cut the crop: those points mapped into crop
      pixels, then, if ``normalise_crop``, to ``2 p / crop_size - 1`` (so
      ``[-1, 1]`` spans the crop of size ``crop_size = (W_c, H_c)``, the
      frame of SPIN-style normalised 2D keypoints).

    Args:
        crop_size (tuple[int, int]): crop ``(W_c, H_c)`` in pixels, used to
            normalise. Defaults to ``(192, 256)`` (CLIFF's crops). ``meta``
            may override it with ``crop_size``.
        normalise_crop (bool): normalise crop pixels to ``[-1, 1]``.
            Defaults to True.
        eps (float): as in :func:`cam_crop2full`.
    """

    cam_dim = 3
    output_frame = ('full-image pixels; with crop_trans, crop coordinates '
                    '(normalised to [-1, 1] by crop_size by default)')

    def __init__(self,
                 crop_size: Sequence[int] = (192, 256),
                 normalise_crop: bool = True,
                 eps: float = 1e-9) -> None:
        super().__init__()
        self.crop_size = tuple(crop_size)
        self.normalise_crop = normalise_crop
        self.eps = eps

    def extra_repr(self) -> str:
        return (f'crop_size={self.crop_size}, '
                f'normalise_crop={self.normalise_crop}')

    @staticmethod
    def _geometry(meta: dict) -> Tuple[Tensor, Tensor, Tensor]:
        try:
            return meta['center'], meta['bbox_size'], meta['img_size']
        except KeyError as err:
            raise KeyError('CliffFullFrameProjection needs center, bbox_size'
                           f' and img_size in meta; missing {err}') from None

    def camera_translation(self, cam: Tensor, **meta) -> Tensor:
        """Full-image translation (B, 3), metres (:func:`cam_crop2full`)."""
        center, bbox_size, img_size = self._geometry(meta)
        return cam_crop2full(cam, center, bbox_size, img_size,
                             meta.get('focal_length'), self.eps)

    def camera_intrinsics(self, cam: Tensor,
                          **meta) -> Tuple[Tensor, Tensor]:
        """Focal ``(f, f)`` and principal point ``(W/2, H/2)``, full-image
        pixels (the frame without ``crop_trans``)."""
        img_size = _floating(self._geometry(meta)[2], cam)
        focal = _focal(meta.get('focal_length'), img_size)
        return focal[..., None].expand(-1, 2), img_size / 2.

    def output_to_image(self, image_size, like, frame_size=None, **meta):
        """From full-image pixels (the frame of :meth:`camera_intrinsics`)
        to the rendered image: the full image (``img_size`` in ``meta``, or
        ``frame_size``, rescaled to ``image_size``), or, with
        ``crop_trans``, the crop: normalised by ``crop_size`` and spanning
        the image when ``normalise_crop``, else crop pixels of frame size
        ``crop_size`` (or ``frame_size``)."""
        crop_trans = meta.get('crop_trans')
        if crop_trans is None:
            return pixels_to_image(image_size, like, meta.get('img_size')
                                   if frame_size is None else frame_size)
        crop_size = meta.get('crop_size', self.crop_size)
        if self.normalise_crop:
            size = torch.as_tensor(crop_size, dtype=like.dtype,
                                   device=like.device).reshape(-1, 2)
            norm = like.new_zeros(size.shape[0], 2, 3)
            norm[:, 0, 0], norm[:, 1, 1] = 2. / size[:, 0], 2. / size[:, 1]
            norm[:, :, 2] = -1.
            frame = compose_affine(normalised_to_image(image_size, like),
                                   norm)
        else:
            frame = pixels_to_image(image_size, like, crop_size
                                    if frame_size is None else frame_size)
        return compose_affine(frame, _floating(crop_trans, like))

    def forward(self, points: Tensor, cam: Tensor, **meta) -> Tensor:
        """Project to full-image pixels, or to the crop.

        Args:
            points (Tensor): (B, N, 3) points, metres, body frame.
            cam (Tensor): (B, 3) crop camera ``[s, tx, ty]``.
            **meta: see the class docstring.

        Returns:
            Tensor: (B, N, 2) in the frame described by the class.
        """
        self._check(points, cam)
        transl = self.camera_translation(cam, **meta)
        focal, pp = self.camera_intrinsics(cam, **meta)
        uv = perspective_project(points, transl, focal, pp)
        crop_trans = meta.get('crop_trans')
        if crop_trans is None:
            return uv
        crop_trans = _floating(crop_trans, uv)
        uv = uv @ crop_trans[:, :, :2].transpose(-1, -2) + \
            crop_trans[:, None, :, 2]
        if self.normalise_crop:
            crop_size = meta.get('crop_size', self.crop_size)
            crop_size = torch.as_tensor(crop_size, dtype=uv.dtype,
                                        device=uv.device)
            if crop_size.dim() == 2:  # (B, 2)
                crop_size = crop_size[:, None, :]
            uv = 2. * uv / crop_size - 1.
        return uv
