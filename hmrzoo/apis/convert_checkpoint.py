"""Convert checkpoints released with other codebases to hmrzoo checkpoints.

The result is an mmengine-style file ``{'meta': {...}, 'state_dict': {...}}``
whose keys are those of an hmrzoo :class:`MeshEstimator` (``backbone.*``,
``head.*``; PyMAF also ``neck.*``, ``head.point_reducers.*``,
``iuv_head.*``), so
it can be given to ``tools/test.py`` or ``load_from``.  The
body model and the projection have no weights in it: SMPL comes from the
user's own model files.

Formats (``FORMATS``, name -> converter):

``cliff-res50``
    CLIFF's ResNet-50 release (``res50-PA45.7_MJE72.0_MVE85.3_3dpw.pt``,
    331 keys).  Target: ``backbone=dict(type='ResNet', depth=50)`` and
    ``head=dict(type='IEFHead', in_channels=2048, num_joints=24,
    num_betas=10, extra_in=3)``.
``cliff-hr48``
    CLIFF's HRNet-W48 release (``hr48-PA43.0_MJE69.0_MVE81.2_3dpw.pt``,
    1967 keys).  Target: ``backbone=dict(type='HRNet', arch='w48',
    out_type='cls')`` and the same head.
``pymaf``
    PyMAF's release (``PyMAF_model_checkpoint.pt`` of its ``smpl`` branch,
    441 keys).  Target: ``PyMAFEstimator`` of ``configs/pymaf/r50_pymaf.py``
    (``backbone.*``, ``neck.*``, ``head.point_reducers.*``,
    ``head.regressors.<i>.*``,
    ``iuv_head.*``).

Key mapping (values are never changed, only renamed):

* ``encoder.<rest>`` -> ``backbone.<rest>`` (res50) or
  ``backbone.net.<rest>`` (hr48).  hmrzoo's ``ResNet`` keeps torchvision's
  module names, which the SPIN ResNet-50 of CLIFF also uses.  hmrzoo's
  ``HRNet`` holds timm's ``HighResolutionNet`` as ``net``; timm's module
  tree is the one of the official classification HRNet that CLIFF's
  ``cls_hrnet`` uses, name for name and shape for shape: stem
  ``conv1/bn1/conv2/bn2``, ``layer1``, ``transition{1,2,3}`` (an index
  with no module, e.g. ``transition2.0``, holds no weights in both),
  ``stage{2,3,4}.<m>.branches.<b>.<k>.*`` and ``.fuse_layers.<i>.<j>.*``,
  ``incre_modules.<i>.0.*`` (one Bottleneck in a Sequential in both),
  ``downsamp_modules.<i>.{0,1}.*`` and ``final_layer.{0,1}.*`` (convs with
  a bias in both).  The only difference is that timm builds a classifier
  (``classifier.*``) and CLIFF's checkpoint has none; hmrzoo's HRNet is
  built without it (``num_classes=0``), so nothing is missing.
* ``init_pose``, ``init_shape``, ``init_cam``, ``fc1.*``, ``fc2.*``,
  ``decpose.*``, ``decshape.*``, ``deccam.*`` -> ``head.<same>``: hmrzoo's
  ``IEFHead`` concatenates ``[feature, extra (bbox info), pose, shape,
  cam]`` as CLIFF does and uses the same 6D rotation layout.
* Dropped and reported: ``encoder.fc.*`` (res50) and ``encoder.classifier.*``
  (hr48), ImageNet classifiers that some copies still carry.

PyMAF (names of its ``smpl`` branch; 3 iterations, a 21x21 grid, 431 mesh
points, point MLP 256 -> 128 -> 64 -> 5):

* ``feature_extractor.<rest>`` -> ``backbone.<rest>``: the official
  ``PoseResNet`` keeps torchvision's ResNet-50 names (no ``fc``; its own
  deconvolutions are not built in the released configuration).
* ``deconv_layers.<k>.*`` -> ``neck.deconv_layers.<k>.*``: the same
  ``Sequential`` of [ConvTranspose2d (no bias), BN, ReLU] x 3 in both.
* ``maf_extractor.<i>.conv{0,1,2}.*`` ->
  ``head.point_reducers.<i>.conv{0,1,2}.*``:
  the same 1x1 Conv1d layers, the input feature concatenated after the
  previous layer's output in both.
* ``regressor.<i>.{init_pose,init_shape,init_cam,fc1,fc2,decpose,decshape,
  deccam}`` -> ``head.regressors.<i>.<same>``: hmrzoo's ``IEFHead``
  concatenates
  ``[feature, pose, shape, cam]`` as the official regressor does (fc1 takes
  441 x 5 grid features at i = 0, 431 x 5 mesh features at i = 1, 2).
* ``dp_head.predict_{u,v,uv_index,ann_index}.*`` ->
  ``iuv_head.<same>``.
* Dropped and reported: ``points_grid`` and ``maf_extractor.<i>.Dmap``
  (hmrzoo recomputes the grid and reads the mesh downsampling from the
  user's ``mesh_downsampling.npz``; both are non-persistent buffers there)
  and every ``regressor.<i>.smpl.*`` key: the official regressors embed the
  SMPL model (template, blend shapes, regressors, faces), licensed data
  that is never written to the output; hmrzoo uses the user's own SMPL
  files.  A source without these SMPL keys converts as well.

Source files: ``torch.load(path)['model']`` (CLIFF, PyMAF), a ``state_dict``
entry, or a plain state dict; leading ``module.`` (DataParallel) and
``model.`` prefixes shared by every key are removed.  Every key is checked
against the official layout (names and shapes, written out below from the
architectures) before anything is written.

Adding a format: write ``fn(state_dict) -> Converted`` (prefixes are already
stripped when it is called) and add it to ``FORMATS``; ``Converted.notes``
are sentences added to the summary and the ``meta`` of the output.
"""
import hashlib
import os
import os.path as osp
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

import torch

from ..version import __version__

__all__ = ['ConversionError', 'Converted', 'FORMATS', 'convert_checkpoint',
           'convert_state_dict', 'read_checkpoint', 'extract_state_dict',
           'strip_prefixes', 'guess_format', 'resnet50_layout',
           'cls_hrnet_layout', 'ief_head_layout', 'cliff_layout',
           'rename_cliff_key', 'pymaf_layout', 'rename_pymaf_key']

StateDict = Dict[str, torch.Tensor]
Shape = Tuple[int, ...]
Layout = Dict[str, Shape]

#: prefixes removed when every key carries them (DataParallel, wrappers)
STRIP_PREFIXES = ('module.', 'model.')
#: how many names an error message lists per kind
SHOW = 6


class ConversionError(ValueError):
    """The source cannot be converted to the requested format."""


class Converted(NamedTuple):
    """What a converter returns (``notes``: sentences for the summary)."""
    state_dict: StateDict
    converted_from: str
    dropped_keys: List[str]
    notes: Tuple[str, ...] = ()


# ---- official layouts (names and shapes, written from the architectures)

def _conv(out: Layout, name: str, cout: int, cin: int, k: int,
          bias: bool = False):
    out[f'{name}.weight'] = (cout, cin, k, k)
    if bias:
        out[f'{name}.bias'] = (cout, )


def _bn(out: Layout, name: str, c: int):
    for p in ('weight', 'bias', 'running_mean', 'running_var'):
        out[f'{name}.{p}'] = (c, )
    out[f'{name}.num_batches_tracked'] = ()


def _bottleneck(out: Layout, name: str, cin: int, planes: int):
    """ResNet Bottleneck (expansion 4), projection shortcut when needed."""
    _conv(out, f'{name}.conv1', planes, cin, 1)
    _bn(out, f'{name}.bn1', planes)
    _conv(out, f'{name}.conv2', planes, planes, 3)
    _bn(out, f'{name}.bn2', planes)
    _conv(out, f'{name}.conv3', 4 * planes, planes, 1)
    _bn(out, f'{name}.bn3', 4 * planes)
    if cin != 4 * planes:
        _conv(out, f'{name}.downsample.0', 4 * planes, cin, 1)
        _bn(out, f'{name}.downsample.1', 4 * planes)


def _basic(out: Layout, name: str, c: int):
    """ResNet BasicBlock with equal input and output channels."""
    _conv(out, f'{name}.conv1', c, c, 3)
    _bn(out, f'{name}.bn1', c)
    _conv(out, f'{name}.conv2', c, c, 3)
    _bn(out, f'{name}.bn2', c)


def resnet50_layout() -> Layout:
    """torchvision ResNet-50 parameter/buffer shapes, classifier excluded."""
    out: Layout = {}
    _conv(out, 'conv1', 64, 3, 7)
    _bn(out, 'bn1', 64)
    cin = 64
    for i, (blocks, planes) in enumerate(zip((3, 4, 6, 3),
                                             (64, 128, 256, 512))):
        # the first block of each layer changes the channels (and, from
        # layer2 on, the stride): it alone has a projection shortcut
        for b in range(blocks):
            _bottleneck(out, f'layer{i + 1}.{b}', cin, planes)
            cin = 4 * planes
    return out


def _transition(out: Layout, name: str, prev: List[int], cur: List[int]):
    for i, c in enumerate(cur):
        if i < len(prev):
            if c != prev[i]:  # otherwise an empty slot (no weights)
                _conv(out, f'{name}.{i}.0', c, prev[i], 3)
                _bn(out, f'{name}.{i}.1', c)
            continue
        # a new, lower-resolution branch from the last one (3x3 stride 2)
        for j in range(i + 1 - len(prev)):
            cout = c if j == i - len(prev) else prev[-1]
            _conv(out, f'{name}.{i}.{j}.0', cout, prev[-1], 3)
            _bn(out, f'{name}.{i}.{j}.1', cout)


def _hr_module(out: Layout, name: str, chans: List[int], blocks: int = 4):
    for b, c in enumerate(chans):
        for k in range(blocks):
            _basic(out, f'{name}.branches.{b}.{k}', c)
    if len(chans) == 1:
        return
    for i, ci in enumerate(chans):
        for j, cj in enumerate(chans):
            if j > i:  # 1x1 conv + BN, then upsampling (no weights)
                _conv(out, f'{name}.fuse_layers.{i}.{j}.0', ci, cj, 1)
                _bn(out, f'{name}.fuse_layers.{i}.{j}.1', ci)
            elif j < i:  # i - j 3x3 stride-2 convs, the last one to ci
                for k in range(i - j):
                    cout = ci if k == i - j - 1 else cj
                    _conv(out, f'{name}.fuse_layers.{i}.{j}.{k}.0', cout,
                          cj, 3)
                    _bn(out, f'{name}.fuse_layers.{i}.{j}.{k}.1', cout)


def cls_hrnet_layout(width: int = 48) -> Layout:
    """Classification HRNet-W<width> shapes (stem, 4 stages, incre /
    downsamp / final layers), classifier excluded.  Stage 2/3/4 have 1/4/3
    modules of 4 BasicBlocks per branch (widths 18 to 64)."""
    out: Layout = {}
    _conv(out, 'conv1', 64, 3, 3)
    _bn(out, 'bn1', 64)
    _conv(out, 'conv2', 64, 64, 3)
    _bn(out, 'bn2', 64)
    cin = 64
    for b in range(4):
        _bottleneck(out, f'layer1.{b}', cin, 64)
        cin = 256
    prev = [256]
    for stage, modules in ((2, 1), (3, 4), (4, 3)):
        chans = [width * 2**i for i in range(stage)]
        _transition(out, f'transition{stage - 1}', prev, chans)
        for m in range(modules):
            _hr_module(out, f'stage{stage}.{m}', chans)
        prev = chans
    head = (32, 64, 128, 256)
    for i, c in enumerate(prev):
        _bottleneck(out, f'incre_modules.{i}.0', c, head[i])
    for i in range(len(head) - 1):
        _conv(out, f'downsamp_modules.{i}.0', 4 * head[i + 1], 4 * head[i],
              3, bias=True)
        _bn(out, f'downsamp_modules.{i}.1', 4 * head[i + 1])
    _conv(out, 'final_layer.0', 2048, 4 * head[-1], 1, bias=True)
    _bn(out, 'final_layer.1', 2048)
    return out


def ief_head_layout(in_channels: int = 2048, extra_in: int = 3,
                    num_joints: int = 24, num_betas: int = 10,
                    cam_dim: int = 3, hidden: int = 1024) -> Layout:
    """Shapes of an IEF regressor (SPIN / CLIFF / hmrzoo ``IEFHead``)."""
    npose = 6 * num_joints
    in_dim = in_channels + extra_in + npose + num_betas + cam_dim
    out: Layout = {'init_pose': (1, npose), 'init_shape': (1, num_betas),
                   'init_cam': (1, cam_dim)}
    for name, cout, cin in (('fc1', hidden, in_dim), ('fc2', hidden, hidden),
                            ('decpose', npose, hidden),
                            ('decshape', num_betas, hidden),
                            ('deccam', cam_dim, hidden)):
        out[f'{name}.weight'] = (cout, cin)
        out[f'{name}.bias'] = (cout, )
    return out


# ---- CLIFF ---------------------------------------------------------------

#: arch -> (encoder layout, hmrzoo backbone prefix, encoder keys to drop)
_CLIFF_ARCHS: Dict[str, Tuple[Callable[[], Layout], str, str]] = {
    'res50': (resnet50_layout, 'backbone.', 'encoder.fc.'),
    'hr48': (lambda: cls_hrnet_layout(48), 'backbone.net.',
             'encoder.classifier.'),
}
_CLIFF_FC1 = ('CLIFF\'s regressor takes 2208 inputs: 2048 image feature + 3 '
              'bbox values + 144 pose (24 joints x 6D) + 10 betas + 3 camera')


def cliff_layout(arch: str) -> Layout:
    """Names and shapes of an official CLIFF state dict (``res50``/``hr48``)
    without prefixes."""
    encoder, _, _ = _CLIFF_ARCHS[arch]
    out = {f'encoder.{k}': v for k, v in encoder().items()}
    out.update(ief_head_layout())
    return out


def rename_cliff_key(key: str, arch: str) -> str:
    """hmrzoo name of an official CLIFF key (prefixes already removed)."""
    _, backbone_prefix, _ = _CLIFF_ARCHS[arch]
    if key.startswith('encoder.'):
        return backbone_prefix + key[len('encoder.'):]
    if key in ief_head_layout():
        return 'head.' + key
    raise ConversionError(f'{key!r} is not a CLIFF key (encoder.* or a '
                          f'regressor key: {", ".join(ief_head_layout())})')


def _listing(keys: List[str]) -> str:
    shown = ', '.join(keys[:SHOW])
    return shown + (f', ... ({len(keys) - SHOW} more)'
                    if len(keys) > SHOW else '')


def _check_names(state_dict: StateDict, keys: List[str], expected: Layout,
                 fmt: str, header: str) -> None:
    """Raise :class:`ConversionError` (``header``, the unexpected and the
    missing names, and the format the file looks like) unless ``keys`` are
    exactly the names of the layout."""
    unknown = [k for k in keys if k not in expected]
    missing = [k for k in expected if k not in state_dict]
    if not (unknown or missing):
        return
    lines = [header]
    if unknown:
        lines.append(f'{len(unknown)} unexpected key(s): '
                     f'{_listing(unknown)}')
    if missing:
        lines.append(f'{len(missing)} missing key(s): {_listing(missing)}')
    guessed, description = guess_format(state_dict)
    if description and guessed != fmt:
        lines.append(f'it looks like {description}')
    raise ConversionError('\n  '.join(lines))


def _wrong_shapes(state_dict: StateDict, keys: List[str],
                  expected: Layout) -> List[Tuple[str, Shape, Shape]]:
    """(key, shape found, shape expected) of every mismatch."""
    return [(k, tuple(state_dict[k].shape), expected[k]) for k in keys
            if tuple(state_dict[k].shape) != expected[k]]


def _convert_cliff(state_dict: StateDict, arch: str) -> Converted:
    fmt = f'cliff-{arch}'
    _, _, drop_prefix = _CLIFF_ARCHS[arch]
    expected = cliff_layout(arch)
    dropped = [k for k in state_dict if k.startswith(drop_prefix)]
    keys = [k for k in state_dict if not k.startswith(drop_prefix)]
    _check_names(state_dict, keys, expected, fmt,
                 f'not an official CLIFF {arch} state dict '
                 f'({len(expected)} keys expected, {len(keys)} found):')
    wrong = _wrong_shapes(state_dict, keys, expected)
    if wrong:
        lines = [f'{len(wrong)} tensor(s) of the CLIFF {arch} state dict '
                 'have unexpected shapes:']
        lines += [f'{k}: {tuple(got)}, expected {want}'
                  for k, got, want in wrong[:SHOW]]
        fc1 = state_dict['fc1.weight'].shape
        if tuple(fc1) != expected['fc1.weight']:
            note = _CLIFF_FC1
            if len(fc1) == 2 and fc1[1] == 2205:
                note += ('; 2205 is SPIN/HMR\'s regressor, which has no bbox '
                         'input')
            lines.append(note)
        raise ConversionError('\n  '.join(lines))
    out = {rename_cliff_key(k, arch): state_dict[k] for k in keys}
    return Converted(out, f'CLIFF official ({arch})', dropped)


def convert_cliff_res50(state_dict: StateDict) -> Converted:
    """CLIFF ResNet-50 release -> hmrzoo ``ResNet(depth=50)`` + IEFHead."""
    return _convert_cliff(state_dict, 'res50')


def convert_cliff_hr48(state_dict: StateDict) -> Converted:
    """CLIFF HRNet-W48 release -> hmrzoo ``HRNet('w48', 'cls')`` + IEFHead."""
    return _convert_cliff(state_dict, 'hr48')


# ---- PyMAF ---------------------------------------------------------------

#: the released configuration: iterations, grid side, downsampled mesh size,
#: SMPL vertices, point-MLP widths (input first), pyramid channels
PYMAF_ITERS = 3
PYMAF_GRID = 21
PYMAF_POINTS = 431
PYMAF_VERTICES = 6890
PYMAF_MLP = (256, 128, 64, 5)
PYMAF_CHANNELS = 256
#: official prefix -> hmrzoo prefix (keys of the PyMAF layout)
_PYMAF_RENAMES = (('feature_extractor.', 'backbone.'),
                  ('deconv_layers.', 'neck.deconv_layers.'),
                  ('maf_extractor.', 'head.point_reducers.'),
                  ('regressor.', 'head.regressors.'),
                  ('dp_head.', 'iuv_head.'))
_PYMAF_FC1 = ('PyMAF\'s regressors take the point features (441 grid points '
              'x 5 at iteration 0, 431 mesh points x 5 after) + 144 pose '
              '(24 joints x 6D) + 10 betas + 3 camera: 2362 and 2312 inputs')


def pymaf_layout() -> Layout:
    """Names and shapes of an official PyMAF state dict (``smpl`` branch,
    released configuration) without prefixes, except the SMPL buffers that
    each regressor embeds (``regressor.<i>.smpl.*``, handled by
    :func:`convert_pymaf`)."""
    grid = PYMAF_GRID ** 2
    feat = PYMAF_MLP[0]
    out: Layout = {'points_grid': (1, 2, grid)}
    out.update({f'feature_extractor.{k}': v
                for k, v in resnet50_layout().items()})
    cin = 2048
    for k in range(PYMAF_ITERS):
        # ConvTranspose2d weights are (in, out, kh, kw)
        out[f'deconv_layers.{3 * k}.weight'] = (cin, PYMAF_CHANNELS, 4, 4)
        _bn(out, f'deconv_layers.{3 * k + 1}', PYMAF_CHANNELS)
        cin = PYMAF_CHANNELS
    for i in range(PYMAF_ITERS):
        out[f'maf_extractor.{i}.Dmap'] = (PYMAF_POINTS, PYMAF_VERTICES)
        cin = feat
        for layer, width in enumerate(PYMAF_MLP[1:]):
            out[f'maf_extractor.{i}.conv{layer}.weight'] = (width, cin, 1)
            out[f'maf_extractor.{i}.conv{layer}.bias'] = (width, )
            # deeper layers see the input feature again
            cin = width + feat
    for i in range(PYMAF_ITERS):
        points = grid if i == 0 else PYMAF_POINTS
        head = ief_head_layout(in_channels=points * PYMAF_MLP[-1],
                               extra_in=0)
        out.update({f'regressor.{i}.{k}': v for k, v in head.items()})
    for name, cout in (('predict_u', 25), ('predict_v', 25),
                       ('predict_uv_index', 25), ('predict_ann_index', 15)):
        _conv(out, f'dp_head.{name}', cout, PYMAF_CHANNELS, 3, bias=True)
    return out


def _is_pymaf_smpl_key(key: str) -> bool:
    parts = key.split('.')
    return (len(parts) > 3 and parts[0] == 'regressor'
            and parts[1] in {str(i) for i in range(PYMAF_ITERS)}
            and parts[2] == 'smpl')


def _is_pymaf_dropped(key: str) -> bool:
    """Keys with no hmrzoo counterpart: the grid, the downsampling maps
    (recomputed / read from the user's files) and the embedded SMPL."""
    return (key == 'points_grid' or key.endswith('.Dmap')
            or _is_pymaf_smpl_key(key))


def rename_pymaf_key(key: str) -> str:
    """hmrzoo name of an official PyMAF key (prefixes already removed)."""
    if key in pymaf_layout() and not _is_pymaf_dropped(key):
        for src, dst in _PYMAF_RENAMES:
            if key.startswith(src):
                return dst + key[len(src):]
    raise ConversionError(f'{key!r} is not a PyMAF key with an hmrzoo '
                          'counterpart')


def convert_pymaf(state_dict: StateDict) -> Converted:
    """PyMAF release -> hmrzoo ``PyMAFEstimator`` (configs/pymaf/
    r50_pymaf.py); the embedded SMPL data is never written."""
    expected = pymaf_layout()
    smpl = [k for k in state_dict if _is_pymaf_smpl_key(k)]
    keys = [k for k in state_dict if not _is_pymaf_smpl_key(k)]
    _check_names(state_dict, keys, expected, 'pymaf',
                 f'not an official PyMAF state dict ({len(expected)} keys '
                 'expected besides the regressors\' embedded SMPL, '
                 f'{len(keys)} found):')
    wrong = _wrong_shapes(state_dict, keys, expected)
    if wrong:
        lines = [f'{len(wrong)} tensor(s) of the PyMAF state dict have '
                 'unexpected shapes (hmrzoo converts the released '
                 f'configuration: {PYMAF_ITERS} iterations, a '
                 f'{PYMAF_GRID}x{PYMAF_GRID} grid, {PYMAF_POINTS} mesh '
                 'points):']
        lines += [f'{k}: {tuple(got)}, expected {want}'
                  for k, got, want in wrong[:SHOW]]
        if any(k.startswith('regressor.') and k.endswith('fc1.weight')
               for k, _, _ in wrong):
            lines.append(_PYMAF_FC1)
        raise ConversionError('\n  '.join(lines))
    out = {rename_pymaf_key(k): state_dict[k] for k in keys
           if not _is_pymaf_dropped(k)}
    dropped = [k for k in keys if _is_pymaf_dropped(k)] + smpl
    notes = ()
    if smpl:
        notes = (f'the {len(smpl)} regressor.<i>.smpl.* tensors are the SMPL '
                 'model embedded in the source (licensed data) and are not '
                 'written; hmrzoo builds SMPL from your own files', )
    return Converted(out, 'PyMAF official (ResNet-50, smpl branch)', dropped,
                     notes)


#: format name -> converter (``state_dict`` without prefixes -> Converted)
FORMATS: Dict[str, Callable[[StateDict], Converted]] = {
    'cliff-res50': convert_cliff_res50,
    'cliff-hr48': convert_cliff_hr48,
    'pymaf': convert_pymaf,
}


# ---- recognising a layout ------------------------------------------------

def guess_format(state_dict) -> Tuple[Optional[str], Optional[str]]:
    """``(format name or None, description)`` of what a (prefix-free) state
    dict looks like, for error messages; ``(None, None)`` if unknown."""
    keys = list(state_dict)

    def has(prefix):
        return any(k.startswith(prefix) for k in keys)

    if has('backbone.') and has('head.'):
        return None, ('an hmrzoo checkpoint already (backbone.* and head.* '
                      'keys): it needs no conversion')
    if has('maf_extractor.') or (has('feature_extractor.')
                                 and has('regressor.')):
        return 'pymaf', ('a PyMAF checkpoint (feature_extractor.*, '
                         'maf_extractor.*, regressor.<i>.* keys): use '
                         '--format pymaf')
    if any('downsample_stage_' in k for k in keys):
        return None, ('a model whose HRNet branches are downsampled and '
                      'concatenated (downsample_stage_* keys, as in '
                      'Multi-RoI-style encoders), not CLIFF\'s '
                      'classification HRNet')
    if has('encoder.stage4.') and has('encoder.incre_modules.'):
        return 'cliff-hr48', ('CLIFF with the HRNet-W48 encoder: use '
                              '--format cliff-hr48')
    if has('encoder.layer4.') and 'fc1.weight' in keys:
        return 'cliff-res50', ('CLIFF with the ResNet-50 encoder: use '
                               '--format cliff-res50')
    if has('layer4.') and 'fc1.weight' in keys:
        return None, ('a SPIN / HMR checkpoint (ResNet at the top level, no '
                      'encoder. prefix), not CLIFF')
    if has('layer4.') and 'fc.weight' in keys:
        return None, 'an ImageNet ResNet classifier (backbone weights only)'
    if has('stage4.') and has('classifier.'):
        return None, 'an ImageNet HRNet classifier (backbone weights only)'
    return None, None


# ---- files ---------------------------------------------------------------

def read_checkpoint(path: str, allow_pickle: bool = False):
    """``torch.load`` a source file on the CPU, with clear errors.

    ``allow_pickle`` loads with ``weights_only=False``, which runs arbitrary
    code from the file: only for files from a trusted source.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'source checkpoint not found: {path}')
    try:
        return torch.load(path, map_location='cpu',
                          weights_only=not allow_pickle)
    except Exception as exc:
        detail = _load_error_detail(exc)
        if not allow_pickle and 'Unsupported global' in str(exc):
            raise ConversionError(
                f'{path} holds Python objects besides tensors ({detail}); if '
                'the file comes from a source you trust, pass --allow-pickle '
                '(allow_pickle=True)') from exc
        raise ConversionError(
            f'{path} cannot be read as a PyTorch checkpoint '
            f'({type(exc).__name__}: {detail}): it is truncated, corrupt or '
            'not a checkpoint; download it again') from exc


def _load_error_detail(exc: Exception) -> str:
    """The informative line of a ``torch.load`` error."""
    text = str(exc)
    marker = 'WeightsUnpickler error:'
    if marker in text:
        text = text[text.index(marker) + len(marker):]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    line = lines[0] if lines else ''
    return line if len(line) <= 160 else line[:157] + '...'


def extract_state_dict(ckpt) -> StateDict:
    """The state dict of a loaded file: its ``'model'`` entry (CLIFF), its
    ``'state_dict'`` entry, or the file itself if it is a state dict."""
    if not isinstance(ckpt, dict):
        raise ConversionError(f'the file holds a {type(ckpt).__name__}, '
                              'expected a dict')
    if 'model' in ckpt:
        sd, where = ckpt['model'], "the 'model' entry"
    elif 'state_dict' in ckpt:
        sd, where = ckpt['state_dict'], "the 'state_dict' entry"
    elif ckpt and all(isinstance(v, torch.Tensor) for v in ckpt.values()):
        return dict(ckpt)
    else:
        raise ConversionError(
            "the file has no 'model' or 'state_dict' entry and is not a "
            f'state dict (entries: {_listing(sorted(map(str, ckpt)))})')
    if isinstance(sd, torch.nn.Module):
        sd = sd.state_dict()
    if not isinstance(sd, dict) or not sd:
        raise ConversionError(f'{where} is not a non-empty state dict '
                              f'({type(sd).__name__})')
    bad = [str(k) for k, v in sd.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise ConversionError(f'{where} holds non-tensor entries: '
                              f'{_listing(bad)}')
    return dict(sd)


def strip_prefixes(state_dict: StateDict,
                   prefixes=STRIP_PREFIXES) -> Tuple[StateDict, List[str]]:
    """Remove each of ``prefixes`` while every key starts with it; return
    the new dict and the prefixes removed, in order."""
    removed = []
    changed = True
    while changed and state_dict:
        changed = False
        for p in prefixes:
            if all(k.startswith(p) for k in state_dict):
                state_dict = {k[len(p):]: v for k, v in state_dict.items()}
                removed.append(p)
                changed = True
    return state_dict, removed


def convert_state_dict(state_dict: StateDict,
                       fmt: str) -> Tuple[Converted, List[str]]:
    """Strip prefixes and convert; returns ``(Converted, prefixes)``."""
    if fmt not in FORMATS:
        raise ValueError(f'unknown format {fmt!r}; formats: '
                         f'{", ".join(FORMATS)}')
    state_dict, prefixes = strip_prefixes(state_dict)
    return FORMATS[fmt](state_dict), prefixes


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def convert_checkpoint(src: str, dst: str, fmt: str,
                       allow_pickle: bool = False) -> dict:
    """Convert the file ``src`` of format ``fmt`` and save it as ``dst``.

    Returns:
        dict with ``dst``, ``meta`` (as written) and ``summary`` (one line).

    Raises:
        FileNotFoundError: ``src`` does not exist.
        ConversionError: ``src`` cannot be read or is not of format ``fmt``
            (unexpected / missing keys are named, wrong shapes listed).
        ValueError: unknown ``fmt``, or ``dst`` is ``src``.
    """
    if fmt not in FORMATS:
        raise ValueError(f'unknown format {fmt!r}; formats: '
                         f'{", ".join(FORMATS)}')
    ckpt = read_checkpoint(src, allow_pickle)
    if osp.exists(dst) and osp.samefile(src, dst):
        raise ValueError(f'the output would overwrite the source: {dst}')
    try:
        converted, prefixes = convert_state_dict(extract_state_dict(ckpt),
                                                 fmt)
    except ConversionError as exc:
        raise ConversionError(f'{src} (--format {fmt}): {exc}') from None
    meta = dict(converted_from=converted.converted_from, format=fmt,
                source=osp.basename(src), source_sha256=_sha256(src),
                stripped_prefixes=prefixes,
                dropped_keys=list(converted.dropped_keys),
                num_keys=len(converted.state_dict),
                hmrzoo_version=__version__)
    if converted.notes:
        meta['notes'] = list(converted.notes)
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    torch.save(dict(meta=meta, state_dict=converted.state_dict), dst)
    summary = (f'{src} -> {dst}: {len(converted.state_dict)} keys converted '
               f'from {converted.converted_from}')
    if converted.dropped_keys:
        summary += (f'; dropped {len(converted.dropped_keys)} with no hmrzoo '
                    f'counterpart: {_listing(converted.dropped_keys)}')
    for note in converted.notes:
        summary += f'; {note}'
    return dict(dst=dst, meta=meta, summary=summary)
