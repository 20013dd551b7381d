"""SPIN-style npz converter on fabricated files with SPIN's keys: each of
the 24 ground-truth joints on its name, boxes from center / scale, SMPL
fits with has_smpl, root-relative S, genders, split from the file name."""
import numpy as np
import pytest

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

# SPIN constants.JOINT_NAMES[25:] and the name each is stored under
SPIN_GT = [
    ('Right Ankle', 'right_ankle'), ('Right Knee', 'right_knee'),
    ('Right Hip', 'right_hip_extra'), ('Left Hip', 'left_hip_extra'),
    ('Left Knee', 'left_knee'), ('Left Ankle', 'left_ankle'),
    ('Right Wrist', 'right_wrist'), ('Right Elbow', 'right_elbow'),
    ('Right Shoulder', 'right_shoulder'), ('Left Shoulder', 'left_shoulder'),
    ('Left Elbow', 'left_elbow'), ('Left Wrist', 'left_wrist'),
    ('Neck (LSP)', 'neck_extra'), ('Top of Head (LSP)', 'headtop'),
    ('Pelvis (MPII)', 'pelvis_extra'), ('Thorax (MPII)', 'thorax_extra'),
    ('Spine (H36M)', 'spine_extra'), ('Jaw (H36M)', 'jaw_extra'),
    ('Head (H36M)', 'head_extra'), ('Nose', 'nose'),
    ('Left Eye', 'left_eye'), ('Right Eye', 'right_eye'),
    ('Left Ear', 'left_ear'), ('Right Ear', 'right_ear')]


def write_spin(path, num=4, smpl=True, s3d=True):
    """A SPIN-style npz (keys and shapes of SPIN's preprocessing)."""
    rng = np.random.default_rng(0)
    part = np.concatenate([rng.uniform(0, 500, (num, 24, 2)),
                           np.ones((num, 24, 1))], axis=2)
    part[:, 19:, 2] = 0                        # face points not labelled
    content = dict(imgname=np.asarray([f'images/{i:05d}.jpg'
                                       for i in range(num)]),
                   center=rng.uniform(100, 400, (num, 2)),
                   scale=rng.uniform(0.5, 2, num), part=part,
                   openpose=rng.uniform(0, 500, (num, 25, 3)))
    if smpl:
        content.update(pose=rng.normal(0, 0.3, (num, 72)),
                       shape=rng.normal(0, 1, (num, 10)),
                       has_smpl=np.asarray([1., 0., 1., 1.][:num]),
                       gender=np.asarray(['m', 'f', 'm', 'f'][:num]))
    if s3d:
        s = np.concatenate([rng.normal(0, 0.4, (num, 24, 3)),
                            np.ones((num, 24, 1))], axis=2)
        s[:, 14, :3] = 0                          # the root at the origin
        s[:, 19:, 3] = 0
        content['S'] = s
    np.savez(path, **content)
    return content


def test_spin_fits(tmp_path, convert_tool):
    npz = tmp_path / 'mpi_inf_3dhp_train.npz'
    content = write_spin(npz)
    out = convert_tool(['--dataset', 'spin_fits', '--root', str(tmp_path),
                        '--out', str(tmp_path / 'o'), '--options',
                        f'npz={npz}', 'dataset=mpi_inf_3dhp',
                        'smpl_source=spin'])
    assert out == [str(tmp_path / 'o' / 'spin_mpi_inf_3dhp_train.npz')]
    data = load_annotations(out[0], required=('keypoints3d', 'has_smpl'))
    assert str(data['dataset']) == 'mpi_inf_3dhp'
    assert str(data['split']) == 'train'
    assert 'root-relative' in str(data['protocol'])
    assert data['image_path'].tolist() == content['imgname'].tolist()
    assert data['sample_id'][2] == 'mpi_inf_3dhp_train/000002'
    for j, (_, name) in enumerate(SPIN_GT):
        idx = get_keypoint_idx(name, 'smpl_54')
        expected2d = content['part'][:, j].copy()
        expected2d[:, :2] *= expected2d[:, 2:]        # absent -> 0
        np.testing.assert_allclose(data['keypoints2d'][:, idx], expected2d,
                                   rtol=1e-5)
        np.testing.assert_allclose(data['keypoints3d'][:, idx],
                                   content['S'][:, j], atol=1e-6)
    # 24 joints, nothing else (no OpenPose slot in the storage convention)
    assert data['keypoints2d'][..., 2].sum() == 4 * 19
    side = 200 * content['scale']
    np.testing.assert_allclose(
        data['bbox_xywh'],
        np.c_[content['center'] - side[:, None] / 2, side, side], rtol=1e-6)
    np.testing.assert_allclose(data['smpl_global_orient'],
                               content['pose'][:, :3], rtol=1e-6)
    np.testing.assert_allclose(data['smpl_body_pose'],
                               content['pose'][:, 3:], rtol=1e-6)
    np.testing.assert_allclose(data['smpl_betas'], content['shape'],
                               rtol=1e-6)
    assert data['has_smpl'].tolist() == [True, False, True, True]
    np.testing.assert_array_equal(data['smpl_transl'], 0)
    assert data['gender'].tolist() == ['male', 'female', 'male', 'female']


def test_spin_fits_split_and_options(tmp_path):
    npz = tmp_path / '3dpw_test.npz'
    write_spin(npz, num=2, s3d=False)
    out = run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                        npz=str(npz), dataset='3dpw')
    assert out == [str(tmp_path / 'o' / 'spin_3dpw_test.npz')]
    data = load_annotations(out[0])
    assert str(data['split']) == 'test'
    assert 'keypoints3d' not in data
    assert run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                         'train', npz=str(npz), dataset='3dpw') == []
    # 2D only and another 24-joint convention: SMPL's joint order
    npz = tmp_path / 'cliff_train.npz'
    content = write_spin(npz, num=2, smpl=False, s3d=False)
    out = run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                        'train', npz=str(npz), dataset='coco',
                        part_convention='smpl_24')
    data = load_annotations(out[0])
    assert 'has_smpl' not in data
    np.testing.assert_allclose(
        data['keypoints2d'][:, get_keypoint_idx('spine1', 'smpl_54')],
        content['part'][:, 3], rtol=1e-6)


def test_spin_fits_bad_input(tmp_path):
    npz = tmp_path / 'coco_2014_train.npz'
    content = write_spin(npz)
    content.pop('center')
    np.savez(npz, **content)
    with pytest.raises(KeyError, match="coco_2014_train.npz.*'center'"):
        run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                      npz=str(npz), dataset='coco')
    content = write_spin(npz)
    content.pop('shape')
    np.savez(npz, **content)
    with pytest.raises(ValueError, match="'pose' without"):
        run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                      npz=str(npz), dataset='coco')
    with pytest.raises(ValueError, match='dataset=<name>'):
        run_converter('spin_fits', str(tmp_path), str(tmp_path / 'o'),
                      npz=str(npz))
