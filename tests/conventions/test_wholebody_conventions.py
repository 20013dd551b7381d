"""Whole-body conventions: OpenPose's 137 points and COCO-WholeBody map by
name; flipping swaps the hands and mirrors the face."""
import torch

from hmrzoo.conventions import (convert_kps, get_flip_indices,
                                get_keypoint_names, get_keypoint_num)


def test_openpose_137_layout():
    names = get_keypoint_names('openpose_137')
    assert get_keypoint_num('openpose_137') == 137
    assert names[25] == 'left_hand_root' and names[46] == 'right_hand_root'
    assert names[67] == 'face_contour_right_1'
    assert names[135:] == ['face_pupil_right', 'face_pupil_left']


def test_openpose_137_to_coco_wholebody_maps_every_point():
    kp = torch.randn(2, 137, 3)
    out, mask = convert_kps(kp, 'openpose_137', 'coco_wholebody')
    assert int(sum(mask)) == 133
    names_in = get_keypoint_names('openpose_137')
    names_out = get_keypoint_names('coco_wholebody')
    for j in (0, 9, 20, 40, 100, 132):
        assert torch.equal(out[:, j], kp[:, names_in.index(names_out[j])])


def test_flip_swaps_hands_and_mirrors_face():
    for conv in ('openpose_137', 'coco_wholebody'):
        names = get_keypoint_names(conv)
        flip = get_flip_indices(conv)
        for i, j in enumerate(flip):
            a, b = names[i], names[j]
            if a.startswith('left_'):
                assert b == 'right_' + a[5:]
            if a.startswith('face_') and 'left' not in a and \
                    'right' not in a:
                assert a == b
        i = names.index('left_index_tip')
        assert names[flip[i]] == 'right_index_tip'
        i = names.index('face_lip_left_corner')
        assert names[flip[i]] == 'face_lip_right_corner'
    names = get_keypoint_names('openpose_137')
    flip = get_flip_indices('openpose_137')
    assert names[flip[names.index('face_pupil_left')]] == 'face_pupil_right'
