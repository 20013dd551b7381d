"""PyMAF's regressors over its feature pyramid (``004_5b6799bce7999b60.txt``
§3.2, eq. 3): T steps, each continuing the previous estimate (detached) from
point-wise features of its level: a uniform grid at t = 0, the current mesh
(downsampled and projected, given by the estimator) at t > 0."""
from typing import Callable, Dict, Sequence

from mmengine.model import BaseModule
from torch import Tensor, nn

from ...registry import MODELS
from .ief_head import head_outputs
from .point_features import PointFeatureReducer, grid_points, sample_points

FEEDBACKS = ('mesh', 'grid', 'global')

#: ``(pose6d (B, J*6), shape (B, S), cam (B, C)) -> (B, P, 2)`` normalised
#: points of the current mesh
MeshPoints = Callable[[Tensor, Tensor, Tensor], Tensor]


@MODELS.register_module()
class PyMAFHead(BaseModule):
    """Per-level regressors and point-feature MLPs of PyMAF.

    Args:
        regressor (dict): template of the per-level regressors (an
            ``IEFHead`` config without ``in_channels``; one step each, the
            input size follows from the point features).
        num_levels (int): T, the pyramid levels (one step per level).
        point_channels (int): channels of the maps point features are
            sampled from.
        feedback (str): features fed back at t > 0: ``'mesh'``, ``'grid'``
            or ``'global'`` (the level's average-pooled map).
        pyramid (bool): one regressor and point MLP per level (the method);
            False: one shared by every step (Table 4's non-pyramidal rows).
        init_feature (str): t = 0 points: ``'grid'`` or ``'mesh'``.
        grid_size (int): grid side (21).
        num_points (int): points of the downsampled mesh (431).
        point_dims (tuple): widths of the point MLP (128, 64, 5).

    Forward: ``maps`` (T maps (B, point_channels, h_t, w_t), the map read
    at each step) and ``mesh_points`` (:data:`MeshPoints`) -> the
    iterative-regressor output dict (``pred_pose`` ... and the
    per-step lists).
    """

    def __init__(self, regressor: dict, num_levels: int, point_channels: int,
                 feedback: str = 'mesh', pyramid: bool = True,
                 init_feature: str = 'grid', grid_size: int = 21,
                 num_points: int = 431, point_dims=(128, 64, 5),
                 init_cfg=None):
        super().__init__(init_cfg)
        if feedback not in FEEDBACKS:
            raise ValueError(f'feedback must be one of {FEEDBACKS}, got '
                             f'{feedback!r}')
        if init_feature not in ('grid', 'mesh'):
            raise ValueError("init_feature must be 'grid' or 'mesh'")
        self.feedback, self.pyramid = feedback, pyramid
        self.init_feature, self.num_levels = init_feature, num_levels
        sizes = [self._feature_size(t, point_channels, grid_size ** 2,
                                    num_points, point_dims[-1])
                 for t in range(num_levels)]
        count = num_levels if pyramid else 1
        if len(set(sizes)) > count:
            raise ValueError(
                f'one shared regressor (pyramid=False) needs one feature size'
                f' for every iteration, got {sizes}; use init_feature="mesh"'
                ' with mesh feedback, as the non-pyramidal rows of Table 4')
        if feedback != 'global':
            self.point_reducers = nn.ModuleList(
                PointFeatureReducer(point_channels, tuple(point_dims))
                for _ in range(count))
        self.regressors = nn.ModuleList(
            MODELS.build(dict(regressor, in_channels=sizes[k], n_iter=1))
            for k in range(count))
        self.register_buffer('points_grid', grid_points(grid_size),
                             persistent=False)

    def _feature_size(self, t, channels, n_grid, n_mesh, per_point) -> int:
        points = self.init_feature if t == 0 else self.feedback
        if self.feedback == 'global':
            return channels
        return per_point * (n_grid if points == 'grid' else n_mesh)

    def forward(self, maps: Sequence[Tensor],
                mesh_points: MeshPoints) -> Dict[str, object]:
        first = self.regressors[0]
        batch = maps[0].shape[0]
        state = dict(pose6d=first.init_pose.expand(batch, -1),
                     shape=first.init_shape.expand(batch, -1),
                     cam=first.init_cam.expand(batch, -1))
        poses, shapes, cams = [], [], []
        for t, fmap in enumerate(maps):
            k = t if self.pyramid else 0
            # the loop feeds back the previous estimate, detached (eq. 3)
            state = {key: v.detach() for key, v in state.items()}
            if self.feedback == 'global':
                feat = fmap.mean(dim=(2, 3))
            else:
                mode = self.init_feature if t == 0 else self.feedback
                if mode == 'grid':
                    points = self.points_grid[None].expand(batch, -1, -1)
                else:
                    points = mesh_points(state['pose6d'], state['shape'],
                                         state['cam'])
                feat = self.point_reducers[k](sample_points(fmap, points))
            out = self.regressors[k](feat, init=state)
            state = dict(pose6d=out['pred_pose6d'], shape=out['pred_shape'],
                         cam=out['pred_cam'])
            poses.append(out['pred_pose'])
            shapes.append(out['pred_shape'])
            cams.append(out['pred_cam'])
        return head_outputs(poses, shapes, cams, state['pose6d'])
