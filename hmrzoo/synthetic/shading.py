"""Shaded colour images of bodies: per-part albedo, Lambertian lighting,
background (synthetic RGB for the image-based models)."""
import torch
from torch import Tensor


def vertex_normals(vertices: Tensor, faces: Tensor) -> Tensor:
    """Area-weighted unit vertex normals.

    Args:
        vertices: (B, V, 3); faces: (F, 3) long, counter-clockwise seen
            from outside.

    Returns:
        (B, V, 3) unit normals (pointing outwards).
    """
    # vertex-major (V, B, 3): the gathers and the scatter run over whole
    # rows of B x 3 values (twice as fast as scattering along dim 1)
    b = vertices.shape[0]
    rows = vertices.transpose(0, 1)
    v0, v1, v2 = (rows[faces[:, k]] for k in range(3))     # (F, B, 3)
    face_n = torch.linalg.cross(v1 - v0, v2 - v0)  # |n| = 2 * area
    face_n = face_n.reshape(faces.shape[0], b * 3)
    normals = face_n.new_zeros(vertices.shape[1], b * 3)
    for k in range(3):
        normals.index_add_(0, faces[:, k], face_n)
    normals = normals.reshape(-1, b, 3).transpose(0, 1)
    return normals / normals.norm(dim=-1, keepdim=True).clamp(min=1e-12)


def shade_lambertian(albedo: Tensor, normals: Tensor, mask: Tensor,
                     light_dir: Tensor, ambient: Tensor,
                     background: Tensor) -> Tensor:
    """Compose ``albedo * (ambient + (1 - ambient) * max(0, n . l))`` over a
    background.

    Args:
        albedo: (B, H, W, 3) in [0, 1].
        normals: (B, H, W, 3) surface normals in the camera frame.
        mask: (B, H, W) 1 on the body.
        light_dir: (B, 3) unit vectors from the surface towards the light,
            camera frame (OpenCV: x right, y down, z forward, so a light
            behind the camera has z < 0).
        ambient: (B,) ambient share in [0, 1].
        background: (B, H, W, 3) or (B, 3) colours in [0, 1].

    Returns:
        (B, 3, H, W) image in [0, 1].
    """
    n = normals / normals.norm(dim=-1, keepdim=True).clamp(min=1e-12)
    diffuse = (n * light_dir[:, None, None]).sum(-1).clamp(min=0)
    amb = ambient[:, None, None]
    lit = albedo * (amb + (1 - amb) * diffuse)[..., None]
    if background.dim() == 2:
        background = background[:, None, None].expand_as(lit)
    m = mask[..., None].to(lit.dtype)
    return (lit * m + background * (1 - m)).clamp(0, 1).permute(0, 3, 1, 2)
