"""IUV atlas (derived for Anny / SMPL / SMPL-X, DensePose's for SMPL) and
the compact <-> one-hot IUV map conversions."""
import pickle

import numpy as np
import pytest
import torch
from scipy.spatial import cKDTree

from hmrzoo.body_models.model_files import BodyModelFileNotFoundError
from hmrzoo.conventions.smpl import SMPL_24
from hmrzoo.renderers.densepose_uv import (DensePoseUVNotFoundError,
                                           find_densepose_uv,
                                           load_densepose_uv)
from hmrzoo.body_models.skeleton import (smpl_part_of_joints,
                                         weights_on_smpl_24)
from hmrzoo.renderers.iuv_body_models import atlas_for
from hmrzoo.renderers.iuv_charts import build_iuv_atlas
from hmrzoo.renderers.iuv_parts import (COARSE_PARTS, DENSEPOSE_COARSE_PARTS,
                                        DENSEPOSE_PARTS, MIRROR_PART,
                                        PART_INDEX, PART_TO_COARSE,
                                        PART_TO_DENSEPOSE_COARSE)
from hmrzoo.renderers.iuv_maps import (coarse_part_map, compact_to_onehot,
                                       iuv_to_hsv_image, iuv_to_rgb,
                                       onehot_to_compact, rgb_to_iuv)

J = {n: i for i, n in enumerate(SMPL_24)}


def _parts(prefix):
    return [PART_INDEX[n] for n in DENSEPOSE_PARTS if n.startswith(prefix)]


# --------------------------------------------------------------------------
# part tables
# --------------------------------------------------------------------------
def test_part_tables_follow_densepose_pairs():
    assert len(DENSEPOSE_PARTS) == 24 and len(set(DENSEPOSE_PARTS)) == 24
    # DensePose's documented pairs (1,2 torso; 7,9 upper leg right; ...)
    pairs = {(1, 2): 'torso', (3, ): 'right_hand', (4, ): 'left_hand',
             (5, ): 'left_foot', (6, ): 'right_foot',
             (7, 9): 'right_upper_leg', (8, 10): 'left_upper_leg',
             (11, 13): 'right_lower_leg', (12, 14): 'left_lower_leg',
             (15, 17): 'left_upper_arm', (16, 18): 'right_upper_arm',
             (19, 21): 'left_lower_arm', (20, 22): 'right_lower_arm',
             (23, 24): 'head'}
    for idx, coarse in pairs.items():
        for i in idx:
            assert DENSEPOSE_COARSE_PARTS[PART_TO_DENSEPOSE_COARSE[i] - 1] \
                == coarse
    assert DENSEPOSE_PARTS[0] == 'torso_back'
    assert DENSEPOSE_PARTS[22] == 'right_head'
    # mirror is an involution that swaps sides and keeps the torso
    mirror = np.array(MIRROR_PART)
    assert (mirror[mirror] == np.arange(25)).all()
    assert mirror[1] == 1 and mirror[2] == 2 and mirror[3] == 4
    assert mirror[23] == 24 and mirror[7] == 8 and mirror[15] == 16
    # coarse parts for CRA's part drop
    names = [COARSE_PARTS[PART_TO_COARSE[i] - 1] for i in range(1, 25)]
    assert names[PART_INDEX['left_hand'] - 1] == 'left_arm'
    assert names[PART_INDEX['right_foot'] - 1] == 'right_leg'
    assert names[PART_INDEX['left_head'] - 1] == 'head'
    assert names[PART_INDEX['torso_front'] - 1] == 'torso'
    assert sorted(set(names)) == sorted(COARSE_PARTS)


# --------------------------------------------------------------------------
# Anny
# --------------------------------------------------------------------------
@pytest.fixture(scope='module')
def anny():
    from hmrzoo.body_models import Anny
    model = Anny()
    verts, joints, faces = model.rest_geometry()
    return dict(model=model, atlas=atlas_for(model), verts=verts.numpy(),
                joints=joints.numpy(), faces=faces.numpy())


def test_anny_bone_assignment_and_weights(anny):
    from hmrzoo.body_models.anny_model import _cpu_anny
    raw = _cpu_anny()
    labels = list(raw.bone_labels)
    skinning = anny['model'].skinning()
    assert list(skinning.joint_names) == labels
    assign = np.array(smpl_part_of_joints(skinning))
    expect = {'root': 'pelvis', 'pelvis.L': 'pelvis',
              'upperleg02.L': 'left_hip', 'lowerleg02.R': 'right_knee',
              'toe2-3.L': 'left_foot', 'spine03': 'spine1',
              'spine05': 'pelvis', 'neck03': 'neck', 'eye.R': 'head',
              'shoulder01.L': 'left_collar', 'upperarm02.R': 'right_shoulder',
              'metacarpal2.L': 'left_wrist', 'finger1-3.L': 'left_wrist',
              'finger3-3.R': 'right_hand'}
    for bone, joint in expect.items():
        assert SMPL_24[assign[labels.index(bone)]] == joint, bone
    w = weights_on_smpl_24(skinning)
    # independent: dense (V, 104) bone weights times the (104, 24) one-hot
    dense = torch.zeros(w.shape[0], len(labels))
    dense.scatter_add_(1, raw.vertex_bone_indices.long(),
                       raw.vertex_bone_weights.float())
    onehot = torch.nn.functional.one_hot(torch.from_numpy(assign), 24)
    assert torch.allclose(w, dense @ onehot.float(), atol=1e-6)
    assert torch.allclose(w.sum(1), torch.ones(w.shape[0]), atol=1e-5)


def test_anny_atlas_structure(anny):
    atlas, faces = anny['atlas'], anny['faces']
    nf = faces.shape[0]
    assert torch.equal(atlas.faces, torch.from_numpy(faces))
    assert atlas.face_part.shape == (nf, ) and atlas.face_part.dtype == \
        torch.long
    assert atlas.face_part.min() >= 1 and atlas.face_part.max() <= 24
    assert set(atlas.face_part.tolist()) == set(range(1, 25))
    assert atlas.corner_uv.shape == (nf, 3, 2)
    assert atlas.corner_uv.min() >= 0 and atlas.corner_uv.max() <= 1
    # each part covers most of the unit square (V is normalised over both
    # halves of a limb segment together, so one half may not reach 0 or 1)
    for p in range(1, 25):
        uv = atlas.corner_uv[atlas.face_part == p].reshape(-1, 2)
        assert uv[:, 1].max() - uv[:, 1].min() > 0.8, p
        assert uv[:, 0].max() - uv[:, 0].min() > 0.8, p
    for pair in ((7, 9), (11, 13), (15, 17), (19, 21), (1, 2), (23, 24)):
        v = atlas.corner_uv[np.isin(atlas.face_part, pair), :, 1]
        assert v.min() == 0 and v.max() == 1
    # vertex part = majority of incident faces
    vp = atlas.vertex_part.numpy()
    assert vp.shape == (anny['verts'].shape[0], ) and vp.min() >= 1
    counts = np.zeros((vp.shape[0], 25))
    np.add.at(counts, (faces.ravel(), np.repeat(atlas.face_part.numpy(), 3)),
              1)
    assert (counts[np.arange(vp.shape[0]), vp] == counts.max(1)).all()
    # per-render attributes: I constant over a face
    iuv = atlas.corner_iuv()
    assert iuv.shape == (nf, 3, 3)
    assert torch.equal(iuv[..., 0], atlas.face_part[:, None].float()
                       .expand(-1, 3))
    assert torch.equal(iuv[..., 1:], atlas.corner_uv)
    assert torch.allclose(atlas.corner_iuv(normalize_index=True)[..., 0],
                          iuv[..., 0] / 24)
    assert torch.equal(atlas.face_coarse_part(),
                       torch.tensor(PART_TO_COARSE)[atlas.face_part])
    # cached: the same object for the same body-model kind
    assert atlas_for(anny['model']) is atlas


def test_anny_parts_sit_where_they_belong(anny):
    atlas, verts, joints = anny['atlas'], anny['verts'], anny['joints']
    cen = verts[anny['faces']].mean(1)
    part = atlas.face_part.numpy()
    # left parts on the body's left (+x), right parts on -x
    for name, p in PART_INDEX.items():
        x = cen[part == p, 0]
        if name.startswith('left'):
            assert (x > 0).mean() > 0.99, name
        elif name.startswith('right'):
            assert (x < 0).mean() > 0.99, name
    # the head is above the shoulders, the feet below the ankles' knees
    assert cen[np.isin(part, (23, 24)), 1].min() > joints[J['left_collar'], 1]
    assert cen[np.isin(part, (5, 6)), 1].max() < joints[J['left_knee'], 1]
    # hands beyond the elbows, lower arms between shoulder and hand tip
    assert np.abs(cen[np.isin(part, (3, 4)), 0]).min() > \
        joints[J['left_elbow'], 0]


def test_anny_mirror_symmetry(anny):
    cen = anny['verts'][anny['faces']].mean(1)
    part = anny['atlas'].face_part.numpy()
    _, nearest = cKDTree(cen).query(cen * np.array([-1.0, 1.0, 1.0]))
    agree = part[nearest] == np.array(MIRROR_PART)[part]
    assert agree.mean() >= 0.95


def _mean_normals(verts, faces, part):
    """(25, 3) area-weighted mean outward unit normal of each part: a
    half-cylinder gives 2/pi ~ 0.64 along the side it faces."""
    n = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]],
                 verts[faces[:, 2]] - verts[faces[:, 0]])
    n *= np.sign(np.einsum('fi,fi->', verts[faces[:, 0]], n))  # outward
    out = np.zeros((25, 3))
    np.add.at(out, part, n)
    area = np.zeros(25)
    np.add.at(area, part, np.linalg.norm(n, axis=1))
    return out / np.maximum(area, 1e-12)[:, None]


def test_anny_front_back_and_inside_outside(anny):
    verts, faces, joints = anny['verts'], anny['faces'], anny['joints']
    cen = verts[faces].mean(1)
    part = anny['atlas'].face_part.numpy()
    normal = _mean_normals(verts, faces, part)
    # torso front lies in front of the spine (joints pelvis..neck)
    spine = joints[[J[n] for n in ('pelvis', 'spine1', 'spine2', 'spine3',
                                   'neck')]]
    front = part == PART_INDEX['torso_front']
    spine_z = np.interp(cen[front, 1], spine[:, 1], spine[:, 2])
    assert (cen[front, 2] > spine_z).all()
    assert normal[PART_INDEX['torso_front'], 2] > 0.5
    assert normal[PART_INDEX['torso_back'], 2] < -0.5
    for side in ('left', 'right'):
        for level in ('upper', 'lower'):
            assert normal[PART_INDEX[f'{side}_{level}_leg_front'], 2] > 0.4
            assert normal[PART_INDEX[f'{side}_{level}_leg_back'], 2] < -0.4
            # arms: inside faces down in the T-pose, outside up
            assert normal[PART_INDEX[f'{side}_{level}_arm_inside'], 1] < -0.4
            assert normal[PART_INDEX[f'{side}_{level}_arm_outside'], 1] > 0.4
    # head halves split at x = 0, facing their side
    assert (cen[part == PART_INDEX['left_head'], 0] > -1e-3).all()
    assert (cen[part == PART_INDEX['right_head'], 0] < 1e-3).all()
    assert normal[PART_INDEX['left_head'], 0] > 0.3
    assert normal[PART_INDEX['right_head'], 0] < -0.3


def test_anny_uv_along_limbs_and_seams(anny):
    verts, faces, joints = anny['verts'], anny['faces'], anny['joints']
    atlas = anny['atlas']
    cen = verts[faces].mean(1)
    part = atlas.face_part.numpy()
    uv = atlas.corner_uv.numpy()
    for prefix, a, b in (('left_upper_arm', 'left_shoulder', 'left_elbow'),
                         ('right_upper_arm', 'right_shoulder', 'right_elbow'),
                         ('left_lower_arm', 'left_elbow', 'left_wrist'),
                         ('right_upper_leg', 'right_hip', 'right_knee'),
                         ('left_lower_leg', 'left_knee', 'left_ankle'),
                         ('left_hand', 'left_wrist', 'left_hand')):
        m = np.isin(part, _parts(prefix))
        t = (cen[m] - joints[J[a]]) @ (joints[J[b]] - joints[J[a]])
        v = uv[m, :, 1].mean(1)
        assert np.corrcoef(t, v)[0, 1] > 0.9, prefix
    # V runs top -> bottom on the torso
    torso = np.isin(part, (1, 2))
    assert np.corrcoef(-cen[torso, 1], uv[torso, :, 1].mean(1))[0, 1] > 0.9
    # U: 0 at the front of the arm (+z), 1 at its back, in both halves
    arm = np.isin(part, _parts('left_upper_arm'))
    u = uv[arm, :, 0].mean(1)
    dz = cen[arm, 2] - joints[J['left_shoulder'], 2]
    assert np.corrcoef(-dz, u)[0, 1] > 0.8
    # no face of a limb spans the angle wrap (U 0 -> 1 within a face)
    spread = uv[..., 0].max(1) - uv[..., 0].min(1)
    limbs = ~np.isin(part, (1, 2, 23, 24))
    assert spread[limbs].max() < 0.5
    # poles (crown of the head, crotch, mouth) are the only exceptions
    assert (spread > 0.5).mean() < 0.005


def test_build_iuv_atlas_checks_shapes(anny):
    with pytest.raises(ValueError, match='joint_weights'):
        build_iuv_atlas(anny['verts'], anny['faces'], np.zeros((3, 24)),
                        anny['joints'])
    with pytest.raises(ValueError, match='out of range'):
        build_iuv_atlas(anny['verts'][:10], np.array([[0, 1, 10]]),
                        np.ones((10, 24)) / 24, anny['joints'])


# --------------------------------------------------------------------------
# SMPL / SMPL-X (fabricated files)
# --------------------------------------------------------------------------
def test_fake_smpl_atlas(tmp_path):
    from hmrzoo.body_models import SMPL
    from hmrzoo.testing import write_fake_smpl
    path = write_fake_smpl(str(tmp_path / 'SMPL_NEUTRAL.npz'), fmt='npz')
    model = SMPL(model_path=path)
    w = weights_on_smpl_24(model.skinning())
    assert torch.equal(w, model.smpl.lbs_weights.float())
    verts, joints, faces = model.rest_geometry()
    assert torch.allclose(verts, model.smpl.v_template.float(), atol=1e-6)
    assert torch.allclose(joints, model.smpl.J_regressor.float() @ verts,
                          atol=1e-6)
    atlas = atlas_for(model)
    assert torch.equal(atlas.faces, faces)
    assert atlas.face_part.shape == (13776, )
    assert atlas.face_part.min() >= 1 and atlas.face_part.max() <= 24
    assert atlas.corner_uv.min() >= 0 and atlas.corner_uv.max() <= 1
    assert atlas.vertex_part.shape == (6890, )
    # the fabricated body is a stick figure dressed in tubes: its hands /
    # feet parts still sit at the hand / foot joints' side
    cen = verts[faces].mean(1).numpy()
    part = atlas.face_part.numpy()
    assert (cen[part == PART_INDEX['left_hand'], 0] >
            joints[J['left_wrist'], 0].item() - 0.02).all()
    assert (cen[part == PART_INDEX['right_foot'], 1] <
            joints[J['right_knee'], 1].item()).all()


def test_fake_smplx_weights_aggregate(tmp_path):
    from hmrzoo.body_models import SMPLX
    from hmrzoo.testing import write_fake_smplx
    path = write_fake_smplx(str(tmp_path / 'SMPLX_NEUTRAL.npz'))
    model = SMPLX(model_path=path)
    full = model.lbs_weights.float()                       # (V, 55)
    w = weights_on_smpl_24(model.skinning())
    assert w.shape == (full.shape[0], 24)
    assert torch.allclose(w[:, :15], full[:, :15])
    assert torch.allclose(w[:, 15], full[:, 15] + full[:, 22:25].sum(1))
    assert torch.allclose(w[:, 22], full[:, 25:40].sum(1))
    assert torch.allclose(w[:, 23], full[:, 40:55].sum(1))
    assert torch.allclose(w.sum(1), full.sum(1), atol=1e-5)
    atlas = atlas_for(model)
    assert atlas.face_part.min() >= 1 and atlas.face_part.max() <= 24


# --------------------------------------------------------------------------
# DensePose's UV_Processed.mat
# --------------------------------------------------------------------------
def _write_fake_uv_mat(path):
    """A 5-vertex 'SMPL' with 3 faces; vertex 2 (0-based) lies on a seam
    and has one atlas copy per part."""
    import scipy.io
    # atlas vertices -> SMPL vertices (1-based), U, V
    all_vertices = np.array([1, 2, 3, 3, 4, 5], dtype=np.float64)[:, None]
    u = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])[:, None]
    v = np.array([0.15, 0.25, 0.35, 0.75, 0.85, 0.95])[:, None]
    # faces on atlas vertices (1-based): parts 2, 2, 5
    all_faces = np.array([[1, 2, 3], [2, 5, 3], [4, 5, 6]], np.float64)
    parts = np.array([2, 2, 5], dtype=np.float64)[:, None]
    scipy.io.savemat(path, dict(All_vertices=all_vertices, All_Faces=all_faces,
                                All_FaceIndices=parts, All_U_norm=u,
                                All_V_norm=v))
    return u[:, 0], v[:, 0]


def test_densepose_uv_loader(tmp_path):
    path = str(tmp_path / 'UV_Processed.mat')
    u, v = _write_fake_uv_mat(path)
    atlas = load_densepose_uv(path)
    assert atlas.faces.tolist() == [[0, 1, 2], [1, 3, 2], [2, 3, 4]]
    assert atlas.face_part.tolist() == [2, 2, 5]
    expect = np.stack([u, v], -1)[np.array([[0, 1, 2], [1, 4, 2],
                                            [3, 4, 5]])]
    assert np.allclose(atlas.corner_uv.numpy(), expect)
    # SMPL vertex 2 keeps one (U, V) per part: 0.3 in part 2, 0.7 in part 5
    assert atlas.corner_uv[0, 2, 0].item() == pytest.approx(0.3)
    assert atlas.corner_uv[2, 0, 0].item() == pytest.approx(0.7)
    assert atlas.vertex_part.tolist() == [2, 2, 2, 2, 5]
    # onto a body model's faces: reordered corners, and one face DensePose
    # lacks (vertices 0, 3, 4): the corners of DensePose's faces at its
    # vertices are 2x part 2, 2x part 5 -> part 2 (ties: lower index); its
    # vertex 4 has no copy in part 2 -> the mean of its copies (one)
    body_faces = torch.tensor([[2, 3, 4], [2, 0, 1], [0, 3, 4], [3, 2, 1]])
    on = load_densepose_uv(path, faces=body_faces, num_vertices=6)
    assert torch.equal(on.faces, body_faces)
    assert on.face_part.tolist() == [5, 2, 2, 2]
    assert np.allclose(on.corner_uv[0].numpy(), expect[2])
    assert np.allclose(on.corner_uv[1].numpy(), expect[0][[2, 0, 1]])
    assert np.allclose(on.corner_uv[3].numpy(), expect[1][[1, 2, 0]])
    assert np.allclose(on.corner_uv[2].numpy(),
                       [[0.1, 0.15], [0.8, 0.85], [0.9, 0.95]])
    assert on.vertex_part.shape == (6, ) and on.vertex_part[5] == 0


def test_densepose_uv_search_and_errors(tmp_path, monkeypatch):
    root = tmp_path / 'body_models'
    (root / 'UV_data').mkdir(parents=True)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DensePoseUVNotFoundError) as err:
        find_densepose_uv()
    assert isinstance(err.value, BodyModelFileNotFoundError)
    assert isinstance(err.value, FileNotFoundError)
    msg = str(err.value)
    assert str(root / 'UV_data' / 'UV_Processed.mat') in msg
    assert 'get_densepose_uv.sh' in msg and 'atlas_for' in msg
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == msg
    _write_fake_uv_mat(str(root / 'UV_data' / 'UV_Processed.mat'))
    assert find_densepose_uv() == str(root / 'UV_data' / 'UV_Processed.mat')
    assert load_densepose_uv().face_part.tolist() == [2, 2, 5]
    import scipy.io
    bad = str(tmp_path / 'bad.mat')
    scipy.io.savemat(bad, dict(All_Faces=np.ones((1, 3))))
    with pytest.raises(ValueError, match='All_FaceIndices'):
        load_densepose_uv(bad)


# --------------------------------------------------------------------------
# IUV maps
# --------------------------------------------------------------------------
def _random_compact(shape=(2, 9, 11), seed=0):
    g = torch.Generator().manual_seed(seed)
    b, h, w = shape
    index = torch.randint(0, 25, (b, h, w), generator=g)
    uv = torch.rand(b, 2, h, w, generator=g) * (index > 0)[:, None]
    return torch.cat([index[:, None].float(), uv], dim=1)


def test_compact_onehot_round_trip():
    m = _random_compact()
    onehot = compact_to_onehot(m)
    assert onehot.shape == (2, 3, 25, 9, 11)
    ind = onehot[:, 0]
    assert torch.equal(ind.sum(1), torch.ones(2, 9, 11))
    assert torch.equal(ind.argmax(1).float(), m[:, 0])
    assert (onehot[:, 1:, 0] == 0).all()              # no U/V on background
    # U lives only in the pixel's part channel
    assert torch.equal(onehot[:, 1].sum(1), m[:, 1])
    assert torch.equal(onehot[:, 1] * (1 - ind), torch.zeros_like(ind))
    assert torch.equal(onehot_to_compact(onehot), m)
    # the other way round
    assert torch.equal(compact_to_onehot(onehot_to_compact(onehot)), onehot)
    # normalised index (CRA feeds I / 24), unbatched input
    mn = m.clone()
    mn[:, 0] /= 24
    assert torch.equal(compact_to_onehot(mn, normalized_index=True), onehot)
    back = onehot_to_compact(onehot[0], normalized_index=True)
    assert torch.allclose(back, mn[0])
    # soft predictions: arg-max channel, U / V read there
    logits = onehot.clone()
    logits[:, 0] = logits[:, 0] * 5 + torch.rand_like(logits[:, 0])
    assert torch.equal(onehot_to_compact(logits)[:, 0], m[:, 0])
    with pytest.raises(ValueError):
        compact_to_onehot(torch.zeros(2, 4, 5, 5))


def test_coarse_map_and_pictures():
    m = _random_compact((1, 6, 7), seed=1)[0]
    coarse = coarse_part_map(m[0].long())
    assert torch.equal(coarse, torch.tensor(PART_TO_COARSE)[m[0].long()])
    rgb = iuv_to_rgb(m)
    assert rgb.dtype == np.uint8 and rgb.shape == (6, 7, 3)
    back = rgb_to_iuv(rgb)
    assert torch.equal(back[0], m[0])
    assert (back[1:] - m[1:]).abs().max() <= 0.5 / 255 + 1e-6
    # HSV picture: background black; part 1 at U = V = 1 is pure red,
    # part 9 (hue 1/3) green; batched input gives (B, H, W, 3)
    iuv = torch.zeros(3, 2, 2)
    iuv[:, 0, 1] = torch.tensor([1.0, 1.0, 1.0])
    iuv[:, 1, 0] = torch.tensor([9.0, 1.0, 1.0])
    img = iuv_to_hsv_image(iuv)
    assert img[0, 0].tolist() == [0, 0, 0]
    assert img[0, 1].tolist() == [255, 0, 0]
    assert img[1, 0].tolist() == [0, 255, 0]
    assert iuv_to_hsv_image(_random_compact()).shape == (2, 9, 11, 3)
    # distinct parts get distinct colours at equal U, V
    parts = torch.arange(1, 25).float().view(1, 1, 24)
    iuv = torch.cat([parts, torch.full((2, 1, 24), 0.5)], dim=0)
    colours = {tuple(c) for c in iuv_to_hsv_image(iuv)[0].tolist()}
    assert len(colours) == 24
