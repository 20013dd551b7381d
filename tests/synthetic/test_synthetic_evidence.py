"""Rendered synthetic evidence (IUV, depth, silhouette) cropped around the
foreground: consistency between the maps and with the 3D ground truth."""
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.synthetic import SyntheticPoseDataset
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


def test_training_augmentations_and_iqr_trim():
    ds = SyntheticPoseDataset(num_samples=4, seed=2, test_mode=True)
    batch = pseudo_collate([ds[i] for i in range(4)])
    kw = dict(body_model=dict(type='Anny'), outputs=('iuv', 'depth'),
              heatmap_size=48, crop_from='foreground')
    clean = SyntheticEvidencePreprocessor(**kw)(batch, False)['inputs']
    pre = SyntheticEvidencePreprocessor(
        **kw, augment=dict(part_drop=1.0, occlusion=1.0,
                           occlusion_area=(0.1, 0.1)))
    torch.manual_seed(0)
    aug = pre(pseudo_collate([ds[i] for i in range(4)]), True)['inputs']
    # augmentations only remove evidence (pixels become background: part
    # drop in the IUV map, the occluder in every map), and every sample
    # lost some
    iuv_changed = (aug[:, :3] != clean[:, :3]).any(1)
    assert iuv_changed.flatten(1).any(1).all()
    assert (aug[:, :3].permute(0, 2, 3, 1)[iuv_changed] == 0).all()
    depth_changed = aug[:, 3] != clean[:, 3]
    assert depth_changed.any()  # (an occluder may fall on background)
    assert (aug[:, 3][depth_changed] == 0).all()
    # the occluder hides depth only where it hides IUV too
    assert not (depth_changed & ~iuv_changed).any()
    # at test time the same preprocessor leaves the maps alone
    test = pre(pseudo_collate([ds[i] for i in range(4)]), False)['inputs']
    assert torch.equal(test, clean)
    # IQR trimming (train and test) equals the trim of the clean depth
    from hmrzoo.synthetic.augment import iqr_trim
    trim = SyntheticEvidencePreprocessor(**kw, depth_iqr_trim=True)
    depth = trim(pseudo_collate([ds[i] for i in range(4)]), False)[
        'inputs'][:, 3]
    assert torch.equal(depth, iqr_trim(clean[:, 3]))
    import pytest
    with pytest.raises(ValueError, match='part_dorp'):
        SyntheticEvidencePreprocessor(**kw, augment=dict(part_dorp=0.1))


def test_parts_map_and_textured_rgb():
    ds = SyntheticPoseDataset(num_samples=2, seed=1, test_mode=True)
    pre = SyntheticEvidencePreprocessor(
        dict(type='Anny'), outputs=('rgb', 'iuv', 'parts', 'silhouette'),
        heatmap_size=48, crop_from='foreground')
    data = pre(pseudo_collate([ds[0], ds[1]]))
    again = pre(pseudo_collate([ds[0], ds[1]]))
    assert torch.equal(data['inputs'], again['inputs'])  # deterministic
    for s in data['data_samples']:
        parts = s.input_parts[0]
        assert torch.equal(parts, (s.input_iuv[0] * 24).round())
        sil = s.input_silhouette[0] > 0
        assert torch.equal(parts > 0, sil)
        rgb = s.input_rgb
        assert rgb.min() >= 0 and rgb.max() <= 1
        # a texture, not flat colours: several distinct colours per part
        torso = (parts == 2) & sil
        if torso.sum() > 20:
            assert rgb[:, torso].std(1).max() > 0.01
