"""Rotation representations: the single place where hmrzoo converts between
6D, rotation matrices, axis-angle and quaternions.

Conventions (kept stable across the whole project):

* **Rotation matrices** ``(..., 3, 3)`` act on column vectors:
  ``x' = R @ x``.
* **6D** ``(..., 6)`` (Zhou et al., as used by HMR / SPIN / PyMAF / CLIFF):
  the first two *columns* of ``R`` flattened row-major, i.e.
  ``[R00, R01, R10, R11, R20, R21]``.  Decoding views the vector as
  ``(..., 3, 2)`` and Gram-Schmidt orthonormalises its two columns.  The 6D
  of the identity is ``[1, 0, 0, 1, 0, 0]``; SPIN's mean root pose
  ``[1, 0, 0, -1, 0, 0]`` is a rotation of 180 degrees about x.
* **Axis-angle** ``(..., 3)``: unit axis times angle in radians.  Decoders
  return angles in ``[0, pi]``.
* **Quaternions** ``(..., 4)`` in ``(w, x, y, z)`` order (scalar first).
  Encoders return unit quaternions with ``w >= 0``.

Every function is pure torch, batched over arbitrary leading dimensions,
differentiable (with finite gradients at the zero rotation), and works in
float32 and float64.
"""
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    'rot6d_to_rotmat', 'rotmat_to_rot6d', 'axis_angle_to_rotmat',
    'rotmat_to_axis_angle', 'axis_angle_to_quaternion',
    'quaternion_to_axis_angle', 'rotmat_to_quaternion',
    'quaternion_to_rotmat', 'rot6d_to_axis_angle', 'axis_angle_to_rot6d'
]

# Below this squared angle (rad^2) the trigonometric coefficients are taken
# from their Taylor series; the series used are exact to float64 precision
# there, and they avoid 0/0 and infinite gradients at the zero rotation.
_SMALL_SQ_ANGLE = 1e-4


def _check_last_dim(x: Tensor, size: int, name: str) -> None:
    if x.shape[-1] != size:
        raise ValueError(f'{name} must have a last dimension of {size}, '
                         f'got shape {tuple(x.shape)}')


def _check_rotmat(R: Tensor) -> None:
    if R.shape[-2:] != (3, 3):
        raise ValueError('rotation matrices must have shape (..., 3, 3), '
                         f'got {tuple(R.shape)}')


def _safe_sqrt(x: Tensor) -> Tensor:
    """``sqrt(max(x, 0))`` whose gradient is 0 (not inf/nan) where x <= 0."""
    positive = x > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, x, 1.)),
                       torch.zeros_like(x))


def _series_or_exact(sq_angle: Tensor, series: Callable[[Tensor], Tensor],
                     exact: Callable[[Tensor], Tensor]) -> Tensor:
    """Evaluate ``exact(angle)`` or, for tiny angles, ``series(angle^2)``.

    ``exact`` only ever sees angles above the threshold, so neither branch
    produces nan values or gradients.
    """
    small = sq_angle < _SMALL_SQ_ANGLE
    safe_angle = torch.sqrt(torch.where(small, torch.ones_like(sq_angle),
                                        sq_angle))
    return torch.where(small, series(sq_angle), exact(safe_angle))


def _skew(v: Tensor) -> Tensor:
    """Cross-product matrices ``[v]_x`` of shape (..., 3, 3) from (..., 3)."""
    x, y, z = v.unbind(-1)
    zero = torch.zeros_like(x)
    return torch.stack([
        torch.stack([zero, -z, y], -1),
        torch.stack([z, zero, -x], -1),
        torch.stack([-y, x, zero], -1),
    ], -2)


# --------------------------------------------------------------------- 6D


def rot6d_to_rotmat(x: Tensor) -> Tensor:
    """Decode the 6D representation into rotation matrices.

    ``x`` is viewed as ``(..., 3, 2)``; its columns ``a1``, ``a2`` are
    Gram-Schmidt orthonormalised into ``b1``, ``b2``, ``b3 = b1 x b2`` and
    ``R = [b1 | b2 | b3]`` (columns).  Any input with two non-parallel
    columns gives a proper rotation (orthonormal, det = +1).

    Args:
        x (Tensor): (..., 6) 6D vectors ``[R00, R01, R10, R11, R20, R21]``.

    Returns:
        Tensor: (..., 3, 3) rotation matrices.
    """
    _check_last_dim(x, 6, 'x')
    cols = x.reshape(*x.shape[:-1], 3, 2)
    a1, a2 = cols[..., 0], cols[..., 1]
    b1 = F.normalize(a1, dim=-1)
    b2 = F.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1)
    b3 = torch.linalg.cross(b1, b2, dim=-1)
    return torch.stack([b1, b2, b3], dim=-1)


def rotmat_to_rot6d(R: Tensor) -> Tensor:
    """Encode rotation matrices as 6D vectors (exact inverse of
    :func:`rot6d_to_rotmat` on rotation matrices).

    Args:
        R (Tensor): (..., 3, 3) rotation matrices.

    Returns:
        Tensor: (..., 6) the first two columns of ``R`` flattened row-major,
        ``[R00, R01, R10, R11, R20, R21]``.
    """
    _check_rotmat(R)
    return R[..., :2].reshape(*R.shape[:-2], 6)


# -------------------------------------------------------------- axis-angle


def axis_angle_to_rotmat(aa: Tensor) -> Tensor:
    """Rodrigues' formula ``R = I + a [k]_x + b [k]_x^2`` with
    ``a = sin(t)/t`` and ``b = (1 - cos t)/t^2`` for ``k = aa``, ``t = |aa|``.

    Stable and with finite gradients at ``t = 0``.

    Args:
        aa (Tensor): (..., 3) axis-angle vectors, radians.

    Returns:
        Tensor: (..., 3, 3) rotation matrices.
    """
    _check_last_dim(aa, 3, 'aa')
    sq = (aa * aa).sum(-1)
    # sin(t)/t
    a = _series_or_exact(
        sq, lambda s: 1 - s / 6 * (1 - s / 20 * (1 - s / 42)),
        lambda t: torch.sin(t) / t)
    # (1 - cos t)/t^2 = 2 sin^2(t/2)/t^2, written without cancellation
    b = _series_or_exact(
        sq, lambda s: 0.5 * (1 - s / 12 * (1 - s / 30 * (1 - s / 56))),
        lambda t: 0.5 * (torch.sin(0.5 * t) / (0.5 * t))**2)
    K = _skew(aa)
    eye = torch.eye(3, dtype=aa.dtype, device=aa.device)
    return eye + a[..., None, None] * K + b[..., None, None] * (K @ K)


def axis_angle_to_quaternion(aa: Tensor) -> Tensor:
    """Axis-angle to unit quaternion ``(w, x, y, z) = (cos(t/2),
    sin(t/2) k)``.

    Args:
        aa (Tensor): (..., 3) axis-angle vectors, radians.

    Returns:
        Tensor: (..., 4) unit quaternions, ``(w, x, y, z)``; ``w >= 0`` for
        angles up to pi.
    """
    _check_last_dim(aa, 3, 'aa')
    sq = (aa * aa).sum(-1)
    # cos(t/2)
    w = _series_or_exact(
        sq, lambda s: 1 - s / 8 * (1 - s / 48 * (1 - s / 120)),
        lambda t: torch.cos(0.5 * t))
    # sin(t/2)/t
    c = _series_or_exact(
        sq, lambda s: 0.5 * (1 - s / 24 * (1 - s / 80 * (1 - s / 168))),
        lambda t: torch.sin(0.5 * t) / t)
    return torch.cat([w[..., None], c[..., None] * aa], dim=-1)


def quaternion_to_axis_angle(q: Tensor) -> Tensor:
    """Quaternion to axis-angle, robust at angles near 0 and near pi.

    Args:
        q (Tensor): (..., 4) quaternions ``(w, x, y, z)``; need not be unit
            length (they are normalised), ``q`` and ``-q`` give the same
            result.

    Returns:
        Tensor: (..., 3) axis-angle vectors with angle in ``[0, pi]``.
    """
    _check_last_dim(q, 4, 'q')
    q = F.normalize(q, dim=-1)
    q = torch.where(q[..., :1] < 0, -q, q)  # w >= 0: angle in [0, pi]
    w, v = q[..., 0], q[..., 1:]
    sq_sin = (v * v).sum(-1)  # sin^2(t/2)
    sin_half = _safe_sqrt(sq_sin)
    # (t/2)/sin(t/2), with asin(x)/x = 1 + x^2/6 + 3x^4/40 + 5x^6/112 ...
    small = sq_sin < _SMALL_SQ_ANGLE
    series = 1 + sq_sin / 6 * (1 + sq_sin * 9 / 20 * (1 + sq_sin * 25 / 42))
    exact = torch.atan2(sin_half, w) / torch.where(small,
                                                   torch.ones_like(sin_half),
                                                   sin_half)
    factor = torch.where(small, series, exact)
    return 2 * factor[..., None] * v


def rotmat_to_axis_angle(R: Tensor) -> Tensor:
    """Rotation matrices to axis-angle (through quaternions, so robust near
    0 and near pi).

    Args:
        R (Tensor): (..., 3, 3) rotation matrices.

    Returns:
        Tensor: (..., 3) axis-angle vectors, angle in ``[0, pi]``.
    """
    return quaternion_to_axis_angle(rotmat_to_quaternion(R))


# ------------------------------------------------------------- quaternions


def quaternion_to_rotmat(q: Tensor) -> Tensor:
    """Quaternions ``(w, x, y, z)`` to rotation matrices.

    Args:
        q (Tensor): (..., 4) quaternions in ``(w, x, y, z)`` order; need not
            be unit length (they are normalised).

    Returns:
        Tensor: (..., 3, 3) rotation matrices.
    """
    _check_last_dim(q, 4, 'q')
    w, x, y, z = F.normalize(q, dim=-1).unbind(-1)
    xx, yy, zz = x * x, y * y, z * z
    xy, xz, yz = x * y, x * z, y * z
    wx, wy, wz = w * x, w * y, w * z
    rows = [
        torch.stack([1 - 2 * (yy + zz), 2 * (xy - wz), 2 * (xz + wy)], -1),
        torch.stack([2 * (xy + wz), 1 - 2 * (xx + zz), 2 * (yz - wx)], -1),
        torch.stack([2 * (xz - wy), 2 * (yz + wx), 1 - 2 * (xx + yy)], -1),
    ]
    return torch.stack(rows, -2)


def rotmat_to_quaternion(R: Tensor) -> Tensor:
    """Rotation matrices to unit quaternions ``(w, x, y, z)``.

    Each of ``|w|, |x|, |y|, |z|`` can be read off the diagonal; the
    quaternion is rebuilt from the largest of them (which is at least 1/2),
    so the division is always well conditioned, including at 180 degrees.

    Args:
        R (Tensor): (..., 3, 3) rotation matrices.

    Returns:
        Tensor: (..., 4) unit quaternions ``(w, x, y, z)`` with ``w >= 0``.
    """
    _check_rotmat(R)
    r00, r01, r02 = R[..., 0, 0], R[..., 0, 1], R[..., 0, 2]
    r10, r11, r12 = R[..., 1, 0], R[..., 1, 1], R[..., 1, 2]
    r20, r21, r22 = R[..., 2, 0], R[..., 2, 1], R[..., 2, 2]
    # 4 w^2, 4 x^2, 4 y^2, 4 z^2
    four_sq = torch.stack([
        1 + r00 + r11 + r22,
        1 + r00 - r11 - r22,
        1 - r00 + r11 - r22,
        1 - r00 - r11 + r22,
    ], -1)
    # 4 * q * q_k for k = w, x, y, z (rows), components w, x, y, z (cols)
    d21, d02, d10 = r21 - r12, r02 - r20, r10 - r01
    s10, s02, s21 = r10 + r01, r02 + r20, r21 + r12
    scaled = torch.stack([
        torch.stack([four_sq[..., 0], d21, d02, d10], -1),
        torch.stack([d21, four_sq[..., 1], s10, s02], -1),
        torch.stack([d02, s10, four_sq[..., 2], s21], -1),
        torch.stack([d10, s02, s21, four_sq[..., 3]], -1),
    ], -2)
    two_abs = _safe_sqrt(four_sq)  # 2 |q_k|
    # q = scaled[k] / (4 q_k); the largest |q_k| >= 1/2, clamp the others.
    candidates = scaled / (2 * two_abs.clamp(min=0.1))[..., None]
    best = two_abs.argmax(-1)
    index = best[..., None, None].expand(*best.shape, 1, 4)
    q = candidates.gather(-2, index).squeeze(-2)
    q = F.normalize(q, dim=-1)
    return torch.where(q[..., :1] < 0, -q, q)


# -------------------------------------------------------------- shortcuts


def rot6d_to_axis_angle(x: Tensor) -> Tensor:
    """6D (..., 6) to axis-angle (..., 3), angle in ``[0, pi]``."""
    return rotmat_to_axis_angle(rot6d_to_rotmat(x))


def axis_angle_to_rot6d(aa: Tensor) -> Tensor:
    """Axis-angle (..., 3), radians, to 6D (..., 6)."""
    return rotmat_to_rot6d(axis_angle_to_rotmat(aa))
