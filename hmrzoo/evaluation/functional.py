"""Functional 3D pose and mesh metrics (numpy only).

Every function takes points in the caller's units and returns errors in the
same units; thresholds (PCK, AUC) are in those units too, so their defaults
(150) assume millimetres.

Conventions shared by all functions:

* ``pred`` and ``gt`` have shape (N, K, 3): N samples, K points.
* ``mask`` is an optional boolean array (N, K); ``True`` marks a valid point.
  Masked-out points are excluded from the errors *and* from every alignment
  fit (mmhuman3d fits Procrustes on all K joints and applies the mask only to
  the errors; fitting on valid joints only keeps an invalid annotation from
  moving the alignment).
* The mean returned by default pools all valid points of all samples (a
  point-weighted mean, as mmhuman3d does). With ``per_sample=True`` the
  functions return an (N,) array of per-sample means; a sample without any
  valid point gets ``nan``. Both reductions agree when every sample has the
  same number of valid points.
* ``alignment`` is one of :data:`ALIGNMENTS`:

  - ``'none'``: the points are compared as given;
  - ``'scale'``: ``pred`` is multiplied by the least-squares scale
    ``<pred, gt> / <pred, pred>`` about the origin (no centring: centre the
    inputs first, e.g. with :func:`root_align`);
  - ``'procrustes'``: per-sample similarity transform, see
    :func:`similarity_procrustes`.

PCK uses a strict comparison ``error < threshold`` (as mmhuman3d and the
MPI-INF-3DHP evaluation code do), so a point exactly at the threshold does
not count as correct. AUC is the mean PCK over thresholds, by default
``np.linspace(0, 150, 31)``; threshold 0 is never passed, so a perfect
prediction scores ``30 / 31 * 100 = 96.77``, not 100, which keeps the
numbers comparable with published 3DHP AUCs.

MPJPE-SC (:func:`mpjpe_sc`) follows STRAPS (Sengupta et al., BMVC 2020), the
source CRA cites: pred and gt are each centred on their own mean, pred is
rescaled to the RMS spread of gt (``scale_fit='rms'``; ``'lstsq'`` uses the
least-squares scale of the centred prediction onto the centred ground truth
instead), moved onto the mean of gt, and not rotated.
"""
from typing import Sequence, Union

import numpy as np

ALIGNMENTS = ('none', 'scale', 'procrustes')
SC_SCALE_FITS = ('rms', 'lstsq')
#: Default AUC thresholds: 0, 5, ..., 150 (31 values), as in MPI-INF-3DHP.
DEFAULT_AUC_THRESHOLDS = np.linspace(0, 150, 31)

ArrayOrFloat = Union[float, np.ndarray]


def _check_points(pred, gt, mask=None):
    """Validate and convert ``pred``, ``gt`` (N, K, 3) and ``mask`` (N, K)."""
    pred = np.asarray(pred, dtype=np.float64)
    gt = np.asarray(gt, dtype=np.float64)
    if pred.ndim != 3 or pred.shape[-1] != 3 or pred.shape != gt.shape:
        raise ValueError('pred and gt must both have shape (N, K, 3), got '
                         f'pred {pred.shape} and gt {gt.shape}')
    if mask is None:
        mask = np.ones(pred.shape[:2], dtype=bool)
    else:
        mask = np.asarray(mask).astype(bool)
        if mask.shape != pred.shape[:2]:
            raise ValueError(f'mask must have shape {pred.shape[:2]} (N, K), '
                             f'got {mask.shape}')
    return pred, gt, mask


def _check_alignment(alignment: str) -> None:
    if alignment not in ALIGNMENTS:
        raise ValueError(f'Unknown alignment {alignment!r}; allowed values '
                         f'are {ALIGNMENTS}')


def _masked_mean(values: np.ndarray, mask: np.ndarray, axis=None):
    """Mean of ``values`` over ``mask``; ``nan`` where nothing is valid."""
    total = np.sum(np.where(mask, values, 0.), axis=axis)
    count = np.sum(mask, axis=axis)
    with np.errstate(invalid='ignore', divide='ignore'):
        return total / count


def mean_from_errors(errors, mask=None,
                     per_sample: bool = False) -> ArrayOrFloat:
    """Mean of (N, K) point errors over the valid points.

    Args:
        errors (np.ndarray): (N, K) point errors.
        mask (np.ndarray, optional): (N, K) bool validity.
        per_sample (bool): return (N,) per-sample means (``nan`` for a sample
            without valid points) instead of the pooled mean.

    Raises:
        ValueError: pooled mean requested but no point is valid.
    """
    values, mask = _check_errors(errors, mask)
    if per_sample:
        return _masked_mean(values, mask, axis=1)
    if not mask.any():
        raise ValueError('The mask selects no point: the mean is undefined')
    return float(_masked_mean(values, mask))


def _check_errors(errors, mask):
    errors = np.asarray(errors, dtype=np.float64)
    mask = np.ones(errors.shape, bool) if mask is None else \
        np.asarray(mask).astype(bool)
    if errors.ndim != 2 or mask.shape != errors.shape:
        raise ValueError(f'errors must be (N, K) and mask the same shape, got '
                         f'errors {errors.shape} and mask {mask.shape}')
    return errors, mask


def _valid_mean(points: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """(N, 1, 3) mean of the valid points (zeros where none is valid)."""
    count = np.maximum(valid.sum(axis=1, keepdims=True), 1)
    return np.where(valid, points, 0.).sum(axis=1, keepdims=True) / count


def root_align(points, root_indices: Sequence[int]) -> np.ndarray:
    """Subtract the mean of the root points from every point.

    Args:
        points (np.ndarray): (N, K, 3) points.
        root_indices (Sequence[int]): indices into K whose mean is the root,
            e.g. ``(0,)`` for an H36M pelvis or the two hips.

    Returns:
        np.ndarray: (N, K, 3) root-relative points.
    """
    points = np.asarray(points, dtype=np.float64)
    root_indices = list(root_indices)
    if not root_indices:
        raise ValueError('root_indices must name at least one point')
    root = points[:, root_indices].mean(axis=1, keepdims=True)
    return points - root


def similarity_procrustes(pred, gt, mask=None) -> np.ndarray:
    """Align ``pred`` to ``gt`` with a per-sample similarity transform.

    For each sample, finds scale ``s``, rotation ``R`` (``det R = +1``: a
    reflection is never used) and translation ``t`` minimising
    ``sum_k ||s R pred_k + t - gt_k||^2`` over the valid points (closed form
    of Umeyama / Kabsch via the SVD of the 3x3 cross-covariance), and applies
    it to *all* points of ``pred``.

    Args:
        pred (np.ndarray): (N, K, 3) points to align.
        gt (np.ndarray): (N, K, 3) target points.
        mask (np.ndarray, optional): (N, K) bool; only valid points enter the
            fit (unlike mmhuman3d, which fits on all K). Default: all valid.

    Returns:
        np.ndarray: (N, K, 3) aligned ``pred``, float64. A sample whose valid
        points all coincide gets ``s = 0`` (every point maps to the gt mean).
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    valid = mask[..., None]                                   # (N, K, 1)
    mu_pred, mu_gt = _valid_mean(pred, valid), _valid_mean(gt, valid)
    x = np.where(valid, pred - mu_pred, 0.)
    y = np.where(valid, gt - mu_gt, 0.)
    cov = np.einsum('nki,nkj->nij', x, y)                     # sum x y^T
    u, sing, vt = np.linalg.svd(cov)
    # R = V D U^T maximises tr(R cov); D flips the weakest axis if needed.
    d = np.sign(np.linalg.det(np.einsum('nji,nkj->nik', vt, u)))
    d = np.where(d == 0, 1.0, d)
    diag = np.stack([np.ones_like(d), np.ones_like(d), d], axis=-1)
    rot = np.einsum('nji,nj,nkj->nik', vt, diag, u)
    var = np.sum(x ** 2, axis=(1, 2))
    trace = np.sum(sing * diag, axis=-1)
    scale = np.divide(trace, var, out=np.zeros_like(var), where=var > 0)
    aligned = scale[:, None, None] * np.einsum('nij,nkj->nki', rot,
                                               pred - mu_pred)
    return aligned + mu_gt


def scale_align(pred, gt, mask=None) -> np.ndarray:
    """Multiply ``pred`` by its least-squares scale onto ``gt`` (no centring).

    Args:
        pred (np.ndarray): (N, K, 3) points.
        gt (np.ndarray): (N, K, 3) target points.
        mask (np.ndarray, optional): (N, K) bool; only valid points enter the
            fit ``s = <pred, gt> / <pred, pred>``.

    Returns:
        np.ndarray: (N, K, 3) ``s * pred``.
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    p = np.where(mask[..., None], pred, 0.)
    num = np.sum(p * gt, axis=(1, 2))
    den = np.sum(p * p, axis=(1, 2))
    scale = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return scale[:, None, None] * pred


def align(pred, gt, mask=None, alignment: str = 'none') -> np.ndarray:
    """Apply one of :data:`ALIGNMENTS` to ``pred`` (N, K, 3)."""
    _check_alignment(alignment)
    pred, gt, mask = _check_points(pred, gt, mask)
    if alignment == 'scale':
        return scale_align(pred, gt, mask)
    if alignment == 'procrustes':
        return similarity_procrustes(pred, gt, mask)
    return pred


def point_errors(pred, gt, mask=None, alignment: str = 'none') -> np.ndarray:
    """Euclidean error of every point after ``alignment``.

    Returns:
        np.ndarray: (N, K) distances in the input units (masked-out points
        are computed too; apply the mask when reducing).
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    return np.linalg.norm(align(pred, gt, mask, alignment) - gt, axis=-1)


def mpjpe(pred, gt, mask=None, alignment: str = 'none',
          per_sample: bool = False) -> ArrayOrFloat:
    """Mean per-joint position error.

    Args:
        pred (np.ndarray): (N, K, 3) predicted joints.
        gt (np.ndarray): (N, K, 3) ground-truth joints.
        mask (np.ndarray, optional): (N, K) bool validity.
        alignment (str): one of :data:`ALIGNMENTS`.
        per_sample (bool): return (N,) per-sample means instead of a float.

    Returns:
        float | np.ndarray: mean error in the input units.
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    errors = point_errors(pred, gt, mask, alignment)
    return mean_from_errors(errors, mask, per_sample)


def pa_mpjpe(pred, gt, mask=None, per_sample: bool = False) -> ArrayOrFloat:
    """MPJPE after per-sample similarity Procrustes alignment."""
    return mpjpe(pred, gt, mask, 'procrustes', per_sample)


def scale_translation_align(pred, gt, mask=None,
                            scale_fit: str = 'rms') -> np.ndarray:
    """Centre ``pred`` and ``gt`` on their means, rescale ``pred``, move it
    onto the mean of ``gt`` (no rotation).

    Args:
        pred (np.ndarray): (N, K, 3) points.
        gt (np.ndarray): (N, K, 3) target points.
        mask (np.ndarray, optional): (N, K) bool; means and scale use valid
            points only.
        scale_fit (str): ``'rms'`` gives the centred ``pred`` the RMS distance
            to its mean that ``gt`` has (STRAPS, Sengupta et al. BMVC 2020,
            the usual source of "MPJPE-SC" / "PVE-SC"); ``'lstsq'`` uses the
            least-squares scale ``<p, g> / <p, p>`` of the centred points.

    Returns:
        np.ndarray: (N, K, 3) transformed ``pred``.
    """
    if scale_fit not in SC_SCALE_FITS:
        raise ValueError(f'Unknown scale_fit {scale_fit!r}; allowed values '
                         f'are {SC_SCALE_FITS}')
    pred, gt, mask = _check_points(pred, gt, mask)
    valid = mask[..., None]
    mu_pred, mu_gt = _valid_mean(pred, valid), _valid_mean(gt, valid)
    p = pred - mu_pred
    p_fit = np.where(valid, p, 0.)
    g_fit = np.where(valid, gt - mu_gt, 0.)
    pp = np.sum(p_fit * p_fit, axis=(1, 2))
    num = np.sum((g_fit if scale_fit == 'rms' else p_fit) * g_fit,
                 axis=(1, 2))
    scale = np.divide(num, pp, out=np.zeros_like(pp), where=pp > 0)
    if scale_fit == 'rms':
        scale = np.sqrt(scale)
    return scale[:, None, None] * p + mu_gt


def mpjpe_sc(pred, gt, mask=None, scale_fit: str = 'rms',
             per_sample: bool = False) -> ArrayOrFloat:
    """Scale-corrected MPJPE ("MPJPE-SC").

    Each sample's prediction and ground truth are centred on the mean of
    their valid joints, the prediction is rescaled (``scale_fit``, see
    :func:`scale_translation_align`; default ``'rms'``, as in STRAPS) and
    translated onto the ground-truth mean, then MPJPE is taken. There is no
    rotation. Because of the mean-centring, any root-centring done before
    does not change the result.

    Returns:
        float | np.ndarray: mean error in the input units.
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    aligned = scale_translation_align(pred, gt, mask, scale_fit)
    errors = np.linalg.norm(aligned - gt, axis=-1)
    return mean_from_errors(errors, mask, per_sample)


def pve(pred_verts, gt_verts, alignment: str = 'none',
        per_sample: bool = False) -> ArrayOrFloat:
    """Per-vertex error: mean Euclidean distance between mesh vertices.

    Args:
        pred_verts (np.ndarray): (N, V, 3) predicted vertices.
        gt_verts (np.ndarray): (N, V, 3) ground-truth vertices.
        alignment (str): one of :data:`ALIGNMENTS` (``'procrustes'`` gives
            PA-PVE).
        per_sample (bool): return (N,) per-sample means.

    Returns:
        float | np.ndarray: mean error in the input units.
    """
    return mpjpe(pred_verts, gt_verts, None, alignment, per_sample)


def pck_from_errors(errors, mask=None, threshold: float = 150.,
                    per_sample: bool = False) -> ArrayOrFloat:
    """Percentage (0-100) of valid points with ``error < threshold``.

    Args:
        errors (np.ndarray): (N, K) point errors.
        mask (np.ndarray, optional): (N, K) bool validity.
        threshold (float): in the units of ``errors``.
        per_sample (bool): return (N,) per-sample percentages.
    """
    errors, mask = _check_errors(errors, mask)
    return mean_from_errors((errors < threshold) * 100., mask, per_sample)


def auc_from_errors(errors, mask=None, thresholds=None,
                    per_sample: bool = False) -> ArrayOrFloat:
    """Area under the PCK curve: mean of :func:`pck_from_errors` over
    ``thresholds`` (default :data:`DEFAULT_AUC_THRESHOLDS`), in 0-100.

    Since PCK is strict and 0 is among the default thresholds, a perfect
    prediction scores ``30 / 31 * 100 = 96.77``, not 100 (the MPI-INF-3DHP
    convention, which published AUC numbers follow).
    """
    thresholds = DEFAULT_AUC_THRESHOLDS if thresholds is None else \
        np.asarray(thresholds, dtype=np.float64)
    if thresholds.ndim != 1 or thresholds.size == 0:
        raise ValueError('thresholds must be a non-empty 1-D sequence')
    curves = [pck_from_errors(errors, mask, t, per_sample)
              for t in thresholds]
    return np.mean(curves, axis=0) if per_sample else float(np.mean(curves))


def pck(pred, gt, mask=None, threshold: float = 150.,
        alignment: str = 'none', per_sample: bool = False) -> ArrayOrFloat:
    """3D PCK in percent (0-100): share of valid joints with
    ``error < threshold`` (strict) after ``alignment``.

    Args:
        pred (np.ndarray): (N, K, 3) predicted joints.
        gt (np.ndarray): (N, K, 3) ground-truth joints.
        mask (np.ndarray, optional): (N, K) bool validity.
        threshold (float): in the input units (150 for mm).
        alignment (str): one of :data:`ALIGNMENTS`.
        per_sample (bool): return (N,) per-sample percentages.
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    errors = point_errors(pred, gt, mask, alignment)
    return pck_from_errors(errors, mask, threshold, per_sample)


def auc(pred, gt, mask=None, thresholds=None, alignment: str = 'none',
        per_sample: bool = False) -> ArrayOrFloat:
    """3D AUC in percent: mean PCK over ``thresholds`` (default
    ``np.linspace(0, 150, 31)``, input units). A perfect prediction scores
    ``30 / 31 * 100`` with the default thresholds; see
    :func:`auc_from_errors`.
    """
    pred, gt, mask = _check_points(pred, gt, mask)
    errors = point_errors(pred, gt, mask, alignment)
    return auc_from_errors(errors, mask, thresholds, per_sample)
