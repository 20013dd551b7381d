"""CRA's streams (``000_f8ace6beef631e18.txt`` §3.3, §4.2): per 2D
representation an encoder, its global and fine-grained features (eq. 1) and
the coarse-to-fine regressors R1 (global) and R2 (fine) of eq. 2."""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS
from .ief_head import head_outputs
from .point_features import PointFeatureReducer

#: what a regressor reads: ``'global'`` φG (R1) or ``'fine'`` φL (R2)
FEATURE_KINDS = ('global', 'fine')


def resnet_feature_size(size: int) -> int:
    """Side of a ResNet's last feature map for a ``size`` input: five
    stride-2 stages, each ``ceil(n / 2)`` (256 -> 8, 64 -> 2)."""
    for _ in range(5):
        size = (size + 1) // 2
    return size


class FineFeatureMLP(PointFeatureReducer):
    """Eq. 1's perceptrons over the H0·W0 positions of φ0: ``φ1 =
    P1(φ0)``, ``φl = Pl([φ(l-1), φ0])`` for l > 1, each Pl a Conv1D
    (kernel 1) and a ReLU; L = 3, channels ``dims`` (256, 64, 8 in §4.2).
    The layer layout of PyMAF's point MLP (:class:`PointFeatureReducer`),
    with CRA's ReLU after every layer.

    Forward: φ0 (B, C0, H0, W0) -> φL (B, C_L·H0·W0), flattened
    channel-major.
    """

    def forward(self, feat: Tensor) -> Tensor:
        x = feat.flatten(2)
        y = F.relu(self.conv0(x))
        y = F.relu(self.conv1(torch.cat([y, x], dim=1)))
        y = F.relu(self.conv2(torch.cat([y, x], dim=1)))
        return y.flatten(1)


class CRAStream(BaseModule):
    """One representation's stream: encoder -> φ0 (B, C0, H0, W0), φG =
    AvgPool(φ0), φL = MLP(φ0) (eq. 1), then its regressors in sequence,
    each continuing the previous estimate (eq. 2: ``Θ = R2(φL; R1(φG;
    Θ0))``).

    Args:
        encoder (dict): backbone config (``ResNet`` with ``in_channels``);
            its last feature map is φ0 and it must say its channels in
            ``out_channels``.
        regressor (dict): regressor config without ``in_channels``
            (``IEFHead``: 2 FC layers of 512, one step, §4.2).
        regressors (sequence[str]): the features each regressor reads, in
            order: ``('global', 'fine')`` = R1, R2 (the method);
            ``('global', 'global')`` = Table 4's {R1 R1}.
        fine_dims (sequence[int]): channels of eq. 1's perceptrons.
        feature_size (int): H0 = W0 for the configured input size.
        fine_features (bool): build the MLP even when no regressor reads
            φL (the fusion reads it).

    Forward: (B, C_in, H, W) -> the regressor output dict
    (:func:`~.ief_head.head_outputs`: the last estimate and per-regressor
    lists) plus ``feat0`` φ0, ``feat_global`` φG (B, C0) and
    ``feat_fine`` φL (B, C_L·H0·W0) or None.
    """

    def __init__(self, encoder: dict, regressor: dict,
                 regressors: Sequence[str] = FEATURE_KINDS,
                 fine_dims: Sequence[int] = (256, 64, 8),
                 feature_size: int = 8, fine_features: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg)
        bad = [r for r in regressors if r not in FEATURE_KINDS]
        if bad or not regressors:
            raise ValueError(f'regressors must name features among '
                             f'{FEATURE_KINDS}, got {tuple(regressors)}')
        self.encoder = MODELS.build(encoder)
        channels = getattr(self.encoder, 'out_channels', None)
        if channels is None:
            raise ValueError(f'{type(self.encoder).__name__} does not say '
                             'its channels (out_channels); CRA needs them')
        c0 = channels[-1] if isinstance(channels, (tuple, list)) \
            else channels
        self.feature_size = int(feature_size)
        self.regressors = tuple(regressors)
        self.mlp = FineFeatureMLP(c0, tuple(fine_dims)) \
            if 'fine' in self.regressors or fine_features else None
        self.fine_channels = int(fine_dims[-1]) * self.feature_size ** 2
        self.global_channels = int(c0)
        sizes = {'global': c0, 'fine': self.fine_channels}
        self.heads = nn.ModuleList(
            MODELS.build(dict(regressor, in_channels=sizes[kind]))
            for kind in self.regressors)

    def forward(self, x: Tensor) -> Dict[str, Optional[Tensor]]:
        feat0 = self.encoder(x)[-1]
        if tuple(feat0.shape[-2:]) != (self.feature_size, ) * 2:
            raise ValueError(
                f'inputs of {tuple(x.shape[-2:])} pixels give a '
                f'{tuple(feat0.shape[-2:])} feature map; the stream was '
                f'built for {self.feature_size}x{self.feature_size} '
                '(set input_size to the inputs\' side)')
        feats = {'global': feat0.mean(dim=(2, 3)),
                 'fine': self.mlp(feat0) if self.mlp is not None else None}
        state = None
        poses, shapes, cams = [], [], []
        for kind, head in zip(self.regressors, self.heads):
            out = head(feats[kind], init=state)
            state = dict(pose6d=out['pred_pose6d'], shape=out['pred_shape'],
                         cam=out['pred_cam'])
            poses += out['pred_pose_list']
            shapes += out['pred_shape_list']
            cams += out['pred_cam_list']
        result = head_outputs(poses, shapes, cams, state['pose6d'])
        result.update(feat0=feat0, feat_global=feats['global'],
                      feat_fine=feats['fine'])
        return result


@MODELS.register_module()
class CRAStreams(nn.ModuleDict):
    """CRA's streams, each reading some evidence channels of the input: a
    dict stream name -> :class:`CRAStream`.

    Args:
        streams (dict): stream name -> evidence kinds it reads, in input
            order (``joints=('heatmaps',)``, ``iuv=('iuv',)``; a single
            ``concat=('heatmaps', 'iuv')`` stream is Table 4's input
            concatenation).
        evidence (sequence[tuple[str, int]]): the input's channel layout,
            ``(kind, channels)`` in order (``(('heatmaps', 17), ('iuv',
            3))`` for COCO heatmaps followed by compact IUV).
        input_size (int): side of the square inputs (fixes H0 = W0).
        **kwargs: :class:`CRAStream` arguments shared by every stream
            (``encoder`` without ``in_channels``, ``regressor``,
            ``regressors``, ``fine_dims``, ``fine_features``).

    Forward: ``maps`` dict kind -> (B, C_kind, H, W) -> dict stream name
    -> :class:`CRAStream` output.
    """

    def __init__(self, streams: Dict[str, Sequence[str]],
                 evidence: Sequence[Tuple[str, int]], input_size: int = 256,
                 **kwargs):
        super().__init__()
        self.layout = {str(kind): int(ch) for kind, ch in evidence}
        self.stream_kinds = {name: tuple(kinds)
                             for name, kinds in streams.items()}
        for name, kinds in self.stream_kinds.items():
            unknown = [k for k in kinds if k not in self.layout]
            if unknown or not kinds:
                raise ValueError(f'stream {name!r} reads {kinds}, but the '
                                 f'input has only {list(self.layout)}')
        size = resnet_feature_size(int(input_size))
        encoder = kwargs.pop('encoder')
        self.update({
            name: CRAStream(dict(encoder, in_channels=sum(
                self.layout[k] for k in kinds)), feature_size=size,
                **kwargs)
            for name, kinds in self.stream_kinds.items()})
        self.feature_size = size

    @property
    def channels(self) -> int:
        """Channels of a complete input."""
        return sum(self.layout.values())

    def split(self, inputs: Tensor,
              optional: Sequence[str] = ()) -> Dict[str, Tensor]:
        """(B, C, H, W) input -> dict kind -> its channels.

        Kinds in ``optional`` may be absent from the end of the layout (an
        input with the other kinds' channels only).
        """
        present = list(self.layout)
        total = self.channels
        while inputs.shape[1] < total and present and \
                present[-1] in optional:
            total -= self.layout[present.pop()]
        if inputs.shape[1] != total:
            raise ValueError(
                f'inputs have {inputs.shape[1]} channels; the model reads '
                f'{self.channels} ({self.layout}, in this order)')
        out, start = {}, 0
        for kind in present:
            out[kind] = inputs[:, start:start + self.layout[kind]]
            start += self.layout[kind]
        return out

    def stream_input(self, name: str, maps: Dict[str, Tensor]) -> Tensor:
        """The channels stream ``name`` reads, concatenated."""
        return torch.cat([maps[k] for k in self.stream_kinds[name]], dim=1)

    def forward(self, maps: Dict[str, Tensor]) -> Dict[str, dict]:
        return {name: stream(self.stream_input(name, maps))
                for name, stream in self.items()}
