"""What :class:`~.protocol_metric.ProtocolMetric` reads, and the checks of
its arguments: where joints and meshes come from (:data:`PRED_JOINT_SOURCES`,
:data:`GT_JOINT_SOURCES`, :data:`VERTEX_CENTRINGS`), evaluation joints *by
name* (a convention or a list, see :mod:`hmrzoo.conventions`),
the (J, V) joint regressor file, and the per-sample fields a protocol needs.
"""
from typing import List, Optional, Sequence, Union

import numpy as np

from ...conventions import KEYPOINT_CONVENTIONS, get_keypoint_num
from ...body_models.smpl import resolve_regressor

#: where predicted joints come from.
PRED_JOINT_SOURCES = ('regressor', 'keypoints')
#: where ground-truth joints come from.
GT_JOINT_SOURCES = ('keypoints', 'body_model')
#: how meshes are placed before PVE.
VERTEX_CENTRINGS = ('root', 'none')
#: the metrics that compare meshes (and so read vertices).
MESH_METRICS = ('PVE', 'PA-PVE')


def check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    """Raise ``ValueError`` unless argument ``name`` is among ``allowed``."""
    if value not in allowed:
        raise ValueError(f'{name} must be one of {tuple(allowed)}, got '
                         f'{value!r}')


def joint_names(value: Union[str, Sequence[str]], what: str) -> List[str]:
    """A convention name (all its joints) or a list of joint names."""
    if isinstance(value, str):
        if value not in KEYPOINT_CONVENTIONS:
            raise ValueError(
                f'{what} is a string, so it must name a keypoint convention '
                f'(all its joints), got {value!r}; known conventions: '
                f'{sorted(KEYPOINT_CONVENTIONS)}. Give a list of joint '
                'names for a subset.')
        return list(KEYPOINT_CONVENTIONS[value])
    names = [str(n) for n in value]
    if not names:
        raise ValueError(f'{what} must name at least one joint')
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f'{what} names joints twice: {dup}')
    return names


def convention_text(convention: Optional[str]) -> str:
    """How the protocol report names a (possibly per-sample) convention."""
    return f'convention {convention!r}' if convention else \
        "the sample's keypoint_convention"


def load_protocol_regressor(regressor: Optional[str],
                            regressor_convention: str, pred_joints: str,
                            gt_joints: str) -> np.ndarray:
    """Read the protocol's (J, V) joint regressor as float64.

    Args:
        regressor (str, optional): the ``.npy`` file; a relative
            ``data/body_models/...`` path is also looked for under
            ``$HMRZOO_BODY_MODELS``.
        regressor_convention (str): convention naming its rows.
        pred_joints, gt_joints (str): the joint sources (named in the error
            when ``regressor`` is None).

    Raises:
        ValueError: no file given, or its row count is not the number of
            joints of ``regressor_convention``.
        BodyModelFileNotFoundError: the file is missing.
    """
    if regressor is None:
        raise ValueError(
            f"pred_joints={pred_joints!r} / gt_joints={gt_joints!r} "
            'need a joint regressor file (regressor=...)')
    kind = 'J_regressor_h36m' if regressor_convention == 'h36m' \
        else 'joint_regressor'
    reg = resolve_regressor(regressor, kind)
    rows = get_keypoint_num(regressor_convention)
    if reg.shape[0] != rows:
        raise ValueError(
            f'{regressor}: {reg.shape[0]} rows, but convention '
            f'{regressor_convention!r} has {rows} joints; set '
            'regressor_convention to the convention of its rows')
    return reg.numpy().astype(np.float64)


def regress_joints(regressor: np.ndarray, regressor_file: str,
                   vertices: np.ndarray, what: str) -> np.ndarray:
    """(V, 3) -> (J, 3) joints of the (J, V) ``regressor`` (read from
    ``regressor_file``); ``what`` names the vertices in the error."""
    if vertices.ndim != 2 or vertices.shape[1] != 3 or \
            vertices.shape[0] != regressor.shape[1]:
        raise ValueError(
            f'{what} has shape {vertices.shape}, but the regressor '
            f'{regressor_file} needs ({regressor.shape[1]}, 3) '
            "vertices; pred_joints='keypoints' evaluates models with "
            'other meshes')
    return regressor @ vertices


def sample_field(sample: dict, key: str, why: str):
    """``sample[key]``, or a ``KeyError`` saying what (``why``) needs it."""
    value = sample.get(key)
    if value is None:
        raise KeyError(f'Data sample has no {key!r}, which {why} needs '
                       f'(sample keys: {sorted(sample)})')
    return value


def sample_convention(sample: dict, given: Optional[str], argument: str,
                      owner: str) -> str:
    """The keypoint convention ``given`` as argument ``argument`` of
    ``owner`` (a metric's class name), else the sample's metainfo
    ``keypoint_convention``."""
    if given is not None:
        return given
    value = sample.get('keypoint_convention')
    if value is None:
        raise KeyError(
            f"Data sample has no metainfo 'keypoint_convention' naming "
            f'the convention of its keypoints; set it in the dataset or '
            f'give {argument}=... to {owner} (sample keys: '
            f'{sorted(sample)})')
    return str(value)
