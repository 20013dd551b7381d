"""Ground-truth meshes posed from the gendered body model, for the
protocols that build their ground truth that way (``gt_joints='body_model'``
of :class:`~.protocol_metric.ProtocolMetric`: 3DPW as SPIN / PyMAF,
Human3.6M as Multi-RoI): the default body-model configs, one model built per
gender on first use, and one body-model call per gender and batch.
"""
import copy
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch

from hmrzoo.registry import BODY_MODELS

from .mesh_metric import _to_numpy
from .protocol_inputs import sample_field

#: the ground-truth body models used when ``body_models`` is not given: SMPL
#: of each gender from ``data/body_models`` (mmhuman3d layout).
DEFAULT_GT_BODY_MODELS = {
    g: dict(type='SMPL', model_path='data/body_models', gender=g)
    for g in ('neutral', 'male', 'female')
}

_WHY = "gt_joints='body_model'"


def gt_body_model(cfgs: Dict[str, dict], built: Dict[str, torch.nn.Module],
                  gender: str) -> torch.nn.Module:
    """The ground-truth body model of ``gender``, built from ``cfgs`` on
    first use and kept in ``built`` (in eval mode).

    Raises:
        KeyError: ``gender`` is not a key of ``cfgs``.
        BodyModelFileNotFoundError: its model file is missing.
    """
    if gender not in built:
        if gender not in cfgs:
            raise KeyError(
                f"Data sample has gender {gender!r}, but the metric's "
                f'body_models only have {sorted(cfgs)}')
        model = BODY_MODELS.build(copy.deepcopy(cfgs[gender]))
        built[gender] = model.eval()
    return built[gender]


def gt_meshes(samples: Sequence[dict],
              body_model: Callable[[str], torch.nn.Module]
              ) -> List[np.ndarray]:
    """(V, 3) ground-truth meshes in metres, one ``body_model(gender)``
    call per gender present in ``samples``.

    Each sample gives its metainfo ``gender`` and ``gt_global_orient``
    (3, 3), ``gt_body_pose`` (J-1, 3, 3) rotation matrices and ``gt_betas``
    (S,); the meshes are posed without translation.
    """
    groups: Dict[str, List[int]] = defaultdict(list)
    for i, s in enumerate(samples):
        gender = sample_field(s, 'gender', _WHY)
        groups[str(gender).lower()].append(i)
    meshes: List[Optional[np.ndarray]] = [None] * len(samples)
    for gender, idx in groups.items():
        model = body_model(gender)
        with torch.no_grad():
            out = model(
                global_orient=_stack(samples, idx, 'gt_global_orient',
                                     (3, 3)),
                body_pose=_stack(samples, idx, 'gt_body_pose', (-1, 3, 3)),
                betas=_stack(samples, idx, 'gt_betas', (-1, )))
        verts = out['vertices'].detach().cpu().double().numpy()
        for k, i in enumerate(idx):
            meshes[i] = verts[k]
    return meshes


def _stack(samples: Sequence[dict], idx: Sequence[int], key: str,
           shape: tuple) -> torch.Tensor:
    """(len(idx), *shape) float32 tensor of one ground-truth field."""
    values = []
    for i in idx:
        v = _to_numpy(sample_field(samples[i], key, _WHY))
        try:
            values.append(v.reshape(shape))
        except ValueError:
            raise ValueError(f'{key} of sample {i} has shape {v.shape}; '
                             f'expected {shape}') from None
    return torch.as_tensor(np.stack(values), dtype=torch.float32)
