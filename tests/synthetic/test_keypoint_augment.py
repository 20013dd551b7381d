"""Keypoint and occlusion augmentations: what they change and what not."""
import torch

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.synthetic.augment.keypoints import (LIMB_END_JOINTS,
                                               drop_named_keypoints,
                                               occlude_rectangle,
                                               perturb_keypoints,
                                               random_rectangles)


def test_drop_named_keypoints_only_touches_named_joints():
    g = torch.Generator().manual_seed(0)
    mask = torch.ones(4000, 17)
    out = drop_named_keypoints(mask, 'coco', 0.3, g)
    named = [get_keypoint_idx(n, 'coco') for n in LIMB_END_JOINTS]
    others = [i for i in range(17) if i not in named]
    assert (out[:, others] == 1).all()
    rate = 1 - out[:, named].mean().item()
    assert abs(rate - 0.3) < 0.02
    assert (drop_named_keypoints(mask, 'coco', 0.0, g) == 1).all()
    assert (drop_named_keypoints(mask, 'coco', 1.0, g)[:, named] == 0).all()


def test_perturbation_statistics():
    g = torch.Generator().manual_seed(1)
    kp = torch.zeros(2000, 17, 2)
    noisy = perturb_keypoints(kp, 0.5, g)
    assert abs(noisy.std().item() - 0.5) < 0.01
    assert abs(noisy.mean().item()) < 0.01


def test_rectangles_and_occlusion():
    g = torch.Generator().manual_seed(2)
    rect = random_rectangles(500, (64, 64), (0.1, 0.2), g)
    area = rect.float().mean((1, 2))
    assert (area >= 0.05).all() and (area <= 0.25).all()
    # each mask is one axis-aligned box: its rows and columns are contiguous
    for r in rect[:20]:
        rows = r.any(1).nonzero()[:, 0]
        cols = r.any(0).nonzero()[:, 0]
        assert r[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()
    maps = torch.ones(200, 3, 32, 32)
    out = occlude_rectangle(maps, 0.5, (0.1, 0.2), g, fill=-1.0)
    hit = (out == -1).flatten(1).any(1)
    assert 0.35 < hit.float().mean().item() < 0.65
    assert ((out == 1) | (out == -1)).all()
    # all channels of a pixel are hidden together
    assert torch.equal((out == -1).all(1), (out == -1).any(1))


def test_coarse_part_drop_erases_exactly_one_coarse_part():
    from hmrzoo.synthetic.augment import drop_coarse_part
    from hmrzoo.renderers.iuv_parts import PART_TO_COARSE
    g = torch.Generator().manual_seed(3)
    parts = torch.arange(25).repeat(4, 1)[:, :, None].expand(4, 25, 8)
    iuv = torch.stack([parts / 24, torch.rand(4, 25, 8, generator=g),
                       torch.rand(4, 25, 8, generator=g)], 1)
    out = drop_coarse_part(iuv, 1.0, g)
    table = torch.tensor(PART_TO_COARSE)
    for b in range(4):
        gone = (out[b].abs().sum(0) == 0).any(-1)  # (25,) per part row
        gone[0] = False
        dropped = table[gone].unique()
        assert len(dropped) == 1                     # one coarse part ...
        assert torch.equal(gone, table == dropped)   # ... all of it
        keep = ~gone
        assert torch.equal(out[b][:, keep], iuv[b][:, keep])
    assert torch.equal(drop_coarse_part(iuv, 0.0, g), iuv)
