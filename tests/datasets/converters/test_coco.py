"""COCO converter on a fabricated tree in the official layout: person
selection (SPIN's 12 body keypoints, crowd regions), visibility ->
confidence, named joints in the superset, boxes, sizes, ids, years."""
import json

import numpy as np
import pytest

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

# official keypoint names (categories[0].keypoints), in order
COCO_NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle']
# where each lands in hmrzoo's superset (dataset hips are the *_extra hips)
STORED_AS = [n + '_extra' if n.endswith('_hip') else n for n in COCO_NAMES]


def _keypoints(seed, visibility):
    """17 x 3 flat list as in the json: integer pixels, x = y = 0 where
    v = 0."""
    rng = np.random.default_rng(seed)
    xy = rng.integers(10, 600, size=(17, 2))
    v = np.asarray(visibility)
    xy[v == 0] = 0
    return np.concatenate([xy, v[:, None]], axis=1).ravel().tolist()


def _annotation(ann_id, image_id, visibility, bbox, iscrowd=0, seed=0):
    kps = _keypoints(seed, visibility)
    return {'id': ann_id, 'image_id': image_id, 'category_id': 1,
            'iscrowd': iscrowd, 'keypoints': kps,
            'num_keypoints': int(np.count_nonzero(visibility)),
            'bbox': bbox, 'area': bbox[2] * bbox[3],
            'segmentation': [[bbox[0], bbox[1], bbox[0] + bbox[2], bbox[1],
                              bbox[0] + bbox[2], bbox[1] + bbox[3]]]}


def write_coco(root, split='train', year=2014):
    """Two images, four person annotations; returns the json content."""
    name = f'{split}{year}'
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    (root / name).mkdir(exist_ok=True)
    prefix = f'COCO_{name}_' if year == 2014 else ''
    images = [{'id': 36, 'file_name': f'{prefix}000000000036.jpg',
               'width': 481, 'height': 640, 'license': 3,
               'coco_url': '', 'flickr_url': '', 'date_captured': ''},
              {'id': 49, 'file_name': f'{prefix}000000000049.jpg',
               'width': 640, 'height': 428, 'license': 1,
               'coco_url': '', 'flickr_url': '', 'date_captured': ''}]
    full = [2, 2, 1, 2, 0] + [2, 1] * 6          # all 12 body points
    no_face = [0] * 5 + [2] * 12
    eleven = [2] * 16 + [0]                      # right ankle missing
    annotations = [
        _annotation(1001, 36, full, [12.5, 30.0, 300.25, 560.0], seed=1),
        _annotation(1002, 36, eleven, [100.0, 20.0, 200.0, 400.0], seed=2),
        _annotation(1003, 49, full, [0.0, 0.0, 640.0, 428.0], iscrowd=1,
                    seed=3),
        _annotation(1004, 49, no_face, [50.0, 60.0, 70.5, 80.5], seed=4),
    ]
    content = {
        'info': {'year': year}, 'licenses': [], 'images': images,
        'annotations': annotations,
        'categories': [{'supercategory': 'person', 'id': 1, 'name': 'person',
                        'keypoints': COCO_NAMES,
                        'skeleton': [[16, 14], [14, 12], [17, 15]]}]}
    path = root / 'annotations' / f'person_keypoints_{name}.json'
    path.write_text(json.dumps(content))
    return content


def _by_id(content):
    return {a['id']: a for a in content['annotations']}


def test_selection_keypoints_boxes_and_sizes(tmp_path):
    root = tmp_path / 'coco'
    content = write_coco(root)
    [out] = run_converter('coco', str(root), str(tmp_path / 'out'),
                          split='train')
    assert out.endswith('coco_2014_train.npz')
    data = load_annotations(out)
    # 1002 lacks an ankle, 1003 is a crowd region
    assert data['sample_id'].tolist() == ['1001', '1004']
    assert data['image_path'].tolist() == [
        'train2014/COCO_train2014_000000000036.jpg',
        'train2014/COCO_train2014_000000000049.jpg']
    assert data['image_size'].tolist() == [[481, 640], [640, 428]]
    # SPIN's box: around the labelled points, 1.2x (not COCO's bbox)
    anns = _by_id(content)
    for row, ann_id in enumerate((1001, 1004)):
        kps = np.asarray(anns[ann_id]['keypoints'], float).reshape(17, 3)
        pts = kps[kps[:, 2] > 0, :2]
        lo, hi = pts.min(0), pts.max(0)
        size = (hi - lo) * 1.2
        np.testing.assert_allclose(
            data['bbox_xywh'][row],
            np.concatenate([(lo + hi) / 2 - size / 2, size]), rtol=1e-6)
    assert str(data['dataset']) == 'coco' and str(data['split']) == 'train'
    anns = _by_id(content)
    for row, ann_id in enumerate((1001, 1004)):
        kps = np.asarray(anns[ann_id]['keypoints'], float).reshape(17, 3)
        for j, name in enumerate(STORED_AS):
            x, y, conf = data['keypoints2d'][row, get_keypoint_idx(
                name, 'smpl_54')]
            assert (x, y) == tuple(kps[j, :2])
            assert conf == (1. if kps[j, 2] > 0 else 0.)   # v 1 and 2 -> 1
        # SMPL's own hip joints and the joints COCO lacks stay empty
        for name in ('left_hip', 'right_hip', 'pelvis', 'headtop'):
            assert data['keypoints2d'][row, get_keypoint_idx(
                name, 'smpl_54'), 2] == 0
    assert data['keypoints2d'][:, :, 2].sum() == 16 + 12  # labelled points


def test_tool_threshold_year_and_val(tmp_path, convert_tool):
    root = tmp_path / 'coco'
    write_coco(root, 'train', 2017)
    write_coco(root, 'val', 2017)
    written = convert_tool(['--dataset', 'coco', '--root', str(root),
                            '--out', str(tmp_path / 'out'), '--options',
                            'year=2017', 'min_body_keypoints=11'])
    assert [p.rsplit('/', 1)[1] for p in written] == [
        'coco_2017_train.npz', 'coco_2017_val.npz']
    val = load_annotations(written[1])
    assert val['sample_id'].tolist() == ['1001', '1002', '1004']
    assert val['image_path'][0] == 'val2017/000000000036.jpg'
    assert str(val['split']) == 'val'
    # 1002's missing right ankle has confidence 0 and zero coordinates
    ankle = get_keypoint_idx('right_ankle', 'smpl_54')
    assert val['keypoints2d'][1, ankle].tolist() == [0., 0., 0.]


def test_bad_input_names_the_file_and_key(tmp_path):
    root = tmp_path / 'coco'
    (root / 'train2014').mkdir(parents=True)
    with pytest.raises(FileNotFoundError,
                       match='person_keypoints_train2014.json'):
        run_converter('coco', str(root), str(tmp_path / 'out'), 'train')
    content = write_coco(root)
    del content['annotations'][0]['keypoints']
    (root / 'annotations' / 'person_keypoints_train2014.json').write_text(
        json.dumps(content))
    with pytest.raises(KeyError, match="key 'keypoints' .of annotation "
                       "1001. is missing"):
        run_converter('coco', str(root), str(tmp_path / 'out'), 'train')
    with pytest.raises(ValueError, match='year'):
        run_converter('coco', str(root), str(tmp_path / 'out'), 'train',
                      year=2015)


def test_a_split_with_no_kept_sample_is_refused_and_not_written(tmp_path):
    root = tmp_path / 'coco'
    content = write_coco(root)
    for ann in content['annotations']:     # crowd regions only: none kept
        ann['iscrowd'] = 1
    (root / 'annotations' / 'person_keypoints_train2014.json').write_text(
        json.dumps(content))
    out = tmp_path / 'out'
    with pytest.raises(ValueError) as err:
        run_converter('coco', str(root), str(out), 'train',
                      min_body_keypoints=10)
    msg = str(err.value)
    assert "converter 'coco' kept no sample of split 'train'" in msg
    assert str(root) in msg and 'min_body_keypoints=10' in msg
    assert 'coco_2014_train.npz was not written' in msg
    assert not (out / 'coco_2014_train.npz').exists()
