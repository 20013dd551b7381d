"""MeshRecoveryMetric through mmengine's Evaluator, with hand-computed mm."""
import json

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from mmengine.structures import BaseDataElement

from hmrzoo.evaluation import MeshRecoveryMetric
from hmrzoo.registry import METRICS

# 6 keypoints in metres; roots are joints 1 and 2 (hips), evaluated 0, 3, 4.
GT = np.array([[0.0, 0.5, 0.0], [-0.1, 0.0, 0.0], [0.1, 0.0, 0.0],
               [0.0, -0.4, 0.1], [0.3, 0.2, 0.0], [0.0, 0.9, 0.0]])
SHIFT = np.array([1.0, -2.0, 5.0])  # global translation, removed by root


def _sample(offsets, idx, **extra):
    """pred = GT + SHIFT + offsets; root offsets (0.02,0,0) and 0 give a
    root shift of (0.01, 0, 0) m."""
    d = np.zeros((6, 3))
    d[1] = [0.02, 0., 0.]
    for j, v in offsets.items():
        d[j] = v
    d[5] = [3., 3., 3.]  # huge error on a joint that is not evaluated
    sample = dict(pred_keypoints3d=torch.tensor(GT + SHIFT + d),
                  gt_keypoints3d=GT.copy(), sample_idx=idx)
    sample.update(extra)
    return sample


# relative to the root shift (0.01, 0, 0): joint 0 off by (0.03, 0.04, 0)
# -> 50 mm, joint 3 off by (0, 0, 0.1) -> 100 mm, joint 4 exact -> 0 mm.
SAMPLE_A = dict(offsets={0: [0.04, 0.04, 0.], 3: [0.01, 0., 0.1],
                         4: [0.01, 0., 0.]})
# second sample: 0 mm, 200 mm, 20 mm
SAMPLE_B = dict(offsets={0: [0.01, 0., 0.], 3: [0.01, 0.2, 0.],
                         4: [0.01, 0., 0.02]})


def _evaluate(metric, samples):
    evaluator = Evaluator([metric])
    evaluator.process(data_samples=samples)
    return evaluator.evaluate(len(samples))


def _protocol(**kwargs):
    cfg = dict(joint_indices=(0, 3, 4), root_indices=(1, 2),
               data_description='two fabricated samples')
    cfg.update(kwargs)
    return MeshRecoveryMetric(**cfg)


def test_root_centring_and_joint_subset_in_mm():
    metric = _protocol(metric=('MPJPE', 'PCK', 'AUC', 'PA-MPJPE'),
                       pck_threshold=60., auc_thresholds=(10., 60., 120.))
    samples = [_sample(SAMPLE_A['offsets'], 7),
               _sample(SAMPLE_B['offsets'], 8)]
    res = _evaluate(metric, samples)
    assert list(res) == ['MPJPE', 'PCK', 'AUC', 'PA-MPJPE']
    # (50 + 100 + 0 + 0 + 200 + 20) / 6
    assert res['MPJPE'] == pytest.approx(370. / 6.)
    # errors < 60 mm: 50, 0, 0, 20 -> 4 of 6
    assert res['PCK'] == pytest.approx(400. / 6.)
    # AUC thresholds 10, 60, 120 mm (away from the errors, which float
    # rounding could put either side of a threshold): 2/6, 4/6, 5/6 correct
    assert res['AUC'] == pytest.approx((2. + 4. + 5.) / 18. * 100.)
    assert 0. < res['PA-MPJPE'] < res['MPJPE']
    assert [s['sample_idx'] for s in metric.per_sample] == [7, 8]
    assert metric.per_sample[0]['MPJPE'] == pytest.approx(50.)
    assert metric.per_sample[1]['MPJPE'] == pytest.approx(220. / 3.)
    assert metric.per_sample[0]['PCK'] == pytest.approx(200. / 3.)
    json.dumps(metric.per_sample)  # json-ready for a tool's --out


def test_without_root_the_translation_counts():
    metric = MeshRecoveryMetric(metric=('MPJPE', 'PA-MPJPE'),
                                joint_indices=(0, 3, 4), root_indices=None)
    sample = _sample({0: [0.01, 0., 0.], 3: [0.01, 0., 0.],
                      4: [0.01, 0., 0.]}, 0)
    res = _evaluate(metric, [sample])
    # every evaluated joint is off by SHIFT + (0.01, 0, 0)
    assert res['MPJPE'] == pytest.approx(
        np.linalg.norm(SHIFT + [0.01, 0., 0.]) * 1000.)
    assert res['PA-MPJPE'] == pytest.approx(0., abs=1e-6)


def test_mask_respected():
    metric = _protocol(metric=('MPJPE', ))
    mask = np.ones(6)
    mask[3] = 0  # the 100 mm joint
    res = _evaluate(metric, [_sample(SAMPLE_A['offsets'], 0,
                                     gt_keypoints3d_mask=mask)])
    assert res['MPJPE'] == pytest.approx(25.)


def test_identity_sim3_and_scale():
    rot = np.diag([1., -1., -1.])
    pred = 1.2 * GT @ rot.T + SHIFT
    metric = MeshRecoveryMetric(
        metric=('MPJPE', 'PA-MPJPE', 'MPJPE-SC', 'PCK', 'PA-PCK', 'PA-AUC'),
        root_indices=(1, 2))
    res = _evaluate(metric, [dict(pred_keypoints3d=pred, gt_keypoints3d=GT)])
    assert res['MPJPE'] > 100.
    assert res['MPJPE-SC'] > 100.  # no rotation in MPJPE-SC
    assert res['PA-MPJPE'] == pytest.approx(0., abs=1e-6)
    assert res['PA-PCK'] == 100.
    assert res['PA-AUC'] == pytest.approx(30. / 31. * 100.)
    scaled = MeshRecoveryMetric(metric=('MPJPE-SC', 'MPJPE'))
    res = _evaluate(scaled, [dict(pred_keypoints3d=0.7 * GT + SHIFT,
                                  gt_keypoints3d=GT)])
    assert res['MPJPE-SC'] == pytest.approx(0., abs=1e-6)
    assert res['MPJPE'] > 10.


def test_pve_with_and_without_vertex_root():
    verts = np.array([[0., 0., 0.], [0.1, 0.2, 0.3], [1., 1., 1.]])
    vert_off = np.array([[0.003, 0.004, 0.], [0., 0., 0.], [0., 0.01, 0.]])
    kp_pred = GT + SHIFT
    kp_pred[0] += 0.5  # keypoint 0 is not a vertex root: no influence
    sample = dict(pred_keypoints3d=kp_pred, gt_keypoints3d=GT,
                  pred_vertices=verts + SHIFT + vert_off, gt_vertices=verts)
    rooted = MeshRecoveryMetric(metric=('PVE', ), vertex_root_indices=(1, 2))
    assert _evaluate(rooted, [sample])['PVE'] == pytest.approx(5.)
    plain = MeshRecoveryMetric(metric=('PVE', 'PA-PVE'))
    res = _evaluate(plain, [sample])
    assert res['PVE'] == pytest.approx(np.mean(
        np.linalg.norm(SHIFT + vert_off, axis=1)) * 1000.)
    assert res['PA-PVE'] < res['PVE']
    exact = dict(sample, pred_vertices=verts * 1.1 + SHIFT)
    assert _evaluate(plain, [exact])['PA-PVE'] == pytest.approx(0., abs=1e-6)


def test_missing_key_names_key_and_metric():
    metric = MeshRecoveryMetric(metric=('MPJPE', 'PVE'))
    sample = dict(pred_keypoints3d=GT, gt_keypoints3d=GT)
    with pytest.raises(KeyError, match="'pred_vertices'.*'PVE'"):
        metric.process(None, [sample])
    metric = MeshRecoveryMetric(metric=('PA-MPJPE', ))
    with pytest.raises(KeyError, match="'gt_keypoints3d'.*'PA-MPJPE'"):
        metric.process(None, [dict(pred_keypoints3d=GT)])


def test_unknown_metric_and_shape_errors():
    with pytest.raises(ValueError, match='PA-MPJPE'):
        MeshRecoveryMetric(metric=('MPJPE', 'P-MPJPE'))
    metric = MeshRecoveryMetric(metric=('MPJPE', ))
    with pytest.raises(ValueError, match=r'\(1, 6, 3\).*\(1, 5, 3\)'):
        metric.process(None, [dict(pred_keypoints3d=GT,
                                   gt_keypoints3d=GT[:5])])


def test_data_elements_registry_prefix_and_log_table():
    with DefaultScope.overwrite_default_scope('hmrzoo'):
        evaluator = Evaluator(dict(type='MeshRecoveryMetric',
                                   metric=('MPJPE', ), prefix='synth',
                                   joint_indices=(0, 3, 4),
                                   root_indices=(1, 2)))
    assert isinstance(evaluator.metrics[0], MeshRecoveryMetric)
    raw = _sample(SAMPLE_A['offsets'], 3)
    elem = BaseDataElement(metainfo=dict(sample_idx=3))
    elem.pred_keypoints3d = raw['pred_keypoints3d'].float()
    elem.gt_keypoints3d = torch.from_numpy(GT)
    evaluator.process(data_samples=[elem])
    res = evaluator.evaluate(1)
    assert res == {'synth/MPJPE': pytest.approx(50., abs=1e-2)}
    metric = METRICS.build(dict(type='MeshRecoveryMetric',
                                data_description='held-out synthetic set'))
    table = metric.format_table({'MPJPE': 61.234, 'PCK': 90.}, 512)
    assert 'held-out synthetic set' in table
    assert '512 samples' in table
    assert '61.23 mm' in table and '90.00 %' in table
    assert 'mean of keypoints [0]' in table
