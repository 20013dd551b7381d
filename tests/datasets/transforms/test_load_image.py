"""LoadImage: pixel values and channel order, shapes, clear errors."""
import cv2
import numpy as np
import pytest

from hmrzoo.datasets.transforms import LoadImage


def test_reads_bgr_pixels_and_shapes(tmp_path):
    img = np.zeros((5, 7, 3), np.uint8)
    img[2, 3] = (10, 20, 30)      # B, G, R at row 2, column 3
    path = str(tmp_path / 'a.png')
    assert cv2.imwrite(path, img)
    out = LoadImage()(dict(img_path=path, sample_id='s0'))
    assert out['img'].dtype == np.uint8
    np.testing.assert_array_equal(out['img'], img)
    assert out['img_shape'] == (5, 7) and out['ori_shape'] == (5, 7)
    out = LoadImage(to_float32=True)(dict(img_path=path))
    assert out['img'].dtype == np.float32
    assert out['img'][2, 3].tolist() == [10., 20., 30.]


def test_missing_file_names_path_and_sample(tmp_path):
    path = str(tmp_path / 'missing.jpg')
    with pytest.raises(FileNotFoundError) as err:
        LoadImage()(dict(img_path=path, sample_id='courtyard/00042'))
    assert path in str(err.value) and 'courtyard/00042' in str(err.value)


def test_unreadable_file_names_path_and_sample(tmp_path):
    path = tmp_path / 'broken.jpg'
    path.write_bytes(b'not an image')
    with pytest.raises(FileNotFoundError) as err:
        LoadImage()(dict(img_path=str(path), sample_id='s7'))
    assert str(path) in str(err.value) and 's7' in str(err.value)
    assert 'decode' in str(err.value)


def test_missing_key():
    with pytest.raises(KeyError, match='img_path'):
        LoadImage()(dict(sample_id='s1'))
