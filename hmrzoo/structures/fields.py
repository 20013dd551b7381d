"""The data-sample fields as a table the code checks.

Every field an :class:`~hmrzoo.structures.HMRDataSample` carries between
datasets, data preprocessors, estimators and metrics is one row of
:data:`DATA_FIELDS`: its shape (per sample, no batch dimension), its frame
and units, and who writes it.  :func:`check_data_samples` holds a batch to
the table; the estimators call it on what they receive and on what they
predict, so a transform or preprocessor that writes a field of the wrong
shape fails at the first step with the field, the shape and the writer
named, not as a broadcast deep inside a loss.

Shapes are tuples of dimensions: an ``int`` is fixed, a ``str`` a size
bound once per sample (a mask must have the length of its keypoints, so the
two share a name), and a leading ``'*'`` admits extra leading dimensions
(the M RoIs of a Multi-RoI sample).  A field named ``gt_*``, ``input_*``,
``pred_*`` or ``det_*`` that is not in the table is refused: a plugin that
adds one declares it with :func:`register_data_field`.

Metainfo (``sample.metainfo``) is listed in :data:`META_FIELDS` for the
reader; it is not checked (mmengine's own keys live there too).
"""
from typing import Dict, NamedTuple, Sequence, Tuple

import torch

from .evidence import EVIDENCE_CHANNELS


class DataField(NamedTuple):
    """One row of the table: ``shape`` (see the module docstring),
    ``meaning`` (frame and units) and ``writer`` (who sets it)."""
    shape: Tuple
    meaning: str
    writer: str


_CROP = ('normalised crop coordinates: [-1, 1] at the crop corners, x '
         'right, y down')
_DATA = 'PackHMRInputs (annotation files) / synthetic preprocessors'
_SYN = 'SyntheticPoseDataset'

#: name -> DataField, every per-sample field of an HMRDataSample.
DATA_FIELDS: Dict[str, DataField] = dict(
    gt_keypoints2d=DataField(('*', 'K2', 2), _CROP, _DATA),
    gt_keypoints2d_mask=DataField(('K2', ), '1 where labelled', _DATA),
    gt_keypoints2d_full=DataField(
        ('K2', 2), 'full-image pixels', 'SyntheticRoIPreprocessor'),
    det_keypoints2d=DataField(('*', 'Kd', 2), _CROP + ', from a detector',
                              'PackHMRInputs (keypoints2d_detected)'),
    det_keypoints2d_mask=DataField(('Kd', ), '1 where detected',
                                   'PackHMRInputs'),
    gt_keypoints3d=DataField(('K3', 3), 'metres, camera frame (not '
                             'root-centred)', _DATA),
    gt_keypoints3d_mask=DataField(('K3', ), '1 where labelled', _DATA),
    gt_vertices=DataField(('V', 3), 'metres, camera frame',
                          'synthetic preprocessors'),
    gt_global_orient=DataField((1, 3, 3), 'rotation matrix, camera frame',
                               _SYN + ' / PackHMRInputs'),
    gt_body_pose=DataField(('J', 3, 3), 'rotation matrices relative to '
                           'the parent joint', _SYN + ' / PackHMRInputs'),
    gt_betas=DataField(('S', ), 'shape parameters of the body model',
                       _SYN + ' / PackHMRInputs'),
    gt_transl=DataField((3, ), 'metres, camera frame',
                        _SYN + ' / PackHMRInputs'),
    gt_has_smpl=DataField((), '1 when the pose / shape are labelled',
                          'PackHMRInputs'),
    input_keypoints2d=DataField(('*', 'Ki', 2), _CROP + ', the input '
                                'joints (noisy, partly removed or '
                                'detected)', 'evidence preprocessors'),
    input_keypoints2d_mask=DataField(('Ki', ), '1 where given',
                                     'evidence preprocessors'),
    pred_keypoints3d=DataField(('Kp', 3), 'metres, camera frame (the '
                               'predicted translation applied)',
                               'estimators (predict)'),
    pred_vertices=DataField(('Vp', 3), 'metres, camera frame',
                            'estimators (predict)'),
    pred_pose=DataField(('Jp', 3, 3), 'rotation matrices, root first',
                        'estimators (predict)'),
    pred_betas=DataField(('Sp', ), 'shape parameters',
                         'estimators (predict)'),
    pred_cam=DataField(('C', ), "the projection's camera (cam_dim)",
                       'estimators (predict)'),
    pred_body_pose=DataField(('Jb', 3, 3), 'body-joint rotations '
                             'reconstructed by a pose prior',
                             'PosePriorAAE (predict)'),
    pred_random_body_pose=DataField(('Jb', 3, 3), 'body-joint rotations '
                                    'decoded from a random latent',
                                    'PosePriorAAE (predict)'),
    pred_reliability=DataField(('R', ), 'joint reliability in (0, 1) '
                               '(eq. 4 of the joints+depth method)',
                               'SelfSupDepthEstimator (predict)'),
    pred_iuv=DataField((3, 'Hp', 'Wp'), 'compact IUV [I/24, U, V]',
                       'CRAEstimator (predict)'),
    pred_keypoints2d=DataField(('Kp', 2), 'the predicted keypoints '
                               'projected by the predicted camera, in the '
                               'frame of the input keypoints',
                               'STSWholeBodyEstimator (predict)'),
    keypoint_jitter=DataField(('Kj', 2), 'standard-normal input-joint '
                              'noise, scaled by the preprocessor', _SYN),
    keypoint_keep=DataField(('Kj', ), 'True where an input joint is kept',
                            _SYN),
    light_dir=DataField((3, ), 'unit vector towards the light, camera '
                        'frame', _SYN),
    ambient=DataField((), 'ambient share of the shading, 0..1', _SYN),
    part_colors=DataField((25, 3), 'RGB in [0, 1] per IUV part', _SYN),
    background=DataField((3, ), 'RGB in [0, 1]', _SYN),
    texture_seed=DataField((), 'seed of the procedural texture', _SYN),
    background_seed=DataField((), 'seed of the background image', _SYN),
)
_WB = 'SyntheticWholeBodyDataset / whole-body annotation files'
for _p, _w in (('gt_', _WB), ('pred_', 'STSWholeBodyEstimator (predict)')):
    DATA_FIELDS.update({
        f'{_p}left_hand_pose': DataField(
            ('Jh', 3, 3), 'left-hand joint rotations (SMPL-X order)', _w),
        f'{_p}right_hand_pose': DataField(
            ('Jh', 3, 3), 'right-hand joint rotations (SMPL-X order)', _w),
        f'{_p}jaw_pose': DataField((1, 3, 3), 'jaw rotation', _w),
        f'{_p}expression': DataField(
            ('E', ), 'expression coefficients of the whole-body model', _w)})
for _kind, _c in EVIDENCE_CHANNELS.items():
    DATA_FIELDS[f'input_{_kind}'] = DataField(
        ('*', _c, f'H_{_kind}', f'W_{_kind}'), f'{_kind} map of the crop',
        'evidence preprocessors / PackHMRInputs (iuv)')
    DATA_FIELDS[f'gt_{_kind}'] = DataField(
        ('*', _c, f'Ht_{_kind}', f'Wt_{_kind}'), f'{_kind} map rendered from '
        'the clean body (a target)', 'synthetic preprocessors (targets)')

#: metainfo keys the code reads, for the reader (not checked).
META_FIELDS: Dict[str, str] = dict(
    sample_idx='index in the dataset', sample_id='id in the annotation file',
    img_path='source image', img_shape='(H, W) of the network input',
    img_wh='(2,) full-image width, height in pixels',
    focal_length='pixels of the full image (synthetic: the camera sampler)',
    img_size='pixels, side of the synthetic full image',
    roi_center='(M, 2) RoI centres, full-image pixels',
    roi_size='(M,) RoI sides, full-image pixels',
    crop_center='(2,) crop centre, full-image pixels (synthetic)',
    crop_size='() crop side, full-image pixels (synthetic)',
    crop_trans='(M, 2, 3) full image -> crop affine',
    keypoint_convention='convention name of the keypoint fields')

_PREFIXES = ('gt_', 'input_', 'pred_', 'det_')


def register_data_field(name: str, shape: Sequence, meaning: str,
                        writer: str) -> None:
    """Declare a plugin's field (same grammar as :data:`DATA_FIELDS`); an
    existing name must be declared with the same shape."""
    field = DataField(tuple(shape), meaning, writer)
    old = DATA_FIELDS.get(name)
    if old is not None and old.shape != field.shape:
        raise ValueError(f'data field {name!r} is already declared with '
                         f'shape {old.shape} by {old.writer}; choose another '
                         'name')
    DATA_FIELDS[name] = field


def _match(name: str, spec: Tuple, shape: Tuple, sizes: dict) -> str:
    """'' when ``shape`` fits ``spec`` (binding sizes), else the reason."""
    if spec[:1] == ('*', ):
        spec = spec[1:]
        if len(shape) < len(spec):
            return f'needs at least {len(spec)} dimensions'
        shape = shape[len(shape) - len(spec):]
    elif len(shape) != len(spec):
        return f'needs {len(spec)} dimensions'
    for dim, size in zip(spec, shape):
        if isinstance(dim, int):
            if size != dim:
                return f'dimension {dim} expected, got {size}'
        elif sizes.setdefault(dim, (size, name))[0] != size:
            other = sizes[dim][1]
            return (f'{dim}={size}, but {other} has {dim}={sizes[dim][0]}'
                    ' (they must agree)')
    return ''


def check_data_samples(samples: Sequence, where: str) -> None:
    """Hold every sample's fields to :data:`DATA_FIELDS`; a mismatch
    raises ``ValueError`` naming the field, its shape, the expected shape,
    its writer and ``where`` the batch was checked."""
    for i, sample in enumerate(samples or ()):
        sizes: dict = {}
        for name in sample.keys():
            if name in sample.metainfo_keys():
                continue
            field = DATA_FIELDS.get(name)
            if field is None:
                if name.startswith(_PREFIXES):
                    raise ValueError(
                        f'{where}: data sample {i} has field {name!r}, '
                        'which is not in the data-sample table; declare it '
                        'with hmrzoo.structures.register_data_field(name, '
                        'shape, meaning, writer) or fix its name')
                continue
            value = getattr(sample, name)
            if not isinstance(value, torch.Tensor):
                continue
            why = _match(name, field.shape, tuple(value.shape), sizes)
            if why:
                raise ValueError(
                    f'{where}: data sample {i} field {name!r} has shape '
                    f'{tuple(value.shape)}, the table says {field.shape} '
                    f'({field.meaning}; written by {field.writer}): {why}')
