"""Synthetic evidence crops: the network input of the evidence-input
configs (keypoint HMR, CRA), made by the synthetic engine
(:class:`hmrzoo.synthetic.SyntheticEngine`) on the model's device."""
from typing import Dict, List, Sequence, Tuple, Union

import torch
from mmengine.model import BaseDataPreprocessor
from torch import Tensor

from ...conventions import get_keypoint_num
from ...registry import KEYPOINT_DETECTORS, MODELS
from ...structures import EVIDENCE_CHANNELS, HMRDataSample, stack_field
from ...synthetic import Scene, SyntheticEngine
from ...synthetic.augment import relative_depth
from ...utils.heatmaps import normalised_to_heatmap, render_gaussian_heatmaps
from .detected_inputs import detect_crop_keypoints


def set_ground_truth(sample: HMRDataSample, scene: Scene, i: int,
                     keypoints2d: Tensor) -> None:
    """Write sample i's camera-frame 3D keypoints, vertices and 2D
    keypoints (in the crop frame the caller chose) with their masks."""
    sample.gt_keypoints3d = scene.kp3d[i]
    sample.gt_keypoints3d_mask = scene.kp_mask
    sample.gt_vertices = scene.verts[i]
    sample.gt_keypoints2d = keypoints2d
    sample.gt_keypoints2d_mask = scene.kp_mask


@MODELS.register_module()
class SyntheticEvidencePreprocessor(BaseDataPreprocessor):
    """Pose, project, crop and render a batch of sampled parameters.

    ``inputs`` is the channel-wise concatenation, in the order of
    ``outputs``, of:

    * ``'heatmaps'``: (K_in, S, S) Gaussian heatmaps of the (noisy, partly
      removed) input keypoints, ``heatmap_size`` S;
    * ``'iuv'``: (3, R, R) compact IUV map [I/24, U, V] (I normalised to
      [0, 1] as CRA feeds it; 0 on the background), ``render_size`` R;
    * ``'depth'``: (1, R, R) camera depth in metres, 0 on the background;
    * ``'silhouette'``: (1, R, R) 1 on the body;
    * ``'rgb'``: (3, R, R) shaded image in [0, 1]
      (:mod:`hmrzoo.synthetic.appearance`);
    * ``'parts'``: (1, R, R) body-part index 0..24 (0 = background).

    (All maps must share the heatmap size when heatmaps are combined with
    rendered maps.)

    Each data sample is completed with the ground truth (camera frame,
    metres): ``gt_keypoints3d`` (K, 3) + mask, ``gt_vertices`` (V, 3), the
    same keypoints in normalised crop coordinates ``gt_keypoints2d`` (K, 2)
    ([-1, 1] at the crop corners, x right, y down) + mask, the input
    keypoints ``input_keypoints2d`` + ``input_keypoints2d_mask``, each
    rendered map as ``input_<kind>``, each kind of ``targets`` as
    ``gt_<kind>`` (the map as rendered, before augmentation and corruption)
    and metainfo ``crop_center`` (2,), ``crop_size`` (pixels of the camera
    image).  Maps are rendered directly at the crop's resolution.

    Args:
        body_model (dict): body-model config (the estimator's).
        outputs (sequence[str]): evidence kinds, see above.
        input_convention (str): keypoints drawn as heatmaps.
        heatmap_size (int), sigma (float): heatmap side and Gaussian std in
            heatmap pixels.
        render_size (int): side of rendered maps; defaults to heatmap_size.
        targets (sequence[str]): rendered kinds among ``outputs`` also
            written clean as ``gt_<kind>``.
        input_detector (dict | str, optional): a keypoint detector config
            (``KEYPOINT_DETECTORS``, e.g. ``dict(type=
            'MediaPipePoseDetector')``, or just its type name, as
            ``--cfg-options`` can give it).  When given, the input joints are
            what it detects on each sample's rendered RGB crop (confidence
            >= 0.5; a crop without a person has none) instead of the
            jittered ground truth.  Built on first use, kept out of the
            module's state.
        network_inputs (sequence[str], optional): the kinds among
            ``outputs`` stacked into ``inputs`` (default all); the others
            are only written to the samples (e.g. the depth a loss reads
            when the network does not see it).
        depth_scale (float, optional): the depth channel of ``inputs``
            becomes ``(d - median) / depth_scale`` on valid pixels (median
            of the map's valid values; 0 elsewhere), a unit-free input;
            ``input_depth`` keeps the map in metres.  None: metres as they
            are.
        **engine: the :class:`~hmrzoo.synthetic.SyntheticEngine` arguments
            (crop_from, crop_scale, vertex_noise, augment, corruption,
            depth_iqr_trim, rgb_albedo, rgb_background, background_dir,
            texture_size, renderer).
    """

    def __init__(self, body_model: dict,
                 outputs: Sequence[str] = ('heatmaps', ),
                 input_convention: str = 'coco', heatmap_size: int = 256,
                 sigma: float = 2.0, render_size: int = None,
                 targets: Sequence[str] = (),
                 input_detector: Union[dict, str] = None,
                 network_inputs: Sequence[str] = None,
                 depth_scale: float = None, **engine):
        super().__init__()
        self.network_inputs = tuple(outputs if network_inputs is None
                                    else network_inputs)
        if not self.network_inputs or \
                set(self.network_inputs) - set(outputs):
            raise ValueError(f'network_inputs {self.network_inputs} must be '
                             f'a non-empty subset of outputs {tuple(outputs)}')
        self.depth_scale = depth_scale
        unknown = set(outputs) - set(EVIDENCE_CHANNELS) - {'heatmaps'}
        if unknown or not outputs:
            raise ValueError(f'unknown evidence kind(s) {sorted(unknown)}; '
                             f"choose from {['heatmaps'] + list(EVIDENCE_CHANNELS)}")
        self.engine = SyntheticEngine(
            body_model, input_convention=input_convention,
            render_size=render_size or heatmap_size, **engine)
        self.outputs = tuple(outputs)
        self.input_convention = input_convention
        self.heatmap_size = (heatmap_size, heatmap_size)
        self.sigma = sigma
        bad = [k for k in targets
               if k not in self.outputs or k not in EVIDENCE_CHANNELS]
        if bad:
            raise ValueError(f'targets {bad} are not rendered maps among '
                             f'outputs {self.outputs}')
        self.targets = tuple(targets)
        self.input_detector = dict(type=input_detector) \
            if isinstance(input_detector, str) else input_detector
        self._detector = None

    @property
    def body_model(self):
        return self.engine.body_model

    def real_data_counterpart(self) -> dict:
        """How the same network reads a real photograph (the inference
        API): the :class:`DetectedEvidencePreprocessor` that draws detected
        2D keypoints (packed as ``det_keypoints2d``) the way this one draws
        the engine's, a square crop of ``crop_scale`` times the person box
        at the heatmap size, and which evidence must come with each person
        (``keypoints``: their convention; ``iuv`` / ``depth``: maps read
        from files).  The IUV channels are optional for models that decode
        IUV from the joints (CRA); depth is required when the network or
        the loss reads it.

        Raises:
            ValueError: the network reads a map no photograph evidence
                gives (silhouette, part indices, rendered RGB).
        """
        photo = {'heatmaps', 'iuv', 'depth'}
        if set(self.network_inputs) - photo:
            raise ValueError(
                f'the network reads {sorted(set(self.network_inputs) - photo)}'
                ', which no detector gives for a photograph: only joint '
                'heatmaps, IUV and depth maps have real counterparts')
        order = [k for k in ('heatmaps', 'iuv', 'depth')
                 if k in self.network_inputs]
        if list(self.network_inputs) != order:
            raise ValueError(f'network_inputs {self.network_inputs} are not '
                             f'in the order of detected evidence {order}')
        with_depth = 'depth' in self.outputs
        return dict(
            preprocessor=dict(
                type='DetectedEvidencePreprocessor',
                keypoints_key='det_keypoints2d',
                heatmap_size=self.heatmap_size[0], sigma=self.sigma,
                with_iuv='iuv' in self.network_inputs,
                with_depth=with_depth,
                depth_input='depth' in self.network_inputs,
                depth_iqr_trim=self.engine.damage.depth_iqr_trim,
                depth_scale=self.depth_scale,
                input_convention=self.input_convention),
            crop_size=self.heatmap_size, box_scale=self.engine.crop_scale,
            num_rois=1, keypoints=self.input_convention,
            iuv='iuv' in self.network_inputs, depth=with_depth)

    @property
    def network_channels(self) -> int:
        """Channels of ``inputs``: K heatmaps (the input convention's
        keypoints) and each other network input's channels, the size
        estimators give their backbone's ``in_channels``."""
        return sum(get_keypoint_num(self.input_convention)
                   if k == 'heatmaps' else EVIDENCE_CHANNELS[k]
                   for k in self.network_inputs)

    @property
    def corruption(self) -> dict:
        """The engine's test-time corruption settings (``part_mask``,
        ``limb_joint_drop``), edited in place by ``tools/robustness.py``."""
        return self.engine.damage.corruption

    def forward(self, data: dict, training: bool = False) -> dict:
        samples: List[HMRDataSample] = data['data_samples']
        engine = self.engine
        with torch.no_grad():
            scene = engine.scene(samples, training, self.device)
            center, size = engine.crop(scene)
            to_crop = lambda p: (p - center[:, None]) \
                / (size[:, None, None] / 2)  # noqa: E731
            kp2d = to_crop(scene.kp_px)
            in_kp = to_crop(scene.in_px) + 2 * stack_field(
                samples, 'keypoint_jitter', self.device)
            in_keep = stack_field(samples, 'keypoint_keep',
                                  self.device).float() * scene.in_mask[None]
            kinds = [k for k in self.outputs if k in EVIDENCE_CHANNELS]
            detect = self.input_detector is not None
            if detect and 'rgb' not in kinds:
                kinds.append('rgb')  # the detector's input, in one pass
            maps = engine.render(scene.render_verts, scene.focal, scene.pp,
                                 center, size, samples, kinds)
            if detect:
                in_kp, in_keep = self._detected_inputs(
                    maps['rgb'] if 'rgb' in self.outputs
                    else maps.pop('rgb'))
            in_keep = engine.damage.input_joints(in_keep,
                                                 self.input_convention)
            clean = {k: maps[k].clone() for k in self.targets}
            maps = engine.damage.maps(maps, training)
            inputs = self._assemble(maps, in_kp, in_keep)
        for i, s in enumerate(samples):
            set_ground_truth(s, scene, i, kp2d[i])
            s.input_keypoints2d = in_kp[i]
            s.input_keypoints2d_mask = in_keep[i]
            for kind in self.outputs:
                if kind != 'heatmaps':
                    setattr(s, f'input_{kind}', maps[kind][i])
            for kind, value in clean.items():
                setattr(s, f'gt_{kind}', value[i])
            s.set_metainfo(dict(crop_center=center[i], crop_size=size[i]))
        return dict(inputs=inputs, data_samples=samples)

    def _detected_inputs(self, rgb: Tensor) -> Tuple[Tensor, Tensor]:
        """Input joints (B, K, 2) normalised crop coordinates and their
        mask (B, K) from ``input_detector`` on the RGB crops (B, 3, S, S)
        (rendered in the same pass as the other maps)."""
        if self._detector is None:
            self._detector = KEYPOINT_DETECTORS.build(
                dict(self.input_detector, convention=self.input_convention))
        return detect_crop_keypoints(self._detector, rgb)

    def _assemble(self, maps: Dict[str, Tensor], in_kp: Tensor,
                  in_keep: Tensor) -> Tensor:
        """The network input (B, C, H, W): the outputs' channels in order.

        The heatmaps are drawn straight into their channels and ``maps``
        entries are replaced by views of ``inputs``; one allocation instead
        of the maps plus their concatenation, which on CPU halves the
        engine's fresh memory (page faults dominated its variance).
        """
        kinds = self.network_inputs
        sizes = [in_kp.shape[1] if k == 'heatmaps' else maps[k].shape[1]
                 for k in kinds]
        shapes = {tuple(m.shape[-2:]) for m in maps.values()}
        if 'heatmaps' in self.outputs:
            shapes.add(self.heatmap_size)
        if len(shapes) != 1:
            raise ValueError(f'the outputs {self.outputs} have different '
                             f'sizes {sorted(shapes)}: set render_size to '
                             'heatmap_size')
        inputs = in_kp.new_empty(len(in_kp), sum(sizes), *shapes.pop())
        for kind, part in zip(kinds, inputs.split(sizes, 1)):
            if kind == 'heatmaps':
                render_gaussian_heatmaps(
                    normalised_to_heatmap(in_kp, self.heatmap_size), in_keep,
                    self.heatmap_size, self.sigma, out=part)
            elif kind == 'depth' and self.depth_scale:
                part.copy_(relative_depth(maps[kind], self.depth_scale))
                continue
            else:
                part.copy_(maps[kind])
            maps[kind] = part
        return inputs


@MODELS.register_module()
class SyntheticKeypointPreprocessor(SyntheticEvidencePreprocessor):
    """:class:`SyntheticEvidencePreprocessor` producing keypoint heatmaps
    only, cropped around the keypoints (the embedded-default HMR config)."""

    def __init__(self, body_model: dict, input_convention: str = 'coco',
                 heatmap_size: int = 64, sigma: float = 2.0,
                 crop_scale: float = 1.2):
        super().__init__(body_model, outputs=('heatmaps', ),
                         input_convention=input_convention,
                         heatmap_size=heatmap_size, sigma=sigma,
                         crop_from='keypoints', crop_scale=crop_scale)


@MODELS.register_module()
class SyntheticTargetsPreprocessor(SyntheticEvidencePreprocessor):
    """:class:`SyntheticEvidencePreprocessor` writing clean ``gt_iuv`` by
    default: the map rendered for the input, copied before part drop and
    occlusion (it still has the ±``vertex_noise`` of the rendered body).
    CRA's IUV decoder learns the clean IUV from it."""

    def __init__(self, *args, targets: Sequence[str] = ('iuv', ), **kwargs):
        super().__init__(*args, targets=targets, **kwargs)
