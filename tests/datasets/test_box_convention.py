"""One box convention: annotation files store 1.2x the person's keypoint
extent (every converter, COCO included, and the detection tool), and the
CRA configs that read such files crop them as CRA's synthetic training
crops its bodies, 1.2x, not 1.2 x 1.2."""
from pathlib import Path

import numpy as np
from mmengine.config import Config

from hmrzoo.datasets.converters import bbox_from_keypoints
from hmrzoo.datasets.transforms.geometry import box_crop_region

ROOT = Path(__file__).resolve().parents[2]


def test_cra_real_image_crops_equal_the_training_crop():
    train = Config.fromfile(str(ROOT / 'configs/cra/r18_cra_anny.py'))
    crop_scale = train.model.data_preprocessor.crop_scale
    kp = np.array([[[10., 20., 1.], [110., 320., 1.], [60., 100., 1.]]])
    box = bbox_from_keypoints(kp, 1.2)[0]       # what a file stores
    for config in ('configs/cra/r18_cra_smpl_pw3d-detected-test.py',
                   'configs/cra/r18_cra_refine_smpl.py'):
        cfg = Config.fromfile(str(ROOT / config))
        loader = cfg.get('test_dataloader') if 'test' in config else \
            cfg.train_dataloader
        factor = loader.dataset.bbox_scale_factor
        _, size = box_crop_region(box, factor, (256, 256))
        # square crop of crop_scale x the longer side of the points' extent
        assert abs(size[0] - crop_scale * 300.) < 1e-3, config
