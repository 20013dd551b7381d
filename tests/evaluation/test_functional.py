"""Value tests for hmrzoo.evaluation.functional."""
import numpy as np
import pytest
from scipy.linalg import orthogonal_procrustes
from scipy.spatial.transform import Rotation

from hmrzoo.evaluation import functional as F

FLIP = np.diag([1., -1., -1.])  # a proper rotation (180 deg about x)


def _rotate(points, rot):
    return np.einsum('ij,nkj->nki', rot, points)


@pytest.fixture
def small():
    """(1, 4, 3) points where diag(1,-1,-1) moves them by 0, 0, 4, 6."""
    return np.array([[[0., 0., 0.], [1., 0., 0.], [0., 2., 0.],
                      [0., 0., 3.]]])


@pytest.fixture
def rand_pose():
    return np.random.default_rng(0).normal(scale=300., size=(4, 17, 3))


def test_identity_gives_zero_error_and_full_pck(rand_pose):
    assert F.mpjpe(rand_pose, rand_pose) == 0.
    assert F.pve(rand_pose, rand_pose) == 0.
    assert F.pck(rand_pose, rand_pose) == 100.
    assert F.pa_mpjpe(rand_pose, rand_pose) == pytest.approx(0., abs=1e-9)
    np.testing.assert_array_equal(
        F.mpjpe(rand_pose, rand_pose, per_sample=True), np.zeros(4))


def test_rotation_by_flip_hand_computed(small):
    pred = _rotate(small, FLIP)
    # errors 0, 0, |(0,-4,0)| = 4, |(0,0,-6)| = 6 -> mean 10 / 4
    assert F.mpjpe(pred, small) == pytest.approx(2.5)
    assert F.pve(pred, small) == pytest.approx(2.5)
    assert F.pa_mpjpe(pred, small) == pytest.approx(0., abs=1e-9)
    # PCK strict: errors 0, 0, 4, 6 with threshold 4 -> 2 of 4 correct
    assert F.pck(pred, small, threshold=4.) == pytest.approx(50.)
    assert F.pck(pred, small, threshold=4.0001) == pytest.approx(75.)


def test_similarity_transform_is_undone(rand_pose):
    rot = Rotation.from_rotvec([0.3, -1.2, 0.7]).as_matrix()
    pred = 1.7 * _rotate(rand_pose, rot) + np.array([100., -50., 2000.])
    assert F.mpjpe(pred, rand_pose) > 100.
    assert F.pa_mpjpe(pred, rand_pose) == pytest.approx(0., abs=1e-8)
    assert F.pck(pred, rand_pose, alignment='procrustes') == 100.
    # no rotation in MPJPE-SC: the rotation error remains
    assert F.mpjpe_sc(pred, rand_pose) > 10.


def test_mpjpe_sc_removes_scale_and_translation_only(rand_pose):
    centred = F.root_align(rand_pose, [0])
    for fit in ('rms', 'lstsq'):
        assert F.mpjpe_sc(0.8 * centred, centred, scale_fit=fit) == \
            pytest.approx(0., abs=1e-9)
        assert F.mpjpe_sc(0.8 * rand_pose + 30., rand_pose,
                          scale_fit=fit) == pytest.approx(0., abs=1e-9)
    assert F.mpjpe(0.8 * centred, centred) > 10.


def test_mpjpe_sc_hand_computed():
    gt = np.array([[[-1., 0., 0.], [1., 0., 0.]]])
    pred = np.array([[[0., -2., 0.], [0., 2., 0.]]]) + 5.
    # centred pred has RMS 2, gt RMS 1 -> pred becomes (0, -+1, 0): error
    # sqrt(2) per point. Least squares: <p, g> = 0 -> scale 0, error 1.
    assert F.mpjpe_sc(pred, gt) == pytest.approx(np.sqrt(2.))
    assert F.mpjpe_sc(pred, gt, scale_fit='lstsq') == pytest.approx(1.)
    with pytest.raises(ValueError, match='rms'):
        F.mpjpe_sc(pred, gt, scale_fit='std')


def test_scale_alignment_is_about_the_origin(rand_pose):
    assert F.mpjpe(2. * rand_pose, rand_pose, alignment='scale') == \
        pytest.approx(0., abs=1e-9)
    assert F.pck(2. * rand_pose, rand_pose, alignment='scale') == 100.
    # a translation is not removed by 'scale'
    assert F.mpjpe(rand_pose + 1000., rand_pose, alignment='scale') > 100.


def test_pck_one_joint_off_by_a_metre():
    gt = np.random.default_rng(1).normal(scale=200., size=(1, 10, 3))
    pred = gt.copy()
    pred[0, 3, 1] += 1000.
    assert F.pck(pred, gt) == pytest.approx(90.)
    assert F.mpjpe(pred, gt) == pytest.approx(100.)
    assert F.pck(pred, gt, mask=np.arange(10)[None] != 3) == 100.


def test_pck_threshold_is_strict():
    gt = np.zeros((1, 2, 3))
    pred = np.array([[[150., 0., 0.], [149.5, 0., 0.]]])
    assert F.pck(pred, gt, threshold=150.) == pytest.approx(50.)


def test_auc_of_perfect_prediction(rand_pose):
    expected = 30. / 31. * 100.  # threshold 0 never counts (strict <)
    assert F.auc(rand_pose, rand_pose) == pytest.approx(expected)
    assert F.auc(rand_pose + 2000., rand_pose, alignment='procrustes') == \
        pytest.approx(expected)
    assert F.auc(rand_pose, rand_pose, thresholds=[1., 2.]) == 100.


def test_auc_hand_computed():
    gt = np.zeros((1, 2, 3))
    pred = np.array([[[12., 0., 0.], [200., 0., 0.]]])
    # joint 0 correct at thresholds 15, 20, ..., 150 (28 of 31); joint 1 never
    assert F.auc(pred, gt) == pytest.approx(28. / 31. * 50.)
    np.testing.assert_allclose(F.auc(pred, gt, per_sample=True),
                               [28. / 31. * 50.])


def test_mask_excludes_joint_from_errors_and_fit(rand_pose):
    rot = Rotation.from_rotvec([0.1, 0.4, -0.2]).as_matrix()
    noisy = rand_pose + np.random.default_rng(2).normal(size=rand_pose.shape)
    pred = 1.3 * _rotate(noisy, rot) + 40.
    mask = np.ones(rand_pose.shape[:2], bool)
    mask[:, 5] = False
    broken = pred.copy()
    broken[:, 5] += 1e6
    for fn in (F.mpjpe, F.pa_mpjpe, F.mpjpe_sc):
        assert fn(broken, rand_pose, mask) == \
            pytest.approx(fn(pred, rand_pose, mask), rel=1e-9)
    keep = mask[0]
    assert F.mpjpe(pred, rand_pose, mask) == \
        pytest.approx(F.mpjpe(pred[:, keep], rand_pose[:, keep]))
    # masked Procrustes = Procrustes fitted on the valid subset
    np.testing.assert_allclose(
        F.similarity_procrustes(broken, rand_pose, mask)[:, keep],
        F.similarity_procrustes(pred[:, keep], rand_pose[:, keep]),
        atol=1e-8)


def _reference_procrustes(pred, gt):
    """Independent similarity Procrustes with scipy for one (K, 3) sample."""
    mu_p, mu_g = pred.mean(0), gt.mean(0)
    p, g = pred - mu_p, gt - mu_g
    rot, _ = Rotation.align_vectors(g, p)  # proper rotation taking p to g
    rp = rot.apply(p)
    scale = np.sum(rp * g) / np.sum(p * p)
    return scale * rp + mu_g


def test_procrustes_matches_scipy_on_random_data():
    rng = np.random.default_rng(3)
    gt = rng.normal(size=(6, 14, 3))
    pred = rng.normal(size=(6, 14, 3)) * 2. + 1.
    pred[0] = gt[0] * np.array([1., 1., -1.])  # a mirror image
    ours = F.similarity_procrustes(pred, gt)
    ref = np.stack([_reference_procrustes(p, g) for p, g in zip(pred, gt)])
    np.testing.assert_allclose(ours, ref, atol=1e-9)
    # the mirror image is not undone: no reflection is allowed
    assert F.pa_mpjpe(pred[:1], gt[:1]) > 0.1
    errors = np.linalg.norm(ref - gt, axis=-1).mean(1)
    np.testing.assert_allclose(F.pa_mpjpe(pred, gt, per_sample=True),
                               errors, atol=1e-9)


def test_procrustes_rotation_agrees_with_orthogonal_procrustes():
    rng = np.random.default_rng(4)
    gt = rng.normal(size=(20, 3))
    rot = Rotation.from_rotvec([0.5, 0.2, -0.9]).as_matrix()
    pred = 0.5 * gt @ rot.T + rng.normal(scale=0.01, size=gt.shape) + 3.
    p, g = pred - pred.mean(0), gt - gt.mean(0)
    r, _ = orthogonal_procrustes(p, g)   # p @ r ~ g
    scale = np.sum((p @ r) * g) / np.sum(p * p)
    expected = scale * p @ r + gt.mean(0)
    np.testing.assert_allclose(
        F.similarity_procrustes(pred[None], gt[None])[0], expected,
        atol=1e-9)


def test_root_align():
    pts = np.array([[[1., 2., 3.], [3., 2., 1.], [10., 10., 10.]]])
    out = F.root_align(pts, [0, 1])
    np.testing.assert_allclose(out[0, 2], [8., 8., 8.])
    np.testing.assert_allclose(out[0, :2].mean(0), 0.)


def test_errors_on_bad_arguments(small):
    with pytest.raises(ValueError, match="'none', 'scale', 'procrustes'"):
        F.mpjpe(small, small, alignment='rigid')
    with pytest.raises(ValueError, match='unknown_alignment|Unknown'):
        F.pck(small, small, alignment='unknown_alignment')
    with pytest.raises(ValueError, match=r'\(1, 4, 3\).*\(1, 3, 3\)'):
        F.mpjpe(small, small[:, :3])
    with pytest.raises(ValueError, match='mask'):
        F.mpjpe(small, small, mask=np.ones((1, 3), bool))
    with pytest.raises(ValueError, match='no point'):
        F.mpjpe(small, small, mask=np.zeros((1, 4), bool))


def test_per_sample_and_pooled_means():
    gt = np.zeros((2, 2, 3))
    pred = np.zeros((2, 2, 3))
    pred[0, :, 0] = [1., 3.]
    pred[1, :, 0] = [10., 1e9]
    mask = np.array([[True, True], [True, False]])
    np.testing.assert_allclose(F.mpjpe(pred, gt, mask, per_sample=True),
                               [2., 10.])
    # pooled mean weights every valid joint: (1 + 3 + 10) / 3
    assert F.mpjpe(pred, gt, mask) == pytest.approx(14. / 3.)
    np.testing.assert_allclose(
        F.pck(pred, gt, mask, threshold=2., per_sample=True), [50., 0.])
