"""Any projection's camera as a pinhole camera of the whole photograph.

A model predicts its camera in its own output frame (a crop's normalised
coordinates for HMR / PyMAF / CRA, CLIFF's full-image camera seen through
the crop for CLIFF and Multi-RoI).  Through the projection contract
(:meth:`~hmrzoo.cameras.base.BaseProjection.camera_translation`,
``camera_intrinsics``, ``output_to_image``) and the crop's affine map back
to the photograph, that camera becomes a pinhole camera in photograph
pixels: focal ``f_p`` and principal point ``c_p`` (for a crop camera, the
crop's scale and centre).

Users want one camera per photograph: focal ``F`` (given, or CLIFF's
estimate, the image diagonal) and principal point at the image centre
``P = ((W - 1) / 2, (H - 1) / 2)`` (pixel centres at integer coordinates,
hmrzoo's convention; CLIFF's ``W / 2`` measured from the outer edge).
The translation is changed so that the body's origin projects to
the same pixel at the same scale:

    ``tz' = tz F / f_p``,   ``t_xy' = t_xy + (c_p - P) tz' / F``

which is exactly CLIFF's crop-to-full conversion
(:func:`hmrzoo.cameras.cliff.cam_crop2full`) for a weak-perspective crop
camera, and the identity for a camera that is already the photograph's
(CLIFF's own, with the same focal).  Points away from the origin move by
the usual weak-perspective approximation error (their depth offset times
the change of focal).
"""
from typing import Dict, Optional, Sequence, Union

import torch
from torch import Tensor

from .base import BaseProjection, compose_affine, intrinsics_map
from .cliff import default_focal_length


def photo_pinhole(projection: BaseProjection, cam: Tensor,
                  crop_to_image: Tensor, crop_wh: Sequence[int],
                  **meta) -> Dict[str, Tensor]:
    """The model's own camera in photograph pixels.

    Args:
        projection: the model's projection.
        cam (Tensor): (B, cam_dim) predicted camera parameters.
        crop_to_image (Tensor): (B, 2, 3) affine map from crop pixels to
            photograph pixels, pixel centres at integers (``AffineCrop``'s
            ``crop_inv_trans``).
        crop_wh (tuple[int, int]): the crop's ``(W, H)``, pixels.
        **meta: the projection's per-sample metainfo (RoI geometry).

    Returns:
        dict: ``translation`` (B, 3) metres, camera frame; ``focal`` (B, 2)
        and ``principal_point`` (B, 2) photograph pixels; ``pixel_map``
        (B, 2, 3) from the camera plane ``(x/z, y/z, 1)`` to photograph
        pixels.
    """
    width, height = int(crop_wh[0]), int(crop_wh[1])
    transl = projection.camera_translation(cam, **meta)
    focal, pp = projection.camera_intrinsics(cam, **meta)
    frame = projection.output_to_image((height, width), cam, None, **meta)
    crop = compose_affine(frame.to(cam), intrinsics_map(focal.to(cam),
                                                        pp.to(cam)))
    pixel_map = compose_affine(crop_to_image.to(cam), crop)
    return dict(translation=transl,
                focal=torch.stack([pixel_map[:, 0, 0], pixel_map[:, 1, 1]],
                                  dim=-1),
                principal_point=pixel_map[:, :, 2], pixel_map=pixel_map)


def full_image_camera(projection: BaseProjection, cam: Tensor,
                      crop_to_image: Tensor, crop_wh: Sequence[int],
                      img_wh: Tensor,
                      photo_focal: Optional[Union[float, Tensor]] = None,
                      **meta) -> Dict[str, Tensor]:
    """A pinhole camera of the photograph that sees the predicted body
    where the model's camera puts it (module docstring).

    Args:
        projection, cam, crop_to_image, crop_wh, **meta: as in
            :func:`photo_pinhole`.
        img_wh (Tensor): (B, 2) photograph ``(W, H)`` pixels.
        photo_focal (float | Tensor, optional): (B,) focal of the
            photograph's camera, pixels; default ``sqrt(W^2 + H^2)``.

    Returns:
        dict: ``translation`` (B, 3) metres, ``focal`` (B, 2) and
        ``principal_point`` (B, 2) photograph pixels (the image centre,
        ``((W - 1) / 2, (H - 1) / 2)``).
    """
    own = photo_pinhole(projection, cam, crop_to_image, crop_wh, **meta)
    img_wh = torch.as_tensor(img_wh, dtype=cam.dtype, device=cam.device)
    if photo_focal is None:
        focal = default_focal_length(img_wh)
    else:
        focal = torch.as_tensor(photo_focal, dtype=cam.dtype,
                                device=cam.device).reshape(-1)
        focal = focal.expand(cam.shape[0])
    centre = (img_wh - 1.) / 2.
    own_focal = own['focal'].mean(-1)        # crops keep the aspect ratio
    tz = own['translation'][:, 2] * focal / own_focal
    txy = own['translation'][:, :2] + (
        own['principal_point'] - centre) * (tz / focal)[:, None]
    return dict(translation=torch.cat([txy, tz[:, None]], dim=-1),
                focal=focal[:, None].expand(-1, 2).clone(),
                principal_point=centre)
