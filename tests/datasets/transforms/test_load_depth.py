"""LoadDepth reads the documented depth-map format, refuses bad files with
their path, and the crop / flip steps carry the map."""
import cv2
import numpy as np
import pytest

from hmrzoo.datasets.transforms import AffineCrop, LoadDepth
from hmrzoo.datasets.transforms.flip import flip_results


def test_npy_and_png_round_trip(tmp_path):
    depth = np.zeros((6, 8), np.float32)
    depth[2:5, 3:6] = np.arange(9, dtype=np.float32).reshape(3, 3) + 2.5
    np.save(tmp_path / 'd.npy', depth)
    cv2.imwrite(str(tmp_path / 'd.png'), (depth * 1000).astype(np.uint16))
    for name in ('d.npy', 'd.png'):
        out = LoadDepth()(dict(depth_path=str(tmp_path / name),
                               ori_shape=(6, 8)))
        assert np.allclose(out['depth'], depth, atol=1e-3)


def test_bad_depth_files_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='none.npy'):
        LoadDepth()(dict(depth_path=str(tmp_path / 'none.npy')))
    np.save(tmp_path / 'small.npy', np.ones((3, 3), np.float32))
    with pytest.raises(ValueError, match='small.npy.*not the size'):
        LoadDepth()(dict(depth_path=str(tmp_path / 'small.npy'),
                         ori_shape=(6, 8)))
    bad = np.ones((6, 8), np.float32)
    bad[0, 0] = np.nan
    np.save(tmp_path / 'nan.npy', bad)
    with pytest.raises(ValueError, match='nan.npy.*replace them by 0'):
        LoadDepth()(dict(depth_path=str(tmp_path / 'nan.npy')))
    with pytest.raises(KeyError, match='depth_path'):
        LoadDepth()(dict(sample_id='s1'))


def test_flip_mirrors_and_crop_cuts_the_depth_nearest():
    depth = np.tile(np.arange(8, dtype=np.float32), (8, 1))
    results = dict(img=np.zeros((8, 8, 3), np.uint8), depth=depth,
                   bbox_center=np.array([3.5, 3.5]),
                   bbox_scale=np.array([8., 8.]), bbox_rotation=0.)
    flipped = flip_results(dict(results))
    assert np.array_equal(flipped['depth'][0], np.arange(8)[::-1])
    out = AffineCrop(crop_size=(4, 4))(dict(results))
    # nearest neighbour: only values of the source map appear
    assert out['depth'].shape == (4, 4)
    assert set(np.unique(out['depth'])) <= set(range(8))
    assert np.all(np.diff(out['depth'][0]) > 0)
