"""MPII converter on a fabricated ``mpii_human_pose_v1_u12_1.mat`` with the
real file's MATLAB nesting (struct arrays of one element, empty values,
``is_visible`` as text / number / empty, test images without
``annopoints``): joint ids -> named joints, training images only, 1-based
-> 0-based pixels, boxes, selection threshold."""
import numpy as np
import pytest
from scipy.io import savemat

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

# MPII joint ids 0-15 (pose-hg-train's parts list) and their hmrzoo names
MPII_AS = ['right_ankle', 'right_knee', 'right_hip_extra', 'left_hip_extra',
           'left_knee', 'left_ankle', 'pelvis_extra', 'thorax_extra',
           'neck_extra', 'headtop', 'right_wrist', 'right_elbow',
           'right_shoulder', 'left_shoulder', 'left_elbow', 'left_wrist']
EMPTY = np.zeros((0, 0))  # MATLAB []


def _num(value):
    return np.array([[float(value)]])


def _structs(records, fields):
    """A 1 x n MATLAB struct array; missing fields are []."""
    array = np.empty((1, len(records)), dtype=[(f, object) for f in fields])
    for i, record in enumerate(records):
        array[0, i] = tuple(record.get(f, EMPTY) for f in fields)
    return array


def _person(points, rng, with_visibility=True):
    """An annorect entry with annopoints; ``points`` maps id -> (x, y);
    ``is_visible`` is text, a number or [] (or absent)."""
    flags = ['1', '0', _num(1), EMPTY]
    point_records = [
        {'x': _num(x), 'y': _num(y), 'id': _num(j),
         'is_visible': flags[k % 4]}
        for k, (j, (x, y)) in enumerate(points.items())]
    point = _structs(point_records, ['x', 'y', 'id'] +
                     ['is_visible'] * with_visibility)
    head = rng.uniform(100, 200, 4)
    return {'x1': _num(head[0]), 'y1': _num(head[1]),
            'x2': _num(head[0] + 30), 'y2': _num(head[1] + 40),
            'annopoints': _structs([{'point': point}], ['point']),
            'scale': _num(rng.uniform(1, 4)),
            'objpos': _structs([{'x': _num(300), 'y': _num(200)}],
                               ['x', 'y'])}


def _points(rng, ids):
    # listed in shuffled id order, as in the release
    order = rng.permutation(ids)
    return {int(j): tuple(rng.integers(1, 700, 2).astype(float))
            for j in order}


TRAIN_FIELDS = ['x1', 'y1', 'x2', 'y2', 'annopoints', 'scale', 'objpos']


def write_mpii(root, seed=0):
    """Five images: returns {sample id: {joint id: (x, y)}} of the persons
    the default conversion keeps, plus the one-point person."""
    rng = np.random.default_rng(seed)
    full = _points(rng, range(16))
    two = _points(rng, [0, 1])
    fourteen = _points(rng, [j for j in range(16) if j not in (6, 7)])
    single = _points(rng, [9])
    rough = {'scale': _num(2.5),
             'objpos': _structs([{'x': _num(50), 'y': _num(60)}], ['x', 'y'])}
    annorects = [
        _structs([_person(full, rng), _person(two, rng), rough],
                 TRAIN_FIELDS),
        # a test image: its persons have no annopoints field at all
        _structs([rough], ['scale', 'objpos']),
        _structs([_person(fourteen, rng, with_visibility=False)],
                 TRAIN_FIELDS),
        EMPTY,
        _structs([_person(single, rng)], TRAIN_FIELDS),
    ]
    names = ['015601864.jpg', '015599452.jpg', '005808361.jpg',
             '086617615.jpg', '060111501.jpg']
    annolist = _structs(
        [{'image': _structs([{'name': n}], ['name']), 'annorect': r,
          'frame_sec': EMPTY if i % 2 else _num(12), 'vididx':
          EMPTY if i % 2 else _num(i + 1)}
         for i, (n, r) in enumerate(zip(names, annorects))],
        ['image', 'annorect', 'frame_sec', 'vididx'])
    single_person = np.empty((5, 1), dtype=object)
    for i, ids in enumerate([[[1.]], [], [[1.]], [], [[1.]]]):
        single_person[i, 0] = np.array(ids) if ids else EMPTY
    act = _structs([{'cat_name': 'sports', 'act_name': 'curling',
                     'act_id': _num(1)}] * 5,
                   ['cat_name', 'act_name', 'act_id']).T
    video_list = np.empty((1, 2), dtype=object)
    video_list[0, 0], video_list[0, 1] = 'aAOusnrSsHI', 'Ee-5OxN1iTQ'
    release = _structs([{
        'annolist': annolist,
        'img_train': np.array([[1., 0., 1., 1., 1.]]),
        'version': '12', 'single_person': single_person, 'act': act,
        'video_list': video_list}],
        ['annolist', 'img_train', 'version', 'single_person', 'act',
         'video_list'])
    folder = root / 'mpii_human_pose_v1_u12_2'
    folder.mkdir(parents=True)
    (root / 'images').mkdir()
    savemat(str(folder / 'mpii_human_pose_v1_u12_1.mat'),
            {'RELEASE': release})
    return {'015601864_1': full, '015601864_2': two, '005808361_1': fourteen,
            '060111501_1': single}


def _expected_box(points, offset):
    xy = np.array(list(points.values())) - offset
    lo, hi = xy.min(0), xy.max(0)
    size = (hi - lo) * 1.2
    return np.concatenate([(lo + hi) / 2 - size / 2, size])


def test_persons_joints_and_zero_based_pixels(tmp_path):
    root = tmp_path / 'mpii'
    persons = write_mpii(root)
    [out] = run_converter('mpii', str(root), str(tmp_path / 'out'))
    assert out.endswith('mpii_train.npz')
    data = load_annotations(out)
    # test image skipped, rough person (no points) skipped, one-point
    # person dropped (its box has no area)
    kept = ['015601864_1', '015601864_2', '005808361_1']
    assert data['sample_id'].tolist() == kept
    assert data['image_path'].tolist() == [
        'images/015601864.jpg', 'images/015601864.jpg',
        'images/005808361.jpg']
    assert str(data['dataset']) == 'mpii'
    for row, sid in enumerate(kept):
        stored = data['keypoints2d'][row]
        for joint, name in enumerate(MPII_AS):
            x, y, conf = stored[get_keypoint_idx(name, 'smpl_54')]
            if joint in persons[sid]:
                # MATLAB's 1-based pixels become 0-based
                assert (x + 1, y + 1) == persons[sid][joint]
                assert conf == 1
            else:
                assert (x, y, conf) == (0, 0, 0)
        assert stored[:, 2].sum() == len(persons[sid])
        np.testing.assert_allclose(data['bbox_xywh'][row],
                                   _expected_box(persons[sid], 1.),
                                   rtol=1e-6)


def test_tool_threshold_and_one_based(tmp_path, convert_tool):
    root = tmp_path / 'mpii'
    persons = write_mpii(root, seed=3)
    [out] = convert_tool(['--dataset', 'mpii', '--root', str(root), '--out',
                          str(tmp_path / 'out'), '--options',
                          'min_keypoints=16', 'zero_based=False'])
    data = load_annotations(out)
    assert data['sample_id'].tolist() == ['015601864_1']   # SPIN's rule
    wrist = get_keypoint_idx('left_wrist', 'smpl_54')
    assert tuple(data['keypoints2d'][0, wrist, :2]) == \
        persons['015601864_1'][15]
    np.testing.assert_allclose(data['bbox_xywh'][0],
                               _expected_box(persons['015601864_1'], 0.),
                               rtol=1e-6)


def test_bad_input_names_the_file_and_field(tmp_path):
    root = tmp_path / 'mpii'
    (root / 'images').mkdir(parents=True)
    with pytest.raises(FileNotFoundError,
                       match='mpii_human_pose_v1_u12_1.mat'):
        run_converter('mpii', str(root), str(tmp_path / 'out'))
    folder = root / 'mpii_human_pose_v1_u12_2'
    folder.mkdir()
    savemat(str(folder / 'mpii_human_pose_v1_u12_1.mat'),
            {'RELEASE': _structs([{'img_train': _num(1)}], ['img_train'])})
    with pytest.raises(ValueError, match="RELEASE has no field 'annolist'"):
        run_converter('mpii', str(root), str(tmp_path / 'out'))
