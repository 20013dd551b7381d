"""Pinhole intrinsics from 3D / 2D correspondences, and the projection
they describe.

Some releases give camera-frame 3D joints and their 2D image positions
but no intrinsics next to them (the MPI-INF-3DHP test set; Human3.6M keeps
them in a metadata file outside the per-subject folders).  For a pinhole
camera ``u = fx * x / z + cx`` and ``v = fy * y / z + cy``: two independent
linear least-squares problems in ``(fx, cx)`` and ``(fy, cy)``, solved here
on the normalised coordinates ``x / z``, ``y / z`` (so the residual is the
reprojection error in pixels).  Lens distortion, where the 2D points
include it (Human3.6M's ``D2_Positions``), is absorbed into the fitted
values as well as a pinhole model can; ``rms`` reports what is left.
"""
from typing import NamedTuple

import numpy as np


class PinholeFit(NamedTuple):
    """Result of :func:`fit_pinhole_intrinsics`.

    Attributes:
        focal_length: (2,) fx, fy in pixels.
        principal_point: (2,) cx, cy in pixels.
        rms: root-mean-square reprojection error in pixels.
        num_points: correspondences used.
    """
    focal_length: np.ndarray
    principal_point: np.ndarray
    rms: float
    num_points: int


def fit_pinhole_intrinsics(points3d: np.ndarray, points2d: np.ndarray,
                           source: str = '<points>') -> PinholeFit:
    """Least-squares fx, fy, cx, cy of a pinhole camera without skew.

    Args:
        points3d: (..., 3) points in the camera frame (any length unit: only
            ``x / z`` and ``y / z`` enter); points with ``z <= 0`` or
            non-finite values are ignored.
        points2d: (..., 2) their image positions in pixels.
        source: named in the error message.

    Returns:
        PinholeFit: float64 focal length and principal point, rms error.

    Raises:
        ValueError: shapes differ, or the points do not determine the
            camera (fewer than two usable points, or all on one ray).
    """
    p3 = np.asarray(points3d, np.float64).reshape(-1, 3)
    p2 = np.asarray(points2d, np.float64).reshape(-1, 2)
    if len(p3) != len(p2):
        raise ValueError(f'{source}: {len(p3)} 3D points but {len(p2)} 2D '
                         'points; cannot fit camera intrinsics')
    ok = np.isfinite(p3).all(1) & np.isfinite(p2).all(1) & (p3[:, 2] > 0)
    p3, p2 = p3[ok], p2[ok]
    normalised = p3[:, :2] / p3[:, 2:]
    focal, principal, squared = np.zeros(2), np.zeros(2), 0.
    for axis in range(2):
        design = np.stack([normalised[:, axis], np.ones(len(p3))], axis=1)
        if len(p3) < 2 or np.linalg.matrix_rank(design) < 2:
            raise ValueError(f'{source}: {len(p3)} usable points in front of '
                             'the camera do not determine its intrinsics')
        solution, *_ = np.linalg.lstsq(design, p2[:, axis], rcond=None)
        focal[axis], principal[axis] = solution
        squared += float(np.sum((design @ solution - p2[:, axis]) ** 2))
    rms = float(np.sqrt(squared / len(p3)))
    return PinholeFit(focal, principal, rms, len(p3))


def project_points(points3d: np.ndarray, focal_length: np.ndarray,
                   principal_point: np.ndarray) -> np.ndarray:
    """Pinhole projection of camera-frame points.

    Args:
        points3d: (..., 3) camera frame (OpenCV axes: x right, y down,
            z forward).
        focal_length: (2,) or (..., 2) fx, fy in pixels, broadcast against
            the points' leading dimensions.
        principal_point: (2,) or (..., 2) cx, cy in pixels.

    Returns:
        np.ndarray: (..., 2) pixel positions.
    """
    p3 = np.asarray(points3d, np.float64)
    return (p3[..., :2] / p3[..., 2:3] * np.asarray(focal_length)
            + np.asarray(principal_point))
