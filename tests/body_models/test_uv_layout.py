"""UV layouts of SMPL / SMPL-X (``smpl_uv.obj`` / ``smplx_uv.obj``): the OBJ
reader, matching a layout to the model's faces, the default lookup, and
synthetic RGB textured through the layout.  All files are fabricated
stand-ins (no licensed data)."""
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.body_models.model_files import BodyModelFileNotFoundError
from hmrzoo.body_models.smpl import SMPL
from hmrzoo.body_models.smplx_model import SMPLX
from hmrzoo.body_models.uv_layout import read_uv_layout
from hmrzoo.testing import SMPLX_PARENTS, fake_smpl_arrays


# --------------------------------------------------------------------------
# helpers: fabricated layouts
# --------------------------------------------------------------------------
def seamed_layout(faces: np.ndarray, num_vertices: int, num_seam: int = 300,
                  seed: int = 0):
    """Texture coordinates with seams for a mesh: every vertex has a
    texture vertex, and ``num_seam`` vertices a second one that about half
    of their faces use (chosen from the face's vertex set, so repeated
    faces get the same corners).  Returns vt (T, 2) float32, ft (F, 3)."""
    rng = np.random.default_rng(seed)
    vt = rng.random((num_vertices + num_seam, 2)).astype(np.float32)
    ft = faces.astype(np.int64).copy()
    seam = rng.choice(num_vertices, num_seam, replace=False)
    side = (faces.astype(np.int64).sum(1, keepdims=True) + faces) % 2 == 0
    for k, v in enumerate(seam):
        ft[(faces == v) & side] = num_vertices + k
    assert (ft >= num_vertices).sum() > num_seam  # seams are used
    return vt, ft


def write_obj(path, faces, vt, ft, num_vertices, order=None, shift=None,
              corner='{v}/{t}/{v}'):
    """Write an OBJ layout: ``num_vertices`` ``v`` lines, ``vt`` lines, then
    the faces (1-based) in ``order``, face i's corners rolled by
    ``shift[i]``; ``corner`` formats one corner."""
    faces, ft = np.asarray(faces), np.asarray(ft)
    order = np.arange(len(faces)) if order is None else order
    shift = np.zeros(len(faces), int) if shift is None else shift
    lines = ['# fabricated UV layout', 'mtllib none.mtl', 'o body']
    lines += ['v 0.0 0.0 0.0'] * num_vertices
    lines += [f'vt {u:.9g} {v:.9g}' for u, v in vt]
    lines += ['vn 0 0 1', 'usemtl skin', 's off']
    for i in order:
        idx = np.roll(np.arange(3), shift[i])
        lines.append('f ' + ' '.join(
            corner.format(v=faces[i, j] + 1, t=ft[i, j] + 1) for j in idx))
    os.makedirs(osp.dirname(str(path)), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return str(path)


@pytest.fixture(scope='module')
def smpl_mesh(fake_body_models):
    """Faces (F, 3) and vertex count of the fixture's neutral SMPL, with a
    seamed layout for it: (faces, V, vt, ft)."""
    arrays = fake_smpl_arrays(seed=0)  # the neutral file's arrays
    faces = arrays['f'].astype(np.int64)
    num_vertices = len(arrays['v_template'])
    vt, ft = seamed_layout(faces, num_vertices)
    return faces, num_vertices, vt, ft


# --------------------------------------------------------------------------
# the reader
# --------------------------------------------------------------------------
def test_reader_formats_and_relative_indices(tmp_path):
    path = tmp_path / 'small.obj'
    path.write_text('\n'.join([
        '# a comment', 'o quad', 'v 0 0 0', 'v 1 0 0', 'v 1 1 0',
        'v 0 1 0  # inline comment', '', 'vt 0.0 0.0', 'vt 1.0 0.0 0.0',
        'vt 1.0 1.0', 'vt 0.0 1.0', 'vt 0.5 0.25', 'vn 0 0 1',
        'usemtl m', 's 1',
        'f 1/1 2/2 3/3',            # v/vt
        'f 1/5/1 3/3/1 4/4/1',      # v/vt/vn, a seam copy of vertex 1
        'f -4/-5 -2/-3 -1/-2',      # relative: vertices 1, 3, 4
    ]) + '\n')
    layout = read_uv_layout(str(path))
    assert layout.num_vertices == 4 and layout.path == str(path)
    assert layout.faces.dtype == torch.long
    assert layout.faces.tolist() == [[0, 1, 2], [0, 2, 3], [0, 2, 3]]
    assert layout.face_uvs.tolist() == [[0, 1, 2], [4, 2, 3], [0, 2, 3]]
    assert layout.uvs.dtype == torch.float32
    assert layout.uvs.tolist() == [[0, 0], [1, 0], [1, 1], [0, 1],
                                   [0.5, 0.25]]


@pytest.mark.parametrize('face, message', [
    ('f 1/1 2/2 3/3 4/4', 'a face with 4 corners.*triangles'),
    ('f 1//1 2//1 3//1', "corner '1//1' has no texture index"),
    ('f 1 2 3', "corner '1' has no texture index"),
    ('f 1/1 2/2 5/3', 'index 5 refers to none of the 4 vertices'),
    ('f 1/1 2/2 3/9', 'index 9 refers to none of the 4 texture vertices'),
    ('f 0/1 2/2 3/3', 'index 0 into the vertices'),
])
def test_reader_errors_name_file_and_line(tmp_path, face, message):
    path = tmp_path / 'bad.obj'
    path.write_text('v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\n'
                    'vt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\n'
                    f'f 1/1 2/2 3/3\n{face}\n')
    with pytest.raises(ValueError, match=message) as info:
        read_uv_layout(str(path))
    assert f'{path}, line 10' in str(info.value)
    with pytest.raises(BodyModelFileNotFoundError):
        read_uv_layout(str(tmp_path / 'missing.obj'))


# --------------------------------------------------------------------------
# SMPL: explicit file, re-ordered layouts, foreign layouts, no state
# --------------------------------------------------------------------------
def test_smpl_corner_uv_is_vt_of_ft(fake_body_models, smpl_mesh, tmp_path):
    faces, num_vertices, vt, ft = smpl_mesh
    path = write_obj(tmp_path / 'smpl_uv.obj', faces, vt, ft, num_vertices)
    model = SMPL(uv_file=path)
    assert model.uv_file == path
    uv = model.corner_texture_uv
    assert uv.shape == (len(faces), 3, 2) and uv.dtype == torch.float32
    assert torch.equal(uv, torch.from_numpy(vt)[torch.from_numpy(ft)])
    # seams: one vertex, different texture coordinates on different faces
    split = [v for v in np.unique(faces[ft >= num_vertices])
             if (ft[faces == v] < num_vertices).any()]
    assert len(split) > 100
    for v in split[:10]:
        assert len(uv[torch.from_numpy(faces == v)].unique(dim=0)) == 2
    # licensed data never goes into checkpoints
    assert 'corner_texture_uv' not in model.state_dict()
    assert not any('uv' in k for k in model.state_dict())
    plain = SMPL(model_path=str(fake_body_models))
    plain.load_state_dict(model.state_dict())


def test_reordered_layout_gives_the_same_buffer(smpl_mesh, tmp_path):
    faces, num_vertices, vt, ft = smpl_mesh
    rng = np.random.default_rng(1)
    order = rng.permutation(len(faces))
    shift = rng.integers(0, 3, len(faces))
    path = write_obj(tmp_path / 'shuffled.obj', faces, vt, ft, num_vertices,
                     order=order, shift=shift, corner='{v}/{t}')
    layout = read_uv_layout(path)
    assert not torch.equal(layout.faces, torch.from_numpy(faces))
    model = SMPL(uv_file=path)
    assert torch.equal(model.corner_texture_uv,
                       torch.from_numpy(vt)[torch.from_numpy(ft)])


def test_layout_of_another_mesh_is_refused(smpl_mesh, tmp_path):
    faces, num_vertices, vt, ft = smpl_mesh
    # fewer faces (another mesh)
    path = write_obj(tmp_path / 'other.obj', faces[:100], vt, ft[:100],
                     num_vertices)
    with pytest.raises(ValueError, match='not a UV layout of this SMPL') \
            as info:
        SMPL(uv_file=path)
    msg = str(info.value)
    assert path in msg and '100 faces instead of 13776' in msg
    assert f'model has {num_vertices} vertices and 13776 faces' in msg
    assert 'smpl_uv.obj' in msg and 'colour the body by part' in msg
    # as many faces, other triangles
    other = (faces + 1) % num_vertices
    path = write_obj(tmp_path / 'shifted.obj', other, vt, ft, num_vertices)
    with pytest.raises(ValueError, match='triangles are not triangles of '
                       'the model'):
        SMPL(uv_file=path)


# --------------------------------------------------------------------------
# the default lookup
# --------------------------------------------------------------------------
def test_default_lookup_beside_the_model(fake_body_models, smpl_mesh,
                                         tmp_path, monkeypatch):
    faces, num_vertices, vt, ft = smpl_mesh
    root = tmp_path / 'body_models'
    (root / 'smpl').mkdir(parents=True)
    os.symlink(fake_body_models / 'smpl' / 'SMPL_NEUTRAL.pkl',
               root / 'smpl' / 'SMPL_NEUTRAL.pkl')
    # no layout: the model goes on without one
    model = SMPL(model_path=str(root))
    assert model.corner_texture_uv is None and model.uv_file is None
    # data/body_models/smpl/smpl_uv.obj under $HMRZOO_BODY_MODELS
    path = write_obj(root / 'smpl' / 'smpl_uv.obj', faces, vt, ft,
                     num_vertices)
    monkeypatch.setenv('HMRZOO_BODY_MODELS', str(root))
    from hmrzoo.registry import BODY_MODELS
    model = BODY_MODELS.build(dict(type='SMPL'))
    assert model.uv_file == path
    assert torch.equal(model.corner_texture_uv,
                       torch.from_numpy(vt)[torch.from_numpy(ft)])
    # an explicit folder is searched like a root
    assert SMPL(uv_file=str(root)).uv_file == path
    # a model given as a file: its layout is the one beside it, and the
    # model file itself is never taken for one (relative data/body_models/
    # paths resolve under $HMRZOO_BODY_MODELS)
    monkeypatch.chdir(tmp_path)
    relative = 'data/body_models/smpl/SMPL_NEUTRAL.pkl'
    assert SMPL(model_path=relative).uv_file == path
    os.remove(path)
    assert SMPL(model_path=relative).uv_file is None
    # an explicit file that is missing is an error, as for model files
    missing = str(tmp_path / 'nowhere' / 'smpl_uv.obj')
    with pytest.raises(BodyModelFileNotFoundError) as info:
        SMPL(uv_file=missing)
    assert info.value.looked_at == [missing]
    msg = str(info.value)
    assert 'SMPL UV layout' in msg and 'smpl_uv_20200910.zip' in msg
    assert 'uv_file=' in msg


def _write_smplx_stand_in(path: str, faces: np.ndarray, num_vertices: int):
    """A SMPL-X file just complete enough to build the layer (no forward):
    its tree, faces and landmarks; empty blend shapes."""
    rng = np.random.default_rng(0)
    kintree = np.stack([np.array(SMPLX_PARENTS), np.arange(55)])
    weights = np.zeros((num_vertices, 55), np.float32)
    weights[:, 0] = 1
    np.savez(path, v_template=rng.random((num_vertices, 3), np.float32),
             shapedirs=np.zeros((num_vertices, 3, 20), np.float32),
             posedirs=np.zeros((num_vertices, 3, 1), np.float32),
             J_regressor=np.full((55, num_vertices), 1 / num_vertices,
                                 np.float32),
             weights=weights, kintree_table=kintree, f=faces.astype(np.uint32),
             lmk_faces_idx=np.arange(51), lmk_bary_coords=np.full((51, 3),
                                                                  1 / 3))


def test_smplx_finds_its_layout(tmp_path):
    num_vertices, num_faces = 10475, 20908
    i = np.arange(num_faces)
    faces = np.stack([i, i + 1, i + 7], 1) % num_vertices
    root = tmp_path / 'body_models'
    (root / 'smplx').mkdir(parents=True)
    _write_smplx_stand_in(str(root / 'smplx' / 'SMPLX_NEUTRAL.npz'), faces,
                          num_vertices)
    assert SMPLX(model_path=str(root)).corner_texture_uv is None
    vt, ft = seamed_layout(faces, num_vertices, seed=2)
    path = write_obj(root / 'smplx' / 'smplx_uv.obj', faces, vt, ft,
                     num_vertices)
    model = SMPLX(model_path=str(root))
    assert model.uv_file == path
    assert torch.equal(model.corner_texture_uv,
                       torch.from_numpy(vt)[torch.from_numpy(ft)])
    assert 'corner_texture_uv' not in model.state_dict()
    with pytest.raises(ValueError, match='not a UV layout of this SMPL-X'):
        SMPLX(model_path=str(root), uv_file=write_obj(
            tmp_path / 'x.obj', faces[:-1], vt, ft[:-1], num_vertices))


# --------------------------------------------------------------------------
# end to end: synthetic RGB through the layout
# --------------------------------------------------------------------------
def test_synthetic_rgb_is_textured_through_the_layout(fake_body_models,
                                                      smpl_mesh, tmp_path):
    """A layout mapping every corner to one texture point (u, v) = (0.3,
    0.6): with ambient light only, every body pixel shows the procedural
    texture's colour there, and none the part colours."""
    from hmrzoo.synthetic import SyntheticPoseDataset
    from hmrzoo.registry import MODELS
    from hmrzoo.synthetic.textures import sample_texture, smooth_colour_field
    faces, num_vertices, _, _ = smpl_mesh
    path = write_obj(tmp_path / 'constant_uv.obj', faces,
                     np.array([[0.3, 0.6]], np.float32),
                     np.zeros_like(faces), num_vertices)
    ds = SyntheticPoseDataset(num_samples=2, seed=3, num_betas=10,
                              test_mode=True)

    def render(albedo):
        pre = MODELS.build(dict(
            type='SyntheticEvidencePreprocessor',
            body_model=dict(type='SMPL', uv_file=path), outputs=('rgb', ),
            render_size=32, crop_from='foreground', rgb_albedo=albedo,
            rgb_background='uniform'))
        batch = pseudo_collate([ds[0], ds[1]])
        for s in batch['data_samples']:
            s.ambient = torch.tensor(1.0)   # albedo only, no shading
            s.background = torch.zeros(3)
        return pre(batch)['inputs'], batch['data_samples']

    rgb, samples = render('texture')
    parts_rgb, _ = render('parts')
    assert rgb.shape == (2, 3, 32, 32)
    for k, s in enumerate(samples):
        texture = smooth_colour_field(int(s.texture_seed), 128, cells=8)
        colour = sample_texture(texture[None],
                                torch.tensor([[[[0.3, 0.6]]]]))[0, 0, 0]
        body = rgb[k].abs().sum(0) > 0
        assert body.sum() > 100   # the body fills much of the crop
        assert torch.allclose(rgb[k][:, body],
                              colour[:, None].expand(-1, int(body.sum())),
                              atol=1e-5)
        # the same pixels coloured by part: the part colours, not the
        # texture's
        parts = parts_rgb[k][:, body]
        assert (parts - colour[:, None]).abs().amax(0).min() > 1e-3
        assert (parts[:, :, None] - s.part_colors.T[:, None, 1:]).abs() \
            .amax(0).amin(1).max() < 1e-5
