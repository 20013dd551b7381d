"""3DPW converter on a fabricated release: sequence pickles in the official
layout (Python-2 protocol, same keys / shapes), world-frame data built from
a fake SMPL body so that the camera-frame parameters can be checked against
the body itself."""
import pickle

import cv2
import numpy as np
import pytest
import smplx
import torch
from scipy.spatial.transform import Rotation
from smplx.utils import Struct

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations
from hmrzoo.testing import fake_smpl_arrays

W, H = 54, 96  # image size of the fabricated frames (portrait, W != H)
K = np.array([[1961.2, 0., 540.5], [0., 1969.8, 960.25], [0., 0., 1.]])
# COCO-18 (OpenPose) joints of poses2d: index -> storage name (None: no
# slot); written out from OpenPose's COCO layout.
COCO18 = ['nose', None, 'right_shoulder', 'right_elbow', 'right_wrist',
          'left_shoulder', 'left_elbow', 'left_wrist', 'right_hip_extra',
          'right_knee', 'right_ankle', 'left_hip_extra', 'left_knee',
          'left_ankle', 'right_eye', 'left_eye', 'right_ear', 'left_ear']


@pytest.fixture(scope='module')
def body():
    """A fake SMPL layer (float64) standing in for the gendered models."""
    return smplx.SMPL(model_path='', data_struct=Struct(**fake_smpl_arrays()),
                      dtype=torch.float64)


def smpl(body, pose, betas, transl):
    out = body(global_orient=torch.from_numpy(pose[:, :3]),
               body_pose=torch.from_numpy(pose[:, 3:]),
               betas=torch.from_numpy(betas), transl=torch.from_numpy(transl))
    return out.vertices.numpy(), out.joints[:, :24].numpy()


def detections(num_frames, actor):
    """(F, 3, 18) poses2d: joint k of frame f at x = 10 + k + 100 f,
    y = 20 + 2 k + 7 actor, confidence 0.5 + k / 100; joint 3 undetected."""
    k = np.arange(18)
    out = np.zeros((num_frames, 3, 18))
    for f in range(num_frames):
        out[f, 0] = 10 + k + 100 * f
        out[f, 1] = 20 + 2 * k + 7 * actor
        out[f, 2] = 0.5 + k / 100
        out[f, :, 3] = [5., 5., 0.]  # OpenPose leaves junk, confidence 0
    return out


def write_sequence(root, split, name, body, num_frames, genders, valid,
                   seed, undetected=()):
    """One ``sequenceFiles/<split>/<name>.pkl`` and its first image; returns
    the truth: per actor world vertices / joints and the extrinsics."""
    rng = np.random.default_rng(seed)
    num = len(genders)
    cam_poses = np.tile(np.eye(4), (num_frames, 1, 1))
    cam_poses[:, :3, :3] = Rotation.from_rotvec(
        rng.normal(0, 0.6, (num_frames, 3))).as_matrix()
    cam_poses[:, :3, 3] = rng.normal(0, 1, (num_frames, 3)) + [0, 0, 4]
    seq = dict(sequence=name, genders=list(genders), cam_intrinsics=K,
               cam_poses=cam_poses, img_frame_ids=np.arange(num_frames) * 2,
               poses=[], trans=[], betas=[], jointPositions=[], poses2d=[],
               campose_valid=[], poses_60Hz=[], trans_60Hz=[],
               betas_clothed=[])
    truth = []
    for actor in range(num):
        pose = rng.normal(0, 0.3, (num_frames, 72))
        betas = rng.normal(0, 1, 10)
        trans = rng.normal(0, 1, (num_frames, 3))
        verts, joints = smpl(body, pose, np.tile(betas, (num_frames, 1)),
                             trans)
        poses2d = detections(num_frames, actor)
        for f in undetected:
            poses2d[f] = 0.
        seq['poses'].append(pose)
        seq['trans'].append(trans)
        seq['betas'].append(betas)
        seq['betas_clothed'].append(betas + 0.1)
        seq['jointPositions'].append(joints.reshape(num_frames, 72))
        seq['poses2d'].append(poses2d)
        seq['campose_valid'].append(np.asarray(valid[actor], bool))
        seq['poses_60Hz'].append(np.repeat(pose, 2, axis=0))
        seq['trans_60Hz'].append(np.repeat(trans, 2, axis=0))
        truth.append(dict(verts=verts, joints=joints, pose=pose, betas=betas,
                          poses2d=poses2d))
    folder = root / 'sequenceFiles' / split
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f'{name}.pkl', 'wb') as f:
        pickle.dump(seq, f, protocol=2)  # the release's Python 2 protocol
    images = root / 'imageFiles' / name
    images.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(images / 'image_00000.jpg'), np.zeros((H, W, 3)))
    return truth, cam_poses


def to_camera(points, cam_poses):
    """(F, P, 3) world points -> camera frame of each frame."""
    return np.einsum('fij,fpj->fpi', cam_poses[:, :3, :3], points) + \
        cam_poses[:, None, :3, 3]


def rows_of(data, prefix):
    return [i for i, s in enumerate(data['sample_id']) if s.startswith(prefix)]


@pytest.fixture(scope='module')
def release(tmp_path_factory, body):
    root = tmp_path_factory.mktemp('3DPW')
    walking = write_sequence(
        root, 'test', 'downtown_walking_00', body, 4, ['m', 'f'],
        [[1, 1, 0, 1], [0, 1, 1, 1]], seed=1, undetected=(3,))
    basket = write_sequence(root, 'test', 'courtyard_basketball_00', body, 3,
                            ['f'], [[1, 1, 1]], seed=2)
    write_sequence(root, 'train', 'courtyard_arguing_00', body, 2, ['m'],
                   [[1, 1]], seed=3)
    return root, dict(downtown_walking_00=walking,
                      courtyard_basketball_00=basket)


def test_rows_split_and_ids(release, tmp_path, convert_tool):
    root, _ = release
    [out] = convert_tool(['--dataset', '3dpw', '--root', str(root), '--out',
                          str(tmp_path), '--split', 'test'])
    assert out.endswith('pw3d_test.npz')
    data = load_annotations(out)
    # sorted sequence files, actors in order, frames with campose_valid
    assert data['sample_id'].tolist() == [
        'courtyard_basketball_00/image_00000/person0',
        'courtyard_basketball_00/image_00001/person0',
        'courtyard_basketball_00/image_00002/person0',
        'downtown_walking_00/image_00000/person0',
        'downtown_walking_00/image_00001/person0',
        'downtown_walking_00/image_00003/person0',
        'downtown_walking_00/image_00001/person1',
        'downtown_walking_00/image_00002/person1',
        'downtown_walking_00/image_00003/person1']
    assert data['image_path'][5] == \
        'imageFiles/downtown_walking_00/image_00003.jpg'
    assert data['gender'].tolist() == ['female'] * 3 + ['male'] * 3 + \
        ['female'] * 3
    assert (str(data['dataset']), str(data['split'])) == ('3dpw', 'test')
    np.testing.assert_allclose(data['focal_length'],
                               np.tile([1961.2, 1969.8], (9, 1)), rtol=1e-6)
    np.testing.assert_allclose(data['principal_point'],
                               np.tile([540.5, 960.25], (9, 1)), rtol=1e-6)
    assert data['image_size'].tolist() == [[W, H]] * 9
    assert data['has_smpl'].all()
    # the train split is a file of its own
    [train] = run_converter('3dpw', str(root), str(tmp_path), 'train')
    assert load_annotations(train)['sample_id'].tolist() == [
        'courtyard_arguing_00/image_00000/person0',
        'courtyard_arguing_00/image_00001/person0']


def test_smpl_in_camera_frame_reproduces_the_body(release, tmp_path, body):
    """SMPL run on the stored camera-frame parameters gives the world body
    moved by the extrinsics: orientation, translation (via the rest pelvis)
    and pose all right."""
    root, truth = release
    [out] = run_converter('3dpw', str(root), str(tmp_path), 'test')
    data = load_annotations(out)
    for name, (actors, cam_poses) in truth.items():
        for actor, t in enumerate(actors):
            rows = rows_of(data, name)
            rows = [r for r in rows
                    if data['sample_id'][r].endswith(f'person{actor}')]
            frames = [int(data['sample_id'][r].split('/')[1][6:])
                      for r in rows]
            pose = np.concatenate([data['smpl_global_orient'][rows],
                                   data['smpl_body_pose'][rows]], 1)
            verts, joints = smpl(body, pose.astype(np.float64),
                                 data['smpl_betas'][rows].astype(np.float64),
                                 data['smpl_transl'][rows].astype(np.float64))
            expected = to_camera(t['verts'][frames], cam_poses[frames])
            np.testing.assert_allclose(verts, expected, atol=2e-5)
            np.testing.assert_allclose(data['smpl_betas'][rows],
                                       np.tile(t['betas'], (len(rows), 1)),
                                       atol=1e-6)
            np.testing.assert_allclose(data['smpl_body_pose'][rows],
                                       t['pose'][frames, 3:], atol=1e-6)
            # keypoints3d: the 24 jointPositions in the camera frame
            kp3d = data['keypoints3d'][rows]
            np.testing.assert_allclose(
                kp3d[:, :24, :3],
                to_camera(t['joints'][frames], cam_poses[frames]), atol=2e-5)
            np.testing.assert_allclose(joints, kp3d[:, :24, :3], atol=2e-5)
            assert (kp3d[:, :24, 3] == 1).all() and (kp3d[:, 24:, 3] == 0).all()


def test_openpose_points_by_name_and_boxes(release, tmp_path, project):
    root, truth = release
    [out] = run_converter('3dpw', str(root), str(tmp_path), 'test')
    data = load_annotations(out)
    actors, cam_poses = truth['downtown_walking_00']
    rows = rows_of(data, 'downtown_walking_00')
    row = rows[1]  # person0, frame 1
    det = actors[0]['poses2d'][1].T  # (18, 3)
    kp2d = data['keypoints2d'][row]
    for k, name in enumerate(COCO18):
        if name is None:
            continue
        idx = get_keypoint_idx(name, 'smpl_54')
        expected = [0., 0., 0.] if k == 3 else det[k]
        np.testing.assert_allclose(kp2d[idx], expected, rtol=1e-6)
    assert (kp2d[:, 2] > 0).sum() == 16  # 18 - neck (no slot) - joint 3
    # box of the detected points, 1.2 times larger about its centre
    seen = det[det[:, 2] > 0, :2]
    lo, hi = seen.min(0), seen.max(0)
    centre, size = (lo + hi) / 2, (hi - lo) * 1.2
    np.testing.assert_allclose(data['bbox_xywh'][row],
                               np.r_[centre - size / 2, size], rtol=1e-5)
    # frame 3 has no detection: box of the projected joints instead
    row = rows[2]  # person0, frame 3
    assert data['sample_id'][row].endswith('image_00003/person0')
    assert (data['keypoints2d'][row, :, 2] == 0).all()
    joints = to_camera(actors[0]['joints'][3:4], cam_poses[3:4])[0]
    uv = project(joints, K[0, 0], K[1, 1], K[0, 2], K[1, 2])
    lo, hi = uv.min(0), uv.max(0)
    centre, size = (lo + hi) / 2, (hi - lo) * 1.2
    np.testing.assert_allclose(data['bbox_xywh'][row],
                               np.r_[centre - size / 2, size], rtol=1e-4)


def test_bad_input_names_the_file_and_key(tmp_path, body):
    root = tmp_path / '3DPW'
    with pytest.raises(FileNotFoundError, match='sequenceFiles'):
        run_converter('3dpw', str(root.parent), str(tmp_path / 'out'),
                      'test')
    write_sequence(root, 'test', 'outdoors_fencing_01', body, 2, ['m'],
                   [[1, 1]], seed=4)
    path = root / 'sequenceFiles' / 'test' / 'outdoors_fencing_01.pkl'
    with open(path, 'rb') as f:
        seq = pickle.load(f)
    del seq['jointPositions']
    with open(path, 'wb') as f:
        pickle.dump(seq, f, protocol=2)
    with pytest.raises(KeyError, match="outdoors_fencing_01.pkl.*"
                       "'jointPositions'"):
        run_converter('3dpw', str(root), str(tmp_path / 'out'), 'test')
    (root / 'imageFiles' / 'outdoors_fencing_01' / 'image_00000.jpg').unlink()
    seq['jointPositions'] = [np.zeros((2, 72))]
    with open(path, 'wb') as f:
        pickle.dump(seq, f, protocol=2)
    with pytest.raises(FileNotFoundError, match='image_00000.jpg'):
        run_converter('3dpw', str(root), str(tmp_path / 'out'), 'test')
