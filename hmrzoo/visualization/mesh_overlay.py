"""Pictures of recovered meshes: every person rendered over the photograph
with the photograph's camera (depth-ordered, semi-transparent, one colour
per person), a side view, and 2D keypoints.

All people are rasterized together as one mesh, so the nearer surface wins
where people overlap.  Shading is Lambertian on face normals with the light
at the camera.  Rendering uses hmrzoo's rasterizer
(:func:`hmrzoo.renderers.rasterizer.rasterize`) at most ``max_side``
pixels on the longer side, then the maps are scaled to the image.
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch

from ..cameras.base import ImageCamera, intrinsics_map
from ..renderers.rasterizer import rasterize
from ..renderers.screen import camera_to_screen

#: per-person colours (BGR), cycled
PALETTE = ((230, 160, 90), (90, 200, 240), (120, 220, 120),
           (200, 130, 230), (90, 120, 240), (230, 220, 110))


def _scene(people: Sequence[dict]) -> Tuple[torch.Tensor, torch.Tensor,
                                            torch.Tensor]:
    """All people as one mesh: vertices (V, 3), faces (F, 3), the person
    of each face (F,)."""
    verts, faces, owner, offset = [], [], [], 0
    for i, p in enumerate(people):
        v = torch.as_tensor(np.asarray(p['vertices'], np.float32))
        f = torch.as_tensor(np.asarray(p['faces'], np.int64))
        verts.append(v)
        faces.append(f + offset)
        owner.append(torch.full((len(f), ), i, dtype=torch.long))
        offset += len(v)
    return torch.cat(verts), torch.cat(faces), torch.cat(owner)


def render_people(people: Sequence[dict], size: Tuple[int, int],
                  focal: Sequence[float], principal_point: Sequence[float],
                  max_side: int = 640) -> Tuple[np.ndarray, np.ndarray]:
    """Render people whose ``vertices`` are in one camera's frame.

    Args:
        people: dicts with ``vertices`` (V, 3) metres, camera frame (x
            right, y down, z forward), ``faces`` (F, 3).
        size: ``(H, W)`` of the image, pixels.
        focal, principal_point: ``(fx, fy)``, ``(cx, cy)`` pixels (pixel
            centres at integers).
        max_side: longest side actually rasterized.

    Returns:
        tuple: ``person`` (H, W) int, the visible person's index or -1,
        and ``shade`` (H, W) float32 in [0, 1].
    """
    height, width = size
    zoom = min(1., max_side / max(height, width))
    rh, rw = max(1, round(height * zoom)), max(1, round(width * zoom))
    verts, faces, owner = _scene(people)
    sx, sy = rw / width, rh / height
    f = torch.tensor([[focal[0] * sx, focal[1] * sy]])
    c = torch.tensor([[(principal_point[0] + .5) * sx - .5,
                       (principal_point[1] + .5) * sy - .5]])
    camera = ImageCamera(torch.zeros(1, 3), intrinsics_map(f, c))
    screen = camera_to_screen(camera, verts[None])
    frags = rasterize(screen, faces, (rh, rw))
    face = frags.face_idx[0]
    tri = verts[faces]                                          # (F, 3, 3)
    normal = torch.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0],
                         dim=-1)
    normal = normal / normal.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    centre = tri.mean(1)
    view = -centre / centre.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    light = (normal * view).sum(-1).abs()                       # (F,)
    hit = face >= 0
    person = torch.full_like(face, -1)
    shade = torch.zeros(face.shape)
    person[hit] = owner[face[hit]]
    shade[hit] = 0.25 + 0.75 * light[face[hit]]
    person = cv2.resize(person.numpy().astype(np.int32), (width, height),
                        interpolation=cv2.INTER_NEAREST)
    shade = cv2.resize(shade.numpy(), (width, height),
                       interpolation=cv2.INTER_LINEAR)
    return person, shade


def overlay(image: np.ndarray, people: Sequence[dict], alpha: float = 0.7,
            max_side: int = 640) -> np.ndarray:
    """The photograph (H, W, 3) uint8 BGR with every person's mesh drawn
    with its ``camera`` (``focal``, ``principal_point``; vertices already
    in that camera's frame), semi-transparent."""
    out = image.copy()
    if not people:
        return out
    cam = people[0]['camera']
    person, shade = render_people(people, image.shape[:2], cam['focal'],
                                  cam['principal_point'], max_side)
    return _paint(out, person, shade, len(people), alpha)


def _paint(canvas: np.ndarray, person: np.ndarray, shade: np.ndarray,
           count: int, alpha: float) -> np.ndarray:
    """Each of ``count`` people's shaded colour blended over ``canvas``
    (H, W, 3) uint8 where ``person`` (H, W) is their index, in place."""
    for i in range(count):
        mask = person == i
        colour = np.asarray(PALETTE[i % len(PALETTE)], np.float32)
        lit = shade[mask][:, None] * colour
        canvas[mask] = ((1 - alpha) * canvas[mask]
                        + alpha * lit).astype(np.uint8)
    return canvas


def side_view(people: Sequence[dict], size: Tuple[int, int],
              background: int = 255, max_side: int = 640) -> np.ndarray:
    """The people seen from their right (the scene turned 90 degrees about
    the vertical axis through its centre), framed to fit an (H, W) image."""
    height, width = size
    canvas = np.full((height, width, 3), background, np.uint8)
    if not people:
        return canvas
    verts = np.concatenate([p['vertices'] for p in people])
    centre = (verts.min(0) + verts.max(0)) / 2
    turn = np.array([[0., 0., 1.], [0., 1., 0.], [-1., 0., 0.]], np.float32)
    turned = []
    for p in people:
        v = (np.asarray(p['vertices']) - centre) @ turn.T
        turned.append(dict(p, vertices=v))
    # a distant camera (ten scene sizes away) frames the scene at 80 %
    span = np.concatenate([t['vertices'] for t in turned])
    size_m = max(float(np.ptp(span, axis=0).max()), 1e-3)
    depth = 10. * size_m
    focal = 0.8 * depth * min(width / max(np.ptp(span[:, 0]), 1e-6),
                              height / max(np.ptp(span[:, 1]), 1e-6))
    for t in turned:
        t['vertices'] = t['vertices'] + np.array([0., 0., depth], np.float32)
    person, shade = render_people(turned, size, (focal, focal),
                                  ((width - 1) / 2, (height - 1) / 2),
                                  max_side)
    return _paint(canvas, person, shade, len(people), alpha=1.)


def draw_keypoints(image: np.ndarray, keypoints: List[np.ndarray],
                   radius: Optional[int] = None) -> np.ndarray:
    """Draw each person's 2D keypoints (K, 2) or (K, 3) (confidence 0 is
    skipped) in the person's colour."""
    out = image.copy()
    radius = radius or max(2, round(max(image.shape[:2]) / 250))
    for i, kps in enumerate(keypoints):
        kps = np.asarray(kps, np.float32)
        colour = tuple(int(c) for c in PALETTE[i % len(PALETTE)])
        for k in kps:
            if kps.shape[1] == 3 and k[2] <= 0:
                continue
            if np.isfinite(k[:2]).all():
                cv2.circle(out, (int(round(k[0])), int(round(k[1]))), radius,
                           colour, -1, cv2.LINE_AA)
    return out
