"""Procedural textures and texture look-up conventions."""
import torch

from hmrzoo.synthetic.textures import sample_texture, smooth_colour_field


def test_colour_fields_are_reproducible_and_in_range():
    a, b = smooth_colour_field(7, 32), smooth_colour_field(7, 32)
    assert torch.equal(a, b) and a.shape == (3, 32, 32)
    assert not torch.equal(a, smooth_colour_field(8, 32))
    assert a.min() >= 0 and a.max() <= 1
    # smooth: neighbouring pixels differ much less than the overall spread
    assert (a[:, :, 1:] - a[:, :, :-1]).abs().max() < 0.5 * (a.max() - a.min())


def test_texture_coordinates_origin_is_bottom_left():
    tex = torch.zeros(1, 3, 4, 4)
    tex[0, 0, 3, 0] = 1.0   # red: bottom-left texel
    tex[0, 2, 0, 3] = 1.0   # blue: top-right texel
    uv = torch.tensor([[[[0.125, 0.125], [0.875, 0.875]]]])  # texel centres
    out = sample_texture(tex, uv)[0, 0]
    assert torch.allclose(out[0], torch.tensor([1., 0., 0.]))
    assert torch.allclose(out[1], torch.tensor([0., 0., 1.]))


def test_colour_field_at_pixel_centres_equals_the_upsampled_field():
    from hmrzoo.synthetic.textures import colour_field_at
    size = 24
    centres = (torch.arange(size) + 0.5) / size * 2 - 1
    grid = torch.stack(torch.meshgrid(centres, centres, indexing='xy'), -1)
    full = smooth_colour_field(5, size)
    at = colour_field_at(5, grid)
    # the interior agrees exactly; bicubic border handling differs slightly
    assert torch.allclose(at[:, 2:-2, 2:-2], full[:, 2:-2, 2:-2], atol=1e-5)
    assert (at - full).abs().max() < 0.05
    # a crop of the field is the field at the crop's points
    crop = colour_field_at(5, grid[4:12, 6:14])
    assert torch.allclose(crop, at[:, 4:12, 6:14], atol=1e-6)
