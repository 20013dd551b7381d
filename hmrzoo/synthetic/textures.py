"""Procedural textures and backgrounds for synthetic RGB (no image files
needed): smooth random colour fields, reproducible from a seed."""
import torch
import torch.nn.functional as F
from torch import Tensor


def _field_params(seed: int, cells: int, colours: int):
    g = torch.Generator().manual_seed(int(seed))
    palette = torch.rand(colours, 3, generator=g) * 0.85 + 0.1
    logits = torch.randn(1, colours, cells, cells, generator=g) * 3
    return palette, logits


def smooth_colour_field(seed: int, size: int, cells: int = 4,
                        colours: int = 3) -> Tensor:
    """A (3, size, size) image in [0, 1]: ``colours`` random colours blended
    by bilinearly upsampled random weights on a ``cells`` x ``cells`` grid
    (cloth-like blotches for textures, soft gradients for backgrounds).

    Deterministic in ``seed``.
    """
    palette, logits = _field_params(seed, cells, colours)
    weights = F.interpolate(logits, size=(size, size), mode='bicubic',
                            align_corners=False).softmax(1)[0]
    return torch.einsum('kc,khw->chw', palette, weights).clamp(0, 1)


def colour_field_at(seed: int, points: Tensor, cells: int = 4,
                    colours: int = 3) -> Tensor:
    """The field of :func:`smooth_colour_field` evaluated at any points.

    Args:
        seed, cells, colours: as in :func:`smooth_colour_field`.
        points: (H, W, 2) positions ``(x, y)`` in the field's normalised
            frame: -1 and 1 are the outer edges of its first and last pixel
            (``grid_sample``'s ``align_corners=False`` convention), so a
            crop of an image-sized field is a sub-grid.

    Returns:
        (3, H, W) colours; at the pixel centres of a ``size``-pixel grid
        they equal ``smooth_colour_field(seed, size)`` up to the border
        handling of bicubic interpolation (``border`` padding here).
    """
    palette, logits = _field_params(seed, cells, colours)
    weights = F.grid_sample(logits, points[None].to(logits.dtype),
                            mode='bicubic', padding_mode='border',
                            align_corners=False).softmax(1)[0]
    return torch.einsum('kc,khw->chw', palette, weights).clamp(0, 1)


def sample_texture(texture: Tensor, uv: Tensor) -> Tensor:
    """Look textures up at texture coordinates.

    Args:
        texture: (B, 3, T, T) images; texture coordinate (0, 0) is the
            image's bottom-left corner (OpenGL / OBJ convention), (1, 1)
            its top-right.
        uv: (B, H, W, 2) coordinates in [0, 1].

    Returns:
        (B, H, W, 3) colours (bilinear).
    """
    grid = torch.stack([uv[..., 0] * 2 - 1, 1 - uv[..., 1] * 2], -1)
    out = F.grid_sample(texture, grid.to(texture.dtype), mode='bilinear',
                        padding_mode='border', align_corners=False)
    return out.permute(0, 2, 3, 1)
