"""Evaluation: numpy metric functions and mmengine metric classes."""
from .functional import (ALIGNMENTS, DEFAULT_AUC_THRESHOLDS, align, auc,
                         auc_from_errors, mean_from_errors, mpjpe, mpjpe_sc,
                         pa_mpjpe, pck, pck_from_errors, point_errors, pve,
                         root_align, scale_align, scale_translation_align,
                         similarity_procrustes)
from .metrics import SUPPORTED_METRICS, MeshRecoveryMetric, ProtocolMetric

__all__ = [
    'ALIGNMENTS', 'DEFAULT_AUC_THRESHOLDS', 'SUPPORTED_METRICS', 'align',
    'MeshRecoveryMetric', 'ProtocolMetric', 'auc', 'auc_from_errors',
    'mean_from_errors', 'mpjpe', 'mpjpe_sc', 'pa_mpjpe', 'pck',
    'pck_from_errors', 'point_errors', 'pve', 'root_align', 'scale_align',
    'scale_translation_align', 'similarity_procrustes'
]
