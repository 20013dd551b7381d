"""PyMAF: pyramidal mesh alignment feedback (``004_5b6799bce7999b60.txt``).

ResNet-50 -> deconvolution pyramid (the neck: 14², 28², 56² for a 224² crop)
-> :class:`~hmrzoo.models.heads.PyMAFHead`, T regressors each continuing the
previous estimate (eq. 3) from point-wise features of its pyramid level: a
uniform grid at t = 0, the current mesh (downsampled to ~431 points and
projected with the current camera, :meth:`PyMAFEstimator.mesh_points`) at
t > 0.  An auxiliary head predicts dense correspondences (IUV) from the
finest level (eq. 4).  Everything else (body model, projection, the SPIN
losses of eq. 2 on every iteration) comes from :class:`MeshEstimator`.
"""
from typing import List, Optional, Tuple

import torch
from torch import Tensor

from ...body_models.mesh_downsampling import downsampling_for
from ...utils.rotations import rot6d_to_rotmat
from ...registry import MODELS
from ...structures import HMRDataSample, projection_meta
from ..losses import BatchGroundTruth
from ...renderers import render_compact_iuv
from .base_estimator import LOSS_TERMS
from .mesh_estimator import MeshEstimator

#: what the point features are sampled from (Table 5's "input type"):
#: the level's feature map, or the auxiliary head's prediction on it
#: (25 part probabilities, with their 2 x 25 U, V for 'iuv')
POINT_INPUTS = dict(features=None, parts=25, iuv=75)


@MODELS.register_module()
class PyMAFEstimator(MeshEstimator):
    """PyMAF and the feedback ablations of its Tables 4-6.

    Args:
        neck (dict): the pyramid (``DeconvPyramid``); its ``num_layers`` is
            the number of iterations T.
        head (dict): template of the per-level regressors (an ``IEFHead``
            config without ``in_channels``; PyMAF: HMR's layout, one
            iteration each, input sizes per level), given to
            :class:`~hmrzoo.models.heads.PyMAFHead` with the options below.
        feedback (str): features fed back at t > 0: ``'mesh'`` (mesh-aligned,
            the method), ``'grid'`` (the 21x21 grid again) or ``'global'``
            (the level's average-pooled map).
        pyramid (bool): level t for iteration t with its own regressor and
            point MLP (the method); False: the finest level and one shared
            regressor for every iteration (Table 4's non-pyramidal rows).
        init_feature (str): t = 0 points: ``'grid'`` (the method) or
            ``'mesh'`` (the mean-pose mesh, Table 6).
        grid_size (int): grid side (21).
        num_points (int): downsampled mesh size (431) when computed.
        downsampling (str, optional): GraphCMR's ``mesh_downsampling.npz``
            for SMPL; None computes one for the body model
            (:func:`~hmrzoo.body_models.mesh_downsampling.downsampling_for`).
        point_dims (tuple): widths of the point MLP (128, 64, 5).
        iuv_head (dict, optional): auxiliary head (``IUVPredictor``) on the
            finest level; its loss is the ``iuv`` term of ``losses``
            (against ``gt_iuv``).
        point_input (str): what point features are sampled from (Table 5,
            :data:`POINT_INPUTS`): ``'features'`` (the level's map, the
            method), or the auxiliary head's prediction on every level's
            map: ``'parts'`` (part probabilities) or ``'iuv'`` (part
            probabilities and U, V).
        mask_features (bool): multiply each level's map by the foreground
            probability of the auxiliary prediction on it before sampling
            (Table 5's masked row).
        global_feature (str): with ``feedback='global'``, what is pooled:
            ``'map'`` (the deconvolved level's map, 256-d) or ``'backbone'``
            (the backbone's last map, ResNet-50's 2048-d global feature, as
            the Baseline of Table 4 reads; the pyramid then goes unused and
            is frozen).
        **kwargs: :class:`MeshEstimator` arguments.

    Head output: ``pred_pose`` / ``pred_shape`` / ``pred_cam`` of the last
    iteration, the per-iteration lists, and ``iuv`` (dict of maps) when the
    auxiliary head exists.
    """

    loss_terms = LOSS_TERMS + ('iuv', )

    def __init__(self, *args, neck: dict, head: dict, feedback: str = 'mesh',
                 pyramid: bool = True, init_feature: str = 'grid',
                 grid_size: int = 21, num_points: int = 431,
                 downsampling: Optional[str] = None,
                 point_dims=(128, 64, 5), iuv_head: Optional[dict] = None,
                 point_input: str = 'features', mask_features: bool = False,
                 global_feature: str = 'map', **kwargs):
        if global_feature not in ('map', 'backbone') or (
                global_feature == 'backbone' and (
                    feedback != 'global' or iuv_head)):
            raise ValueError(
                "global_feature must be 'map', or 'backbone' with "
                "feedback='global' and no iuv_head; got "
                f'{global_feature!r}')
        if point_input not in POINT_INPUTS:
            raise ValueError(f'point_input must be one of '
                             f'{list(POINT_INPUTS)}, got {point_input!r}')
        if (point_input != 'features' or mask_features) and not iuv_head:
            raise ValueError('point_input / mask_features read the auxiliary '
                             'prediction: give an iuv_head')
        kwargs.setdefault('supervise_all_iters', True)
        super().__init__(*args, neck=neck, **kwargs)
        self.global_from_backbone = global_feature == 'backbone'
        if self.global_from_backbone:       # the pyramid goes unused
            self.neck.requires_grad_(False)
        self.head = MODELS.build(dict(
            type='PyMAFHead', regressor=self.with_theta_sizes(head),
            num_levels=self.neck.num_layers,
            point_channels=self.feature_sizes()['in_channels']
            if self.global_from_backbone else
            POINT_INPUTS[point_input] or self.neck.out_channels,
            feedback=feedback, pyramid=pyramid, init_feature=init_feature,
            grid_size=grid_size, num_points=num_points,
            point_dims=tuple(point_dims)))
        self.point_input, self.mask_features = point_input, mask_features
        if feedback == 'mesh' or init_feature == 'mesh':
            self.register_buffer('downsample', downsampling_for(
                self.body_model, num_points, downsampling), persistent=False)
            if self.downsample.shape[0] != num_points:
                raise ValueError(
                    f'{downsampling} maps the mesh to '
                    f'{self.downsample.shape[0]} points; set num_points='
                    f'{self.downsample.shape[0]}')
        self.iuv_head = MODELS.build(self.with_sizes(
            iuv_head, 'iuv_head', dict(in_channels=self.neck.out_channels),
            'the neck')) if iuv_head else None
        if 'iuv' in self.losses and self.iuv_head is None:
            raise ValueError("the 'iuv' loss needs an iuv_head")

    @property
    def feedback(self) -> str:
        return self.head.feedback

    @property
    def pyramid(self) -> bool:
        return self.head.pyramid

    # ---- forward ------------------------------------------------------
    def mesh_points(self, meta: dict):
        """The head's :data:`~hmrzoo.models.heads.pymaf_head.MeshPoints`:
        the current mesh, downsampled and projected with the current camera
        (``meta``: the step's projection metainfo)."""
        def points(pose6d: Tensor, shape: Tensor, cam: Tensor) -> Tensor:
            pose = rot6d_to_rotmat(pose6d.reshape(pose6d.shape[0], -1, 6))
            verts = self.run_body_model(pose, shape)['vertices']
            return self.projection(self.downsample.to(verts) @ verts, cam,
                                   **meta)
        return points

    def _sampled_map(self, fmap: Tensor) -> Tensor:
        """The map point features are sampled from (Table 5): the level's
        features, optionally masked by the predicted foreground, or the
        auxiliary prediction on them."""
        if self.point_input == 'features' and not self.mask_features:
            return fmap
        aux = self.iuv_head(fmap)
        parts = aux['index'].softmax(dim=1)                  # (B, 25, h, w)
        if self.point_input == 'parts':
            return parts
        if self.point_input == 'iuv':
            return torch.cat([parts, aux['u'], aux['v']], dim=1)
        return fmap * (1 - parts[:, :1])

    def forward(self, inputs: Tensor,
                data_samples: Optional[List[HMRDataSample]] = None,
                mode: str = 'tensor'):
        inputs = self.one_roi(inputs)
        feat = self.backbone(inputs)[-1]
        geo = self.geometry(data_samples, inputs.device)
        if self.global_from_backbone:    # no pyramid and no auxiliary head
            read = [feat] * self.neck.num_layers
        else:
            maps = self.neck(feat)
            if self.pyramid:
                read = [self._sampled_map(m) for m in maps]
            else:
                read = [self._sampled_map(maps[-1])] * len(maps)
        head_out = self.head(read, self.mesh_points(projection_meta(geo)))
        head_out['geometry'] = geo
        # the auxiliary head is for training only (PyMAF drops it at test)
        if self.iuv_head is not None and (self.training or mode == 'loss'):
            head_out['iuv'] = self.iuv_head(maps[-1])
        return self.finish(head_out, data_samples, mode)

    def loss(self, head_out: dict, samples: List[HMRDataSample]) -> dict:
        gt = BatchGroundTruth(samples, head_out['pred_cam'].device)
        losses = super().loss(head_out, samples, gt)
        if 'iuv' in self.losses:
            pred = head_out['iuv']
            target, rows = self.iuv_target(gt, pred['index'].shape[-2:])
            if rows is not None:   # only the rows with a target
                pred = {k: v[rows] for k, v in pred.items()}
            losses['loss_iuv'] = self.losses['iuv'](pred, target) \
                if len(target) else pred['index'].sum() * 0.
        return losses

    def iuv_target(self, gt: BatchGroundTruth, size
                   ) -> Tuple[Tensor, Optional[Tensor]]:
        """The IUV target of the auxiliary head and the rows it covers.

        Synthetic samples carry ``gt_iuv`` (all rows).  Real ones get it
        as PyMAF builds it: the ground-truth body posed from its parameters
        is rendered (:func:`render_compact_iuv`, ``size``) through the crop
        camera that best puts its keypoints on the 2D ground truth
        (the projection's ``fit_camera``, SPIN's
        ``estimate_translation``); rows without SMPL parameters or with
        fewer than 4 labelled keypoints have no target.

        Args:
            gt (BatchGroundTruth): the batch's ground truth.
            size (tuple[int, int]): (H, W) of the target.

        Returns:
            (Tensor, Tensor | None): target (N, 3, H, W) compact
            ``[I/24, U, V]`` and the (N,) row indices (None: all rows).
        """
        if gt.has('gt_iuv'):
            return gt('gt_iuv', 'iuv'), None
        body = gt.posed(self.run_body_model, 'iuv')
        kp2d = gt('gt_keypoints2d', 'iuv')
        mask = gt('gt_keypoints2d_mask', 'iuv')
        if kp2d.dim() == 4:      # (B, M, K, 2): the first RoI's crop
            kp2d = kp2d[:, 0]
        try:
            cam = self.projection.fit_camera(body['keypoints'], kp2d, mask)
        except NotImplementedError as err:
            raise ValueError(f'IUV targets from body-model parameters fit '
                             f'the projection\'s camera to the 2D keypoints: '
                             f'{err}; or give the samples gt_iuv') from None
        ok = torch.isfinite(cam).all(-1) & (cam[:, 0] > 0)
        smpl = gt.smpl_mask()
        if smpl is not None:
            ok &= smpl > 0
        rows = torch.nonzero(ok).flatten()
        with torch.no_grad():
            target = render_compact_iuv(
                self.projection, cam[rows], body['vertices'][rows],
                self.atlas(gt.device), tuple(size))
        return target, rows
