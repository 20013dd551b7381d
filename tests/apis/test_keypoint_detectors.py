"""MediaPipePoseDetector finds the joints of rendered Anny bodies.

mediapipe is part of the tested stack (tools/install.sh installs it): a
missing mediapipe fails these tests, it does not skip them.
"""
import sys

import numpy as np
import pytest

from hmrzoo.conventions import convert_kps, get_keypoint_idx
from hmrzoo.registry import KEYPOINT_DETECTORS

SIZE = 256


@pytest.fixture(scope='module')
def detector():
    with KEYPOINT_DETECTORS.build(
            dict(type='MediaPipePoseDetector')) as built:
        yield built


def test_finds_the_rendered_joints(rendered_people, detector):
    images, truth = rendered_people
    errors = []
    for image, joints in zip(images, truth):
        found = detector.detect(image)
        if found is None:
            continue
        kps, box = found['keypoints'], found['box']
        assert kps.shape == (17, 3) and kps.dtype == np.float32
        assert box.shape == (4, ) and box.dtype == np.float32
        assert ((kps[:, 2] >= 0) & (kps[:, 2] <= 1)).all()
        assert 0 <= box[0] < box[2] <= SIZE - 1
        assert 0 <= box[1] < box[3] <= SIZE - 1
        errors.append(np.median(np.linalg.norm(kps[:, :2] - joints, axis=1)))
    assert len(errors) >= 7, f'a person in only {len(errors)} of 8 images'
    good = int((np.asarray(errors) < 10).sum())
    assert good >= 6, f'median joint errors (px): {np.round(errors, 1)}'


def test_blank_image_has_no_person(detector):
    assert detector.detect(np.full((SIZE, SIZE, 3), 128, np.uint8)) is None


def test_conventions_map_the_landmarks_by_name(rendered_people, detector):
    image = rendered_people[0][0]
    raw = detector.detect_landmarks(image)
    assert raw.shape == (33, 3)
    coco = detector.detect(image)['keypoints']
    expected, _ = convert_kps(raw, 'mediapipe_33', 'coco')
    np.testing.assert_array_equal(coco, expected)
    # COCO order: nose, eyes, ears, shoulders, ... from mediapipe's ids
    for name, landmark in [('nose', 0), ('left_eye', 2), ('right_ear', 8),
                           ('left_shoulder', 11), ('right_wrist', 16),
                           ('left_hip_extra', 23), ('right_ankle', 28)]:
        np.testing.assert_array_equal(
            coco[get_keypoint_idx(name, 'coco')], raw[landmark])
    with KEYPOINT_DETECTORS.build(dict(type='MediaPipePoseDetector',
                                       convention='mediapipe_33')) as other:
        np.testing.assert_array_equal(other.detect(image)['keypoints'], raw)
    # the box spans the confident landmarks
    box = detector.detect(image)['box']
    sure = raw[raw[:, 2] >= 0.5, :2]
    np.testing.assert_allclose(box, np.concatenate(
        [sure.min(0), sure.max(0)]).clip(0, SIZE - 1), atol=1e-4)


def test_bad_input_and_options_fail_clearly(detector):
    with pytest.raises(ValueError, match='uint8'):
        detector.detect(np.zeros((SIZE, SIZE, 3), np.float32))
    with pytest.raises(ValueError, match='not bundle'):
        KEYPOINT_DETECTORS.build(dict(type='MediaPipePoseDetector',
                                      model_complexity=2))
    with pytest.raises(KeyError):
        KEYPOINT_DETECTORS.build(dict(type='MediaPipePoseDetector',
                                      convention='no_such_convention'))


def test_missing_mediapipe_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mediapipe', None)
    with pytest.raises(ImportError, match='bash tools/install.sh'):
        KEYPOINT_DETECTORS.build(dict(type='MediaPipePoseDetector'))
