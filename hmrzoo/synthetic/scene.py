"""A batch of sampled parameters posed in its cameras, and the crops that
look at it.

Frames: the camera frame is OpenCV's (x right, y down, z forward, metres);
image pixels are those of the dataset's square camera image of ``img``
pixels with its principal point at the centre (pixel centres at integers);
a crop is a square box ``(center (2,), size)`` in image pixels.
"""
from typing import NamedTuple, Sequence, Tuple

import torch
from torch import Tensor

from ..conventions import convert_kps
from ..cameras.base import ImageCamera, intrinsics_map
from ..cameras.perspective import perspective_project
from ..structures import HMRDataSample, stack_field


class Scene(NamedTuple):
    """Posed bodies of a batch (no grad).

    Attributes:
        kp3d (Tensor): (B, K, 3) body-model keypoints, camera frame, metres.
        verts (Tensor): (B, V, 3) vertices, camera frame, metres.
        kp_mask (Tensor): (K,) 1 where the body model has the keypoint.
        kp_px (Tensor): (B, K, 2) the keypoints in image pixels.
        in_px (Tensor): (B, K_in, 2) the input-convention keypoints, pixels.
        in_mask (Tensor): (K_in,) 1 where the input keypoint exists.
        render_verts (Tensor): (B, V, 3) the vertices that are rendered
            (``verts`` plus the training-time vertex noise).
        focal (Tensor): (B,) focal length, pixels.
        pp (Tensor): (B, 2) principal point, pixels.
        img (Tensor): (B,) side of the camera image, pixels.
    """

    kp3d: Tensor
    verts: Tensor
    kp_mask: Tensor
    kp_px: Tensor
    in_px: Tensor
    in_mask: Tensor
    render_verts: Tensor
    focal: Tensor
    pp: Tensor
    img: Tensor


def pose_scene(body_model, samples: Sequence[HMRDataSample],
               input_convention: str, vertex_noise: float = 0.0,
               training: bool = False, device=None) -> Scene:
    """Pose the bodies of ``samples`` (``gt_global_orient``,
    ``gt_body_pose``, ``gt_betas``, ``gt_transl``, metainfo
    ``focal_length`` and ``img_size``) in their cameras.

    In training, every rendered vertex moves by U(-v, v) metres per axis
    (``vertex_noise`` v; drawn from the global torch RNG).
    """
    stack = lambda key: stack_field(samples, key, device)  # noqa: E731
    transl = stack('gt_transl')
    focal = torch.tensor([s.focal_length for s in samples], device=device)
    img = torch.tensor([float(s.img_size) for s in samples], device=device)
    pp = (img / 2)[:, None].expand(-1, 2)
    out = body_model(stack('gt_global_orient'), stack('gt_body_pose'),
                     stack('gt_betas'), transl=transl)
    kp3d, verts = out['keypoints'], out['vertices']
    kp_mask = out['keypoints_mask'].float()
    kp_px = perspective_project(kp3d, torch.zeros_like(transl), focal, pp)
    in_px, in_mask = convert_kps(kp_px, body_model.keypoint_convention,
                                 input_convention, mask=kp_mask)
    render_verts = verts
    if training and vertex_noise > 0:
        render_verts = verts + (torch.rand_like(verts) * 2 - 1) * vertex_noise
    return Scene(kp3d, verts, kp_mask, kp_px, in_px, in_mask, render_verts,
                 focal, pp, img)


def square_box(points: Tensor, valid: Tensor, scale: float
               ) -> Tuple[Tensor, Tensor]:
    """Centre (B, 2) and side (B,) of the square box around the valid
    points (B, N, 2) (mask (B, N)), enlarged by ``scale``."""
    big = torch.finfo(points.dtype).max
    lo = torch.where(valid[..., None], points, big).amin(1)
    hi = torch.where(valid[..., None], points, -big).amax(1)
    return (lo + hi) / 2, (hi - lo).amax(-1) * scale


def crop_box(scene: Scene, crop_from: str, scale: float
             ) -> Tuple[Tensor, Tensor]:
    """The square crop: centre (B, 2) and side (B,), image pixels, around
    the clean input keypoints (``crop_from='keypoints'``) or the projected
    rendered vertices (``'foreground'``, the box of the silhouette)."""
    if crop_from == 'keypoints':
        valid = (scene.in_mask > 0)[None].expand(len(scene.in_px), -1)
        return square_box(scene.in_px, valid, scale)
    if crop_from != 'foreground':
        raise ValueError(f"crop_from must be 'keypoints' or 'foreground', "
                         f'not {crop_from!r}')
    v_px = perspective_project(scene.render_verts,
                               torch.zeros_like(scene.verts[:, 0]),
                               scene.focal, scene.pp)
    return square_box(v_px, torch.ones_like(v_px[..., 0], dtype=torch.bool),
                      scale)


def crop_camera(focal: Tensor, pp: Tensor, center: Tensor, size: Tensor,
                resolution: Tuple[int, int]) -> ImageCamera:
    """The pinhole camera drawing camera-frame points into crops rendered
    at ``resolution = (H, W)``: crop pixel = (image pixel - crop corner) *
    resolution / size - 0.5, which puts the crop corners on the outer edges
    of its pixels.

    Args:
        focal (Tensor): (B,) pixels; pp (Tensor): (B, 2) pixels.
        center (Tensor): (B, 2) crop centres; size (Tensor): (B,) sides,
            image pixels.
    """
    res = focal.new_tensor(resolution[::-1])  # (W, H)
    scale = res / size[:, None]
    crop_pp = (pp - (center - size[:, None] / 2)) * scale - 0.5
    return ImageCamera(torch.zeros_like(crop_pp[:, :1]).expand(-1, 3),
                       intrinsics_map(focal[:, None] * scale, crop_pp))
