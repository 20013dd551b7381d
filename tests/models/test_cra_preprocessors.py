"""CRA's inputs: clean IUV targets kept before augmentation (synthetic),
and heatmaps (+ IUV) built from detections on real crops."""
import pytest
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.synthetic import SyntheticPoseDataset
from hmrzoo.models.data_preprocessors import (DetectedEvidencePreprocessor,
                                              SyntheticTargetsPreprocessor)
from hmrzoo.models.utils import heatmap_keypoints
from hmrzoo.structures import HMRDataSample


def test_targets_are_the_maps_before_augmentation():
    ds = SyntheticPoseDataset(num_samples=3, seed=4, test_mode=True)
    kw = dict(body_model=dict(type='Anny'), outputs=('heatmaps', 'iuv'),
              heatmap_size=32, crop_from='foreground')
    pre = SyntheticTargetsPreprocessor(
        **kw, augment=dict(part_drop=1.0, occlusion=1.0))
    clean = SyntheticTargetsPreprocessor(**kw)(
        pseudo_collate([ds[i] for i in range(3)]), False)
    torch.manual_seed(0)
    aug = pre(pseudo_collate([ds[i] for i in range(3)]), True)
    for c, a in zip(clean['data_samples'], aug['data_samples']):
        # the target is the rendered map; the input lost a part / a box
        assert torch.equal(a.gt_iuv, c.input_iuv)
        assert torch.equal(c.gt_iuv, c.input_iuv)
        assert not torch.equal(a.input_iuv, a.gt_iuv)
    with pytest.raises(ValueError, match='not rendered maps'):
        SyntheticTargetsPreprocessor(**dict(kw, outputs=('heatmaps', )))


def _sample(kp, mask, iuv=None):
    s = HMRDataSample()
    s.gt_keypoints2d, s.gt_keypoints2d_mask = kp, mask
    if iuv is not None:
        s.input_iuv = iuv
    return s


def test_detected_evidence_round_trip():
    torch.manual_seed(1)
    kp = torch.rand(2, 17, 2) * 1.6 - 0.8
    mask = torch.ones(2, 17)
    mask[1, [3, 9]] = 0
    iuv = torch.rand(2, 3, 48, 48)
    samples = [_sample(kp[i], mask[i], iuv[i]) for i in range(2)]
    pre = DetectedEvidencePreprocessor(heatmap_size=48, sigma=2.0)
    out = pre(dict(inputs=[None, None], data_samples=samples))
    assert out['inputs'].shape == (2, 20, 48, 48)
    assert torch.equal(out['inputs'][:, 17:], iuv)
    decoded, decoded_mask = heatmap_keypoints(out['inputs'][:, :17])
    assert torch.equal(decoded_mask, mask)
    assert (decoded - kp)[mask > 0].abs().max() < 1e-4
    assert torch.equal(samples[1].input_keypoints2d_mask, mask[1])
    joints_only = DetectedEvidencePreprocessor(heatmap_size=48,
                                               with_iuv=False)
    assert joints_only(dict(data_samples=[_sample(kp[0], mask[0])]))[
        'inputs'].shape == (1, 17, 48, 48)
    with pytest.raises(KeyError, match="'input_iuv'.*samples \\[0\\]"):
        pre(dict(data_samples=[_sample(kp[0], mask[0])]))
