"""A third-party plugin that lives outside hmrzoo (``tests/plugins/
toy_plugin``) registers a body model with its own skinning skeleton and UV
layout, a projection, a head and a loss.  With no change to hmrzoo, CRA's and
PyMAF's embedded configs train and test with them (through
``custom_imports`` and through the ``hmrzoo.plugins`` entry point), and the
plugin body is rendered (IUV, depth) through the contracts exactly as the
brute-force reference rasterizer renders it."""
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from hmrzoo.conventions.smpl import SMPL_24
from hmrzoo.body_models.skeleton import smpl_part_of_joints
from hmrzoo.cameras.base import BaseProjection
from hmrzoo.renderers import render_compact_iuv
from hmrzoo.renderers import (camera_to_screen, interpolate_vertex_attributes,
                              projection_to_screen, rasterize,
                              rasterize_brute_force, render_depth)
from hmrzoo.renderers.iuv_body_models import atlas_for

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / 'tests/plugins/toy_plugin'
CONFIGS = ROOT / 'tests/plugins/configs'
sys.path.insert(0, str(PLUGIN))
from hmrzoo_toy_plugin import LogScaleCropProjection, ToyBody  # noqa: E402


def _pose(batch, seed=0, scale=0.4):
    from hmrzoo.cameras import axis_angle_to_rotmat
    g = torch.Generator().manual_seed(seed)
    aa = (torch.rand(batch, 24, 3, generator=g) - 0.5) * scale
    rot = axis_angle_to_rotmat(aa.reshape(-1, 3)).reshape(batch, 24, 3, 3)
    return rot[:, :1], rot[:, 1:]


# --------------------------------------------------- the body model contract
def test_toy_skeleton_maps_onto_smpl_parts():
    body = ToyBody()
    skinning = body.skinning()
    assert list(skinning.joint_names[:2]) == ['hips', 'thigh_l']
    part = smpl_part_of_joints(skinning)
    # its own names map by smpl_parts; the extra 'hat' joint falls to the
    # head, its parent's part
    assert part[:24] == list(range(24))
    assert part[24] == SMPL_24.index('head')
    assert torch.equal(skinning.weights.sum(1),
                       torch.ones(body.num_vertices))
    rest = body.rest_geometry()
    assert rest.vertices.shape == (body.num_vertices, 3)
    assert torch.allclose(rest.joints[SMPL_24.index('left_elbow')],
                          torch.tensor([.44, .46, 0.]))


def test_toy_lbs_rotates_only_the_limb_below_a_joint():
    body = ToyBody()
    eye = torch.eye(3).expand(1, 24, 3, 3).clone()
    rest = body(global_orient=eye[:, :1], body_pose=eye[:, 1:])
    j = SMPL_24.index('left_elbow')
    angle = math.pi / 2
    eye[0, j] = torch.tensor([[math.cos(angle), -math.sin(angle), 0.],
                              [math.sin(angle), math.cos(angle), 0.],
                              [0., 0., 1.]])
    bent = body(global_orient=eye[:, :1], body_pose=eye[:, 1:])
    weights = body.skinning().weights
    below = weights[:, [SMPL_24.index(n) for n in
                        ('left_elbow', 'left_wrist', 'left_hand')]].sum(1) > 0
    moved = (bent['vertices'][0] - rest['vertices'][0]).norm(dim=1)
    assert moved[~below].max() < 1e-6
    # all but the points on the rotation axis (z through the elbow) move
    assert (moved[below] > 1e-3).float().mean() > 0.9
    elbow = rest['joints'][0, j]
    torch.testing.assert_close(
        (bent['vertices'][0, below] - elbow).norm(dim=1),
        (rest['vertices'][0, below] - elbow).norm(dim=1))
    # the wrist swings 90 degrees about z: forearm (+x) now points along +y
    wrist = bent['joints'][0, SMPL_24.index('left_wrist')]
    torch.testing.assert_close(wrist - elbow, torch.tensor([0., .24, 0.]),
                               atol=1e-6, rtol=0)


# ------------------------------------------------ the projection contract
def test_plugin_projection_renders_what_it_projects_and_fits():
    proj = LogScaleCropProjection(img_res=256)
    out = ToyBody()(*_pose(2))
    pts = out['vertices']
    cam = torch.tensor([[0.1, 0.05, -0.1], [-0.2, 0., 0.1]])
    size = (64, 48)
    screen = projection_to_screen(proj, cam, pts, size)
    uv = proj(pts, cam)
    wh = torch.tensor([48., 64.])
    torch.testing.assert_close(screen[..., :2], (uv + 1) / 2 * wh - 0.5)
    torch.testing.assert_close(screen[..., 2], pts[..., 2] + proj.
                               camera_translation(cam)[:, None, 2])
    kp = out['keypoints']
    fitted = proj.fit_camera(kp, proj(kp, cam), torch.ones(2, kp.shape[1]))
    torch.testing.assert_close(fitted, cam, atol=1e-4, rtol=0)


def test_contract_gaps_are_named():
    class Bare(BaseProjection):
        output_frame = 'somewhere'

        def camera_translation(self, cam, **meta):
            return cam

        def camera_intrinsics(self, cam, **meta):
            return cam[:, :2], cam[:, :2]

    with pytest.raises(NotImplementedError,
                       match='Bare does not say how its output frame '
                             r'\(somewhere\).*output_to_image'):
        projection_to_screen(Bare(), torch.ones(1, 3), torch.ones(1, 4, 3),
                             (8, 8))
    with pytest.raises(NotImplementedError, match='Bare cannot fit'):
        Bare().fit_camera(torch.ones(1, 4, 3), torch.ones(1, 4, 2),
                          torch.ones(1, 4))
    from hmrzoo.body_models.base import BaseBodyModel

    class NoSkin(BaseBodyModel):
        pass

    with pytest.raises(NotImplementedError,
                       match='NoSkin does not expose its skinning.*skinning'
                             r'\(\)'):
        NoSkin().skinning()


# --------------------------------------- renders against the brute force
@pytest.fixture(scope='module')
def toy_scene():
    body = ToyBody()
    out = body(*_pose(2, seed=3))
    proj = LogScaleCropProjection(img_res=256)
    cam = torch.tensor([[0.2, 0.02, 0.05], [0.0, -0.05, 0.0]])
    return body, out['vertices'], proj, cam


def test_iuv_render_matches_brute_force(toy_scene):
    body, verts, proj, cam = toy_scene
    size = (48, 48)
    atlas = atlas_for(body)
    iuv = render_compact_iuv(proj, cam, verts, atlas, size)
    screen = camera_to_screen(proj.image_camera(cam, size), verts)
    ref = rasterize_brute_force(screen, atlas.faces, size)
    fast = rasterize(screen, atlas.faces, size)
    assert torch.equal(fast.face_idx, ref.face_idx)
    covered = ref.face_idx >= 0
    assert 50 < covered[0].sum() < 48 * 48 * 0.8
    expect = interpolate_vertex_attributes(
        atlas.corner_iuv(verts.dtype, verts.device,
                         normalize_index=True).reshape(-1, 3),
        atlas.corner_faces(verts.device), ref).permute(0, 3, 1, 2)
    torch.testing.assert_close(iuv, expect, atol=1e-5, rtol=0)
    # the part index of each covered pixel is its face's part
    part = atlas.face_part[ref.face_idx.clamp(min=0)].float() / 24.
    torch.testing.assert_close(iuv[:, 0][covered], part[covered])
    assert set(atlas.face_part[ref.face_idx[covered]].tolist()) >= {
        1, 2}      # torso charts are seen


def test_depth_render_matches_brute_force(toy_scene):
    body, verts, proj, cam = toy_scene
    size = (40, 40)
    screen = projection_to_screen(proj, cam, verts, size)
    fast = render_depth(rasterize(screen, body.faces, size), screen,
                        body.faces)
    ref_frags = rasterize_brute_force(screen, body.faces, size)
    ref = render_depth(ref_frags)
    torch.testing.assert_close(fast, ref, atol=1e-4, rtol=0)
    tz = proj.camera_translation(cam)[:, 2]
    seen = ref_frags.face_idx >= 0
    # depth is the body's z plus the implied camera distance
    for b in range(2):
        d = ref[b][seen[b]]
        z = verts[b, :, 2] + tz[b]
        assert z.min() - 1e-4 <= d.min() and d.max() <= z.max() + 1e-4


# ------------------------------------------------ whole configs, real tools
def _run(args, env_extra, timeout=600):
    env = dict(os.environ, **env_extra)
    env.pop('HMRZOO_DISABLE_PLUGINS', None)
    env.update({k: v for k, v in env_extra.items()})
    return subprocess.run([sys.executable] + args, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _train_and_test(config, work, env):
    train = _run(['tools/train.py', str(config), '--work-dir', str(work)],
                 env)
    assert train.returncode == 0, train.stderr[-3000:]
    ckpt = torch.load(work / 'iter_2.pth', map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 2
    scalars = [json.loads(line) for line in
               next(work.glob('*/vis_data/scalars.json')).read_text()
               .splitlines()]
    losses = [s['loss'] for s in scalars if 'loss' in s]
    assert len(losses) == 2 and all(math.isfinite(v) and v > 0
                                    for v in losses)
    out = work / 'res.json'
    test = _run(['tools/test.py', str(config), str(work / 'iter_2.pth'),
                 '--work-dir', str(work / 'test'), '--out', str(out)], env)
    assert test.returncode == 0, test.stderr[-3000:]
    per_sample = json.loads(out.read_text())['per_sample'][0]
    assert len(per_sample) == 4
    mean_pa = sum(s['PA-MPJPE'] for s in per_sample) / 4
    assert 0 < mean_pa < 2000
    assert f'PA-MPJPE: {mean_pa:.4f}'[:14] in test.stdout + test.stderr
    return ckpt['state_dict'], train.stdout + train.stderr


def test_cra_embedded_config_with_the_plugin(tmp_path):
    """custom_imports: CRA renders the ToyBody's IUV input and D_M, R1 / R2
    are the plugin's head, the 2D term its loss."""
    state, log = _train_and_test(
        CONFIGS / 'cra_toy.py', tmp_path,
        {'PYTHONPATH': str(PLUGIN), 'HMRZOO_DISABLE_PLUGINS': '1'})
    assert any(k.endswith('mlp.1.weight') for k in state)   # LayerNorm
    assert not any('fc1' in k for k in state)               # no IEFHead
    assert "'type': 'LogScaleCropProjection'" in log or \
        "type='LogScaleCropProjection'" in log


def test_pymaf_embedded_config_with_the_plugin_entry_point(tmp_path):
    """The plugin installed as a package: hmrzoo finds it through its
    entry point; PyMAF renders ToyBody RGB and IUV targets and samples
    point features on its downsampled mesh."""
    site, src = tmp_path / 'site', tmp_path / 'src'
    # built from a copy: building writes into the source tree
    shutil.copytree(PLUGIN, src)
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q',
                    '--no-deps', '--no-build-isolation', '--no-index',
                    '--target', str(site), str(src)], check=True,
                   capture_output=True)
    state, log = _train_and_test(CONFIGS / 'pymaf_toy.py', tmp_path / 'w',
                                 {'PYTHONPATH': str(site)})
    assert "hmrzoo plugins loaded: ['toy']" in log
    assert any(k.startswith('head.') and k.endswith('mlp.1.weight')
               for k in state)
