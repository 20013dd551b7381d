"""PyMAF's released checkpoint (format ``pymaf``).

PyMAF's release (``PyMAF_model_checkpoint.pt`` of its ``smpl`` branch, 441
keys).  Target: ``PyMAFEstimator`` of ``configs/pymaf/r50_pymaf.py``
(``backbone.*``, ``neck.*``, ``head.point_reducers.*``,
``head.regressors.<i>.*``, ``iuv_head.*``).

Key mapping (names of its ``smpl`` branch; 3 iterations, a 21x21 grid, 431
mesh points, point MLP 256 -> 128 -> 64 -> 5; values are never changed,
only renamed):

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
"""
from ...registry import CHECKPOINT_FORMATS
from .formats import has_prefix, recognizes
from .layouts import (ConversionError, Converted, Layout, StateDict, add_bn,
                      add_conv, check_names, ief_head_layout,
                      resnet50_layout, shape_error, wrong_shapes)

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
        add_bn(out, f'deconv_layers.{3 * k + 1}', PYMAF_CHANNELS)
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
        add_conv(out, f'dp_head.{name}', cout, PYMAF_CHANNELS, 3, bias=True)
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


def _looks_like_pymaf(state_dict):
    if has_prefix(state_dict, 'maf_extractor.') or (
            has_prefix(state_dict, 'feature_extractor.')
            and has_prefix(state_dict, 'regressor.')):
        return ('a PyMAF checkpoint (feature_extractor.*, maf_extractor.*, '
                'regressor.<i>.* keys): use --format pymaf')
    return None


@CHECKPOINT_FORMATS.register_module(name='pymaf')
@recognizes(_looks_like_pymaf)
def convert_pymaf(state_dict: StateDict) -> Converted:
    """PyMAF release -> hmrzoo ``PyMAFEstimator`` (configs/pymaf/
    r50_pymaf.py); the embedded SMPL data is never written."""
    expected = pymaf_layout()
    smpl = [k for k in state_dict if _is_pymaf_smpl_key(k)]
    keys = [k for k in state_dict if not _is_pymaf_smpl_key(k)]
    check_names(state_dict, keys, expected, 'pymaf',
                f'not an official PyMAF state dict ({len(expected)} keys '
                'expected besides the regressors\' embedded SMPL, '
                f'{len(keys)} found):')
    wrong = wrong_shapes(state_dict, keys, expected)
    if wrong:
        notes = [_PYMAF_FC1] if any(
            k.startswith('regressor.') and k.endswith('fc1.weight')
            for k, _, _ in wrong) else []
        raise shape_error(
            f'{len(wrong)} tensor(s) of the PyMAF state dict have unexpected '
            'shapes (hmrzoo converts the released configuration: '
            f'{PYMAF_ITERS} iterations, a {PYMAF_GRID}x{PYMAF_GRID} grid, '
            f'{PYMAF_POINTS} mesh points):', wrong, *notes)
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
