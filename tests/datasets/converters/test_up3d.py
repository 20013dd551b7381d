"""UP-3D converter on a fabricated tree in the official layout: split
lists, LSP joints on their names, boxes, the SMPLify fit moved into the
camera of ``_image.png`` (checked against a re-implementation of the fit's
OpenDR camera and the ``uncrop`` of the release)."""
import pickle

import cv2
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

# LSP joint order of _joints.npy and where each lands in the superset
LSP_NAMES = ['right_ankle', 'right_knee', 'right_hip_extra',
             'left_hip_extra', 'left_knee', 'left_ankle', 'right_wrist',
             'right_elbow', 'right_shoulder', 'left_shoulder', 'left_elbow',
             'left_wrist', 'neck_extra', 'headtop']
# index -> (image W, H, fit_crop_info "H W y0 y1 x0 x1")
SAMPLES = {
    '00000': (120, 90, [200, 150, 10, 110, 20, 95]),
    '00001': (64, 48, [48, 64, 0, 48, 0, 64]),
    '00002': (100, 80, [40, 50, 5, 65, 30, 80]),
}
SPLITS = {'trainval': ['00000', '00002'], 'test': ['00001']}


def _fit(seed):
    rng = np.random.default_rng(seed)
    return {'pose': rng.normal(0, 0.3, 72), 'betas': rng.normal(0, 1, 10),
            't': np.array([0.1, -0.2, 20.]) + rng.normal(0, 0.1, 3),
            'rt': np.zeros(3), 'f': 5000., 'trans': rng.normal(0, 0.05, 3),
            'j2d': rng.uniform(0, 50, (14, 2))}


def write_up3d(root):
    """The flat up-3d folder; returns {index: (fit, joints)}."""
    root.mkdir(parents=True, exist_ok=True)
    for split, names in SPLITS.items():
        (root / f'{split}.txt').write_text(
            ''.join(f'/{n}_image.png\n' for n in names))
    content = {}
    for seed, (name, (w, h, crop)) in enumerate(SAMPLES.items()):
        cv2.imwrite(str(root / f'{name}_image.png'),
                    np.zeros((h, w, 3), np.uint8))
        fit = _fit(seed)
        with open(root / f'{name}_body.pkl', 'wb') as f:
            pickle.dump(fit, f, protocol=2)
        rng = np.random.default_rng(10 + seed)
        joints = np.concatenate([rng.uniform(5, 40, (2, 14)),
                                 np.ones((1, 14))])
        joints[2, 3] = 0              # left hip not visible
        np.save(root / f'{name}_joints.npy', joints)
        (root / f'{name}_fit_crop_info.txt').write_text(
            ' '.join(str(v) for v in crop) + '\n')
        (root / f'{name}_dataset_info.txt').write_text('lsp 1\n')
        content[name] = (fit, joints)
    return content


def _rigid_body(orient, transl, points, pelvis):
    """A SMPL stand-in: the posed body ``points`` (root frame, pelvis at
    ``pelvis``) turned by ``orient`` about the pelvis, then shifted."""
    rot = Rotation.from_rotvec(orient).as_matrix()
    return (points - pelvis) @ rot.T + pelvis + transl


def _release_projection(body, fit, crop):
    """What the release draws: OpenDR's camera on the fit's H x W image,
    pasted into the region [y0:y1, x0:x1] of _image.png."""
    height, width, y0, y1, x0, x1 = crop
    cam = body @ Rotation.from_rotvec(fit['rt']).as_matrix().T + fit['t']
    uv = fit['f'] * cam[:, :2] / cam[:, 2:] + [width / 2, height / 2]
    return [x0, y0] + uv * [(x1 - x0) / width, (y1 - y0) / height]


def test_up3d_trainval(tmp_path, convert_tool):
    content = write_up3d(tmp_path / 'up-3d')
    out = convert_tool(['--dataset', 'up3d', '--root',
                        str(tmp_path / 'up-3d'), '--out', str(tmp_path / 'o'),
                        '--split', 'trainval'])
    assert out == [str(tmp_path / 'o' / 'up3d_trainval.npz')]
    data = load_annotations(out[0])
    assert data['image_path'].tolist() == ['00000_image.png',
                                           '00002_image.png']
    assert data['sample_id'].tolist() == ['00000', '00002']
    assert str(data['split']) == 'trainval'
    assert data['gender'].tolist() == ['neutral'] * 2
    rng = np.random.default_rng(0)
    points, pelvis = rng.normal(0, 0.5, (30, 3)), rng.normal(0, 0.2, 3)
    for row, name in enumerate(['00000', '00002']):
        fit, joints = content[name]
        width, height, crop = SAMPLES[name]
        kp = data['keypoints2d'][row]
        for j, joint in enumerate(LSP_NAMES):
            idx = get_keypoint_idx(joint, 'smpl_54')
            expected = [0, 0, 0] if j == 3 else joints[:, j]
            np.testing.assert_allclose(kp[idx], expected, atol=1e-4)
        assert kp[:, 2].sum() == 13
        # box: the visible joints' extent, enlarged 1.2 about its centre
        vis = joints[:2, joints[2] > 0]
        lo, hi = vis.min(1), vis.max(1)
        np.testing.assert_allclose(
            data['bbox_xywh'][row],
            np.r_[(lo + hi) / 2 - 0.6 * (hi - lo), 1.2 * (hi - lo)],
            rtol=1e-5)
        np.testing.assert_array_equal(data['image_size'][row],
                                      [width, height])
        np.testing.assert_allclose(data['smpl_body_pose'][row],
                                   fit['pose'][3:], rtol=1e-6)
        np.testing.assert_allclose(data['smpl_betas'][row], fit['betas'],
                                   rtol=1e-6)
        assert data['has_smpl'][row]
        # the stored body seen by the stored camera = what the release draws
        body = _rigid_body(data['smpl_global_orient'][row],
                           data['smpl_transl'][row], points, pelvis)
        ours = body[:, :2] / body[:, 2:] * data['focal_length'][row] + \
            data['principal_point'][row]
        release = _release_projection(
            _rigid_body(fit['pose'][:3], fit['trans'], points, pelvis),
            fit, crop)
        np.testing.assert_allclose(ours, release, atol=2e-3)
    # fit 00000 is a resized crop: half scale, region x 20..95, y 10..110
    np.testing.assert_allclose(data['focal_length'][0], [2500., 2500.])
    np.testing.assert_allclose(data['principal_point'][0], [57.5, 60.])


def test_up3d_all_splits(tmp_path):
    write_up3d(tmp_path / 'up-3d')
    out = run_converter('up3d', str(tmp_path / 'up-3d'), str(tmp_path / 'o'))
    assert sorted(out) == sorted(str(tmp_path / 'o' / f'up3d_{s}.npz')
                                 for s in ('trainval', 'test'))
    test = load_annotations(str(tmp_path / 'o' / 'up3d_test.npz'))
    assert test['sample_id'].tolist() == ['00001']
    # uncropped fit: the camera is the fit's own, centred on the image
    np.testing.assert_allclose(test['focal_length'][0], [5000., 5000.])
    np.testing.assert_allclose(test['principal_point'][0], [32., 24.])


def test_up3d_bad_input(tmp_path):
    root = tmp_path / 'up-3d'
    write_up3d(root)
    (root / '00002_body.pkl').unlink()
    with pytest.raises(FileNotFoundError, match='00002_body.pkl'):
        run_converter('up3d', str(root), str(tmp_path / 'o'), 'trainval')
    fit = _fit(0)
    fit['rt'] = np.array([0., 0.3, 0.])
    with open(root / '00000_body.pkl', 'wb') as f:
        pickle.dump(fit, f, protocol=2)
    with pytest.raises(ValueError, match='00000_body.pkl.*rotation'):
        run_converter('up3d', str(root), str(tmp_path / 'o'), 'trainval')
    fit.pop('rt')
    with open(root / '00000_body.pkl', 'wb') as f:
        pickle.dump(fit, f, protocol=2)
    with pytest.raises(KeyError, match="00000_body.pkl.*'rt'"):
        run_converter('up3d', str(root), str(tmp_path / 'o'), 'trainval')
