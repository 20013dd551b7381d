"""How good a pose prior is: how well it reconstructs held-out poses, and how
realistic the poses it decodes from random latents are.

Realism is measured against the held-out bank itself: per joint and Euler
axis (``R = Rz Ry Rx``, the procedural sampler's convention), the range the
bank's poses cover (0.5th to 99.5th percentile, widened by ``margin_deg``);
a joint rotation *violates* the bank's limits when one of its angles falls
outside.  The same rate is reported for the bank's own poses (about 1% by
construction: the reference) and for rotations drawn uniformly on SO(3)
(the no-prior reference).
"""
import logging
from typing import Dict, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from ...registry import METRICS


def euler_xyz(R: np.ndarray) -> np.ndarray:
    """(..., 3, 3) ``Rz @ Ry @ Rx`` -> (..., 3) angles about x, y, z in
    degrees (y in [-90, 90])."""
    x = np.arctan2(R[..., 2, 1], R[..., 2, 2])
    y = np.arcsin(np.clip(-R[..., 2, 0], -1., 1.))
    z = np.arctan2(R[..., 1, 0], R[..., 0, 0])
    return np.degrees(np.stack([x, y, z], -1))


def geodesic_deg(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Angle (degrees) of ``A^T B`` for (..., 3, 3) rotations."""
    trace = np.einsum('...ji,...ji->...', A, B)
    return np.degrees(np.arccos(np.clip((trace - 1) / 2, -1., 1.)))


def uniform_rotations(count: int, seed: int = 0) -> np.ndarray:
    """(count, 3, 3) rotations uniform on SO(3) (normalised Gaussian
    quaternions)."""
    q = np.random.default_rng(seed).standard_normal((count, 4))
    w, x, y, z = (q / np.linalg.norm(q, axis=1, keepdims=True)).T
    return np.stack([
        1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        -1).reshape(count, 3, 3)


def violation_rate(poses: np.ndarray, lo: np.ndarray,
                   hi: np.ndarray) -> float:
    """Share (%) of joint rotations of ``poses`` (N, J, 3, 3) with an Euler
    angle outside ``[lo, hi]`` (J, 3) degrees."""
    angles = euler_xyz(poses)
    out = ((angles < lo) | (angles > hi)).any(-1)
    return float(out.mean() * 100)


@METRICS.register_module()
class PosePriorMetric(BaseMetric):
    """Reconstruction error (degrees) and limit violations (%).

    Each sample provides ``gt_body_pose``, ``pred_body_pose`` (the
    reconstruction) and ``pred_random_body_pose`` (decoded from a random
    latent), (J, 3, 3) each (:class:`~hmrzoo.models.priors.PosePriorAAE`).

    Metrics: ``rec_deg`` (mean geodesic angle per joint between a pose and
    its reconstruction), ``violations_random`` (decoded random latents),
    ``violations_bank`` (the held-out poses themselves) and
    ``violations_uniform`` (uniform random rotations), in %.

    Args:
        margin_deg (float): widening of the bank's per-axis ranges.
        data_description (str): what the bank is (logged).
    """

    default_prefix = 'prior'

    def __init__(self, margin_deg: float = 5.0, data_description: str = '',
                 **kwargs):
        super().__init__(**kwargs)
        self.margin_deg = margin_deg
        self.data_description = data_description

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            self.results.append({k: np.asarray(s[k].cpu(), np.float64)
                                 for k in ('gt_body_pose', 'pred_body_pose',
                                           'pred_random_body_pose')})

    def compute_metrics(self, results: list) -> Dict[str, float]:
        gt, rec, rand = (np.stack([r[k] for r in results]) for k in (
            'gt_body_pose', 'pred_body_pose', 'pred_random_body_pose'))
        angles = euler_xyz(gt)
        lo = np.percentile(angles, 0.5, axis=0) - self.margin_deg
        hi = np.percentile(angles, 99.5, axis=0) + self.margin_deg
        uniform = uniform_rotations(gt.shape[0] * gt.shape[1]).reshape(
            gt.shape)
        metrics = dict(rec_deg=float(geodesic_deg(gt, rec).mean()),
                       violations_random=violation_rate(rand, lo, hi),
                       violations_bank=violation_rate(gt, lo, hi),
                       violations_uniform=violation_rate(uniform, lo, hi))
        print_log(f'pose prior on {len(results)} poses ('
                  f'{self.data_description or "data not described"}): '
                  + ', '.join(f'{k} {v:.2f}' for k, v in metrics.items())
                  + ' (deg / % of joint rotations outside the bank\'s '
                  f'per-axis 0.5-99.5% range +-{self.margin_deg:g} deg)',
                  logger='current', level=logging.INFO)
        return metrics
