"""Sizes a component knows are derived, not repeated in configs: the
backbone's input channels and the number of RoIs from the data
preprocessor, the head's and neck's input channels from the backbone; a
stated value that disagrees is refused by name."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hmrzoo.registry import MODELS
from hmrzoo.structures import HMRDataSample

init_default_scope('hmrzoo')


def _build(path, **model):
    cfg = Config.fromfile(path)
    cfg.merge_from_dict({f'model.{k}': v for k, v in model.items()})
    return MODELS.build(cfg.model)


def test_backbone_channels_follow_the_network_inputs():
    full = _build('configs/selfsup_depth/r18_selfsup_depth_anny.py')
    heat = _build('configs/selfsup_depth/ablations/'
                  'r18_selfsup_depth_anny_no-depth-input.py')
    # 17 COCO heatmaps (+ 1 depth channel)
    assert full.data_preprocessor.network_channels == 18
    assert full.backbone.conv1.weight.shape[1] == 18
    assert heat.backbone.conv1.weight.shape[1] == 17
    # the head reads ResNet-18's 512 pooled channels
    assert full.head.mlp[0].in_features == 512
    feat = full.extract_feat(torch.zeros(2, 18, 64, 64))
    assert feat.shape == (2, 512)


def test_neck_and_head_channels_follow_the_backbone():
    model = _build('configs/multiroi/r50_cliff_anny.py')
    assert model.head.in_channels == 2048 == model.backbone.out_channels[-1]
    box_term = model.neck.pos_enc.out_dim     # the box encoding's width
    assert model.neck.score[0].in_features == 2048 + box_term
    # M from the preprocessor: one camera decoder per RoI
    assert model.head.num_rois == model.data_preprocessor.num_rois == 5
    three = _build('configs/multiroi/r50_cliff_anny.py',
                   **{'data_preprocessor.num_rois': 3})
    assert three.head.num_rois == 3
    assert three.backbone.conv1.weight.shape[1] == 3   # RGB


def test_pymaf_iuv_head_reads_the_pyramid_channels():
    model = _build('configs/pymaf/r50_pymaf_anny.py',
                   **{'neck.channels': 128})
    assert model.neck.out_channels == 128
    conv = next(m for m in model.iuv_head.modules()
                if isinstance(m, torch.nn.Conv2d))
    assert conv.in_channels == 128


@pytest.mark.parametrize('key, value, source', [
    ('backbone.in_channels', 18, 'the data preprocessor gives '
                                 'in_channels=17'),
    ('head.in_channels', 2048, 'the backbone gives in_channels=512'),
])
def test_a_stated_size_that_disagrees_is_refused(key, value, source):
    with pytest.raises(ValueError) as info:
        _build('configs/hmr/r18_keypoints_anny.py', **{key: value})
    msg = str(info.value)
    assert f'{key}={value}' in msg and source in msg
    assert f'drop {key} from the config' in msg


def test_a_stated_size_that_agrees_is_kept():
    model = _build('configs/hmr/r18_keypoints_anny.py',
                   **{'backbone.in_channels': 17, 'head.in_channels': 512})
    assert model.backbone.conv1.weight.shape[1] == 17


def test_detected_evidence_channels_and_keypoint_count():
    pre = MODELS.build(dict(type='DetectedEvidencePreprocessor',
                            heatmap_size=16, with_iuv=False, with_depth=True,
                            input_convention='coco'))
    assert pre.network_channels == 17 + 1
    assert MODELS.build(dict(type='DetectedEvidencePreprocessor',
                             input_convention='coco')).network_channels \
        == 17 + 3
    assert MODELS.build(dict(type='DetectedEvidencePreprocessor')
                        ).network_channels is None
    samples = []
    for _ in range(2):
        s = HMRDataSample()
        s.gt_keypoints2d = torch.zeros(24, 2)
        s.gt_keypoints2d_mask = torch.ones(24)
        s.input_depth = torch.ones(1, 16, 16)
        samples.append(s)
    with pytest.raises(ValueError, match=r"carry 24 keypoints in "
                       r"'gt_keypoints2d', but input_convention 'coco' has "
                       r'17'):
        pre(dict(inputs=None, data_samples=samples))
    for s in samples:
        s.gt_keypoints2d = torch.zeros(17, 2)
        s.gt_keypoints2d_mask = torch.ones(17)
    out = pre(dict(inputs=None, data_samples=samples))
    assert out['inputs'].shape == (2, pre.network_channels, 16, 16)


def test_cliff_head_takes_the_bbox_information_size():
    model = _build('configs/cliff/cliff_r50_anny.py')
    # fc1 reads the feature, the 3 bbox numbers and Θ (IEF)
    theta = 24 * 6 + model.body_model.num_betas + 3
    assert model.head.fc1.in_features == 2048 + 3 + theta
    with pytest.raises(ValueError, match=r"head.extra_in=0, but "
                       r"bbox_info='cliff' gives extra_in=3"):
        _build('configs/cliff/cliff_r50_anny.py', **{'head.extra_in': 0})
