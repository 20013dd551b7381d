"""Affine and in-plane rotation helpers shared by the image transforms.

**Pixel convention** (OpenCV's, used by every transform here): the centre
of pixel ``(row i, column j)`` is at ``x = j, y = i``; x points right, y
down.  An image of width W spans ``x`` in ``[-0.5, W - 0.5]``, its centre
is at ``(W - 1) / 2`` and mirroring it maps ``x`` to ``W - 1 - x``.

**Crop transform.**  A region of ``size = (w, h)`` pixels centred on
``center`` and rotated by ``rotation`` degrees is mapped onto a crop of
``crop_size = (W, H)`` pixels by

    ``p_crop = diag(W / w, H / h) Rot(-rotation) (p - center) + o``,
    ``o = ((W - 1) / 2, (H - 1) / 2)``,

so the region's edges land on the crop's outer pixel edges and its centre
on the crop's centre.  ``Rot(t) = [[cos t, -sin t], [sin t, cos t]]``.  A
positive ``rotation`` turns the image content counter-clockwise on screen
inside the crop (a point right of the centre moves up for 90 degrees), the
sign of SPIN's ``utils/imutils.get_transform`` / ``crop`` and of
mmhuman3d's ``get_affine_transform`` (read in their public code).

**3D counterpart.**  The camera frame is OpenCV's (x right, y down, z
forward), so the rotation of 3D points and of the SMPL global orientation
that matches the rotated crop is ``Rot(-rotation)`` in the x-y plane, about
the camera's z axis (:func:`inplane_rotation`); SPIN's ``rot_aa`` and
mmhuman3d's ``_rotate_smpl_pose`` use the same matrix.  The match is exact
when the crop is centred on the principal point.
"""
from typing import Sequence

import numpy as np
import torch

from ...utils.rotations import axis_angle_to_rotmat, rotmat_to_axis_angle


def _rot2d(angle_deg: float) -> np.ndarray:
    t = np.deg2rad(angle_deg)
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s], [s, c]])


def crop_transform(center: Sequence[float], size: Sequence[float],
                   rotation: float, crop_size: Sequence[int]) -> np.ndarray:
    """The affine map from image pixels to crop pixels (module docstring).

    Args:
        center: (2,) region centre ``(x, y)``, image pixels.
        size: (2,) region ``(w, h)``, image pixels; both positive.
        rotation: degrees.
        crop_size: ``(W, H)`` of the crop, pixels.

    Returns:
        np.ndarray: (2, 3) float64 ``[A | b]`` with ``p_crop = A p + b``
        (what ``cv2.warpAffine`` takes).

    Raises:
        ValueError: a non-positive region or crop size.
    """
    size = np.asarray(size, np.float64).reshape(2)
    crop = np.asarray(crop_size, np.float64).reshape(2)
    if np.any(size <= 0) or np.any(crop <= 0):
        raise ValueError(f'region size {size.tolist()} and crop size '
                         f'{crop.tolist()} must be positive (bbox_scale '
                         'holds (w, h) in pixels)')
    linear = np.diag(crop / size) @ _rot2d(-rotation)
    offset = (crop - 1) / 2 - linear @ np.asarray(center, np.float64)
    return np.concatenate([linear, offset[:, None]], axis=1)


def invert_affine(trans: np.ndarray) -> np.ndarray:
    """Inverse of a (..., 2, 3) affine map, same shape, float64."""
    trans = np.asarray(trans, np.float64)
    inv = np.linalg.inv(trans[..., :2])
    return np.concatenate([inv, -(inv @ trans[..., 2:])], axis=-1)


def apply_affine(points: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Apply a (2, 3) affine map to points (..., 2); returns (..., 2)
    float64."""
    trans = np.asarray(trans, np.float64)
    return np.asarray(points, np.float64) @ trans[:, :2].T + trans[:, 2]


def inplane_rotation(rotation: float) -> np.ndarray:
    """(3, 3) rotation about the camera z axis matching a crop rotated by
    ``rotation`` degrees: ``Rot(-rotation)`` in the x-y plane."""
    out = np.eye(3)
    out[:2, :2] = _rot2d(-rotation)
    return out


def rotate_axis_angle(aa: np.ndarray, rotmat: np.ndarray) -> np.ndarray:
    """Left-compose rotations given as axis-angle: ``log(R exp(aa))``.

    Args:
        aa: (..., 3) axis-angle, radians.
        rotmat: (3, 3) rotation applied after ``aa`` (in the frame ``aa``
            maps into, e.g. the camera frame for SMPL's global orient).

    Returns:
        np.ndarray: (..., 3) axis-angle of ``R exp(aa)``, angle in
        ``[0, pi]``, the dtype of ``aa``.
    """
    aa = np.asarray(aa)
    rot = torch.from_numpy(np.asarray(rotmat, np.float64))
    out = rotmat_to_axis_angle(
        rot @ axis_angle_to_rotmat(torch.from_numpy(aa.astype(np.float64))))
    return out.numpy().astype(aa.dtype if aa.dtype.kind == 'f' else
                              np.float64)


def crop_to_normalised(points: np.ndarray,
                       crop_size: Sequence[int]) -> np.ndarray:
    """Crop pixels (..., 2) to coordinates that are -1 / +1 on the crop's
    outer pixel edges: ``(2 p + 1) / (W, H) - 1`` under this module's pixel
    convention (the crop centre ``(W - 1) / 2`` maps to 0)."""
    size = np.asarray(crop_size, np.float64).reshape(2)
    return (2 * np.asarray(points, np.float64) + 1) / size - 1


def box_crop_region(box_xywh, scale: float, crop_wh) -> tuple:
    """Centre (2,) and ``(w, h)`` (2,) float32 of the region cut for a
    person box ``x, y, w, h`` (pixels): enlarged by ``scale`` about its
    centre and widened to the crop's aspect ratio ``crop_wh = (W, H)``
    (``bbox_center`` / ``bbox_scale`` of the transforms)."""
    x, y, w, h = (float(v) for v in box_xywh)
    center = np.array([x + w / 2, y + h / 2], np.float32)
    aspect = crop_wh[0] / crop_wh[1]
    w, h = w * scale, h * scale
    if w > h * aspect:
        h = w / aspect
    else:
        w = h * aspect
    return center, np.array([w, h], np.float32)
