"""Tests of the name-based keypoint conventions."""
import logging

import numpy as np
import pytest
import torch

from hmrzoo import conventions as C

LOGGER = 'hmrzoo.conventions'


@pytest.fixture
def scratch_conventions():
    """Remove the conventions a test registers."""
    before = set(C.KEYPOINT_CONVENTIONS)
    yield
    for name in set(C.KEYPOINT_CONVENTIONS) - before:
        del C.KEYPOINT_CONVENTIONS[name]


@pytest.mark.parametrize('name,size', [
    ('smpl_24', 24), ('smpl_45', 45), ('smpl_49', 49), ('smpl_54', 54),
    ('smplx_55', 55), ('smplx', 127), ('smplx_144', 144), ('h36m', 17),
    ('coco', 17), ('coco_wholebody', 133), ('lsp', 14), ('mpii', 16),
    ('mpi_inf_3dhp', 17), ('mpi_inf_3dhp_28', 28), ('openpose_25', 25),
    ('mediapipe_33', 33), ('face_68', 68), ('hand_21_left', 21),
])
def test_sizes(name, size):
    assert C.get_keypoint_num(name) == size
    assert len(C.get_keypoint_names(name)) == size


def test_no_duplicate_names():
    for name, names in C.KEYPOINT_CONVENTIONS.items():
        assert len(set(names)) == len(names), name


def test_smpl_order_and_extra_rows():
    names = C.get_keypoint_names('smpl_54')
    assert names[:3] == ['pelvis', 'left_hip', 'right_hip']
    assert names[22:24] == ['left_hand', 'right_hand']
    assert names[24:29] == ['nose', 'right_eye', 'left_eye', 'right_ear',
                            'left_ear']
    assert names[45:] == ['right_hip_extra', 'left_hip_extra', 'neck_extra',
                          'headtop', 'pelvis_extra', 'thorax_extra',
                          'spine_extra', 'jaw_extra', 'head_extra']
    assert C.get_keypoint_names('smpl_45') == names[:45]
    assert C.get_keypoint_names('smpl_24') == names[:24]


def test_h36m_to_lsp14_matches_spin():
    lsp = C.get_keypoint_names('lsp')
    idx = [C.get_keypoint_idx(n, 'h36m') for n in lsp]
    assert idx == [6, 5, 4, 1, 2, 3, 16, 15, 14, 11, 12, 13, 8, 10]
    dst_idx, src_idx, names = C.get_mapping('h36m', 'lsp')
    assert dst_idx.tolist() == list(range(14))
    assert src_idx.tolist() == idx
    assert names == lsp


def test_mpi_inf_3dhp_index_maps():
    # the 17 test joints inside the 28 training joints
    idx = C.get_keypoint_idxs(C.get_keypoint_names('mpi_inf_3dhp'),
                              'mpi_inf_3dhp_28')
    assert idx == [7, 5, 14, 15, 16, 9, 10, 11, 23, 24, 25, 18, 19, 20, 4, 3,
                   6]
    # SPIN reorders the 17 test joints into H36M's order with this list
    idx = C.get_keypoint_idxs(C.get_keypoint_names('h36m'), 'mpi_inf_3dhp')
    assert idx == [14, 11, 12, 13, 8, 9, 10, 15, 1, 16, 0, 5, 6, 7, 2, 3, 4]


def test_smpl54_to_smpl49_reproduces_spin_joint_map():
    # SPIN's JOINT_MAP as indices into the 54 joints (45 smplx + 9 extra)
    spin_op = [24, 12, 17, 19, 21, 16, 18, 20, 0, 2, 5, 8, 1, 4, 7, 25, 26,
               27, 28, 29, 30, 31, 32, 33, 34]
    spin_gt = [8, 5, 45, 46, 4, 7, 21, 19, 17, 16, 18, 20, 47, 48, 49, 50,
               51, 52, 53, 24, 26, 25, 28, 27]
    dst_idx, src_idx, _ = C.get_mapping('smpl_54', 'smpl_49',
                                        approximate=True)
    assert dst_idx.tolist() == list(range(49))
    assert src_idx.tolist() == spin_op + spin_gt
    # without approximate only the 24 ground-truth slots are filled
    dst_idx, src_idx, _ = C.get_mapping('smpl_54', 'smpl_49')
    assert dst_idx.tolist() == list(range(25, 49))
    assert src_idx.tolist() == spin_gt


def test_names_agree_with_installed_smplx():
    joint_names = pytest.importorskip('smplx.joint_names')
    theirs = joint_names.JOINT_NAMES
    ours = C.get_keypoint_names('smplx_144')
    assert len(theirs) == len(ours) == 144
    rename = {'left_eye_smplhf': 'left_eyeball',
              'right_eye_smplhf': 'right_eyeball',
              'left_big_toe': 'left_bigtoe', 'right_big_toe': 'right_bigtoe',
              'left_small_toe': 'left_smalltoe',
              'right_small_toe': 'right_smalltoe'}
    for side in ('left', 'right'):
        for finger in ('thumb', 'index', 'middle', 'ring', 'pinky'):
            rename[f'{side}_{finger}'] = f'{side}_{finger}_tip'
    assert [rename.get(n, n) for n in theirs[:76]] == ours[:76]
    # smpl_45's vertex joints are the same 21 points
    assert C.get_keypoint_names('smpl_45')[24:] == ours[55:76]
    # face landmarks: smplx's own mirrored names give the same flip pairs
    index = {n: i for i, n in enumerate(theirs)}
    pairs = sorted({tuple(sorted((i, index[C.mirror_name(n)])))
                    for i, n in enumerate(theirs)
                    if C.mirror_name(n) in index})
    assert pairs == C.get_flip_pairs('smplx_144')


@pytest.mark.parametrize('name,count', [
    # hips, knees, ankles, feet, collars, shoulders, elbows, wrists, hands
    ('smpl_24', 9),
    # + eyes, ears, big toes, small toes, heels, 5 finger tips
    ('smpl_45', 19),
    ('smpl_54', 20),  # + dataset hips
    # 11 OpenPose slots + ankle, knee, hip, wrist, elbow, shoulder, eye, ear
    ('smpl_49', 19),
    ('coco', 8),
    ('openpose_25', 11),
    ('h36m', 6), ('lsp', 6), ('mpii', 6), ('mpi_inf_3dhp', 6),
    ('mpi_inf_3dhp_28', 10),  # + clavicles, hands, feet, toes
    # eye in/centre/out, ear, mouth, shoulder, elbow, wrist, pinky, index,
    # thumb, hip, knee, ankle, heel, foot index
    ('mediapipe_33', 16),
    # contour 8, brows 5, nostrils 2, eyes 6, outer lips 5, inner lips 3
    ('face_68', 29),
    ('coco_wholebody', 8 + 3 + 29 + 21),
    ('smplx_55', 8 + 1 + 15),  # body, eyeballs, finger joints
    ('smplx', 24 + 10 + 21),  # + vertex joints + 51 inner face landmarks
    ('smplx_144', 24 + 10 + 29),
    ('hand_21_left', 0),
])
def test_flip_pair_counts(name, count):
    assert len(C.get_flip_pairs(name)) == count


def test_flip_indices_are_involutions_that_mirror_names():
    for name in C.KEYPOINT_CONVENTIONS:
        perm = C.get_flip_indices(name)
        names = C.get_keypoint_names(name)
        assert sorted(perm) == list(range(len(names)))
        assert [perm[p] for p in perm] == list(range(len(names))), name
        for i, j in enumerate(perm):
            if i != j:
                assert names[j] == C.mirror_name(names[i])


def test_flip_examples():
    assert C.get_flip_pairs('coco') == [(1, 2), (3, 4), (5, 6), (7, 8),
                                        (9, 10), (11, 12), (13, 14),
                                        (15, 16)]
    names = C.get_keypoint_names('coco_wholebody')
    perm = C.get_flip_indices('coco_wholebody')
    # iBUG face: 0<->16 (contour), 8 chin fixed, 36<->45 (eye corners),
    # 48<->54 (mouth corners), 51 upper-lip middle fixed; face starts at 23
    for a, b in [(0, 16), (8, 8), (36, 45), (39, 42), (48, 54), (51, 51),
                 (62, 62), (61, 63)]:
        assert perm[23 + a] == 23 + b
    assert perm[names.index('left_hand_root')] == names.index(
        'right_hand_root')


def _random_kps(convention, batch=(2, 3), channels=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=batch + (C.get_keypoint_num(convention),
                                    channels)).astype(np.float32)


def test_round_trip_restores_mapped_joints():
    kps = _random_kps('coco')
    h36m, mask_h = C.convert_kps(kps, 'coco', 'h36m')
    assert h36m.shape == (2, 3, 17, 3) and h36m.dtype == np.float32
    back, mask = C.convert_kps(h36m, 'h36m', 'coco', mask=mask_h)
    mapped = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]  # all but the face
    np.testing.assert_array_equal(mask, [0] * 5 + [1] * 12)
    np.testing.assert_array_equal(back[..., mapped, :], kps[..., mapped, :])
    np.testing.assert_array_equal(back[..., :5, :], 0)
    # the h36m joints COCO lacks are zero with mask 0
    lacking = [C.get_keypoint_idx(n, 'h36m')
               for n in ('pelvis_extra', 'spine_extra', 'neck_extra',
                         'jaw_extra', 'headtop')]
    np.testing.assert_array_equal(h36m[..., lacking, :], 0)
    assert mask_h[lacking].tolist() == [0] * 5
    assert mask_h.sum() == 12


def test_mask_propagation():
    mask = np.ones(24, dtype=np.float32)
    mask[C.get_keypoint_idx('right_ankle', 'smpl_24')] = 0
    mask[C.get_keypoint_idx('left_knee', 'smpl_24')] = 0.25
    _, out = C.convert_kps(np.zeros((24, 2)), 'smpl_24', 'coco', mask=mask)
    expected = np.zeros(17, np.float32)
    expected[5:] = 1  # shoulders ... ankles; no face points, hips need
    expected[[11, 12]] = 0  # approximate
    expected[16] = 0  # right ankle masked in the source
    expected[13] = 0.25  # fractional confidence kept
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32

    # batched mask (N, J_src) -> (N, J_dst)
    batched = np.stack([mask, np.ones(24, np.float32)])
    _, out = C.convert_kps(np.zeros((2, 24, 3)), 'smpl_24', 'coco',
                           mask=batched, approximate=True)
    assert out.shape == (2, 17)
    assert out[0, 16] == 0 and out[1, 16] == 1
    assert out[0, 11] == 1 and out[0, 13] == 0.25

    # a bool mask stays bool
    _, out = C.convert_kps(np.zeros((24, 3)), 'smpl_24', 'coco',
                           mask=mask > 0.5)
    assert out.dtype == bool and out.sum() == 8  # 10 mapped - 2 masked


def test_extra_hips_exact_and_approximate(caplog):
    # the substitution warning is logged once per cached (src, dst) pair
    C.mapping._cached_mapping.cache_clear()
    kps = _random_kps('coco', batch=(4,))
    lsp, mask = C.convert_kps(kps, 'coco', 'lsp')
    for name in ('left_hip_extra', 'right_hip_extra'):
        np.testing.assert_array_equal(
            lsp[:, C.get_keypoint_idx(name, 'lsp')],
            kps[:, C.get_keypoint_idx(name, 'coco')])
    assert mask.tolist() == [1] * 12 + [0, 0]  # no neck, head top in COCO

    smpl = _random_kps('smpl_24', batch=(4,))
    coco, mask = C.convert_kps(smpl, 'smpl_24', 'coco')
    assert mask[[11, 12]].tolist() == [0, 0]
    np.testing.assert_array_equal(coco[:, [11, 12]], 0)
    with pytest.raises(KeyError):
        C.get_keypoint_idx('left_hip_extra', 'smpl_24')

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        coco, mask = C.convert_kps(smpl, 'smpl_24', 'coco', approximate=True)
        assert C.get_keypoint_idx('left_hip_extra', 'smpl_24',
                                  approximate=True) == 1
    assert mask[[11, 12]].tolist() == [1, 1]
    np.testing.assert_array_equal(coco[:, 11], smpl[:, 1])  # left_hip
    np.testing.assert_array_equal(coco[:, 12], smpl[:, 2])  # right_hip
    assert 'left_hip_extra <- left_hip' in caplog.text
    assert 'right_hip_extra <- right_hip' in caplog.text


def test_torch_keeps_dtype_device_and_gradients():
    x = torch.randn(2, 24, 3, dtype=torch.float64, requires_grad=True)
    out, mask = C.convert_kps(x, 'smpl_24', 'coco', approximate=True)
    assert out.requires_grad and out.dtype == torch.float64
    assert out.device == x.device and out.shape == (2, 17, 3)
    assert mask.dtype == torch.float64 and mask.shape == (17,)
    out.sum().backward()
    grad = x.grad[0, :, 0]
    used = sorted(C.get_mapping('smpl_24', 'coco', True)[1].tolist())
    expected = torch.zeros(24, dtype=torch.float64)
    expected[used] = 1
    torch.testing.assert_close(grad, expected)
    # same numbers as the numpy path
    np_out, np_mask = C.convert_kps(x.detach().numpy(), 'smpl_24', 'coco',
                                    approximate=True)
    np.testing.assert_array_equal(out.detach().numpy(), np_out)
    np.testing.assert_array_equal(mask.numpy(), np_mask)
    # a numpy mask with a tensor input comes back as a tensor
    _, m = C.convert_kps(x, 'smpl_24', 'coco', mask=np.ones((2, 24)))
    assert isinstance(m, torch.Tensor) and m.shape == (2, 17)


def test_mediapipe_and_openpose_to_coco_map_every_joint():
    coco = C.get_keypoint_names('coco')
    for src in ('mediapipe_33', 'openpose_25'):
        dst_idx, src_idx, names = C.get_mapping(src, 'coco')
        assert dst_idx.tolist() == list(range(17)) and names == coco
        kps = _random_kps(src, batch=(1,))
        out, mask = C.convert_kps(kps, src, 'coco')
        assert mask.tolist() == [1] * 17
        src_names = C.get_keypoint_names(src)
        for j, name in enumerate(coco):
            np.testing.assert_array_equal(out[0, j],
                                          kps[0, src_names.index(name)])
    # MediaPipe's 11 (left shoulder) and 23 (left hip) are COCO's 5 and 11
    _, src_idx, _ = C.get_mapping('mediapipe_33', 'coco')
    assert src_idx[5] == 11 and src_idx[11] == 23


def test_smplx_to_coco_wholebody():
    dst_idx, _, _ = C.get_mapping('smplx', 'coco_wholebody')
    # 15 body (no dataset hips) + 6 feet + 51 face + 2 x 20 hand points
    assert len(dst_idx) == 112
    dst_idx, _, _ = C.get_mapping('smplx_144', 'coco_wholebody')
    assert len(dst_idx) == 129
    dst_idx, src_idx, _ = C.get_mapping('smplx_144', 'coco_wholebody',
                                        approximate=True)
    assert dst_idx.tolist() == list(range(133))
    smplx_names = C.get_keypoint_names('smplx_144')
    # hand roots come from the wrists, face point 23+0 from the contour
    assert smplx_names[src_idx[91]] == 'left_wrist'
    assert smplx_names[src_idx[23]] == 'face_contour_right_1'


def test_mapping_is_cached_and_read_only():
    a = C.get_mapping('smpl_54', 'h36m', approximate=True)
    b = C.get_mapping('smpl_54', 'h36m', approximate=True)
    assert a[0] is b[0] and a[1] is b[1]
    assert not a[0].flags.writeable
    a[2].append('x')  # the returned names are a copy
    assert 'x' not in C.get_mapping('smpl_54', 'h36m', approximate=True)[2]


def test_unknown_convention_lists_known_ones():
    for call in (lambda: C.get_keypoint_names('nope'),
                 lambda: C.get_keypoint_num('nope'),
                 lambda: C.get_mapping('coco', 'nope'),
                 lambda: C.convert_kps(np.zeros((17, 2)), 'coco', 'nope'),
                 lambda: C.get_flip_pairs('nope')):
        with pytest.raises(KeyError, match="unknown keypoint convention 'nope'"
                           ".*'coco'"):
            call()


def test_shape_errors():
    with pytest.raises(ValueError, match=r'\(\.\.\., 17, C\)'):
        C.convert_kps(np.zeros((3, 24, 2)), 'coco', 'lsp')
    with pytest.raises(ValueError, match='mask'):
        C.convert_kps(np.zeros((3, 17, 2)), 'coco', 'lsp',
                      mask=np.ones(16))
    with pytest.raises(ValueError, match='broadcast'):
        C.convert_kps(np.zeros((3, 17, 2)), 'coco', 'lsp',
                      mask=np.ones((4, 17)))


def test_register_convention(scratch_conventions):
    with pytest.raises(ValueError, match='duplicate'):
        C.register_convention('test_dup', ['nose', 'neck', 'nose'])
    with pytest.raises(ValueError, match='already registered'):
        C.register_convention('coco', ['nose'])
    assert 'test_dup' not in C.KEYPOINT_CONVENTIONS

    C.register_convention('test_conv', ['left_hip_extra', 'nose'])
    dst_idx, src_idx, _ = C.get_mapping('coco', 'test_conv')
    assert dst_idx.tolist() == [0, 1] and src_idx.tolist() == [11, 0]
    assert C.get_flip_pairs('test_conv') == []
    # overwriting invalidates the cached mapping
    C.register_convention('test_conv', ['right_hip_extra', 'left_hip_extra'],
                          overwrite=True)
    dst_idx, src_idx, _ = C.get_mapping('coco', 'test_conv')
    assert src_idx.tolist() == [12, 11]
    assert C.get_flip_indices('test_conv') == [1, 0]
