"""Anny behind SMPL's interface: rest pose, posing semantics, shape map,
keypoints and gradients (one shared instance: building it is slow)."""
import pytest
import torch

from hmrzoo.body_models import Anny, get_keypoint_idx
from hmrzoo.conventions.smpl import SMPL_24
from hmrzoo.utils.rotations import axis_angle_to_rotmat


@pytest.fixture(scope='module')
def anny():
    return Anny()


def _rest(batch=1):
    return (torch.eye(3).expand(batch, 1, 3, 3).clone(),
            torch.eye(3).expand(batch, 23, 3, 3).clone())


def test_rest_pose_is_a_t_pose_in_smpl_axes(anny):
    go, pose = _rest()
    out = anny(go, pose)
    j = out['joints'][0]
    J = {n: j[i] for i, n in enumerate(SMPL_24)}
    assert torch.allclose(J['pelvis'], torch.zeros(3), atol=1e-6)
    # y up: head above neck above pelvis above knees above ankles
    assert J['head'][1] > J['neck'][1] > J['pelvis'][1] > \
        J['left_knee'][1] > J['left_ankle'][1]
    # the body's left is +x; arms horizontal and straight along x
    for side, sign in (('left', 1), ('right', -1)):
        arm = [J[f'{side}_{k}'] for k in ('shoulder', 'elbow', 'wrist')]
        for a, b in zip(arm[:-1], arm[1:]):
            d = (b - a) / (b - a).norm()
            assert torch.allclose(d, torch.tensor([sign, 0., 0.]),
                                  atol=1e-4)
    # facing +z: the nose is in front of the head joint
    nose = out['joints'][0, get_keypoint_idx('nose', 'anny')]
    assert nose[2] > J['head'][2] + 0.05
    # mirror symmetry of the skeleton
    for i, n in enumerate(SMPL_24):
        if n.startswith('left_'):
            r = j[SMPL_24.index('right_' + n[5:])]
            assert torch.allclose(j[i] * torch.tensor([-1., 1, 1]), r,
                                  atol=2e-3), n


def test_local_rotation_moves_children_about_the_joint(anny):
    go, pose = _rest()
    base = anny(go, pose)['joints'][0]
    R = axis_angle_to_rotmat(torch.tensor([0.3, -1.1, 0.4]))
    elbow = SMPL_24.index('left_elbow')
    pose[0, elbow - 1] = R
    moved = anny(go, pose)['joints'][0]
    e, w = base[elbow], base[SMPL_24.index('left_wrist')]
    expected = e + R @ (w - e)
    assert torch.allclose(moved[SMPL_24.index('left_wrist')], expected,
                          atol=1e-4)
    # joints outside the subtree do not move
    for n in ('right_wrist', 'head', 'left_knee', 'left_shoulder'):
        assert torch.allclose(moved[SMPL_24.index(n)],
                              base[SMPL_24.index(n)], atol=1e-6)


def test_global_orient_and_transl(anny):
    go, pose = _rest(2)
    pose[:, 3] = axis_angle_to_rotmat(torch.tensor([0.5, 0., 0.]))
    betas = torch.randn(2, 6)
    base = anny(go, pose, betas)
    R = axis_angle_to_rotmat(torch.tensor([[0.2, 2.5, -0.7]]))
    t = torch.tensor([[0.1, -0.2, 3.0]])
    out = anny(R[:, None].expand(2, 1, 3, 3), pose, betas,
               transl=t.expand(2, 3))
    # pelvis at the origin: the whole body rotates about it, then shifts
    exp = base['vertices'] @ R[0].T + t
    assert torch.allclose(out['vertices'], exp, atol=1e-4)
    assert torch.allclose(out['keypoints'], base['keypoints'] @ R[0].T + t,
                          atol=1e-4)


def test_shape_map_and_height(anny):
    betas = torch.zeros(1, 6)
    assert torch.allclose(anny.betas_to_phenotypes(betas),
                          torch.full((1, 6), 0.5))
    b = torch.randn(5, 6)
    assert torch.allclose(anny.phenotypes_to_betas(
        anny.betas_to_phenotypes(b)), b, atol=1e-4)
    go, pose = _rest(2)
    tall = torch.zeros(2, 6)
    tall[0, 4] = -2.0  # height phenotype low
    tall[1, 4] = 2.0   # high
    v = anny(go, pose, tall)['vertices']
    heights = v[..., 1].amax(1) - v[..., 1].amin(1)
    assert heights[1] > heights[0] + 0.1


def test_keypoint_conventions_and_gradients(anny):
    model = Anny(keypoint_convention='coco')
    go, pose = _rest()
    pose = pose.clone().requires_grad_(True)
    betas = torch.zeros(1, 6, requires_grad=True)
    out = model(go, pose, betas)
    assert out['keypoints'].shape == (1, 17, 3)
    assert out['keypoints_mask'].sum() == 17
    i = get_keypoint_idx('left_shoulder', 'coco')
    assert torch.allclose(out['keypoints'][0, i],
                          out['joints'][0, SMPL_24.index('left_shoulder')])
    out['vertices'].square().sum().backward()
    assert pose.grad.abs().sum() > 0 and betas.grad.abs().sum() > 0
    with pytest.raises(ValueError, match='rotation matrices'):
        model(torch.zeros(1, 3), torch.zeros(1, 69))
