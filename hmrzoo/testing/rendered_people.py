"""Photographs stand-ins: seeded synthetic RGB renders of Anny bodies with
their true COCO-17 joints, for testing 2D detectors and image pipelines
without any dataset image."""
from typing import Tuple

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from ..models.data_preprocessors.detected_inputs import crops_to_images
from ..utils.heatmaps import normalised_to_heatmap


def render_people(num: int = 8, seed: int = 1, size: int = 256
                  ) -> Tuple[np.ndarray, np.ndarray]:
    """Render ``num`` seeded Anny bodies (synthetic pose / shape / camera,
    procedural texture and background, square crop around the body at
    scale 1.2) as the synthetic evidence engine does at test time.

    Returns:
        images: (num, size, size, 3) uint8 RGB.
        joints: (num, 17, 2) float32 true COCO-17 joints in pixels (pixel
            ``(i, j)`` has its centre at ``x = j, y = i``).
    """
    from ..synthetic.dataset import SyntheticPoseDataset
    from ..registry import MODELS
    init_default_scope('hmrzoo')
    engine = MODELS.build(dict(
        type='SyntheticEvidencePreprocessor', body_model=dict(type='Anny'),
        outputs=('rgb', ), heatmap_size=size, crop_from='foreground',
        input_convention='coco'))
    dataset = SyntheticPoseDataset(num_samples=num, seed=seed)
    with torch.no_grad():
        out = engine(pseudo_collate([dataset[i] for i in range(num)]))
    joints = torch.stack([normalised_to_heatmap(s.input_keypoints2d,
                                                (size, size))
                          for s in out['data_samples']])
    return crops_to_images(out['inputs']), joints.float().numpy()
