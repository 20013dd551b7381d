"""Mean body parameters used to initialise iterative regressors (HMR's IEF,
SPIN, PyMAF, CLIFF, ...).

Two sources:

* **SPIN's** ``smpl_mean_params.npz`` (keys ``pose`` (144,) = 24 6D
  rotations, ``shape`` (10,), ``cam`` (3,)), when a path is given: the mean
  of SMPL fits to training data, as the released checkpoints expect;
* otherwise the body model's **own mean**, which needs no file: identity
  rotations for every joint except the root, rotated 180 degrees about x
  (6D ``[1, 0, 0, -1, 0, 0]``: SMPL's rest pose has y up and faces +z, the
  camera looks along +z with y down, so this turns the body upright facing
  the camera, like the root of SPIN's mean pose), zero betas and the
  weak-perspective camera ``[0.9, 0, 0]`` (scale, tx, ty; SPIN's mean).

6D rotations are the first two columns of the rotation matrix flattened
row-major (:mod:`hmrzoo.utils.rotations`): identity ``[1, 0, 0, 1, 0, 0]``.
"""
from typing import Dict, Optional

import numpy as np
import torch

from .model_files import find_model_file, load_model_arrays

__all__ = ['load_mean_params', 'IDENTITY_6D', 'ROOT_FACING_CAMERA_6D',
           'MEAN_CAM']

IDENTITY_6D = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: 180 degrees about x: diag(1, -1, -1)
ROOT_FACING_CAMERA_6D = (1.0, 0.0, 0.0, -1.0, 0.0, 0.0)
MEAN_CAM = (0.9, 0.0, 0.0)


def _fit(values: np.ndarray, n: int, fill: np.ndarray) -> np.ndarray:
    """First ``n`` rows of ``values``, padded with ``fill`` rows."""
    if len(values) >= n:
        return values[:n]
    pad = np.broadcast_to(fill, (n - len(values), ) + values.shape[1:])
    return np.concatenate([values, pad])


def load_mean_params(path: Optional[str] = None,
                     body_model=None) -> Dict[str, torch.Tensor]:
    """Mean pose, shape and camera.

    Args:
        path: ``smpl_mean_params.npz`` or a folder holding it (``None``:
            the body model's own mean, no file).  The default root
            ``'data/body_models'`` is searched under ``$HMRZOO_BODY_MODELS``
            first.
        body_model: sizes the result: ``body_model.num_joints`` rotations
            (root included; 22 for SMPL-X's body) and
            ``body_model.num_betas`` betas.  ``None``: 24 and 10 (SMPL).
            From a file, the first J rotations are kept (SMPL-X's 22 body
            joints are SMPL's first 22) and extra ones are identity; betas
            are cut or zero-padded.

    Returns:
        dict of float32 tensors: ``pose`` (J, 6) 6D rotations, ``betas``
        (S,), ``cam`` (3,) weak-perspective (s, tx, ty).

    Raises:
        BodyModelFileNotFoundError: ``path`` given and nothing found there.
        ValueError: a file without ``pose`` / ``shape`` / ``cam`` or with a
            pose that is not a multiple of 6.
    """
    num_joints = int(getattr(body_model, 'num_joints', 24))
    num_betas = int(getattr(body_model, 'num_betas', 10))
    identity = np.asarray(IDENTITY_6D, np.float32)
    if path is None:
        pose = np.tile(identity, (num_joints, 1))
        pose[0] = ROOT_FACING_CAMERA_6D
        betas = np.zeros(num_betas, np.float32)
        cam = np.asarray(MEAN_CAM, np.float32)
    else:
        file = find_model_file('smpl_mean_params', path)
        arrays = load_model_arrays(file)
        missing = [k for k in ('pose', 'shape', 'cam') if k not in arrays]
        if missing:
            raise ValueError(f'{file}: mean parameters need keys pose, '
                             f'shape and cam; missing {missing}')
        pose = np.asarray(arrays['pose'], np.float32).reshape(-1)
        if pose.size % 6:
            raise ValueError(f'{file}: pose has {pose.size} values, not a '
                             'multiple of 6 (6D rotations)')
        pose = _fit(pose.reshape(-1, 6), num_joints, identity)
        betas = _fit(np.asarray(arrays['shape'], np.float32).reshape(-1),
                     num_betas, np.float32(0))
        cam = np.asarray(arrays['cam'], np.float32).reshape(3)
    return dict(pose=torch.from_numpy(np.ascontiguousarray(pose)),
                betas=torch.from_numpy(np.ascontiguousarray(betas)),
                cam=torch.from_numpy(np.ascontiguousarray(cam)))
