"""EFT converter on fabricated EFT jsons: rotation matrices -> axis-angle
(against scipy), SPIN boxes, the 24 ground-truth joints on their names
(OpenPose slots left out), image folders per source and split, and the
optional crop camera (against EFT's weak-perspective projection)."""
import json

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

NAMES = ['COCO_train2014_000000000036.jpg', 'COCO_train2014_000000000049.jpg',
         'COCO_train2014_000000000049.jpg']


def _fit(i, name, rng):
    keypoints = np.concatenate([rng.uniform(0, 600, (49, 2)),
                                np.ones((49, 1))], axis=1)
    keypoints[25 + 13, 2] = 0                      # head top not labelled
    return {'parm_pose': Rotation.random(24, random_state=i).as_matrix()
            .tolist(),
            'parm_shape': rng.normal(0, 1, 10).tolist(),
            'parm_cam': [0.9 + 0.1 * i, 0.05 * i, -0.1],
            'bbox_scale': 1.5 + i, 'bbox_center': [300. + i, 200.],
            'gt_keypoint_2d': keypoints.tolist(),
            'joint_validity_openpose18': [1] * 18, 'smpltype': 'smpl',
            'annotId': 1000 + i, 'imageName': name, 'subjectId': ''}


def write_fits(path, names=NAMES):
    rng = np.random.default_rng(0)
    content = {'ver': 1, 'data': [_fit(i, n, rng)
                                  for i, n in enumerate(names)]}
    path.write_text(json.dumps(content))
    return content['data']


def test_eft_coco(tmp_path, convert_tool):
    fits = write_fits(tmp_path / 'COCO2014-All-ver01.json')
    (tmp_path / 'coco' / 'train2014').mkdir(parents=True)
    out = convert_tool(['--dataset', 'eft', '--root', str(tmp_path / 'coco'),
                        '--out', str(tmp_path / 'o'), '--options',
                        f'fits={tmp_path / "COCO2014-All-ver01.json"}',
                        'source=coco'])
    assert out == [str(tmp_path / 'o' / 'eft_coco2014_all_ver01.npz')]
    data = load_annotations(out[0])
    assert str(data['split']) == 'train'
    assert str(data['smpl_source']) == 'eft'
    assert data['image_path'].tolist() == [f'train2014/{n}' for n in NAMES]
    assert data['sample_id'].tolist() == [
        'COCO_train2014_000000000036/1000',
        'COCO_train2014_000000000049/1001',
        'COCO_train2014_000000000049/1002']
    for row, fit in enumerate(fits):
        rotvec = Rotation.from_matrix(fit['parm_pose']).as_rotvec()
        np.testing.assert_allclose(data['smpl_global_orient'][row],
                                   rotvec[0], atol=1e-5)
        np.testing.assert_allclose(data['smpl_body_pose'][row],
                                   rotvec[1:].ravel(), atol=1e-5)
        np.testing.assert_allclose(data['smpl_betas'][row],
                                   fit['parm_shape'], rtol=1e-6)
        side = 200 * fit['bbox_scale']
        np.testing.assert_allclose(
            data['bbox_xywh'][row],
            [fit['bbox_center'][0] - side / 2,
             fit['bbox_center'][1] - side / 2, side, side])
        gt = np.asarray(fit['gt_keypoint_2d'])
        kp = data['keypoints2d'][row]
        # SPIN's ground-truth slots: 25 + 0 right ankle, 25 + 12 LSP neck,
        # 25 + 14 MPII pelvis, 25 + 19 nose; the OpenPose nose (slot 0) is
        # not stored
        for slot, name in ((0, 'right_ankle'), (12, 'neck_extra'),
                           (14, 'pelvis_extra'), (19, 'nose'),
                           (22, 'left_ear')):
            np.testing.assert_allclose(kp[get_keypoint_idx(name, 'smpl_54')],
                                       gt[25 + slot], rtol=1e-6)
        np.testing.assert_array_equal(
            kp[get_keypoint_idx('headtop', 'smpl_54')], 0)
        assert kp[:, 2].sum() == 23
    np.testing.assert_array_equal(data['smpl_transl'], 0)
    assert 'focal_length' not in data


def test_eft_crop_camera(tmp_path):
    fits = write_fits(tmp_path / 'MPII_ver01.json',
                      ['015601864.jpg', '015599452.jpg'])
    out = run_converter('eft', str(tmp_path), str(tmp_path / 'o'),
                        fits=str(tmp_path / 'MPII_ver01.json'),
                        source='mpii', camera='crop')
    data = load_annotations(out[0])
    assert data['image_path'].tolist() == ['images/015601864.jpg',
                                           'images/015599452.jpg']
    rng = np.random.default_rng(3)
    for row, fit in enumerate(fits):
        s, tx, ty = fit['parm_cam']
        box = 200 * fit['bbox_scale']
        np.testing.assert_allclose(data['smpl_transl'][row, 2],
                                   2 * 5000 / (224 * s), rtol=1e-6)
        # EFT's projection of SMPL output X: pixel = c + b/2 (s X + t);
        # exact for the stored perspective camera at depth 0
        points = np.concatenate([rng.normal(0, 0.5, (10, 2)),
                                 np.zeros((10, 1))], axis=1)
        eft = np.asarray(fit['bbox_center']) + box / 2 * (
            s * points[:, :2] + [tx, ty])
        cam = points + data['smpl_transl'][row]
        ours = cam[:, :2] / cam[:, 2:] * data['focal_length'][row] + \
            data['principal_point'][row]
        np.testing.assert_allclose(ours, eft, rtol=1e-5)


def test_eft_split_from_name(tmp_path):
    write_fits(tmp_path / 'COCO2014-Val-ver10.json')
    fits = str(tmp_path / 'COCO2014-Val-ver10.json')
    # all splits requested: the file is written once, as the val split
    out = run_converter('eft', str(tmp_path), str(tmp_path / 'o'),
                        fits=fits, source='coco')
    assert out == [str(tmp_path / 'o' / 'eft_coco2014_val_ver10.npz')]
    data = load_annotations(out[0])
    assert str(data['split']) == 'val'
    assert data['image_path'][0].startswith('val2014/')
    assert run_converter('eft', str(tmp_path), str(tmp_path / 'o'), 'train',
                         fits=fits, source='coco') == []


def test_eft_bad_input(tmp_path):
    fits = write_fits(tmp_path / 'LSPet_ver01.json', ['im00001.png'] * 2)
    del fits[1]['parm_cam']
    (tmp_path / 'LSPet_ver01.json').write_text(json.dumps({'data': fits}))
    with pytest.raises(KeyError, match=r"data\[1\].*'parm_cam'"):
        run_converter('eft', str(tmp_path), str(tmp_path / 'o'),
                      fits=str(tmp_path / 'LSPet_ver01.json'),
                      source='lspet')
    with pytest.raises(ValueError, match='source='):
        run_converter('eft', str(tmp_path), str(tmp_path / 'o'),
                      fits=str(tmp_path / 'LSPet_ver01.json'), source='h36m')
    with pytest.raises(FileNotFoundError, match='missing.json'):
        run_converter('eft', str(tmp_path), str(tmp_path / 'o'),
                      fits=str(tmp_path / 'missing.json'), source='lspet')
