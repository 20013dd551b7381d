"""Annotation files are written whole, in one box convention: they store
1.2x the person's keypoint extent (every converter, COCO included, and the
detection tool), and the CRA configs that read such files crop them as
CRA's synthetic training crops its bodies, 1.2x, not 1.2 x 1.2."""
from pathlib import Path

import numpy as np
import pytest
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
                   'configs/cra/r18_cra_smpl_h36m-detected-test.py',
                   'configs/cra/r18_cra_smpl_mpi-inf-3dhp-detected-test.py',
                   'configs/cra/r18_cra_refine_smpl.py',
                   'configs/cra/r18_cra_refine_smpl_pw3d.py',
                   'configs/cra/r18_cra_refine_smpl_mpi-inf-3dhp.py'):
        cfg = Config.fromfile(str(ROOT / config))
        loader = cfg.get('test_dataloader') if 'test' in config else \
            cfg.train_dataloader
        factor = loader.dataset.bbox_scale_factor
        _, size = box_crop_region(box, factor, (256, 256))
        # square crop of crop_scale x the longer side of the points' extent
        assert abs(size[0] - crop_scale * 300.) < 1e-3, config


def test_annotation_files_are_written_whole(tmp_path, monkeypatch):
    # a writer that fails half-way leaves neither the file nor a temporary
    from hmrzoo.datasets import human_data
    data = dict(image_path=np.array(['a.jpg']), sample_id=np.array(['0']),
                bbox_xywh=np.array([[0., 0., 10., 10.]]),
                keypoints2d=np.zeros((1, 54, 3)))
    out = tmp_path / 'x.npz'
    assert human_data.save_annotations(str(out), data) == 1
    assert human_data.load_annotations(str(out))['sample_id'].tolist() == \
        ['0']

    def broken(path, **arrays):
        with open(path, 'wb') as f:
            f.write(b'PK half')
        raise OSError('disk full')
    monkeypatch.setattr(human_data.np, 'savez', broken)
    fresh = tmp_path / 'y.npz'
    with pytest.raises(OSError, match='disk full'):
        human_data.save_annotations(str(fresh), data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['x.npz']
