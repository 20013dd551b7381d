"""The IUV atlas of any body model: :func:`atlas_for` derives it
(:func:`~.iuv_charts.build_iuv_atlas`) from what every body model exposes
(:meth:`~hmrzoo.body_models.base.BaseBodyModel.rest_geometry` and
:meth:`~hmrzoo.body_models.base.BaseBodyModel.skinning`, mapped onto SMPL's
24 parts by :func:`~hmrzoo.body_models.skeleton.weights_on_smpl_24`), and
caches it.
"""
import hashlib
import threading
from typing import Dict

import numpy as np

from ..body_models.skeleton import weights_on_smpl_24
from .iuv_atlas import IUVAtlas
from .iuv_charts import build_iuv_atlas

__all__ = ['atlas_for', 'clear_atlas_cache']

_CACHE: Dict[tuple, IUVAtlas] = {}
_LOCK = threading.Lock()


def _cache_key(body_model) -> tuple:
    faces = body_model.faces.detach().cpu().numpy().astype(np.int64)
    digest = hashlib.sha1(faces.tobytes()).hexdigest()
    return (type(body_model).__name__, int(body_model.num_vertices), digest)


def atlas_for(body_model) -> IUVAtlas:
    """The derived IUV atlas of a body model (any
    :class:`~hmrzoo.body_models.base.BaseBodyModel` that implements the
    rendering contract).

    Built once per process and body-model kind (class, vertex count and
    faces), kept in memory.  The atlas is on the CPU; ``atlas.to(device)``
    moves it.
    """
    key = _cache_key(body_model)
    with _LOCK:
        if key not in _CACHE:
            rest = body_model.rest_geometry()
            weights = weights_on_smpl_24(body_model.skinning())
            _CACHE[key] = build_iuv_atlas(rest.vertices, rest.faces, weights,
                                          rest.joints,
                                          name=type(body_model).__name__)
        return _CACHE[key]


def clear_atlas_cache() -> None:
    """Forget the atlases :func:`atlas_for` built."""
    with _LOCK:
        _CACHE.clear()
