"""Vertex normals and Lambertian shading against hand computations."""
import torch

from hmrzoo.synthetic.shading import shade_lambertian, vertex_normals


def test_normals_of_a_tetrahedron_point_outwards():
    v = torch.tensor([[[0., 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]])
    # counter-clockwise seen from outside
    f = torch.tensor([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    n = vertex_normals(v, f)[0]
    centre = v[0].mean(0)
    assert ((n * (v[0] - centre)).sum(-1) > 0).all()
    assert torch.allclose(n.norm(dim=-1), torch.ones(4))
    # vertex 1 touches faces with normals -z, -y and (1,1,1)/sqrt(3) of
    # areas 1/2, 1/2 and sqrt(3)/2: sum of (2 * area * unit normal)
    expected = torch.tensor([1., 0., 0.])
    assert torch.allclose(n[1], expected / expected.norm(), atol=1e-6)


def test_lambertian_values():
    albedo = torch.full((1, 2, 2, 3), 0.8)
    normals = torch.tensor([0., 0., -1.]).expand(1, 2, 2, 3)
    mask = torch.tensor([[[1., 1.], [1., 0.]]])
    light = torch.tensor([[0., 0.6, -0.8]])
    out = shade_lambertian(albedo, normals, mask, light,
                           torch.tensor([0.25]), torch.tensor([[0., 0.5, 1.]]))
    lit = 0.8 * (0.25 + 0.75 * 0.8)
    assert torch.allclose(out[0, :, 0, 0], torch.full((3,), lit))
    assert torch.allclose(out[0, :, 1, 1], torch.tensor([0., 0.5, 1.]))
    # facing away from the light: ambient only
    back = shade_lambertian(albedo, -normals, mask, light,
                            torch.tensor([0.25]), torch.zeros(1, 3))
    assert torch.allclose(back[0, :, 0, 0], torch.full((3,), 0.8 * 0.25))
