"""Human3.6M converter on a fabricated release: tiny CDF pose files written
with cdflib in the official layout (variable ``Pose``, one record of
(frames, 32 * 3) mm / (frames, 32 * 2) pixels), 2D = exact projection of
the 3D joints with a known camera, and small videos."""
import os.path as osp

import numpy as np
import pytest

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

cdfwrite = pytest.importorskip('cdflib.cdfwrite')

# Skeleton joint (of 32) holding each named point (SPIN's h36m_idx read by
# name): pelvis 11, left leg 6-8, right leg 1-3, spine 12, thorax 24,
# neck / nose 14, head 15, left arm 17-19, right arm 25-27.
JOINT_OF = {'pelvis_extra': 11, 'left_hip_extra': 6, 'left_knee': 7,
            'left_ankle': 8, 'right_hip_extra': 1, 'right_knee': 2,
            'right_ankle': 3, 'spine_extra': 12, 'neck_extra': 24,
            'jaw_extra': 14, 'headtop': 15, 'left_shoulder': 17,
            'left_elbow': 18, 'left_wrist': 19, 'right_shoulder': 25,
            'right_elbow': 26, 'right_wrist': 27}
# a fabricated camera per id: fx, fy, cx, cy
CAMERAS = {'54138969': (1145.0, 1143.8, 512.5, 515.5),
           '55011271': (1149.7, 1147.6, 508.8, 508.1),
           '58860488': (1149.1, 1148.8, 519.8, 501.4),
           '60457274': (1145.5, 1144.8, 515.0, 501.9)}


def write_cdf(path, data):
    """``Pose`` as one record (1, frames, D), as the release stores it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cdf = cdfwrite.CDF(str(path), cdf_spec={'Majority': 'Row_major'},
                       delete=True)
    spec = dict(Variable='Pose', Data_Type=cdfwrite.CDF.CDF_FLOAT,
                Num_Elements=1, Rec_Vary=True, Dim_Sizes=list(data.shape))
    cdf.write_var(spec, var_attrs={}, var_data=data[None].astype(np.float32))
    cdf.close()


def write_sequence(root, subject, action, camera, num_frames, seed,
                   project):
    """D3 / D2 files of one sequence; returns the 3D joints (F, 32, 3) mm
    and 2D joints (F, 32, 2) as the files hold them (float32)."""
    rng = np.random.default_rng(seed)
    joints = rng.uniform(-800, 800, (num_frames, 32, 3))
    joints[..., 2] += 5000
    pixels = project(joints, *CAMERAS[camera])
    features = root / f'S{subject}' / 'MyPoseFeatures'
    write_cdf(features / 'D3_Positions_mono' / f'{action}.{camera}.cdf',
              joints.reshape(num_frames, 96))
    write_cdf(features / 'D2_Positions' / f'{action}.{camera}.cdf',
              pixels.reshape(num_frames, 64))
    return (joints.astype(np.float32).astype(np.float64),
            pixels.astype(np.float32).astype(np.float64))


@pytest.fixture
def release(tmp_path, project):
    root = tmp_path / 'h36m'
    seqs = {
        (1, 'Directions 1', '54138969'): 12,
        (1, 'Walking', '60457274'): 7,
        (1, '_ALL 1', '54138969'): 4,  # not an action: skipped
        (9, 'Directions', '54138969'): 6,
        (9, 'Directions', '60457274'): 6,
        (11, 'Sitting 1', '60457274'): 11,
    }
    truth = {key: write_sequence(root, *key, n, seed, project)
             for seed, (key, n) in enumerate(seqs.items())}
    return root, truth


def test_train_joints_by_name_images_and_cameras(release, tmp_path,
                                                 convert_tool):
    root, truth = release
    [out] = convert_tool(['--dataset', 'h36m', '--root', str(root), '--out',
                          str(tmp_path / 'out'), '--split', 'train',
                          '--options', 'subjects=1'])
    assert osp.basename(out) == 'h36m_train.npz'
    data = load_annotations(out)
    # every 5th frame from 0, SPIN's image names (spaces -> _, from 1)
    assert data['image_path'].tolist() == [
        'images/S1_Directions_1.54138969_000001.jpg',
        'images/S1_Directions_1.54138969_000006.jpg',
        'images/S1_Directions_1.54138969_000011.jpg',
        'images/S1_Walking.60457274_000001.jpg',
        'images/S1_Walking.60457274_000006.jpg']
    assert data['sample_id'][1] == 'S1_Directions_1.54138969_000006'
    assert 'smpl_global_orient' not in data and 'has_smpl' not in data
    joints3d, joints2d = truth[(1, 'Directions 1', '54138969')]
    for row, frame in enumerate([0, 5, 10]):
        for name, joint in JOINT_OF.items():
            idx = get_keypoint_idx(name, 'smpl_54')
            np.testing.assert_allclose(data['keypoints3d'][row, idx],
                                       [*joints3d[frame, joint] / 1000, 1],
                                       rtol=1e-6)
            np.testing.assert_allclose(data['keypoints2d'][row, idx],
                                       [*joints2d[frame, joint], 1],
                                       rtol=1e-6)
    assert (data['keypoints3d'][:, :, 3] > 0).sum(1).tolist() == [17] * 5
    # intrinsics recovered from the D3 / D2 pairs
    np.testing.assert_allclose(data['focal_length'][:3],
                               np.tile(CAMERAS['54138969'][:2], (3, 1)),
                               rtol=1e-4)
    np.testing.assert_allclose(data['principal_point'][3:],
                               np.tile(CAMERAS['60457274'][2:], (2, 1)),
                               rtol=1e-4)
    assert data['image_size'].tolist() == [[1000, 1002]] * 5
    # box: the 17 2D joints, 1.2 times larger about their centre
    points = joints2d[10][list(JOINT_OF.values())]
    lo, hi = points.min(0), points.max(0)
    centre, size = (lo + hi) / 2, (hi - lo) * 1.2
    np.testing.assert_allclose(data['bbox_xywh'][2],
                               np.r_[centre - size / 2, size], rtol=1e-5)


def test_test_protocols_and_frame_step(release, tmp_path):
    root, _ = release
    [p2] = run_converter('h36m', str(root), str(tmp_path), 'test')
    assert osp.basename(p2) == 'h36m_valid_protocol2.npz'
    data = load_annotations(p2)
    assert data['image_path'].tolist() == [
        'images/S9_Directions.60457274_000001.jpg',
        'images/S9_Directions.60457274_000006.jpg',
        'images/S11_Sitting_1.60457274_000001.jpg',
        'images/S11_Sitting_1.60457274_000006.jpg',
        'images/S11_Sitting_1.60457274_000011.jpg']
    assert 'camera 60457274' in str(data['protocol'])
    [p1] = run_converter('h36m', str(root), str(tmp_path), 'test',
                         protocol=1, frame_step=4)
    assert osp.basename(p1) == 'h36m_valid_protocol1.npz'
    names = load_annotations(p1)['image_path'].tolist()
    assert names == [
        'images/S9_Directions.54138969_000001.jpg',
        'images/S9_Directions.54138969_000005.jpg',
        'images/S9_Directions.60457274_000001.jpg',
        'images/S9_Directions.60457274_000005.jpg',
        'images/S11_Sitting_1.60457274_000001.jpg',
        'images/S11_Sitting_1.60457274_000005.jpg',
        'images/S11_Sitting_1.60457274_000009.jpg']


def test_extract_frames_from_videos(release, tmp_path, write_video,
                                    frame_value, image_grey, caplog):
    root, _ = release
    videos = root / 'S1' / 'Videos'
    write_video(str(videos / 'Directions 1.54138969.mp4'), 12)
    write_video(str(videos / 'Walking.60457274.mp4'), 3)  # shorter
    [out] = run_converter('h36m', str(root), str(tmp_path), 'train',
                          subjects=[1], extract_frames=True)
    data = load_annotations(out)
    # Walking's frame 5 is past the end of its video: its row is dropped
    assert data['image_path'].tolist() == [
        'images/S1_Directions_1.54138969_000001.jpg',
        'images/S1_Directions_1.54138969_000006.jpg',
        'images/S1_Directions_1.54138969_000011.jpg',
        'images/S1_Walking.60457274_000001.jpg']
    assert 'Walking.60457274.mp4 ends before frames [5]' in caplog.text
    for path, frame in zip(data['image_path'], [0, 5, 10, 0]):
        assert abs(image_grey(root / path) - frame_value(frame)) < 6
    assert len(list((root / 'images').iterdir())) == 4  # kept frames only


def test_bad_input_names_the_file_and_key(release, tmp_path):
    root, _ = release
    with pytest.raises(FileNotFoundError, match='S5.*D3_Positions_mono'):
        run_converter('h36m', str(root), str(tmp_path), 'train')
    (root / 'S9' / 'MyPoseFeatures' / 'D2_Positions' /
     'Directions.60457274.cdf').unlink()
    with pytest.raises(FileNotFoundError,
                       match='D2_Positions.Directions.60457274.cdf'):
        run_converter('h36m', str(root), str(tmp_path), 'test')
    path = root / 'S9' / 'MyPoseFeatures' / 'D2_Positions' / \
        'Directions.60457274.cdf'
    cdf = cdfwrite.CDF(str(path), delete=True)
    cdf.write_var(dict(Variable='Positions', Data_Type=cdf.CDF_FLOAT,
                       Num_Elements=1, Rec_Vary=True, Dim_Sizes=[6, 64]),
                  var_attrs={}, var_data=np.zeros((1, 6, 64), np.float32))
    cdf.close()
    with pytest.raises(KeyError, match="Directions.60457274.cdf: CDF "
                       "variable 'Pose' is missing"):
        run_converter('h36m', str(root), str(tmp_path), 'test')
    with pytest.raises(ValueError, match='protocol=3'):
        run_converter('h36m', str(root), str(tmp_path), 'test', protocol=3)
