"""Writing recovered people for other tools: one ``.obj`` / ``.ply`` per
person, one binary glTF (``.glb``) scene per photograph, and a JSON of
parameters and cameras.

Geometry is written in the photograph camera's frame (metres; x right,
y down, z forward, OpenCV's camera axes).  glTF's scene convention is y
up, z towards the viewer, so the ``.glb`` nodes turn the camera frame by
180 degrees about x (``diag(1, -1, -1)``); trimesh, Blender and three.js
then show the people upright as the photograph does.
"""
import json
from typing import Dict, Sequence

import cv2
import numpy as np
import trimesh

from ...utils.atomic import atomic_path
from ...utils.errors import UserOSError

#: camera frame (OpenCV) -> glTF scene frame
CAMERA_TO_GLTF = np.diag([1., -1., -1., 1.])


def person_mesh(person: dict) -> trimesh.Trimesh:
    """A person's mesh (camera frame), vertices and faces as given."""
    return trimesh.Trimesh(np.asarray(person['vertices'], np.float64),
                           np.asarray(person['faces'], np.int64),
                           process=False)


def write_image(image: np.ndarray, path: str) -> str:
    """An (H, W, 3) uint8 BGR picture, its format by the suffix (OpenCV).

    Raises:
        UserOSError: OpenCV could not write it (the path is named).
    """
    with atomic_path(path) as tmp:
        if not cv2.imwrite(tmp, image):
            raise UserOSError(f'could not write the picture {path} (an '
                              'unwritable folder or an unknown suffix)')
    return path


def write_mesh(person: dict, path: str) -> str:
    """``.obj`` or ``.ply`` (by the suffix) of one person."""
    with atomic_path(path) as tmp:
        person_mesh(person).export(tmp)
    return path


def write_glb(people: Sequence[dict], path: str) -> str:
    """One glTF binary scene with a node ``person_<i>`` per person."""
    scene = trimesh.Scene()
    for i, person in enumerate(people):
        scene.add_geometry(person_mesh(person), node_name=f'person_{i}',
                           geom_name=f'person_{i}',
                           transform=CAMERA_TO_GLTF)
    with atomic_path(path) as tmp, open(tmp, 'wb') as f:
        f.write(scene.export(file_type='glb'))
    return path


def _jsonable(value):
    """Plain JSON values; NaN (a keypoint the body model lacks) -> null,
    as strict JSON has no NaN."""
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def results_json(people: Sequence[dict], image: str, meta: Dict) -> dict:
    """The JSON document of one photograph: ``image``, ``meta`` (model,
    units, frames) and per person everything but the mesh arrays."""
    skip = ('vertices', 'faces')
    return dict(image=image, **_jsonable(meta), people=[
        {k: _jsonable(v) for k, v in p.items() if k not in skip}
        for p in people])


def write_json(people: Sequence[dict], image: str, meta: Dict,
               path: str) -> str:
    with atomic_path(path) as tmp, open(tmp, 'w') as f:
        json.dump(results_json(people, image, meta), f, indent=1)
    return path
