"""Whole-body evidence from real photographs: MediaPipe Holistic's hands
and face points, and the STS whole-body model run on a photograph."""
import json

import cv2
import matplotlib.cbook
import numpy as np
import pytest

from hmrzoo.apis import init_model
from hmrzoo.apis.inference import inference_mesh, release_detectors
from hmrzoo.apis.inference.exports import results_json
from hmrzoo.apis.keypoint_detectors import (MediaPipeHolisticDetector,
                                            detect_in_growing_box)
from hmrzoo.conventions import get_keypoint_names
from hmrzoo.testing.real_photographs import STREET_PEOPLE, street_photograph

NAMES = get_keypoint_names('coco_wholebody')


def _at(keypoints, name):
    return keypoints[NAMES.index(name)]


@pytest.fixture(scope='module')
def holistic():
    with MediaPipeHolisticDetector() as detector:
        yield detector


def test_face_points_on_a_portrait(holistic):
    # Grace Hopper's official portrait (public domain), shipped by matplotlib
    path = matplotlib.cbook.get_sample_data('grace_hopper.jpg',
                                            asfileobj=False)
    rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    kp = holistic(rgb)['keypoints']
    face = [n for n in NAMES if n.startswith('face_')]
    found = [n for n in face if _at(kp, n)[2] > 0]
    assert len(found) == 14
    y = {n: _at(kp, n)[1] for n in found}
    assert y['face_chin'] > y['face_lip_lower_mid'] > y['face_lip_upper_mid']
    assert y['face_lip_upper_mid'] > y['face_nose_bridge_4'] > \
        y['face_brow_left_5']
    # a frontal face: the subject's right side is on the image's left
    x = [_at(kp, n)[0] for n in (
        'face_eye_right_outer', 'face_eye_right_inner',
        'face_eye_left_inner', 'face_eye_left_outer')]
    assert x == sorted(x)
    assert _at(kp, 'face_lip_right_corner')[0] < \
        _at(kp, 'face_lip_left_corner')[0]
    # no hand in the picture
    assert _at(kp, 'left_index_tip')[2] == 0 == _at(kp, 'right_index_tip')[2]


def test_hands_belong_to_their_wrists(holistic):
    bgr, _ = street_photograph()
    rgb = np.ascontiguousarray(bgr[..., ::-1])
    found = detect_in_growing_box(holistic, rgb, STREET_PEOPLE[0],
                                  (1.5, 2.0, 2.5))
    kp = found['keypoints']
    for side in ('left', 'right'):
        hand = [n for n in NAMES if n.startswith(f'{side}_') and (
            n.endswith('_tip') or n[-1] in '123' or 'hand_root' in n)]
        assert len(hand) == 21 and all(_at(kp, n)[2] > 0 for n in hand)
        gap = np.linalg.norm(_at(kp, f'{side}_hand_root')[:2] -
                             _at(kp, f'{side}_wrist')[:2])
        assert gap < 10, (side, gap)  # pixels, the person is ~385 px tall


def test_whole_body_model_on_a_photograph():
    model = init_model('configs/sts_wholebody/sts_d2s_anny.py',
                       cfg_options={'model.head.width': 32,
                                    'model.head.gcn_hidden': 8})
    assert model.inference.detector == dict(type='MediaPipeHolisticDetector')
    bgr, _ = street_photograph()
    people = inference_mesh(model, bgr, bboxes=STREET_PEOPLE[:1])
    release_detectors(model)
    (person, ) = people
    assert person['keypoint_convention'] == 'coco_wholebody'
    assert person['vertices'].shape == (13718, 3)
    assert person['params']['left_hand_pose'].shape == (15, 3, 3)
    assert person['params']['expression'].shape == (52, )
    evidence = person['evidence']['keypoints']
    assert evidence.shape == (133, 3)
    assert (evidence[91:, 2] > 0).sum() == 42  # both hands detected
    # the model's own 2D output vs the photograph camera (which has the
    # photograph's focal, not the D2S camera's): within a few % of the box
    cam = person['camera']
    has = ~np.isnan(person['keypoints3d']).any(1)
    assert has.sum() == 75  # the face points Anny lacks are NaN
    assert np.isnan(person['keypoints2d'][~has]).all()
    X = person['keypoints3d'][has]
    uv = X[:, :2] / X[:, 2:] * cam['focal'] + cam['principal_point']
    box = STREET_PEOPLE[0]
    scale = model.inference.box_scale * (box[2:] - box[:2]).max()
    assert np.abs(uv - person['keypoints2d'][has]).max() < 0.05 * scale
    assert (X[:, 2] > 0).all()
    # strict JSON: the missing points are null
    doc = json.loads(json.dumps(results_json(people, 'street.jpg', {}),
                                allow_nan=False))
    row = doc['people'][0]['keypoints3d']
    assert row[23] == [None] * 3 and None not in row[53]  # Anny: nose tip
