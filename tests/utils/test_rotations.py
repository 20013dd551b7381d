"""Value tests of hmrzoo.utils.rotations."""
import math

import pytest
import torch

from hmrzoo.utils.rotations import (axis_angle_to_quaternion,
                                      axis_angle_to_rot6d,
                                      axis_angle_to_rotmat,
                                      quaternion_to_axis_angle,
                                      quaternion_to_rotmat,
                                      rot6d_to_axis_angle, rot6d_to_rotmat,
                                      rotmat_to_axis_angle,
                                      rotmat_to_quaternion, rotmat_to_rot6d)

DTYPES = [torch.float32, torch.float64]
TOL = {torch.float32: 2e-5, torch.float64: 1e-10}


def _random_axis_angles(n, dtype, generator):
    """Random axes with angles spread over (0, pi), plus angles within 1e-7
    .. 1e-3 of 0 and of pi."""
    axis = torch.randn(n, 3, dtype=torch.float64, generator=generator)
    axis = axis / axis.norm(dim=-1, keepdim=True)
    angle = torch.rand(n, dtype=torch.float64, generator=generator) * math.pi
    tiny = torch.tensor([0., 1e-7, 1e-5, 1e-3, 5e-3, 2e-2],
                        dtype=torch.float64)
    angle[:6] = tiny
    angle[6:12] = math.pi - tiny
    return (axis * angle[:, None]).to(dtype)


def _independent_rodrigues(aa):
    """Textbook Rodrigues from an explicit axis and angle (float64)."""
    aa = aa.double()
    out = []
    for v in aa:
        t = float(v.norm())
        if t == 0:
            out.append(torch.eye(3, dtype=torch.float64))
            continue
        k = v / t
        K = torch.tensor([[0, -k[2], k[1]], [k[2], 0, -k[0]],
                          [-k[1], k[0], 0]], dtype=torch.float64)
        out.append(torch.eye(3, dtype=torch.float64) + math.sin(t) * K +
                   (1 - math.cos(t)) * K @ K)
    return torch.stack(out)


def _same_rotation_aa(a, b, tol):
    """Axis-angles equal, or both of angle ~pi with opposite axes."""
    diff = (a - b).norm(dim=-1)
    flipped = (a + b).norm(dim=-1)
    near_pi = (a.norm(dim=-1) - math.pi).abs() < 1e-2
    ok = (diff < tol) | (near_pi & (flipped < tol))
    assert bool(ok.all()), (diff.max(), flipped.max())


# ------------------------------------------------------------ known answers


def test_identity_6d():
    eye = torch.eye(3)
    assert torch.equal(rotmat_to_rot6d(eye),
                       torch.tensor([1., 0., 0., 1., 0., 0.]))
    assert torch.allclose(rot6d_to_rotmat(torch.tensor([1., 0, 0, 1, 0, 0])),
                          eye)


def test_mean_pose_convention_is_180_about_x():
    R = rot6d_to_rotmat(torch.tensor([1., 0., 0., -1., 0., 0.]))
    expected = torch.diag(torch.tensor([1., -1., -1.]))
    assert torch.allclose(R, expected)
    aa = rot6d_to_axis_angle(torch.tensor([1., 0., 0., -1., 0., 0.]))
    assert torch.allclose(aa.abs(), torch.tensor([math.pi, 0., 0.]),
                          atol=1e-6)


def test_6d_is_first_two_columns_row_major():
    R = torch.arange(9.).reshape(3, 3)
    assert rotmat_to_rot6d(R).tolist() == [0., 1., 3., 4., 6., 7.]
    # decoding: columns [1,2,3] and [0,1,0] -> Gram-Schmidt by hand
    x = torch.tensor([1., 0., 2., 1., 2., 0.])  # cols a1=(1,2,2), a2=(0,1,0)
    b1 = torch.tensor([1., 2., 2.]) / 3
    a2 = torch.tensor([0., 1., 0.])
    b2 = a2 - (b1 @ a2) * b1
    b2 = b2 / b2.norm()
    b3 = torch.linalg.cross(b1, b2)
    assert torch.allclose(rot6d_to_rotmat(x), torch.stack([b1, b2, b3], 1),
                          atol=1e-6)


def test_90_degrees_about_z():
    aa = torch.tensor([0., 0., math.pi / 2])
    expected = torch.tensor([[0., -1., 0.], [1., 0., 0.], [0., 0., 1.]])
    assert torch.allclose(axis_angle_to_rotmat(aa), expected, atol=1e-6)
    # quaternion (w, x, y, z) = (cos 45, 0, 0, sin 45)
    c = math.sqrt(0.5)
    q = axis_angle_to_quaternion(aa)
    assert torch.allclose(q, torch.tensor([c, 0., 0., c]), atol=1e-6)
    assert torch.allclose(quaternion_to_rotmat(q), expected, atol=1e-6)
    assert torch.allclose(rotmat_to_quaternion(expected), q, atol=1e-6)
    assert torch.allclose(rotmat_to_axis_angle(expected), aa, atol=1e-6)
    # e_x goes to e_y
    assert torch.allclose(axis_angle_to_rotmat(aa) @ torch.tensor([1., 0, 0]),
                          torch.tensor([0., 1., 0.]), atol=1e-6)


def test_quaternion_order_is_wxyz():
    # 180 deg about y: q = (0, 0, 1, 0)
    R = quaternion_to_rotmat(torch.tensor([0., 0., 1., 0.]))
    assert torch.allclose(R, torch.diag(torch.tensor([-1., 1., -1.])))
    assert torch.allclose(quaternion_to_rotmat(torch.tensor([2., 0, 0, 0])),
                          torch.eye(3))  # normalised, identity


@pytest.mark.parametrize('dtype', DTYPES)
def test_rodrigues_matches_independent_formula(dtype):
    g = torch.Generator().manual_seed(1)
    aa = _random_axis_angles(64, dtype, g)
    R = axis_angle_to_rotmat(aa)
    assert R.dtype == dtype
    assert torch.allclose(R.double(), _independent_rodrigues(aa),
                          atol=TOL[dtype] * 5)


def test_zero_rotation_everywhere():
    zero = torch.zeros(2, 3)
    assert torch.equal(axis_angle_to_rotmat(zero), torch.eye(3).expand(2, 3,
                                                                       3))
    assert torch.equal(axis_angle_to_quaternion(zero),
                       torch.tensor([[1., 0, 0, 0]] * 2))
    assert torch.equal(rotmat_to_axis_angle(torch.eye(3)), torch.zeros(3))
    assert torch.equal(quaternion_to_axis_angle(torch.tensor([1., 0, 0, 0])),
                       torch.zeros(3))


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize('dtype', DTYPES)
def test_round_trips(dtype):
    g = torch.Generator().manual_seed(2)
    aa = _random_axis_angles(200, dtype, g)
    tol = TOL[dtype]
    R = axis_angle_to_rotmat(aa)
    # aa -> R -> aa (angles in [0, pi]; at pi both axes are valid)
    _same_rotation_aa(rotmat_to_axis_angle(R), aa, tol * 50)
    # aa -> quat -> aa, quat -> R agrees with Rodrigues
    q = axis_angle_to_quaternion(aa)
    _same_rotation_aa(quaternion_to_axis_angle(q), aa, tol * 50)
    assert torch.allclose(quaternion_to_rotmat(q), R, atol=tol)
    # R -> quat -> R, and the quaternion equals +-q
    q2 = rotmat_to_quaternion(R)
    assert torch.allclose(quaternion_to_rotmat(q2), R, atol=tol)
    sign_err = torch.minimum((q2 - q).norm(dim=-1), (q2 + q).norm(dim=-1))
    assert float(sign_err.max()) < tol * 10
    assert bool((q2[:, 0] >= 0).all())
    # R -> 6D -> R is exact, 6D -> aa -> 6D
    r6 = rotmat_to_rot6d(R)
    assert torch.allclose(rot6d_to_rotmat(r6), R, atol=tol)
    assert torch.allclose(axis_angle_to_rot6d(rot6d_to_axis_angle(r6)), r6,
                          atol=tol * 10)


def test_near_pi_recovers_axis():
    for eps in [0., 1e-8, 1e-5, 1e-3]:
        axis = torch.tensor([2., -3., 6.], dtype=torch.float64) / 7
        aa = axis * (math.pi - eps)
        back = rotmat_to_axis_angle(axis_angle_to_rotmat(aa))
        _same_rotation_aa(back[None], aa[None], 1e-7)
        assert abs(float(back.norm()) - (math.pi - eps)) < 1e-7


def test_quaternion_sign_and_scale_invariance():
    g = torch.Generator().manual_seed(3)
    q = torch.randn(50, 4, dtype=torch.float64, generator=g)
    aa = quaternion_to_axis_angle(q)
    assert torch.allclose(quaternion_to_axis_angle(-3.0 * q), aa)
    assert torch.allclose(axis_angle_to_rotmat(aa), quaternion_to_rotmat(q))
    assert float(aa.norm(dim=-1).max()) <= math.pi + 1e-12


def test_batched_leading_dims():
    g = torch.Generator().manual_seed(4)
    x = torch.randn(2, 5, 7, 6, generator=g)
    R = rot6d_to_rotmat(x)
    assert R.shape == (2, 5, 7, 3, 3)
    assert torch.allclose(R[1, 3, 2], rot6d_to_rotmat(x[1, 3, 2]))
    assert rotmat_to_axis_angle(R).shape == (2, 5, 7, 3)
    assert rotmat_to_quaternion(R).shape == (2, 5, 7, 4)
    assert axis_angle_to_rot6d(torch.zeros(4, 2, 3)).shape == (4, 2, 6)


@pytest.mark.parametrize('dtype', DTYPES)
def test_rot6d_output_is_rotation(dtype):
    g = torch.Generator().manual_seed(5)
    x = (torch.randn(500, 6, generator=g) * 3).to(dtype)
    R = rot6d_to_rotmat(x)
    eye = torch.eye(3, dtype=dtype).expand_as(R)
    assert torch.allclose(R.transpose(-1, -2) @ R, eye, atol=TOL[dtype] * 5)
    assert torch.allclose(torch.linalg.det(R), torch.ones(500, dtype=dtype),
                          atol=TOL[dtype] * 5)
    # the first column is the normalised first input column
    a1 = x.reshape(-1, 3, 2)[..., 0]
    assert torch.allclose(R[..., 0], a1 / a1.norm(dim=-1, keepdim=True),
                          atol=TOL[dtype])


# ---------------------------------------------------------------- gradients


def test_gradients_finite_at_zero():
    for fn in [axis_angle_to_rotmat, axis_angle_to_quaternion,
               axis_angle_to_rot6d]:
        aa = torch.zeros(3, 3, requires_grad=True)
        fn(aa).pow(2).sum().backward()
        assert torch.isfinite(aa.grad).all(), fn.__name__
    # d R / d aa at 0 is the skew matrix: dR/d(aa_z) = [e_z]_x
    aa = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    jac = torch.autograd.functional.jacobian(axis_angle_to_rotmat, aa)
    ez = torch.tensor([[0., -1., 0.], [1., 0., 0.], [0., 0., 0.]],
                      dtype=torch.float64)
    assert torch.allclose(jac[..., 2], ez)
    for fn in [rotmat_to_axis_angle, rotmat_to_quaternion]:
        R = torch.eye(3, requires_grad=True)
        fn(R).sum().backward()
        assert torch.isfinite(R.grad).all(), fn.__name__
    q = torch.tensor([1., 0., 0., 0.], requires_grad=True)
    quaternion_to_axis_angle(q).sum().backward()
    assert torch.isfinite(q.grad).all()


def test_gradcheck_across_threshold():
    # small and large angles, float64 analytic vs numeric gradients
    aa = torch.tensor([[1e-4, -2e-4, 3e-4], [0.3, -0.5, 1.1],
                       [0.0, 0.0, 3.0]], dtype=torch.float64,
                      requires_grad=True)
    assert torch.autograd.gradcheck(axis_angle_to_rotmat, (aa, ))
    assert torch.autograd.gradcheck(axis_angle_to_quaternion, (aa, ))
    x = torch.randn(4, 6, dtype=torch.float64, requires_grad=True,
                    generator=torch.Generator().manual_seed(6))
    assert torch.autograd.gradcheck(rot6d_to_rotmat, (x, ))
    q = torch.tensor([[0.9, 0.1, -0.2, 0.3], [0.05, 0.7, 0.7, 0.1]],
                     dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(quaternion_to_axis_angle, (q, ))


def test_bad_shapes_raise():
    with pytest.raises(ValueError):
        rot6d_to_rotmat(torch.zeros(4, 5))
    with pytest.raises(ValueError):
        rotmat_to_axis_angle(torch.zeros(4, 3, 2))
