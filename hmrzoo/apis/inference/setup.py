"""How a photograph becomes a model's input: the crop, the RoIs, the data
preprocessor and the evidence each person needs.

A model trained on synthetic data (the embedded ``*_anny`` configs) has a
preprocessor that renders its input; such a preprocessor describes its
real-photograph counterpart (``real_data_counterpart()``: RGB crops
normalised the same way, or heatmaps of detected joints, IUV and depth
maps).  A model of a real-data config already has it: its crop comes from
the config's test dataset (``crop_size``, ``num_rois``,
``bbox_scale_factor``).

Person boxes from a detector are tight around the body; annotation files
store boxes 1.2x the keypoints' extent (``bbox_from_keypoints``), on which
the configs' ``bbox_scale_factor`` acts.  A detector box is therefore
enlarged by ``1.2 x bbox_scale_factor`` for real-data configs, and by the
synthetic engine's ``crop_scale`` for synthetic ones.
"""
import copy
from typing import NamedTuple, Optional, Tuple

from torch import nn

from ...registry import MODELS

#: enlargement of a detector box into an annotation-file box
FILE_BOX_SCALE = 1.2


class InputSetup(NamedTuple):
    """How one person of a photograph is cut and fed to a model.

    Attributes:
        preprocessor (nn.Module): the data preprocessor for packed real
            crops (the model's own, or its synthetic one's counterpart).
        crop_size (tuple[int, int]): ``(W, H)`` of a crop, pixels.
        box_scale (float): crop region / the person's box (each side).
        num_rois (int): RoIs per person (Multi-RoI's M; 1 otherwise).
        rois (dict, optional): ``AffineCrop``'s ``rois`` (offsets, scales)
            when ``num_rois`` > 1.
        keypoints (str, optional): convention of the 2D keypoints each
            person needs as evidence (None: the model reads RGB).
        iuv (bool): the model reads an IUV map of the person (CRA).
        iuv_optional (bool): the model decodes an IUV map from the joints
            when none is given (CRA with its IUV decoder); without it an
            IUV map must come with the evidence.
        depth (bool): the model reads a depth map (the joints+depth
            method).
        detector (dict, optional): the keypoint detector the model's
            keypoints come from by default (None: the evidence module's
            default, MediaPipe Pose); e.g. a whole-body model's holistic
            detector.
    """
    preprocessor: nn.Module
    crop_size: Tuple[int, int]
    box_scale: float
    num_rois: int = 1
    rois: Optional[dict] = None
    keypoints: Optional[str] = None
    iuv: bool = False
    iuv_optional: bool = False
    depth: bool = False
    detector: Optional[dict] = None


def _test_dataset(cfg) -> dict:
    for key in ('test_dataloader', 'val_dataloader'):
        loader = cfg.get(key)
        if loader and loader.get('dataset'):
            return loader['dataset']
    return {}


def input_setup(cfg, model: nn.Module) -> InputSetup:
    """The :class:`InputSetup` of a built model and its config.  The
    preprocessor is the setup's own (a copy of the model's, or a new one),
    so inference never changes the model's."""
    pre = model.data_preprocessor
    # a model that makes its own IUV from the joints (CRA's decoder)
    decodes = getattr(model, 'iuv_decoder', None) is not None and \
        getattr(model, 'decoded_iuv', 'missing') != 'never'
    if hasattr(pre, 'real_data_counterpart'):
        spec = pre.real_data_counterpart()
        real = MODELS.build(spec.pop('preprocessor'))
        real.to(next(model.parameters()).device)
        spec['crop_size'] = tuple(int(v) for v in spec['crop_size'])
        return InputSetup(preprocessor=real, iuv_optional=decodes, **spec)
    pre = copy.deepcopy(pre)
    dataset = _test_dataset(cfg)
    crop = dataset.get('crop_size', (224, 224))
    crop = (crop, crop) if isinstance(crop, int) else tuple(crop)
    num_rois = int(dataset.get('num_rois', 1))
    keypoints = getattr(pre, 'keypoints_key', None)
    if keypoints is not None:            # evidence-input real-data config
        pre.keypoints_key = 'det_keypoints2d'
        keypoints = getattr(pre, 'input_convention', None) or \
            dataset.get('keypoint_convention', 'coco')
    return InputSetup(
        preprocessor=pre, crop_size=crop,
        box_scale=FILE_BOX_SCALE * float(dataset.get('bbox_scale_factor',
                                                     1.0)),
        num_rois=num_rois,
        rois=dict(num_rois=num_rois) if num_rois > 1 else None,
        keypoints=keypoints,
        iuv=bool(getattr(pre, 'with_iuv', False)), iuv_optional=decodes,
        depth=bool(getattr(pre, 'with_depth', False)))
