"""The data sample passed between transforms, models and metrics."""
from typing import Sequence

import torch
from mmengine.structures import BaseDataElement
from torch import Tensor


class HMRDataSample(BaseDataElement):
    """Ground truth, predictions and meta information of one person.

    A plain :class:`~mmengine.structures.BaseDataElement`: fields are set as
    attributes.  The names below are the contract between datasets,
    architectures and metrics (all tensors are per sample, no batch dim):

    Ground truth (set by datasets / transforms):
        gt_keypoints2d (K, 2): keypoints in input-crop pixels.
        gt_keypoints2d_mask (K,): 1 where the keypoint is labelled/visible.
        gt_keypoints3d (K, 3): metres, camera frame (not root-centred).
        gt_keypoints3d_mask (K,)
        gt_vertices (V, 3): metres, camera frame.
        gt_global_orient (3, 3), gt_body_pose (J-1, 3, 3): rotation matrices.
        gt_betas (S,): shape parameters of the body model.
        gt_transl (3,): metres.

    Predictions (set by architectures in ``predict`` mode):
        pred_keypoints3d (K, 3), pred_vertices (V, 3): metres, with the
            predicted camera translation applied when one exists.
        pred_pose (J, 3, 3), pred_betas (S,), pred_cam (C,).

    Meta information (``metainfo``): ``sample_idx``, ``img_shape``,
    ``keypoint_convention``, ``focal_length``, ...
    """


def stack_field(samples: Sequence[BaseDataElement], key: str, device,
                needed_by: str = '') -> Tensor:
    """The field ``key`` of every data sample stacked to (B, ...) on
    ``device``; a missing field names itself, the fields present and
    ``needed_by``."""
    try:
        values = [getattr(s, key) for s in samples]
    except AttributeError:
        hint = f' (needed by {needed_by})' if needed_by else ''
        raise KeyError(f'data sample has no field {key!r}{hint}; fields '
                       f'present: {sorted(samples[0].keys())}') from None
    return torch.stack([torch.as_tensor(v) for v in values]).to(device)
