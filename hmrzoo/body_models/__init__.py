"""Body models: SMPL / SMPL-X (through ``smplx``, from the user's files) and
Anny (the open embedded default), all with one interface
(:class:`~hmrzoo.body_models.base.BaseBodyModel`)."""
from .anny_model import SMPL_TO_ANNY_BONES, Anny
from .anny_wholebody import AnnyWholeBody
from .base import BaseBodyModel
from .mean_params import load_mean_params
from .model_files import (BodyModelFileError, BodyModelFileNotFoundError,
                          UnsafeBodyModelFileError, find_model_file,
                          load_model_arrays)
from .smpl import SMPL
from .smplx_model import SMPLX
from ..conventions import (KEYPOINT_CONVENTIONS, convert_kps, get_flip_pairs,
                          get_keypoint_idx, get_keypoint_names,
                          get_keypoint_num, get_mapping, register_convention)

__all__ = [
    'Anny', 'AnnyWholeBody', 'BaseBodyModel', 'SMPL', 'SMPLX',
    'load_mean_params',
    'BodyModelFileNotFoundError', 'BodyModelFileError',
    'UnsafeBodyModelFileError', 'find_model_file', 'load_model_arrays',
    'SMPL_TO_ANNY_BONES', 'KEYPOINT_CONVENTIONS',
    'convert_kps', 'get_flip_pairs', 'get_keypoint_idx', 'get_keypoint_names',
    'get_keypoint_num', 'get_mapping', 'register_convention',
]
