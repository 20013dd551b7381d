"""Fabricated zoo checkpoints for tests: the paper configs initialise their
backbones from the zoo (``zoo://...``), and tests run offline."""
import os
import os.path as osp
import tempfile
from typing import Sequence

import torch

from .fake_checkpoints import random_resnet50_state

#: the backbone entries the paper configs start from
PAPER_BACKBONES = ('resnet50_imagenet_torchvision_v1',
                   'resnet50_coco_pose_mmpose')


def seed_zoo_cache(names: Sequence[str] = PAPER_BACKBONES,
                   seed: int = 0) -> dict:
    """Put fabricated ResNet-50 backbones (``backbone.*``, see
    :func:`random_resnet50_state`) in the zoo cache (``HMRZOO_CACHE``)
    under ``names``; returns name -> the state dict cached."""
    from ..apis.zoo import cache_file
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(names):
            torch.manual_seed(seed + i)
            state = random_resnet50_state(
                'backbone.', torch.Generator().manual_seed(seed + i))
            path = osp.join(tmp, f'{name}.pth')
            torch.save(dict(meta=dict(fabricated=True), state_dict=state),
                       path)
            cache_file(name, path, 'fabricated for tests')
            out[name] = state
    return out


def offline_test_cache(root: str) -> dict:
    """Point ``HMRZOO_CACHE`` at ``root``, forbid the network
    (``HMRZOO_OFFLINE=1``) and seed :data:`PAPER_BACKBONES`."""
    os.environ['HMRZOO_CACHE'] = root
    os.environ['HMRZOO_OFFLINE'] = '1'
    return seed_zoo_cache()
