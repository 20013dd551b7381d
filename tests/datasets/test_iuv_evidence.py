"""IUV evidence from files: DensePose-style IUV images cut with the image
and packed as the compact map CRA reads."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.datasets.human_data import keypoints_to_superset, save_annotations
from hmrzoo.datasets.human_image_dataset import HumanImageDataset
from hmrzoo.datasets.transforms import LoadIUV, RandomFlip
from hmrzoo.registry import MODELS

init_default_scope('hmrzoo')
H, W = 120, 100


def _write(tmp_path, iuv_shape=(H, W), part=5):
    img = np.zeros((H, W, 3), np.uint8)
    img[30:90, 20:70] = 255                     # the "person", white
    iuv = np.zeros(iuv_shape + (3, ), np.uint8)
    iuv[30:90, 20:70] = (part, 128, 64)         # I, U*255, V*255
    cv2.imwrite(str(tmp_path / 'frame.jpg'), img)
    cv2.imwrite(str(tmp_path / 'frame_IUV.png'), iuv)
    kp = np.tile([[45., 60.]], (1, 17, 1))
    path = str(tmp_path / 'ann.npz')
    save_annotations(path, dict(
        image_path=np.array(['frame.jpg']), iuv_path=np.array(['frame_IUV.png']),
        bbox_xywh=np.array([[20., 30., 50., 60.]]),
        keypoints2d=keypoints_to_superset(kp, 'coco')))
    return path


def test_iuv_is_cut_with_the_image_and_packed_compact(tmp_path):
    ann = _write(tmp_path)
    ds = HumanImageDataset(ann, data_prefix=str(tmp_path), crop_size=(64, 64),
                           keypoint_convention='coco', bbox_scale_factor=1.5,
                           load_iuv=True, test_mode=True)
    packed = ds[0]
    iuv = packed['data_samples'].input_iuv
    assert iuv.shape == (3, 64, 64)
    # nearest-neighbour crop: only the two original values survive
    assert torch.allclose(torch.unique(iuv[0]), torch.tensor([0., 5 / 24]))
    person = iuv[0] > 0
    assert torch.allclose(iuv[1][person], torch.tensor(128 / 255))
    assert torch.allclose(iuv[2][person], torch.tensor(64 / 255))
    assert not iuv[1:][:, ~person].any()
    # aligned with the image: the person's pixels are white in the crop
    # (away from its border, where bilinear image interpolation blends)
    inner = torch.from_numpy(cv2.erode(person.numpy().astype(np.uint8),
                                       np.ones((3, 3)))).bool()
    img = packed['inputs']
    assert inner.sum() > 100
    outer = ~torch.from_numpy(cv2.dilate(person.numpy().astype(np.uint8),
                                         np.ones((3, 3)))).bool()
    assert (img[:, inner] > 250).all() and (img[:, outer] < 5).all()
    # CRA's detected-evidence input: heatmaps then this IUV map
    pre = MODELS.build(dict(type='DetectedEvidencePreprocessor',
                            heatmap_size=64, sigma=2.0, with_iuv=True))
    out = pre(pseudo_collate([packed]))
    assert out['inputs'].shape == (1, 20, 64, 64)
    assert torch.equal(out['inputs'][0, 17:], iuv)


def test_bad_iuv_files_are_named(tmp_path):
    ann = _write(tmp_path, iuv_shape=(60, 50))
    ds = HumanImageDataset(ann, data_prefix=str(tmp_path), load_iuv=True,
                           test_mode=True)
    with pytest.raises(ValueError, match='frame_IUV.png.*not the size'):
        ds[0]
    _write(tmp_path, part=30)
    with pytest.raises(ValueError, match='part index up to 30'):
        LoadIUV()(dict(iuv_path=str(tmp_path / 'frame_IUV.png')))
    with pytest.raises(FileNotFoundError, match='nowhere.png'):
        LoadIUV()(dict(iuv_path=str(tmp_path / 'nowhere.png')))
    with pytest.raises(ValueError, match='cannot mirror an IUV'):
        RandomFlip(prob=1.0)(dict(iuv=np.zeros((4, 4, 3), np.uint8)))


def test_load_iuv_requires_the_key(tmp_path):
    path = str(tmp_path / 'plain.npz')
    save_annotations(path, dict(image_path=np.array(['a.jpg']),
                                bbox_xywh=np.array([[0., 0., 5., 5.]])))
    with pytest.raises(Exception, match="'iuv_path'"):
        HumanImageDataset(path, load_iuv=True)
