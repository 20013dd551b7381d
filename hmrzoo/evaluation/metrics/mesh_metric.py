"""MPJPE / PA-MPJPE / PVE / PCK / AUC as an mmengine metric.

The protocol (joint subset, root, alignment, units) is given by constructor
arguments; nothing depends on a dataset's name. For example, the usual
Human3.6M / 3DPW protocol on 17 H36M-regressor joints (pelvis at 0, the 14
LSP joints evaluated) is::

    val_evaluator = dict(
        type='MeshRecoveryMetric',
        metric=('MPJPE', 'PA-MPJPE', 'PVE'),
        joint_indices=(6, 5, 4, 1, 2, 3, 16, 15, 14, 11, 12, 13, 8, 10),
        root_indices=(0,),
        data_description='3DPW test, 35515 crops')
"""
import logging
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from hmrzoo.registry import METRICS

from .. import functional as F

#: Every metric name the class knows, and the errors each one is built from.
_SOURCES = {
    'MPJPE': 'none', 'PCK': 'none', 'AUC': 'none',
    'PA-MPJPE': 'procrustes', 'PA-PCK': 'procrustes', 'PA-AUC': 'procrustes',
    'MPJPE-SC': 'sc', 'PVE': 'verts', 'PA-PVE': 'pa_verts',
}
SUPPORTED_METRICS = tuple(_SOURCES)
_KP_KEYS = ('pred_keypoints3d', 'gt_keypoints3d')
_VERT_KEYS = ('pred_vertices', 'gt_vertices')


def _to_numpy(value) -> np.ndarray:
    """torch tensor / numpy array / nested list -> float64 numpy array."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


@METRICS.register_module()
class MeshRecoveryMetric(BaseMetric):
    """Joint and vertex errors of recovered meshes, in millimetres.

    Each data sample (a dict; mmengine's ``Evaluator`` converts data elements
    with ``to_dict()``) provides ``pred_keypoints3d`` and ``gt_keypoints3d``
    (K, 3) in metres, optionally ``gt_keypoints3d_mask`` (K,),
    ``pred_vertices`` / ``gt_vertices`` (V, 3) in metres and ``sample_idx``;
    torch tensors and numpy arrays are both accepted.

    Per sample, in this order: coordinates are multiplied by ``unit_scale``;
    keypoints are root-centred with ``root_indices`` (indices into the full
    K keypoints, so the root need not be among the evaluated joints); the
    ``joint_indices`` subset (and its mask) is kept; then

    * MPJPE / PCK / AUC compare the root-centred joints as they are;
    * PA-MPJPE / PA-PCK / PA-AUC first apply a similarity Procrustes fitted
      on the valid joints (:func:`~hmrzoo.evaluation.functional.
      similarity_procrustes`);
    * MPJPE-SC centres pred and gt on their own joint means and rescales the
      prediction (``sc_scale_fit``, see :func:`~hmrzoo.evaluation.
      functional.mpjpe_sc`), so root-centring does not affect it;
    * PVE compares vertices as given (mmhuman3d's protocol), or, when
      ``vertex_root_indices`` is set, after subtracting from pred / gt
      vertices the mean of the pred / gt *keypoints* at those indices;
    * PA-PVE applies a similarity Procrustes fitted on all vertices.

    Reported means pool all valid joints (vertices) of all samples. PCK uses
    ``error < pck_threshold``; AUC is the mean PCK over ``auc_thresholds``
    (default 0, 5, ..., 150 mm), so a perfect prediction has AUC 96.77.
    Lower is better for the errors, higher for PCK / AUC.

    Args:
        metric (str | Sequence[str]): names from :data:`SUPPORTED_METRICS`
            (singular, as mmdet's ``metric``: mmengine's Runner reads a
            ``metrics`` key of an evaluator config as a list of metrics); the
            returned dict uses exactly these keys.
        joint_indices (Sequence[int], optional): keypoints to evaluate, as
            indices into the (K, 3) arrays. ``None``: all.
        root_indices (Sequence[int], optional): keypoints whose mean is
            subtracted from pred and gt keypoints. ``None``: no centring.
        vertex_root_indices (Sequence[int], optional): keypoints whose mean
            is subtracted from the vertices for PVE. ``None``: no centring.
        unit_scale (float): factor from input units to reported units
            (1000: metres -> mm).
        pck_threshold (float): PCK threshold in reported units.
        auc_thresholds (Sequence[float], optional): AUC thresholds in
            reported units. ``None``: ``np.linspace(0, 150, 31)``.
        sc_scale_fit (str): ``'rms'`` or ``'lstsq'`` scale for MPJPE-SC.
        data_description (str): what the metric is measured on; logged with
            the results.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for distributed runs.
        prefix (str, optional): prepended as ``'prefix/MPJPE'`` by
            ``evaluate``. Default: no prefix.

    Attributes:
        per_sample (list[dict]): after :meth:`compute_metrics`, one dict per
            sample ``{'sample_idx': ..., 'MPJPE': ..., ...}`` (``sample_idx``
            falls back to the position in the results when absent).
    """

    default_prefix: Optional[str] = ''

    def __init__(self,
                 metric: Sequence[str] = ('MPJPE', 'PA-MPJPE', 'PVE'),
                 joint_indices: Optional[Sequence[int]] = None,
                 root_indices: Optional[Sequence[int]] = (0, ),
                 vertex_root_indices: Optional[Sequence[int]] = None,
                 unit_scale: float = 1000.,
                 pck_threshold: float = 150.,
                 auc_thresholds: Optional[Sequence[float]] = None,
                 sc_scale_fit: str = 'rms',
                 data_description: str = '',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        metrics = (metric, ) if isinstance(metric, str) else metric
        unknown = [m for m in metrics if m not in _SOURCES]
        if unknown or not metrics:
            raise ValueError(f'Unknown metrics {unknown}; supported: '
                             f'{SUPPORTED_METRICS}')
        if sc_scale_fit not in F.SC_SCALE_FITS:
            raise ValueError(f'sc_scale_fit must be one of '
                             f'{F.SC_SCALE_FITS}, got {sc_scale_fit!r}')
        self.metrics = tuple(metrics)
        self.joint_indices = _as_index_list(joint_indices)
        self.root_indices = _as_index_list(root_indices)
        self.vertex_root_indices = _as_index_list(vertex_root_indices)
        self.unit_scale = float(unit_scale)
        self.pck_threshold = float(pck_threshold)
        self.auc_thresholds = F.DEFAULT_AUC_THRESHOLDS.copy() \
            if auc_thresholds is None else np.asarray(auc_thresholds, float)
        self.sc_scale_fit = sc_scale_fit
        self.data_description = data_description
        self.per_sample: List[dict] = []
        self._sources = sorted({_SOURCES[m] for m in self.metrics})
        # key -> first requested metric that needs it (for error messages)
        self._required: Dict[str, str] = {}
        for name in self.metrics:
            keys = _VERT_KEYS if _SOURCES[name] in ('verts', 'pa_verts') \
                else _KP_KEYS
            if name == 'PVE' and self.vertex_root_indices is not None:
                keys = keys + _KP_KEYS
            for key in keys:
                self._required.setdefault(key, name)

    # ------------------------------------------------------------- process
    def _get(self, sample: dict, key: str) -> np.ndarray:
        value = sample.get(key)
        if value is None:
            raise KeyError(f'Data sample has no {key!r}, which metric '
                           f'{self._required[key]!r} of {type(self).__name__}'
                           f' needs (sample keys: {sorted(sample)})')
        return _to_numpy(value) * self.unit_scale

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Compute each sample's errors (mm) and store them in
        ``self.results`` (only errors are kept, not meshes)."""
        for sample in data_samples:
            arrays = {key: self._get(sample, key) for key in self._required}
            self.results.append(self._process_one(sample, arrays))

    def _process_one(self, sample: dict, arrays: dict) -> dict:
        _check_finite(sample, arrays, type(self).__name__)
        result: Dict[str, Any] = {'sample_idx': sample.get('sample_idx')}
        if 'pred_keypoints3d' in arrays:
            pred = arrays['pred_keypoints3d'][None]
            gt = arrays['gt_keypoints3d'][None]
            mask = sample.get('gt_keypoints3d_mask')
            mask = np.ones(gt.shape[:2], bool) if mask is None else \
                _to_numpy(mask).reshape(1, -1) > 0
            F._check_points(pred, gt, mask)
            if self.root_indices is not None:
                pred = F.root_align(pred, self.root_indices)
                gt = F.root_align(gt, self.root_indices)
            if self.joint_indices is not None:
                idx = self.joint_indices
                pred, gt, mask = pred[:, idx], gt[:, idx], mask[:, idx]
            result['mask'] = mask[0]
            for src in ('none', 'procrustes'):
                if src in self._sources:
                    result[src] = F.point_errors(pred, gt, mask, src)[0]
            if 'sc' in self._sources:
                aligned = F.scale_translation_align(pred, gt, mask,
                                                    self.sc_scale_fit)
                result['sc'] = np.linalg.norm(aligned - gt, axis=-1)[0]
        if 'verts' in self._sources or 'pa_verts' in self._sources:
            pred_v = arrays['pred_vertices'][None]
            gt_v = arrays['gt_vertices'][None]
            if 'verts' in self._sources:
                p, g = pred_v, gt_v
                if self.vertex_root_indices is not None:
                    idx = self.vertex_root_indices
                    p = p - arrays['pred_keypoints3d'][idx].mean(0)
                    g = g - arrays['gt_keypoints3d'][idx].mean(0)
                result['verts'] = F.point_errors(p, g)[0]
            if 'pa_verts' in self._sources:
                result['pa_verts'] = F.point_errors(pred_v, gt_v, None,
                                                    'procrustes')[0]
        return result

    # ------------------------------------------------------------- compute
    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Reduce the stored errors to ``{name: value}`` (mm, or % for
        PCK / AUC), fill :attr:`per_sample` and log the protocol table."""
        metrics: Dict[str, float] = {}
        per_sample = {}
        for name in self.metrics:
            src = _SOURCES[name]
            errors = np.stack([r[src] for r in results])
            mask = None if src in ('verts', 'pa_verts') else \
                np.stack([r['mask'] for r in results])
            if name.endswith('PCK'):
                fn, kw = F.pck_from_errors, dict(threshold=self.pck_threshold)
            elif name.endswith('AUC'):
                fn = F.auc_from_errors
                kw = dict(thresholds=self.auc_thresholds)
            else:
                fn, kw = F.mean_from_errors, {}
            metrics[name] = fn(errors, mask, **kw)
            per_sample[name] = fn(errors, mask, per_sample=True, **kw)
        self.per_sample = []
        for i, r in enumerate(results):
            idx = r['sample_idx']
            entry = {'sample_idx': i if idx is None else _plain(idx)}
            entry.update({k: float(v[i]) for k, v in per_sample.items()})
            self.per_sample.append(entry)
        print_log(self.format_table(metrics, len(results)), logger='current',
                  level=logging.INFO)
        return metrics

    # ------------------------------------------------------------- report
    def protocol_lines(self) -> List[str]:
        """Human-readable description of the evaluation protocol."""
        units = 'metres -> mm (x1000)' if self.unit_scale == 1000. else \
            f'input units x {self.unit_scale:g}'
        return [
            f'data: {self.data_description or "(not described)"}',
            'joints: ' + ('all' if self.joint_indices is None else
                          str(self.joint_indices)),
            'root: ' + ('none (no centring)' if self.root_indices is None
                        else f'mean of keypoints {self.root_indices}'),
            'vertex root: ' + ('none' if self.vertex_root_indices is None
                               else f'mean of keypoints '
                               f'{self.vertex_root_indices}'),
            f'units: {units}',
            'alignment: PA-* = per-sample similarity Procrustes; MPJPE-SC = '
            f'mean-centred, {self.sc_scale_fit} scale',
            f'PCK: error < {self.pck_threshold:g}; AUC: mean PCK over '
            f'{len(self.auc_thresholds)} thresholds '
            f'{self.auc_thresholds.min():g}..{self.auc_thresholds.max():g}',
        ]

    def format_table(self, metrics: Dict[str, float], num_samples: int) -> str:
        """The results as a text table preceded by the protocol."""
        lines = [f'{type(self).__name__} on {num_samples} samples']
        lines += ['  ' + line for line in self.protocol_lines()]
        width = max(len(name) for name in metrics) + 2
        lines.append('  ' + '-' * (width + 12))
        for name, value in metrics.items():
            unit = '%' if name.endswith(('PCK', 'AUC')) else 'mm' \
                if self.unit_scale == 1000. else ''
            lines.append(f'  {name:<{width}}{value:>10.2f} {unit}')
        return '\n'.join(lines)


def _check_finite(sample: dict, arrays: dict, owner: str) -> None:
    """Refuse NaN / Inf in a sample's predictions or ground truth (the
    masked-out ground-truth joints excepted) before any Procrustes
    alignment, naming the sample and the field."""
    mask = sample.get('gt_keypoints3d_mask')
    for key, value in arrays.items():
        value = np.asarray(value)
        if key == 'gt_keypoints3d' and mask is not None:
            value = value[_to_numpy(mask).reshape(-1) > 0]
        if not np.isfinite(value).all():
            side = 'the model predicted' if key.startswith('pred') else \
                'the ground truth holds'
            raise ValueError(
                f'{owner}: sample {sample.get("sample_idx")}: {side} NaN / '
                f'Inf in {key}; ' + (
                    'the checkpoint diverged or does not fit the data (see '
                    'the training log)' if key.startswith('pred') else
                    'check its annotation file (tools/convert_datasets.py '
                    'writes finite values)'))


def _as_index_list(indices: Optional[Sequence[int]]) -> Optional[List[int]]:
    if indices is None:
        return None
    indices = [int(i) for i in indices]
    if not indices:
        raise ValueError('An index list must not be empty (use None)')
    return indices


def _plain(value):
    """Make ``sample_idx`` json-friendly (tensor / numpy scalar -> int)."""
    if hasattr(value, 'item') and np.size(value) == 1:
        return value.item()
    return value
