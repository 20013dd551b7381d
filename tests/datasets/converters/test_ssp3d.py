"""SSP-3D converter on a fabricated ``labels.npz`` + images: COCO joints on
their names, boxes from (row, column) centres, gendered SMPL in the
camera of the release (f = 5000 px on 512 x 512 images)."""
import cv2
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

COCO_STORED_AS = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip_extra', 'right_hip_extra',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle']
FNAMES = ['0000.png', '0001.png', '0002.png']


def write_ssp3d(root, image_size=512):
    """labels.npz with the official keys and three 512 x 512 images."""
    (root / 'images').mkdir(parents=True)
    (root / 'silhouettes').mkdir()
    rng = np.random.default_rng(0)
    num = len(FNAMES)
    joints = np.concatenate([rng.uniform(100, 400, (num, 17, 2)),
                             rng.uniform(0.2, 1, (num, 17, 1))], axis=2)
    joints[1, 4, 2] = 0.                           # one undetected ear
    labels = dict(
        fnames=np.asarray(FNAMES),
        shapes=rng.normal(0, 1, (num, 10)).astype(np.float32),
        poses=rng.normal(0, 0.3, (num, 72)).astype(np.float32),
        cam_trans=(rng.normal(0, 0.1, (num, 3)) + [0, 0, 40]).astype(
            np.float32),
        genders=np.asarray(['m', 'f', 'f']),
        joints2D=joints.astype(np.float32),
        bbox_centres=np.asarray([[260., 250.], [240., 300.], [256., 256.]],
                                np.float32),
        bbox_whs=np.asarray([300., 200., 350.], np.float32))
    np.savez(root / 'labels.npz', **labels)
    for name in FNAMES:
        image = np.zeros((image_size, image_size, 3), np.uint8)
        cv2.imwrite(str(root / 'images' / name), image)
        cv2.imwrite(str(root / 'silhouettes' / name), image[..., 0])
    return labels


def test_ssp3d(tmp_path, convert_tool):
    labels = write_ssp3d(tmp_path / 'ssp_3d')
    out = convert_tool(['--dataset', 'ssp3d', '--root',
                        str(tmp_path / 'ssp_3d'), '--out',
                        str(tmp_path / 'o')])
    assert out == [str(tmp_path / 'o' / 'ssp3d_test.npz')]
    data = load_annotations(out[0])
    assert data['image_path'].tolist() == [f'images/{n}' for n in FNAMES]
    assert data['gender'].tolist() == ['male', 'female', 'female']
    assert str(data['split']) == 'test'
    for j, name in enumerate(COCO_STORED_AS):
        idx = get_keypoint_idx(name, 'smpl_54')
        expected = labels['joints2D'][:, j].copy()
        if j == 4:
            expected[1] = 0
        np.testing.assert_allclose(data['keypoints2d'][:, idx], expected,
                                   rtol=1e-6)
    # centres are (row, column): sample 1 is centred at x = 300, y = 240
    np.testing.assert_allclose(data['bbox_xywh'][1],
                               [300 - 120, 240 - 120, 240, 240])
    np.testing.assert_allclose(data['focal_length'], 5000.)
    np.testing.assert_allclose(data['principal_point'], 256.)
    np.testing.assert_array_equal(data['image_size'], 512)
    np.testing.assert_allclose(data['smpl_betas'], labels['shapes'])
    np.testing.assert_allclose(data['smpl_body_pose'],
                               labels['poses'][:, 3:])
    # the release's projection: SMPL without translation, vertices +
    # cam_trans, K = [[5000, 0, 256], [0, 5000, 256]]
    rng = np.random.default_rng(1)
    points, pelvis = rng.normal(0, 0.5, (20, 3)), rng.normal(0, 0.2, 3)
    for row in range(len(FNAMES)):
        rot = Rotation.from_rotvec(labels['poses'][row, :3]).as_matrix()
        body = (points - pelvis) @ rot.T + pelvis
        release = body + labels['cam_trans'][row]
        rot = Rotation.from_rotvec(
            data['smpl_global_orient'][row]).as_matrix()
        ours = (points - pelvis) @ rot.T + pelvis + data['smpl_transl'][row]
        project = (lambda p, f, c: p[:, :2] / p[:, 2:] * f + c)
        np.testing.assert_allclose(
            project(ours, data['focal_length'][row],
                    data['principal_point'][row]),
            project(release, 5000., 256.), atol=1e-3)


def test_ssp3d_bad_input(tmp_path):
    root = tmp_path / 'ssp_3d'
    labels = write_ssp3d(root)
    cv2.imwrite(str(root / 'images' / FNAMES[2]),
                np.zeros((256, 256, 3), np.uint8))
    with pytest.raises(ValueError, match='0002.png.*512'):
        run_converter('ssp3d', str(root), str(tmp_path / 'o'))
    labels.pop('cam_trans')
    np.savez(root / 'labels.npz', **labels)
    with pytest.raises(KeyError, match="labels.npz.*'cam_trans'"):
        run_converter('ssp3d', str(root), str(tmp_path / 'o'))
    cv2.imwrite(str(root / 'images' / FNAMES[2]),
                np.zeros((512, 512, 3), np.uint8))
    labels['cam_trans'] = np.zeros((3, 3))
    labels['genders'] = np.asarray(['m', 'x', 'f'])
    np.savez(root / 'labels.npz', **labels)
    with pytest.raises(ValueError, match="gender 'x'"):
        run_converter('ssp3d', str(root), str(tmp_path / 'o'))
