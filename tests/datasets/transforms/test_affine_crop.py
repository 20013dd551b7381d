"""AffineCrop: hand-computed pixels, 90-degree rotation, inverse round
trip, 3D / 2D consistency of the in-plane rotation, Multi-RoI crops."""
import copy

import numpy as np
import pytest
import torch

from hmrzoo.utils.rotations import axis_angle_to_rotmat
from hmrzoo.datasets.transforms import AffineCrop, roi_regions
from hmrzoo.datasets.transforms.geometry import apply_affine


def _region(center, size, rotation=0., **extra):
    return dict(img=np.zeros((100, 120, 3), np.uint8),
                bbox_center=np.array(center, np.float32),
                bbox_scale=np.array(size, np.float32),
                bbox_rotation=rotation, **extra)


def test_known_point_lands_at_hand_computed_pixel():
    # region 40 x 80 around (100, 50) onto a 20 x 40 crop: scale 0.5, the
    # crop centre is ((20 - 1) / 2, (40 - 1) / 2) = (9.5, 19.5)
    kp = np.array([[110., 30., 1.], [100., 50., 0.3], [80., 10., 1.]],
                  np.float32)
    out = AffineCrop(crop_size=(20, 40))(_region((100, 50), (40, 80),
                                                 keypoints2d=kp))
    np.testing.assert_allclose(out['keypoints2d'],
                               [[14.5, 9.5, 1.], [9.5, 19.5, 0.3],
                                [-0.5, -0.5, 1.]], atol=1e-5)
    np.testing.assert_allclose(out['crop_trans'],
                               [[0.5, 0., -40.5], [0., 0.5, -5.5]],
                               atol=1e-6)
    assert out['img'].shape == (40, 20, 3)
    assert out['img_shape'] == (40, 20) and out['crop_size'] == (20, 40)


def test_image_pixels_follow_the_transform():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)
    # scale 1 and centre (29.5, 19.5) on a 16 x 12 crop: x' = x - 22,
    # y' = y - 14, an integer shift that bilinear sampling keeps exact
    sample = dict(img=img, bbox_center=np.array([29.5, 19.5]),
                  bbox_scale=np.array([16., 12.]), bbox_rotation=0.)
    out = AffineCrop(crop_size=(16, 12))(sample)
    np.testing.assert_array_equal(out['img'], img[14:26, 22:38])
    # a region over the left border: outside pixels take border_value
    sample = dict(img=img, bbox_center=np.array([3.5, 19.5]),
                  bbox_scale=np.array([16., 12.]))
    out = AffineCrop(crop_size=(16, 12), border_value=7)(sample)
    assert (out['img'][:, :4] == 7).all()
    np.testing.assert_array_equal(out['img'][:, 4:], img[14:26, :12])


def test_rotation_by_90_degrees_moves_points_counter_clockwise():
    # region 21 x 21 around (50, 50) onto 21 x 21: scale 1, centre (10, 10)
    kp = np.array([[55., 50., 1.], [50., 53., 1.]], np.float32)
    img = np.zeros((100, 120, 3), np.uint8)
    img[50, 55] = 255               # the pixel of the first point
    sample = _region((50, 50), (21, 21), 90., keypoints2d=kp)
    sample['img'] = img
    out = AffineCrop(crop_size=(21, 21), interpolation='nearest')(sample)
    # 5 px right of the centre -> 5 px above it; 3 px below -> 3 px right
    np.testing.assert_allclose(out['keypoints2d'][:, :2],
                               [[10., 5.], [13., 10.]], atol=1e-5)
    rows, cols = np.nonzero(out['img'][..., 0])
    assert rows.tolist() == [5] and cols.tolist() == [10]


def test_inverse_transform_returns_the_keypoints(make_sample):
    sample = make_sample()
    sample['bbox_rotation'] = 37.
    sample['keypoints2d'][0] = (500., -300., 0.8)   # far outside the crop
    out = AffineCrop(crop_size=(24, 32))(copy.deepcopy(sample))
    kp = out['keypoints2d']
    assert not (0 <= kp[0, 0] < 24 and 0 <= kp[0, 1] < 32)
    np.testing.assert_array_equal(kp[:, 2], sample['keypoints2d'][:, 2])
    back = apply_affine(kp[:, :2], out['crop_inv_trans'])
    np.testing.assert_allclose(back, sample['keypoints2d'][:, :2], atol=2e-3)
    np.testing.assert_allclose(
        out['crop_inv_trans'][:, :2] @ out['crop_trans'][:, :2], np.eye(2),
        atol=1e-6)


def test_rotated_3d_projects_onto_rotated_2d(make_sample):
    """With the crop centred on the principal point, the rotated 3D
    keypoints project (crop camera: focal scaled, centre of the crop) onto
    the cropped 2D keypoints."""
    sample = make_sample()
    focal = 70.
    center = sample['bbox_center'].astype(np.float64)
    xyz = sample['keypoints3d'][:, :3].astype(np.float64)
    sample['keypoints2d'][:, :2] = xyz[:, :2] / xyz[:, 2:] * focal + center
    sample['bbox_rotation'] = 25.
    crop = (24, 32)                         # bbox_scale (30, 40): x 0.8
    out = AffineCrop(crop_size=crop)(copy.deepcopy(sample))
    rot = out['keypoints3d'][:, :3].astype(np.float64)
    proj = rot[:, :2] / rot[:, 2:] * focal * 0.8 + (np.array(crop) - 1) / 2
    np.testing.assert_allclose(proj, out['keypoints2d'][:, :2], atol=1e-3)
    np.testing.assert_array_equal(out['keypoints3d'][:, 3],
                                  sample['keypoints3d'][:, 3])
    # and the rotation is about the camera z axis: depths are unchanged
    np.testing.assert_allclose(rot[:, 2], xyz[:, 2], rtol=1e-6)


def test_global_orient_and_translation_rotate_about_camera_z(make_sample):
    sample = make_sample()
    r = np.deg2rad(40.)
    sample['bbox_rotation'] = 40.
    out = AffineCrop(crop_size=(24, 32))(copy.deepcopy(sample))
    # Rot(-40 degrees) about z, written out
    rz = np.array([[np.cos(r), np.sin(r), 0.], [-np.sin(r), np.cos(r), 0.],
                   [0., 0., 1.]])

    def rotmat(aa):
        return axis_angle_to_rotmat(torch.as_tensor(aa, dtype=torch.float64)
                                    ).numpy()
    np.testing.assert_allclose(rotmat(out['smpl_pose'][:3]),
                               rz @ rotmat(sample['smpl_pose'][:3]),
                               atol=1e-6)
    np.testing.assert_array_equal(out['smpl_pose'][3:],
                                  sample['smpl_pose'][3:])
    np.testing.assert_allclose(out['smpl_transl'],
                               rz @ sample['smpl_transl'], atol=1e-6)
    sample['has_smpl'] = False
    out = AffineCrop(crop_size=(24, 32))(copy.deepcopy(sample))
    np.testing.assert_array_equal(out['smpl_pose'], sample['smpl_pose'])


def test_multiroi_crops(make_sample):
    sample = make_sample()               # centre (33, 20.5), region 30 x 40
    sample['bbox_rotation'] = 15.
    single = AffineCrop(crop_size=(24, 32))(copy.deepcopy(sample))
    out = AffineCrop(crop_size=(24, 32), rois=dict())(copy.deepcopy(sample))
    # b = the region's longer side 40; offsets +-0.1 b, scales 1.5 .. 0.65
    np.testing.assert_allclose(out['roi_center'],
                               [[33., 20.5], [37., 20.5], [29., 20.5],
                                [33., 24.5], [33., 16.5]])
    np.testing.assert_allclose(out['roi_size'],
                               [40., 60., 50., 32., 26.], rtol=1e-6)
    k = sample['keypoints2d'].shape[0]
    assert out['img'].shape == (5, 32, 24, 3)
    assert out['crop_trans'].shape == (5, 2, 3)
    assert out['keypoints2d'].shape == (5, k, 3)
    for m in range(5):
        np.testing.assert_allclose(
            apply_affine(out['roi_center'][m], out['crop_trans'][m]),
            [11.5, 15.5], atol=1e-4)
        np.testing.assert_allclose(
            out['keypoints2d'][m, :, :2],
            apply_affine(sample['keypoints2d'][:, :2], out['crop_trans'][m]),
            atol=1e-4)
        # RoI m covers (w, h) * scale_m: its linear part is 24 / (30 s_m)
        s = out['roi_size'][m] / 40.
        np.testing.assert_allclose(
            np.linalg.det(out['crop_trans'][m, :, :2]),
            (24 / (30 * s)) * (32 / (40 * s)), rtol=1e-5)
    np.testing.assert_array_equal(out['img'][0], single['img'])
    np.testing.assert_allclose(out['crop_trans'][0], single['crop_trans'])
    np.testing.assert_allclose(out['keypoints2d'][0], single['keypoints2d'])
    np.testing.assert_allclose(out['keypoints3d'], single['keypoints3d'])
    custom = AffineCrop(crop_size=16, rois=dict(offsets=[(0.5, 0.)],
                                                scales=[2.]))
    out = custom(copy.deepcopy(sample))
    np.testing.assert_allclose(out['roi_center'], [[33., 20.5], [53., 20.5]])
    np.testing.assert_allclose(out['roi_size'], [40., 80.])
    # a wide region: b is its longer side, the width
    centers, sizes, b = roi_regions((0., 0.), (60., 40.), [(0.1, 0.2)],
                                    [0.5])
    np.testing.assert_allclose(centers, [[0., 0.], [6., 12.]])
    np.testing.assert_allclose(sizes, [[60., 40.], [30., 20.]])
    np.testing.assert_allclose(b, [60., 30.])


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='crop_size'):
        AffineCrop(crop_size=(0, 10))
    with pytest.raises(ValueError, match='interpolation'):
        AffineCrop(interpolation='cubic')
    with pytest.raises(ValueError, match='unknown keys'):
        AffineCrop(rois=dict(offset=[(0.1, 0.)]))
    with pytest.raises(ValueError, match='offsets but'):
        AffineCrop(rois=dict(offsets=[(0.1, 0.)], scales=[1., 2.]))
    with pytest.raises(KeyError, match='bbox_scale'):
        AffineCrop()(dict(img=np.zeros((4, 4, 3), np.uint8),
                          bbox_center=np.zeros(2), sample_id='s3'))
    with pytest.raises(ValueError, match='positive'):
        AffineCrop()(_region((10, 10), (0, 5)))
