"""The IUV atlas of any body model: :func:`atlas_for` derives it
(:func:`~.iuv_charts.build_iuv_atlas`) from what every body model exposes
(:meth:`~hmrzoo.body_models.base.BaseBodyModel.rest_geometry` and
:meth:`~hmrzoo.body_models.base.BaseBodyModel.skinning`, mapped onto SMPL's
24 parts by :func:`~hmrzoo.body_models.skeleton.weights_on_smpl_24`), and
caches it.

A body model whose mesh DensePose charted (``densepose_charts = True``:
SMPL) uses DensePose's own atlas instead when ``UV_Processed.mat`` is at
hand (:func:`~.densepose_uv.find_densepose_uv`: under the body-models
roots or ``data/``), so its IUV targets and renders match DensePose's
parametrisation (what CRA and PyMAF train against, and what DensePose
R-CNN outputs on real images).  Which charts a model got is logged once.
"""
import hashlib
import threading
from typing import Dict, Optional

import numpy as np
from mmengine.logging import print_log

from ..body_models.skeleton import weights_on_smpl_24
from .densepose_uv import (DensePoseUVNotFoundError, find_densepose_uv,
                           load_densepose_uv)
from .iuv_atlas import IUVAtlas
from .iuv_charts import build_iuv_atlas

__all__ = ['atlas_for', 'clear_atlas_cache']

_CACHE: Dict[tuple, IUVAtlas] = {}
_LOCK = threading.Lock()


def _cache_key(body_model) -> tuple:
    faces = body_model.faces.detach().cpu().numpy().astype(np.int64)
    digest = hashlib.sha1(faces.tobytes()).hexdigest()
    return (type(body_model).__name__, int(body_model.num_vertices), digest)


def densepose_charts_file(body_model) -> Optional[str]:
    """DensePose's ``UV_Processed.mat`` for a model DensePose charted, or
    None (another model, or the file is not at hand)."""
    if not getattr(body_model, 'densepose_charts', False):
        return None
    try:
        return find_densepose_uv()
    except DensePoseUVNotFoundError:
        return None


def atlas_for(body_model) -> IUVAtlas:
    """The IUV atlas of a body model (any
    :class:`~hmrzoo.body_models.base.BaseBodyModel` that implements the
    rendering contract): DensePose's for a model it charted when the file
    is at hand, else derived (module docstring).

    Built once per process and body-model kind (class, vertex count, faces
    and chart source), kept in memory.  The atlas is on the CPU;
    ``atlas.to(device)`` moves it.
    """
    source = densepose_charts_file(body_model)
    key = _cache_key(body_model) + (source, )
    name = type(body_model).__name__
    with _LOCK:
        if key not in _CACHE:
            if source is not None:
                _CACHE[key] = load_densepose_uv(
                    source, faces=body_model.faces.detach().cpu(),
                    num_vertices=int(body_model.num_vertices))
                print_log(f"IUV charts of {name}: DensePose's {source}",
                          logger='current')
            else:
                rest = body_model.rest_geometry()
                weights = weights_on_smpl_24(body_model.skinning())
                _CACHE[key] = build_iuv_atlas(rest.vertices, rest.faces,
                                              weights, rest.joints, name=name)
                hint = ''
                if getattr(body_model, 'densepose_charts', False):
                    hint = (" (DensePose's UV_Processed.mat was not found; "
                            'put it at data/body_models/UV_data/ to use '
                            "DensePose's charts)")
                print_log(f'IUV charts of {name}: derived from its skinning '
                          f'weights{hint}', logger='current')
        return _CACHE[key]


def clear_atlas_cache() -> None:
    """Forget the atlases :func:`atlas_for` built."""
    with _LOCK:
        _CACHE.clear()
