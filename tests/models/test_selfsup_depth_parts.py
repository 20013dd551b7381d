"""Value tests of the joints+depth method's pieces (001_01caa0c91b604013.txt):
depth points along bones, the eq. 4 relational vectors, the reliability
weights in eq. 7, the collapse guard, and the frozen pose-prior decoder."""
import pytest
import torch

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.models.losses import JointReliabilityMLP, SelfConsistencyLoss
from hmrzoo.models.priors import PosePriorDecoder
from hmrzoo.models.utils.bone_depth import (BODY_BONES, RELIABILITY_JOINTS,
                                            bone_indices, bone_relations,
                                            nearer_joint_slot, read_depth,
                                            sample_bone_points)


def _idx(name):
    return get_keypoint_idx(name, 'coco', approximate=True)


def test_bones_resolve_by_name_in_coco():
    ends, joint_idx, end_slot = bone_indices('coco')
    assert ends.shape == (12, 2) and joint_idx.shape == (12, )
    assert ends[0].tolist() == [_idx('left_shoulder'), _idx('left_elbow')]
    # the hips are COCO's *_extra points (near-equivalents)
    assert ends[-1].tolist() == [_idx('left_hip'), _idx('right_hip')]
    names = [RELIABILITY_JOINTS[s] for s in end_slot[0].tolist()]
    assert names == list(BODY_BONES[0])


def test_bone_points_keep_the_joints_and_are_evenly_spaced():
    joints = torch.zeros(1, 3, 2)
    joints[0, 1] = torch.tensor([0.9, -0.3])
    joints[0, 2] = torch.tensor([0.9, 0.6])
    ends = torch.tensor([[0, 1], [1, 2]])
    mask = torch.tensor([[1., 1., 0.]])
    pts, valid = sample_bone_points(joints, mask, ends, 4)
    assert pts.shape == (1, 8, 2)
    # bone 0: from joint 0 to joint 1 in thirds, both ends kept
    expect = torch.tensor([[0., 0.], [0.3, -0.1], [0.6, -0.2], [0.9, -0.3]])
    assert torch.allclose(pts[0, :4], expect, atol=1e-6)
    assert torch.allclose(pts[0, 4], joints[0, 1])
    assert torch.allclose(pts[0, 7], joints[0, 2])
    gaps = (pts[0, 1:4] - pts[0, :3]).norm(dim=-1)
    assert torch.allclose(gaps, gaps[0].expand(3))
    # bone 1 has a missing joint (2): its points are invalid
    assert valid[0].tolist() == [True] * 4 + [False] * 4


def test_each_point_takes_its_nearer_joint():
    end_slot = torch.tensor([[3, 7]])
    assert nearer_joint_slot(end_slot, 4).tolist() == [3, 3, 7, 7]
    # odd count: the midpoint goes to joint a
    assert nearer_joint_slot(end_slot, 5).tolist() == [3, 3, 3, 7, 7]


def test_read_depth_nearest_pixel_and_validity():
    depth = torch.arange(16.).reshape(1, 4, 4)
    depth[0, 0, 0] = 0.
    # pixel (i, j) centre at u = (2 j + 1) / 4 - 1
    pts = torch.tensor([[[-0.75, -0.75], [0.25, -0.25], [0.76, 0.74],
                         [1.5, 0.]]])
    values, valid = read_depth(depth, pts)
    assert values[0, 1:3].tolist() == [6., 15.]
    assert valid[0].tolist() == [False, True, True, False]


def test_bone_relations_on_hand_made_joints_and_depth():
    # two joints 0.5 apart horizontally on a depth ramp along x
    joints = torch.tensor([[[-0.75, 0.25], [-0.25, 0.25], [0.9, 0.9]]])
    mask = torch.tensor([[1., 1., 0.]])
    depth = torch.arange(1., 5.).repeat(4, 1)[None]     # column j -> j + 1
    ends = torch.tensor([[0, 1], [1, 2]])
    rel = bone_relations(joints, mask, depth, ends)
    assert torch.allclose(rel[0], torch.tensor([0.5, 0., 1., 0.]))


def _loss(**kw):
    return SelfConsistencyLoss(points_per_bone=4, **kw)


def _toy_evidence(batch=2, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    kp = torch.rand(batch, 17, 2, generator=g) * 1.4 - 0.7
    mask = torch.ones(batch, 17)
    depth = 3 + torch.rand(batch, size, size, generator=g)
    return kp, mask, depth


def test_joint_term_is_eq5_sum_over_joints():
    kp, mask, depth = _toy_evidence()
    loss = _loss(depth=None, reliability=None)
    shifted = kp + torch.tensor([0.1, -0.2])
    mask[1, 3] = 0.
    out = loss(shifted, None, kp, mask, None, torch.zeros(2, 10))
    # 0.05 per joint, 17 and 16 joints
    assert torch.allclose(out['loss_joints'], torch.tensor(0.05 * 16.5))
    assert set(out) == {'loss_joints'}


def test_depth_is_compared_up_to_an_offset():
    kp, mask, depth = _toy_evidence()
    loss = _loss(reliability=None)
    out = loss(kp, depth + 7.0, kp, mask, depth, torch.zeros(2, 10))
    assert out['loss_depth'].abs() < 1e-8
    noisy = depth.clone()
    noisy[:, :, :8] += 0.5
    out = loss(kp, noisy, kp, mask, depth, torch.zeros(2, 10))
    assert out['loss_depth'] > 0


def test_zero_weight_joint_contributes_nothing():
    """Eq. 7 on a left arm along a row of a 64x64 map: the wrist's points
    (the half of the elbow-wrist bone nearer the wrist) carry its weight;
    with that weight 0, changing the rendered depth there changes nothing,
    with weight 1 it does."""
    kp = torch.zeros(1, 17, 2)
    mask = torch.zeros(1, 17)
    for name, x in (('left_shoulder', -0.6), ('left_elbow', 0.0),
                    ('left_wrist', 0.6)):
        kp[0, _idx(name), 0] = x
        mask[0, _idx(name)] = 1.
    depth = torch.full((1, 64, 64), 3.0)
    loss = _loss(align_depth=False)
    slot = RELIABILITY_JOINTS.index('left_wrist')

    class Fixed(torch.nn.Module):
        def forward(self, rel):
            w = torch.full((rel.shape[0], 12), 0.5)
            w[:, slot] = 0.
            return w
    loss.reliability = Fixed()
    rendered = depth.clone()
    # x = 0.4 and 0.6 on row y = 0: columns round((x + 1) * 32 - 0.5)
    for x in (0.4, 0.6):
        rendered[0, 32, int(round((x + 1) * 32 - 0.5))] += 1.0
    zero = torch.zeros(1, 10)
    base = loss(kp, depth, kp, mask, depth, zero)
    moved = loss(kp, rendered, kp, mask, depth, zero)
    assert base['loss_depth'] == 0
    assert moved['loss_depth'] == 0
    loss.reliability = None       # weight 1 everywhere (eq. 6)
    plain = loss(kp, rendered, kp, mask, depth, zero)['loss_depth']
    assert torch.allclose(plain, torch.tensor(0.04 * 2.0))


def test_reliability_weights_shape_and_range():
    mlp = JointReliabilityMLP()
    w = mlp(torch.randn(5, 24))
    assert w.shape == (5, 12) and ((w > 0) & (w < 1)).all()
    # before training every weight is sigmoid(2)
    assert torch.allclose(JointReliabilityMLP()(torch.zeros(1, 24)),
                          torch.sigmoid(torch.tensor(2.)).expand(1, 12),
                          atol=0.05)


def test_reliability_learns_which_joints_are_bad_and_does_not_collapse():
    """Train only the MLP on fixed evidence where the left arm's depth is
    wrong: its weights drop, the others stay near 1 (the -c log w guard);
    without the guard every weight would go to 0."""
    torch.manual_seed(0)
    kp, mask, depth = _toy_evidence(batch=8, size=32)
    loss = SelfConsistencyLoss(points_per_bone=6)
    bad = depth.clone()
    # the left arm: shoulder 5, elbow 7, wrist 9 -> push their region
    for b in range(8):
        for j in (7, 9):
            x, y = kp[b, j]
            i = int((y + 1) / 2 * 32 - 0.5)
            c = int((x + 1) / 2 * 32 - 0.5)
            bad[b, max(i - 3, 0):i + 4, max(c - 3, 0):c + 4] += 2.0
    opt = torch.optim.Adam(loss.reliability.parameters(), lr=1e-2)
    for _ in range(300):
        out = loss(kp, bad, kp, mask, depth, torch.zeros(8, 10))
        total = out['loss_depth'] + out['loss_reliability']
        opt.zero_grad()
        total.backward()
        opt.step()
    w = loss.weights(kp, mask, depth).mean(0)
    names = dict(zip(RELIABILITY_JOINTS, w.tolist()))
    assert names['left_wrist'] < 0.5 and names['left_elbow'] < 0.6
    good = [names[n] for n in ('right_knee', 'left_ankle', 'right_hip')]
    assert min(good) > 0.8


def test_frozen_decoder_gives_rotations_and_takes_no_gradient():
    dec = PosePriorDecoder(frozen=True)
    dec.train()
    assert not dec.training      # frozen stays in eval mode
    latent = (torch.rand(4, 32) * 2 - 1).requires_grad_()
    R = dec(latent)
    assert R.shape == (4, 23, 3, 3)
    eye = torch.eye(3).expand(4, 23, 3, 3)
    assert torch.allclose(R @ R.transpose(-1, -2), eye, atol=1e-5)
    assert torch.allclose(torch.linalg.det(R), torch.ones(4, 23), atol=1e-5)
    R.sum().backward()
    assert latent.grad is not None and latent.grad.abs().sum() > 0
    assert all(p.grad is None and not p.requires_grad
               for p in dec.parameters())


def test_decoder_checkpoint_errors_name_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match='pose_prior_aae_anny.py'):
        PosePriorDecoder(checkpoint=str(tmp_path / 'none.pth')).init_weights()
    with pytest.raises(FileNotFoundError, match='no last_checkpoint'):
        PosePriorDecoder(checkpoint=str(tmp_path)).init_weights()
    torch.save({'state_dict': {'backbone.w': torch.zeros(1)}},
               tmp_path / 'other.pth')
    with pytest.raises(KeyError, match='not a pose prior'):
        PosePriorDecoder(checkpoint=str(tmp_path / 'other.pth')
                         ).init_weights()
