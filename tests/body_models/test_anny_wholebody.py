"""Anny's whole-body variant: the body of Anny, fingers and facial actions
that move only what they should, landmarks placed by their rules."""
import numpy as np
import pytest
import torch

from hmrzoo.body_models import Anny, AnnyWholeBody
from hmrzoo.body_models.anny_wholebody import FACE_LANDMARKS
from hmrzoo.conventions import convert_kps, get_keypoint_names
from hmrzoo.synthetic.sources.part_samplers import HandPoseSampler
from hmrzoo.utils.rotations import axis_angle_to_rotmat

NAMES = get_keypoint_names('anny_wholebody')


@pytest.fixture(scope='module')
def model():
    return AnnyWholeBody()


def _pose(batch=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return axis_angle_to_rotmat(torch.randn(batch, 22, 3, generator=g) * .3)


def test_rest_hands_and_face_give_anny_body(model):
    R = _pose()
    betas = torch.randn(2, 6)
    out = model(R[:, :1], R[:, 1:], betas)
    eye = torch.eye(3).expand(2, 2, 3, 3)
    ref = Anny()(R[:, :1], torch.cat([R[:, 1:], eye], 1), betas)
    assert torch.allclose(out['vertices'], ref['vertices'], atol=1e-5)
    assert torch.allclose(out['joints'][:, :37], ref['joints'], atol=1e-5)


def _idx(prefix):
    return [i for i, n in enumerate(NAMES) if n.startswith(prefix)]


def test_finger_curl_moves_only_that_hand_towards_the_palm(model):
    R = torch.eye(3).expand(1, 22, 3, 3)
    rest = model(R[:, :1], R[:, 1:])['joints'][0]
    tip, root = NAMES.index('left_index_tip'), NAMES.index('left_hand_root')
    for scale in (0.3, 1.0):
        hand = torch.eye(3).repeat(1, 15, 1, 1)
        curl = torch.from_numpy(HandPoseSampler(scale=scale)(
            np.random.default_rng(0), 'left')).float()
        hand[0, 0:3] = curl[0:3]  # the index finger only
        posed = model(R[:, :1], R[:, 1:], left_hand_pose=hand)['joints'][0]
        moved = (posed - rest).norm(dim=-1) > 1e-6
        assert set(np.flatnonzero(moved.numpy())) == set(
            NAMES.index(n) for n in ('left_index2', 'left_index3',
                                     'left_index_tip'))
        if scale < 1:  # a slight curl bends the tip down, to the palm
            assert posed[tip, 1] < rest[tip, 1] - 0.01
        else:  # a strong one (172 degrees here) folds it back to the wrist
            assert (posed[tip] - posed[root]).norm() < \
                0.7 * (rest[tip] - rest[root]).norm()


def test_jaw_open_moves_the_chin_down_and_nothing_else(model):
    R = torch.eye(3).expand(1, 22, 3, 3)
    rest = model(R[:, :1], R[:, 1:])['joints'][0]
    import anny.models.facial_actions as fa
    expr = torch.zeros(1, 52)
    expr[0, fa.FACIAL_ACTION_LABELS.index('jawOpen')] = 1.
    posed = model(R[:, :1], R[:, 1:], expression=expr)['joints'][0]
    chin = NAMES.index('face_chin')
    assert posed[chin, 1] < rest[chin, 1] - 0.005  # 9 mm
    hands = _idx('left_') + _idx('right_')
    assert torch.allclose(posed[hands], rest[hands], atol=1e-6)


def test_face_landmarks_are_symmetric(model):
    R = torch.eye(3).expand(1, 22, 3, 3)
    kp = model(R[:, :1], R[:, 1:])['joints'][0]
    for name in FACE_LANDMARKS:
        p = kp[NAMES.index(name)]
        if 'left' in name:
            q = kp[NAMES.index(name.replace('left', 'right'))]
            assert abs(p[0] + q[0]) < 2e-3 and (p[1:] - q[1:]).abs().max() \
                < 2e-3, name
            assert p[0] > 0.01
        elif 'right' not in name:
            assert abs(p[0]) < 1e-3, name
    order = [kp[NAMES.index(n), 1] for n in (
        'face_chin', 'face_lip_lower_mid', 'face_lip_upper_mid',
        'face_nose_bridge_4', 'face_brow_left_5')]
    assert order == sorted(order)  # bottom to top


def test_wholebody_conventions_mask_what_anny_lacks(model):
    R = torch.eye(3).expand(1, 22, 3, 3)
    joints = model(R[:, :1], R[:, 1:])['joints']
    _, mask = convert_kps(joints, 'anny_wholebody', 'coco_wholebody')
    # 17 body + 6 feet + 42 hand points + 10 of the 68 face points
    assert int(sum(mask)) == 75
    _, mask = convert_kps(joints, 'anny_wholebody', 'openpose_137')
    assert int(sum(mask)) == 25 - 2 + 42 + 10  # no neck / mid-hip


def test_bad_inputs_are_named(model):
    R = torch.eye(3).expand(1, 22, 3, 3)
    with pytest.raises(ValueError, match='left_hand_pose'):
        model(R[:, :1], R[:, 1:], left_hand_pose=torch.zeros(1, 14, 3, 3))
    with pytest.raises(ValueError, match='expression'):
        model(R[:, :1], R[:, 1:], expression=torch.zeros(1, 10))
    with pytest.raises(TypeError, match='jaw'):
        model(R[:, :1], R[:, 1:], jaw_pose=torch.zeros(1, 1, 3, 3))
