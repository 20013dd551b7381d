"""MPI-INF-3DHP converter on a fabricated release: training ``annot.mat``
(MATLAB v5 cells, one per camera of 14) with ``camera.calibration`` files
in the Skeletool format, test ``annot_data.mat`` (MATLAB v7.3 = HDF5 with
the 512-byte MATLAB user block), 2D joints = projections of the 3D ones."""
import os.path as osp

import numpy as np
import pytest
from scipy.io import savemat

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

h5py = pytest.importorskip('h5py')

NUM_CAMERAS = 14
# training joint (of 28) and test joint (of 17) holding some named points,
# from the releases' joint lists (SPIN's joints17_idx read by name)
TRAIN_JOINT_OF = {'pelvis_extra': 4, 'spine_extra': 3, 'neck_extra': 5,
                  'jaw_extra': 6, 'headtop': 7, 'left_shoulder': 9,
                  'left_wrist': 11, 'right_shoulder': 14, 'right_wrist': 16,
                  'left_hip_extra': 18, 'left_knee': 19, 'left_ankle': 20,
                  'right_hip_extra': 23, 'right_knee': 24,
                  'right_ankle': 25}
TEST_JOINT_OF = {'headtop': 0, 'neck_extra': 1, 'right_shoulder': 2,
                 'right_wrist': 4, 'left_shoulder': 5, 'left_wrist': 7,
                 'right_hip_extra': 8, 'right_knee': 9, 'right_ankle': 10,
                 'left_hip_extra': 11, 'left_knee': 12, 'left_ankle': 13,
                 'pelvis_extra': 14, 'spine_extra': 15, 'jaw_extra': 16}


def camera_k(camera):
    """Fabricated intrinsics of training camera c: fx, fy, cx, cy."""
    return 1400. + 10 * camera, 1401. + 10 * camera, 1020. + camera, 1030.


def write_calibration(path):
    lines = ['Skeletool Camera Calibration File V1.0']
    for c in range(NUM_CAMERAS):
        fx, fy, cx, cy = camera_k(c)
        intrinsic = [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        extrinsic = np.eye(4).reshape(-1) * 0.5 + c
        lines += [f'name          {c}', '  sensor      10 10',
                  '  size        2048 2048', '  animated    0',
                  '  intrinsic   ' + ' '.join(map(str, intrinsic)),
                  '  extrinsic   ' + ' '.join(map(str, extrinsic)),
                  '  radial      0']
    path.write_text('\n'.join(lines) + '\n')


def write_train_sequence(root, subject, seq, num_frames, outside, seed,
                         project):
    """``S<s>/Seq<q>/annot.mat`` + ``camera.calibration``; ``outside``
    maps camera -> frames whose left wrist is moved out of the image.
    Returns camera -> (annot2 (F, 28, 2), annot3 (F, 28, 3) mm)."""
    rng = np.random.default_rng(seed)
    folder = root / f'S{subject}' / f'Seq{seq}'
    folder.mkdir(parents=True)
    annot2 = np.empty((NUM_CAMERAS, 1), object)
    annot3 = np.empty((NUM_CAMERAS, 1), object)
    univ = np.empty((NUM_CAMERAS, 1), object)
    truth = {}
    for c in range(NUM_CAMERAS):
        joints = rng.uniform(-500, 500, (num_frames, 28, 3)) + [0, 0, 4000]
        fx, _, cx, _ = camera_k(c)
        for f in outside.get(c, ()):  # left wrist just left of the image
            joints[f, 11, 0] = (-3. - cx) * joints[f, 11, 2] / fx
        pixels = project(joints, *camera_k(c))
        annot2[c, 0] = pixels.reshape(num_frames, 56)
        annot3[c, 0] = joints.reshape(num_frames, 84)
        univ[c, 0] = joints.reshape(num_frames, 84) * 0.9
        truth[c] = (pixels, joints)
    savemat(str(folder / 'annot.mat'), {
        'annot2': annot2, 'annot3': annot3, 'univ_annot3': univ,
        'cameras': np.arange(NUM_CAMERAS)[None],
        'frames': np.arange(num_frames)[:, None]})
    write_calibration(folder / 'camera.calibration')
    return truth


def write_test_sequence(root, seq, num_frames, size, intrinsics, valid,
                        outside, seed, project):
    """``mpi_inf_3dhp_test_set/TS<k>/annot_data.mat`` as HDF5 with MATLAB's
    (frames, 1, 17, D) layout; returns annot2, annot3, univ_annot3."""
    rng = np.random.default_rng(seed)
    joints = rng.uniform(-400, 400, (num_frames, 17, 3)) + [0, 0, 4500]
    fx, _, cx, _ = intrinsics
    for f in outside:  # right wrist just past the right edge
        joints[f, 4, 0] = (size[0] + 2. - cx) * joints[f, 4, 2] / fx
    pixels = project(joints, *intrinsics)
    univ = joints[:, 14:15] + 0.9 * (joints - joints[:, 14:15])
    folder = root / 'mpi_inf_3dhp_test_set' / f'TS{seq}'
    folder.mkdir(parents=True)
    with h5py.File(folder / 'annot_data.mat', 'w', userblock_size=512) as f:
        f['annot2'] = pixels[:, None]
        f['annot3'] = joints[:, None]
        f['univ_annot3'] = univ[:, None]
        f['valid_frame'] = np.asarray(valid, np.float64)[:, None]
        f['activity_annotation'] = np.ones((num_frames, 1))
    return pixels, joints, univ


def check_joints(data, row, joint_of, pixels, joints):
    for name, joint in joint_of.items():
        idx = get_keypoint_idx(name, 'smpl_54')
        np.testing.assert_allclose(data['keypoints2d'][row, idx],
                                   [*pixels[joint], 1], rtol=1e-6)
        np.testing.assert_allclose(data['keypoints3d'][row, idx],
                                   [*joints[joint] / 1000, 1], rtol=1e-6)
    assert (data['keypoints3d'][row, :, 3] > 0).sum() == 17


@pytest.fixture
def train_release(tmp_path, project):
    root = tmp_path / 'mpi_inf_3dhp'
    truth = {1: write_train_sequence(root, 1, 1, 6, {0: [2]}, 0, project),
             2: write_train_sequence(root, 1, 2, 5, {0: [0]}, 1, project)}
    return root, truth


def test_train_frames_joints_and_cameras(train_release, tmp_path,
                                         convert_tool):
    root, truth = train_release
    [out] = convert_tool(['--dataset', 'mpi_inf_3dhp', '--root', str(root),
                          '--out', str(tmp_path / 'out'), '--split', 'train',
                          '--options', 'subjects=1', 'cameras=0,4',
                          'frame_step=3'])
    assert osp.basename(out) == 'mpi_inf_3dhp_train.npz'
    data = load_annotations(out)
    # frames inside the image, in order Seq1 cam 0 (0 1 3 4 5), cam 4
    # (0-5), Seq2 cam 0 (1-4), cam 4 (0-4); the 1st, 4th, 7th ... of them
    expected = [(1, 0, 0), (1, 0, 4), (1, 4, 1), (1, 4, 4), (2, 0, 2),
                (2, 4, 0), (2, 4, 3)]
    assert data['sample_id'].tolist() == [
        f'S1/Seq{q}/video_{c}/{f + 1:06d}' for q, c, f in expected]
    assert data['image_path'][2] == osp.join(
        'S1', 'Seq1', 'imageFrames', 'video_4', 'frame_000002.jpg')
    for row, (q, c, f) in enumerate(expected):
        pixels, joints = truth[q][c]
        check_joints(data, row, TRAIN_JOINT_OF, pixels[f], joints[f])
        np.testing.assert_allclose(data['focal_length'][row],
                                   camera_k(c)[:2], rtol=1e-6)
        np.testing.assert_allclose(data['principal_point'][row],
                                   camera_k(c)[2:], rtol=1e-6)
    assert data['image_size'].tolist() == [[2048, 2048]] * 7
    # joints only 3DHP has (spine3, clavicles, hands, feet, toes) are
    # not in the storage convention: 17 stored points per row
    assert (data['keypoints2d'][:, :, 2] > 0).sum(1).tolist() == [17] * 7


def test_train_defaults_and_frame_extraction(train_release, tmp_path,
                                             write_video, frame_value,
                                             image_grey, caplog):
    root, _ = train_release
    seq1, seq2 = root / 'S1' / 'Seq1', root / 'S1' / 'Seq2'
    write_video(str(seq1 / 'imageSequence' / 'video_0.avi'), 6, 'MJPG')
    write_video(str(seq2 / 'imageSequence' / 'video_0.avi'), 3, 'MJPG')
    [out] = run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'train',
                          subjects=1, cameras=[0], frame_step=2,
                          extract_frames=True)
    # usable: Seq1 frames 0 1 3 4 5, Seq2 frames 1-4; every 2nd of them;
    # Seq2's frame 4 is past the end of its 3-frame video: dropped
    assert load_annotations(out)['sample_id'].tolist() == [
        'S1/Seq1/video_0/000001', 'S1/Seq1/video_0/000004',
        'S1/Seq1/video_0/000006', 'S1/Seq2/video_0/000003']
    assert 'video_0.avi ends before frames [4]' in caplog.text
    for folder, frame in ((seq1, 0), (seq1, 3), (seq1, 5), (seq2, 2)):
        path = folder / 'imageFrames' / 'video_0' / \
            f'frame_{frame + 1:06d}.jpg'
        assert abs(image_grey(path) - frame_value(frame)) < 6
    assert len(list((seq1 / 'imageFrames' / 'video_0').iterdir())) == 3
    # a frame still to extract from a missing video: the video is named
    (seq2 / 'imageSequence' / 'video_0.avi').unlink()
    (seq2 / 'imageFrames' / 'video_0' / 'frame_000003.jpg').unlink()
    with pytest.raises(FileNotFoundError,
                       match='Seq2.imageSequence.video_0.avi'):
        run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'train',
                      subjects=1, cameras=[0], frame_step=2,
                      extract_frames=True)
    # default: cameras 0, 1, 2, 4-8 and every 10th usable frame
    [out] = run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'train',
                          subjects=[1])
    ids = load_annotations(out)['sample_id'].tolist()
    # 8 cameras x (6 + 5) frames, minus the 2 outside: 86; kept 1st, 11th..
    usable = [(q, c, f) for q, n in ((1, 6), (2, 5))
              for c in (0, 1, 2, 4, 5, 6, 7, 8) for f in range(n)
              if not (c == 0 and (q, f) in ((1, 2), (2, 0)))]
    assert len(usable) == 86
    assert ids == [f'S1/Seq{q}/video_{c}/{f + 1:06d}'
                   for q, c, f in usable[::10]]


def test_test_set_valid_frames_intrinsics_and_univ(tmp_path, project):
    root = tmp_path / 'mpi_inf_3dhp'
    ts1 = write_test_sequence(root, 1, 5, (2048, 2048),
                              (1497.7, 1497.1, 1024.7, 1051.4),
                              [1, 0, 1, 1, 1], [3], 0, project)
    ts5 = write_test_sequence(root, 5, 4, (1920, 1080),
                              (1683.9, 1683.9, 939.9, 560.6),
                              [1, 1, 1, 0], [1], 1, project)
    [out] = run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'test',
                          subjects=[1, 5])
    assert osp.basename(out) == 'mpi_inf_3dhp_test.npz'
    data = load_annotations(out)
    expected = [(1, 0), (1, 2), (1, 4), (5, 0), (5, 2)]
    assert data['sample_id'].tolist() == [f'TS{s}/img_{f + 1:06d}'
                                          for s, f in expected]
    assert data['image_path'][3] == osp.join(
        'mpi_inf_3dhp_test_set', 'TS5', 'imageSequence', 'img_000001.jpg')
    for row, (s, f) in enumerate(expected):
        pixels, _, univ = ts1 if s == 1 else ts5
        check_joints(data, row, TEST_JOINT_OF, pixels[f], univ[f])
    np.testing.assert_allclose(data['focal_length'][[0, 3]],
                               [[1497.7, 1497.1], [1683.9, 1683.9]],
                               rtol=1e-6)
    np.testing.assert_allclose(data['principal_point'][[0, 3]],
                               [[1024.7, 1051.4], [939.9, 560.6]], rtol=1e-6)
    assert data['image_size'].tolist() == [[2048, 2048]] * 3 + \
        [[1920, 1080]] * 2
    assert 'univ_annot3' in str(data['protocol'])
    # the metric skeleton on request
    [out] = run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'test',
                          subjects=[5], annot3_key='annot3')
    data = load_annotations(out)
    check_joints(data, 1, TEST_JOINT_OF, ts5[0][2], ts5[1][2])


def test_bad_input_names_the_file_and_key(tmp_path, project):
    root = tmp_path / 'mpi_inf_3dhp'
    root.mkdir()
    with pytest.raises(FileNotFoundError, match='S1.Seq1.annot.mat'):
        run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'train')
    write_test_sequence(root, 2, 3, (2048, 2048), (1500., 1500., 1024., 1024.),
                        [1, 1, 1], [], 0, project)
    path = root / 'mpi_inf_3dhp_test_set' / 'TS2' / 'annot_data.mat'
    with h5py.File(path, 'a') as f:
        del f['valid_frame']
    with pytest.raises(KeyError, match="TS2.annot_data.mat: key "
                       "'valid_frame'"):
        run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'test',
                      subjects=2)
    with pytest.raises(ValueError, match='annot3_key'):
        run_converter('mpi_inf_3dhp', str(root), str(tmp_path), 'test',
                      annot3_key='annot2')
