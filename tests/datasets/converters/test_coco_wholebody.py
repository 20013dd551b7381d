"""COCO-WholeBody converter on a fabricated tree in the official layout:
the 133 points stored in the coco_wholebody convention (body, feet, face,
hands in the annotation's order), selection, and the dataset reading them
back by name, e.g. for the whole-body model."""
import json

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from hmrzoo.conventions import get_keypoint_names
from hmrzoo.datasets import HumanImageDataset
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

PARTS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
         ('lefthand_kpts', 21), ('righthand_kpts', 21))


def _person(ann_id, image_id, rng, body=12, hands=True, iscrowd=0):
    ann = {'id': ann_id, 'image_id': image_id, 'category_id': 1,
           'iscrowd': iscrowd, 'bbox': [10., 10., 100., 200.]}
    for key, count in PARTS:
        xy = rng.integers(20, 300, size=(count, 2)).astype(float)
        v = np.full(count, 2.)
        if key == 'keypoints':
            v[5 + body:] = 0.                   # drop body points 5+body..
        if key.endswith('hand_kpts') and not hands:
            v[:] = 0.
        if key == 'face_kpts':
            v[::2] = 0.                         # half the face unlabelled
        xy[v == 0] = 0.
        ann[key] = np.concatenate([xy, v[:, None]], 1).ravel().tolist()
    return ann


def _write(root, split='val'):
    rng = np.random.default_rng(0)
    (root / 'annotations').mkdir(parents=True)
    (root / f'{split}2017').mkdir()
    images = [{'id': 7, 'file_name': '000000000007.jpg', 'width': 320,
               'height': 330}]
    cv2.imwrite(str(root / f'{split}2017' / '000000000007.jpg'),
                np.zeros((330, 320, 3), np.uint8))
    anns = [_person(1, 7, rng), _person(2, 7, rng, body=11),
            _person(3, 7, rng, iscrowd=1), _person(4, 7, rng, hands=False)]
    content = {'images': images, 'annotations': anns,
               'categories': [{'id': 1, 'name': 'person'}]}
    (root / 'annotations' / f'coco_wholebody_{split}_v1.0.json').write_text(
        json.dumps(content))
    return anns


def test_whole_body_points_by_name(tmp_path):
    anns = _write(tmp_path / 'cwb')
    [out] = run_converter('coco_wholebody', str(tmp_path / 'cwb'),
                          str(tmp_path / 'out'), split='val')
    data = load_annotations(out)
    assert str(data['keypoint_convention']) == 'coco_wholebody'
    # 2 lacks a body point, 3 is a crowd region
    assert data['sample_id'].tolist() == ['1', '4']
    assert data['image_path'].tolist() == ['val2017/000000000007.jpg'] * 2
    for row, ann in zip(data['keypoints2d'], (anns[0], anns[3])):
        flat = np.concatenate([np.asarray(ann[k], float).reshape(-1, 3)
                               for k, _ in PARTS])
        labelled = flat[:, 2] > 0
        assert np.array_equal(row[:, 2] > 0, labelled)
        assert np.allclose(row[labelled, :2], flat[labelled, :2])
    # read back as the whole-body model reads it, by name
    init_default_scope('hmrzoo')
    ds = HumanImageDataset(ann_file=out, data_prefix=dict(
        img_path=str(tmp_path / 'cwb')), crop_size=(64, 64),
        keypoint_convention='coco_wholebody', test_mode=True)
    names = get_keypoint_names('coco_wholebody')
    info = ds.get_data_info(0)
    kp = info['keypoints2d']
    tip = names.index('left_index_tip')
    hand = np.asarray(anns[0]['lefthand_kpts'], float).reshape(21, 3)
    assert np.allclose(kp[tip, :2], hand[8, :2])   # index tip, 9th point
    assert ds.get_data_info(1)['keypoints2d'][91:, 2].sum() == 0


def test_bad_part_length_is_named(tmp_path):
    anns = _write(tmp_path / 'cwb')
    anns[0]['face_kpts'] = anns[0]['face_kpts'][:-3]
    path = tmp_path / 'cwb' / 'annotations' / 'coco_wholebody_val_v1.0.json'
    content = json.loads(path.read_text())
    content['annotations'] = anns
    path.write_text(json.dumps(content))
    with pytest.raises(ValueError, match="annotation 1 has 201 numbers in "
                                         "'face_kpts', expected 68 x 3"):
        run_converter('coco_wholebody', str(tmp_path / 'cwb'),
                      str(tmp_path / 'out'), split='val')
