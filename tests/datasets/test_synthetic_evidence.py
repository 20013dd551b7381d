"""Rendered synthetic evidence (IUV, depth, silhouette) cropped around the
foreground: consistency between the maps and with the 3D ground truth."""
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.datasets import SyntheticPoseDataset
from hmrzoo.models.data_preprocessors import SyntheticEvidencePreprocessor


def test_rendered_maps_agree_with_each_other_and_the_body():
    ds = SyntheticPoseDataset(num_samples=3, seed=5, num_keypoints=17,
                              test_mode=True)
    pre = SyntheticEvidencePreprocessor(
        dict(type='Anny'), outputs=('heatmaps', 'iuv', 'depth', 'silhouette'),
        heatmap_size=64, crop_from='foreground', crop_scale=1.2)
    data = pre(pseudo_collate([ds[i] for i in range(3)]))
    assert data['inputs'].shape == (3, 17 + 3 + 1 + 1, 64, 64)
    for s in data['data_samples']:
        sil = s.input_silhouette[0] > 0
        iuv, depth = s.input_iuv, s.input_depth[0]
        assert torch.equal(sil, iuv[0] > 0) and torch.equal(sil, depth > 0)
        # I is a part index / 24, U and V in [0, 1]
        parts = iuv[0][sil] * 24
        assert torch.allclose(parts, parts.round(), atol=1e-4)
        assert parts.round().min() >= 1 and parts.round().max() <= 24
        assert len(parts.round().unique()) >= 12
        assert iuv[1:].min() >= 0 and iuv[1:].max() <= 1 + 1e-5
        # depth lies within the body's depth range
        z = s.gt_vertices[:, 2]
        assert depth[sil].min() >= z.min() - 1e-4
        assert depth[sil].max() <= z.max() + 1e-4
        # the crop is 1.2x the body's box: the silhouette spans 64 / 1.2
        # pixels along its longer side (to within a pixel)
        rows, cols = sil.any(1).nonzero()[:, 0], sil.any(0).nonzero()[:, 0]
        extent = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
        assert abs(int(extent) - 64 / 1.2) <= 1.5
        # the pelvis projects onto the body
        px = ((s.gt_keypoints2d[0] + 1) / 2 * 64 - 0.5).round().long()
        assert sil[px[1], px[0]]
