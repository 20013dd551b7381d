"""Background crops from a folder of images."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate

from hmrzoo.synthetic.backgrounds import background_crops, list_images


def _folder(tmp_path):
    (tmp_path / 'sub').mkdir()
    red = np.zeros((40, 60, 3), np.uint8)
    red[..., 2] = 255  # BGR on disk
    blue = np.zeros((50, 30, 3), np.uint8)
    blue[..., 0] = 255
    cv2.imwrite(str(tmp_path / 'a.png'), red)
    cv2.imwrite(str(tmp_path / 'sub' / 'b.jpg'), blue)
    (tmp_path / 'notes.txt').write_text('not an image')
    return str(tmp_path)


def test_crops_pick_image_by_seed_and_are_rgb(tmp_path):
    folder = _folder(tmp_path)
    assert [p.split('/')[-1] for p in list_images(folder)] == ['a.png',
                                                              'b.jpg']
    crops = background_crops(folder, [0, 1, 2], (16, 24))
    assert crops.shape == (3, 16, 24, 3)
    assert torch.allclose(crops[0].mean((0, 1)), torch.tensor([1., 0, 0]),
                          atol=0.02)                   # a.png, red
    assert torch.allclose(crops[1].mean((0, 1)), torch.tensor([0., 0, 1]),
                          atol=0.02)                   # b.jpg, blue
    assert torch.equal(crops, background_crops(folder, [0, 1, 2], (16, 24)))
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match='no image'):
        background_crops(str(empty), [0], (4, 4))
    with pytest.raises(FileNotFoundError, match='folder not found'):
        background_crops(str(tmp_path / 'nothing'), [0], (4, 4))


def test_engine_uses_background_images(tmp_path):
    from hmrzoo.synthetic import SyntheticPoseDataset
    from hmrzoo.models.data_preprocessors import \
        SyntheticEvidencePreprocessor
    folder = _folder(tmp_path)
    pre = SyntheticEvidencePreprocessor(
        dict(type='Anny'), outputs=('rgb', 'silhouette'), heatmap_size=32,
        crop_from='foreground', rgb_background='images',
        background_dir=folder)
    ds = SyntheticPoseDataset(num_samples=2, test_mode=True)
    out = pre(pseudo_collate([ds[0], ds[1]]))
    for s in out['data_samples']:
        bg = s.input_rgb[:, s.input_silhouette[0] == 0]
        colour = bg.mean(1)
        assert (torch.allclose(colour, torch.tensor([1., 0, 0]), atol=0.02)
                or torch.allclose(colour, torch.tensor([0., 0, 1]),
                                  atol=0.02))
    with pytest.raises(FileNotFoundError, match='background folder'):
        SyntheticEvidencePreprocessor(
            dict(type='Anny'), outputs=('rgb',), rgb_background='images',
            background_dir=str(tmp_path / 'missing'))
