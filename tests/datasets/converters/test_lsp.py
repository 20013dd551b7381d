"""LSP / LSP-ET converters on fabricated ``joints.mat`` files with the real
shapes: the two releases' opposite visibility flags, the index split,
named joints, image names and boxes."""
import numpy as np
import pytest
from scipy.io import savemat

from hmrzoo.conventions import get_keypoint_idx
from hmrzoo.datasets.converters import run_converter
from hmrzoo.datasets.human_data import load_annotations

# LSP's joint order (README) and the hmrzoo names they are stored as
LSP_AS = ['right_ankle', 'right_knee', 'right_hip_extra', 'left_hip_extra',
          'left_knee', 'left_ankle', 'right_wrist', 'right_elbow',
          'right_shoulder', 'left_shoulder', 'left_elbow', 'left_wrist',
          'neck_extra', 'headtop']
IDX = [get_keypoint_idx(name, 'smpl_54') for name in LSP_AS]


def _box(xy, scale=1.2):
    lo, hi = xy.min(0), xy.max(0)
    size = (hi - lo) * scale
    return np.concatenate([(lo + hi) / 2 - size / 2, size])


def write_lsp(root, seed=0):
    """LSP: ``joints`` 3 x 14 x 2000, flag 1 = occluded.  Returns (2000,
    14, 3) x, y, occluded."""
    rng = np.random.default_rng(seed)
    joints = np.stack([rng.uniform(0, 300, (14, 2000)),
                       rng.uniform(0, 250, (14, 2000)),
                       (rng.random((14, 2000)) < 0.2).astype(float)])
    (root / 'images').mkdir(parents=True)
    savemat(str(root / 'joints.mat'), {'joints': joints})
    return joints.transpose(2, 1, 0)


def write_lspet(root, visible):
    """LSP-ET: ``joints`` 14 x 3 x N, flag 1 = visible; invisible joints
    carry junk positions.  Returns (N, 14, 3) x, y, visible."""
    rng = np.random.default_rng(1)
    visible = np.asarray(visible, float)
    xy = rng.uniform(0, 400, (len(visible), 14, 2))
    xy[visible == 0] = -rng.uniform(1, 50, (int((visible == 0).sum()), 2))
    per_image = np.concatenate([xy, visible[..., None]], axis=-1)
    (root / 'images').mkdir(parents=True)
    savemat(str(root / 'joints.mat'),
            {'joints': per_image.transpose(1, 2, 0)})
    return per_image


def test_lsp_split_names_and_occluded_joints(tmp_path, convert_tool):
    root = tmp_path / 'lsp_dataset_original'
    joints = write_lsp(root)
    train, test = convert_tool(['--dataset', 'lsp', '--root', str(root),
                                '--out', str(tmp_path / 'out')])
    train, test = load_annotations(train), load_annotations(test)
    assert train['sample_id'][[0, -1]].tolist() == ['im0001', 'im1000']
    assert test['sample_id'][[0, -1]].tolist() == ['im1001', 'im2000']
    assert test['image_path'][0] == 'images/im1001.jpg'
    assert len(train['image_path']) == len(test['image_path']) == 1000
    assert str(test['split']) == 'test' and str(test['dataset']) == 'lsp'
    for data, first in ((train, 0), (test, 1000)):
        expected = joints[first:first + 1000]
        # every LSP joint is annotated, occluded ones included
        np.testing.assert_allclose(data['keypoints2d'][:, IDX, :2],
                                   expected[..., :2], rtol=1e-6)
        assert (data['keypoints2d'][:, IDX, 2] == 1).all()
        assert data['keypoints2d'][:, :, 2].sum() == 14 * 1000
        np.testing.assert_allclose(data['bbox_xywh'][7],
                                   _box(expected[7, :, :2]), rtol=1e-5)


def test_lsp_visible_only(tmp_path):
    root = tmp_path / 'lsp_dataset'
    joints = write_lsp(root, seed=5)
    [out] = run_converter('lsp', str(root), str(tmp_path / 'out'),
                          split='test', occluded_confidence=0)
    data = load_annotations(out)
    visible = joints[1000:, :, 2] == 0          # LSP: flag 0 = visible
    assert (data['keypoints2d'][:, IDX, 2] == visible).all()
    assert (data['keypoints2d'][:, IDX, :2][~visible] == 0).all()
    row = int(np.argmax((~visible).sum(1)))     # one with occluded joints
    np.testing.assert_allclose(
        data['bbox_xywh'][row], _box(joints[1000 + row, visible[row], :2]),
        rtol=1e-5)


def test_lspet_flags_names_and_boxes(tmp_path):
    root = tmp_path / 'lspet_dataset'
    visible = np.ones((6, 14))
    visible[1, [0, 5, 13]] = 0
    visible[4, 1:] = 0                          # a single visible joint
    joints = write_lspet(root, visible)
    [out] = run_converter('lspet', str(root), str(tmp_path / 'out'))
    assert out.endswith('lspet_train.npz')
    data = load_annotations(out)
    # image 5 is dropped: one point gives a box without area
    assert data['sample_id'].tolist() == ['im00001', 'im00002', 'im00003',
                                          'im00004', 'im00006']
    assert data['image_path'][1] == 'images/im00002.jpg'
    kept = joints[[0, 1, 2, 3, 5]]
    stored = data['keypoints2d'][:, IDX]
    assert (stored[..., 2] == kept[..., 2]).all()   # LSP-ET: 1 = visible
    np.testing.assert_allclose(stored[..., :2],
                               kept[..., :2] * kept[..., 2:], rtol=1e-6)
    np.testing.assert_allclose(data['bbox_xywh'][1],
                               _box(kept[1, kept[1, :, 2] > 0, :2]),
                               rtol=1e-5)


def test_bad_input_names_the_file_and_release(tmp_path):
    with pytest.raises(FileNotFoundError, match='joints.mat'):
        run_converter('lsp', str(tmp_path), str(tmp_path / 'out'), 'train')
    root = tmp_path / 'lspet_dataset'
    write_lspet(root, np.ones((3, 14)))
    with pytest.raises(ValueError, match=r'\(14, 3, 3\).*--dataset lspet'):
        run_converter('lsp', str(root), str(tmp_path / 'out'), 'train')
