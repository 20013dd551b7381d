"""The demo's pictures: the overlay draws a body where the camera puts it
(silhouette against the synthetic engine's renderer at full resolution),
people are depth-ordered, and exports read back unchanged."""
import numpy as np
import pytest
import torch
import trimesh
from mmengine.registry import init_default_scope

from hmrzoo.apis.inference.exports import (CAMERA_TO_GLTF, write_glb,
                                           write_json, write_mesh)
from hmrzoo.cameras.base import ImageCamera, intrinsics_map
from hmrzoo.registry import BODY_MODELS, RENDERERS
from hmrzoo.renderers.iuv_body_models import atlas_for
from hmrzoo.utils.rotations import axis_angle_to_rotmat
from hmrzoo.visualization import overlay, render_people, side_view

init_default_scope('hmrzoo')
H, W = 700, 900
FOCAL, PP = (1000., 1010.), (451.5, 340.)


@pytest.fixture(scope='module')
def body():
    model = BODY_MODELS.build(dict(type='Anny'))
    torch.manual_seed(0)
    orient = axis_angle_to_rotmat(torch.tensor([[np.pi, 0.3, 0.]]))
    pose = axis_angle_to_rotmat(0.2 * torch.randn(23, 3))
    out = model(orient[None], pose[None], torch.zeros(1, 6))
    return model, out['vertices'][0]


def _reference(model, verts, transl):
    camera = ImageCamera(torch.tensor([transl], dtype=torch.float32),
                         intrinsics_map(torch.tensor([FOCAL]),
                                        torch.tensor([PP])))
    maps = RENDERERS.build(dict(type='BodyMapRenderer')).render(
        verts[None], camera, atlas_for(model), (H, W), ('silhouette', ))
    return maps['silhouette'][0, 0].numpy() > 0.5


@pytest.mark.parametrize('max_side, least', [(640, 0.9), (900, 0.99)])
def test_overlay_lands_on_the_rendered_body(body, max_side, least):
    model, verts = body
    transl = [0.4, 0.2, 4.5]
    truth = _reference(model, verts, transl)
    person = dict(vertices=(verts + torch.tensor(transl)).numpy(),
                  faces=np.asarray(model.faces))
    drawn, shade = render_people([person], (H, W), FOCAL, PP, max_side)
    mask = drawn == 0
    iou = (mask & truth).sum() / (mask | truth).sum()
    assert truth.sum() > 5000 and iou >= least, iou
    assert ((shade > 0) == mask).mean() > 0.99
    photo = np.full((H, W, 3), 50, np.uint8)
    drawn_on = overlay(photo, [dict(person, camera=dict(
        focal=FOCAL, principal_point=PP))], max_side=max_side)
    changed = (drawn_on != photo).any(-1)
    assert (changed & ~mask).sum() == 0 and changed[mask].mean() > 0.95


def test_nearer_person_hides_the_farther(body):
    model, verts = body
    v = verts.numpy()
    near = dict(vertices=v + [0.0, 0.2, 4.0], faces=np.asarray(model.faces))
    far = dict(vertices=v + [0.1, 0.2, 6.0], faces=np.asarray(model.faces))
    drawn, _ = render_people([far, near], (H, W), FOCAL, PP)
    alone, _ = render_people([near], (H, W), FOCAL, PP)
    assert ((alone == 0) == (drawn == 1)).all()     # near wins everywhere
    assert (drawn == 0).sum() > 0                   # far shows around it
    side = side_view([far, near], (H, W))
    assert side.shape == (H, W, 3) and (side != 255).any(-1).mean() > 0.01


def test_exports_read_back(tmp_path, body):
    model, verts = body
    people = [dict(vertices=verts.numpy() + [0, 0, 4 + i],
                   faces=np.asarray(model.faces), bbox=np.zeros(4),
                   camera=dict(focal=np.array(FOCAL)), params={},
                   evidence={}) for i in range(2)]
    for suffix in ('obj', 'ply'):
        path = write_mesh(people[1], str(tmp_path / f'p.{suffix}'))
        mesh = trimesh.load(path, process=False)
        assert np.allclose(mesh.vertices, people[1]['vertices'], atol=1e-6)
        assert (mesh.faces == people[1]['faces']).all()
    scene = trimesh.load(write_glb(people, str(tmp_path / 's.glb')),
                         process=False)
    assert sorted(scene.geometry) == ['person_0', 'person_1']
    for i in range(2):
        transform, name = scene.graph[f'person_{i}']
        geom = scene.geometry[name]
        world = trimesh.transform_points(geom.vertices, transform)
        assert np.allclose(world, people[i]['vertices'] @
                           CAMERA_TO_GLTF[:3, :3].T, atol=1e-5)
        assert (geom.faces == people[i]['faces']).all()
    import json
    doc = json.load(open(write_json(people, 'x.jpg', dict(config='c'),
                                    str(tmp_path / 'r.json'))))
    assert doc['image'] == 'x.jpg' and len(doc['people']) == 2
    assert 'vertices' not in doc['people'][0]
    assert doc['people'][0]['camera']['focal'] == list(FOCAL)
