"""``inference_mesh``: every person of a photograph to a mesh, the way
mmpose's ``inference_topdown`` works.

Per person: the box (given, or found by a registered person detector), the
evidence the model reads (detected 2D keypoints inside the box, IUV / depth
maps when given), the crop of the model's test pipeline (``AffineCrop`` +
``PackHMRInputs``, the same transforms ``tools/test.py`` runs), the
model's prediction, and, through the projection contract, the camera of
the whole photograph (:func:`hmrzoo.cameras.full_image.full_image_camera`).

Pixel convention: the centre of pixel (row i, column j) is at x = j, y = i
(hmrzoo's annotations); the photograph camera's principal point is the
image centre ``((W - 1) / 2, (H - 1) / 2)`` in that convention.
"""
import os
import time
from typing import Dict, List, Optional, Sequence, Union

import cv2
import numpy as np
import torch
from mmengine.dataset import pseudo_collate

from ...cameras.full_image import full_image_camera
from ...datasets.transforms import AffineCrop, PackHMRInputs
from ...datasets.transforms.geometry import box_crop_region
from ...renderers.screen import camera_to_screen
from ...structures import RoIGeometry, projection_meta
from ...utils.errors import UserFileNotFoundError, UserValueError
from .evidence import person_boxes, person_keypoints

#: result keys of one person (numpy arrays; ``camera`` / ``params`` /
#: ``evidence`` are dicts)
RESULT_KEYS = ('bbox', 'vertices', 'faces', 'keypoints3d',
               'keypoint_convention', 'keypoints2d', 'camera', 'params',
               'evidence')


def read_image(image: Union[str, np.ndarray]) -> np.ndarray:
    """(H, W, 3) uint8 BGR from a path or an array (BGR, as OpenCV / mmcv
    read images)."""
    if isinstance(image, (str, os.PathLike)):
        image = str(image)
        img = cv2.imread(image, cv2.IMREAD_COLOR)
        if img is None:
            raise UserFileNotFoundError(
                f'image not found or not readable: {image}')
        return img
    img = np.asarray(image)
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
        raise UserValueError('inference_mesh takes an image path or an '
                             '(H, W, 3) uint8 BGR array, got shape '
                             f'{img.shape} dtype {img.dtype}')
    return img


def _packed(model, img: np.ndarray, boxes: np.ndarray,
            keypoints: Optional[np.ndarray], evidence: dict,
            focal_length: Optional[float]) -> List[dict]:
    setup = model.inference
    crop = AffineCrop(setup.crop_size, rois=setup.rois)
    pack = PackHMRInputs(meta_keys=('crop_inv_trans', ))
    height, width = img.shape[:2]
    out = []
    for i, box in enumerate(boxes):
        x1, y1, x2, y2 = (float(v) for v in box)
        center, scale = box_crop_region((x1, y1, x2 - x1, y2 - y1),
                                        setup.box_scale, setup.crop_size)
        results = dict(
            img=img, img_path=None, sample_idx=i, sample_id=str(i),
            ori_shape=(height, width), bbox_center=center, bbox_scale=scale,
            bbox_rotation=0., keypoint_convention=setup.keypoints,
            keypoints2d=np.zeros((1, 3), np.float32),
            keypoints3d=np.zeros((1, 4), np.float32),
            smpl_pose=np.zeros(72, np.float32),
            smpl_betas=np.zeros(10, np.float32),
            smpl_transl=np.zeros(3, np.float32), has_smpl=0,
            focal_length=None if focal_length is None
            else np.array([focal_length] * 2, np.float32))
        if keypoints is not None:
            results['keypoints2d_detected'] = keypoints[i]
        for kind in ('iuv', 'depth'):
            if evidence.get(kind) is not None:
                results[kind] = evidence[kind]
        out.append(pack(crop(results)))
    return out


def _person_results(model, samples, boxes, keypoints, sources) -> List[dict]:
    """The per-person dicts of predicted samples (module docstring)."""
    setup = model.inference
    pose = torch.stack([s.pred_pose for s in samples])
    betas = torch.stack([s.pred_betas for s in samples])
    cam = torch.stack([s.pred_cam for s in samples])
    device = cam.device
    geo = RoIGeometry.from_samples(samples, device)
    if geo is not None and geo.num_rois > 1:
        geo = geo.first_roi()
    meta = projection_meta(geo)
    # predict posed the body with the model's own camera translation: the
    # body in its own frame is that, less the translation
    own = model.projection.camera_translation(cam, **meta)[:, None]
    body = {k: torch.stack([s.get(f'pred_{k}') for s in samples]) - own
            for k in ('vertices', 'keypoints3d')}
    crop_to_image = torch.stack([
        torch.as_tensor(np.reshape(s.crop_inv_trans, (-1, 2, 3))[0],
                        dtype=cam.dtype) for s in samples]).to(device)
    img_wh = torch.stack([torch.as_tensor(s.img_wh, dtype=cam.dtype)
                          for s in samples]).to(device)
    focal = geo.focal if geo is not None else None
    camera = full_image_camera(model.projection, cam, crop_to_image,
                               setup.crop_size, img_wh, focal, **meta)
    # the model's own 2D output, drawn on its crop by the projection's
    # image camera (the renderer's contract), then mapped to the photograph
    crop_camera = model.projection.image_camera(
        cam, tuple(setup.crop_size[::-1]), None, **meta)
    crop_px = camera_to_screen(crop_camera, body['keypoints3d'])[..., :2]
    image_px = crop_px @ crop_to_image[:, :, :2].transpose(1, 2) + \
        crop_to_image[:, None, :, 2]
    faces = model.body_model.faces
    faces = (faces.cpu().numpy() if torch.is_tensor(faces)
             else np.asarray(faces)).astype(np.int64)
    transl = camera['translation']
    # keypoints the body model does not have are NaN, not a point at the
    # camera's centre (their zero fill)
    lacks = model.body_model.keypoint_mask().to(device) == 0
    image_px = image_px.masked_fill(lacks[None, :, None], float('nan'))
    body['keypoints3d'] = body['keypoints3d'].masked_fill(
        lacks[None, :, None], float('nan'))
    # whole-body models also predict hands and face
    extra = [k for k in ('left_hand_pose', 'right_hand_pose', 'jaw_pose',
                         'expression') if f'pred_{k}' in samples[0]]
    extra = {k: torch.stack([s.get(f'pred_{k}') for s in samples])
             for k in extra}
    people = []
    for i in range(len(samples)):
        def np_(t):
            return t[i].detach().cpu().numpy().astype(np.float32)
        people.append(dict(
            bbox=np.asarray(boxes[i], np.float32),
            vertices=np_(body['vertices'] + transl[:, None]),
            faces=faces,
            keypoints3d=np_(body['keypoints3d'] + transl[:, None]),
            keypoint_convention=model.body_model.keypoint_convention,
            keypoints2d=np_(image_px),
            camera=dict(focal=np_(camera['focal']),
                        principal_point=np_(camera['principal_point']),
                        translation=np_(transl)),
            params=dict(global_orient=np_(pose[:, 0]),
                        body_pose=np_(pose[:, 1:]), betas=np_(betas),
                        cam=np_(cam), **{k: np_(v) for k, v in
                                         extra.items()}),
            evidence=dict(
                keypoints=None if keypoints is None else keypoints[i],
                keypoint_convention=setup.keypoints,
                keypoints_source=sources[i],
                iuv=sources_of(setup, 'iuv', samples[i]),
                depth=sources_of(setup, 'depth', samples[i]))))
    return people


def sources_of(setup, kind: str, sample) -> Optional[str]:
    """'given', 'decoded' (CRA's IUV from the joints) or None."""
    if not getattr(setup, kind):
        return None
    return 'given' if f'input_{kind}' in sample else 'decoded'


@torch.no_grad()
def inference_mesh(model, image: Union[str, np.ndarray],
                   bboxes: Optional[Sequence[Sequence[float]]] = None,
                   evidence: Optional[Dict[str, np.ndarray]] = None,
                   focal_length: Optional[float] = None,
                   person_detector=None,
                   keypoint_detector=None,
                   timings: Optional[dict] = None) -> List[dict]:
    """Recover the mesh of every person of ``image``.

    Args:
        model: a model from :func:`~.model.init_model`.
        image (str | ndarray): a path, or (H, W, 3) uint8 BGR.
        bboxes (array-like, optional): (N, 4) person boxes ``x1, y1, x2,
            y2`` pixels; None: the person detector finds them.
        evidence (dict, optional): ``keypoints`` (N, K, 3) pixels +
            confidence in the model's input convention (else detected in
            each box), ``iuv`` (H, W, 3) uint8 DensePose IUV image of the
            photograph, ``depth`` (H, W) float depth map (0 = no value).
        focal_length (float, optional): the photograph's focal, pixels;
            default CLIFF's estimate, the image diagonal.
        person_detector, keypoint_detector: built detectors or configs
            (``PERSON_DETECTORS`` / ``KEYPOINT_DETECTORS``); defaults in
            :mod:`.evidence`.
        timings (dict, optional): filled with the seconds spent on each
            stage: ``people`` (boxes), ``evidence`` (keypoints),
            ``network`` (crops, preprocessing, the model) and ``meshes``
            (body model, cameras, results).

    Returns:
        list[dict]: one per person, in box order, with :data:`RESULT_KEYS`:
        ``bbox`` (4,); ``vertices`` (V, 3) and ``keypoints3d`` (K, 3)
        metres in the photograph camera's frame (x right, y down, z
        forward; NaN for keypoints the body model does not have);
        ``faces`` (F, 3); ``keypoints2d`` (K, 2) pixels (the model's own
        projection); ``camera`` (``focal`` (2,),
        ``principal_point`` (2,) pixels, ``translation`` (3,) metres);
        ``params`` (``global_orient`` (3, 3), ``body_pose`` (J-1, 3, 3),
        ``betas``, ``cam`` the model's raw camera); ``evidence`` (what
        was read, and where it came from).
    """
    setup = getattr(model, 'inference', None)
    if setup is None:
        raise UserValueError('inference_mesh needs a model built by '
                             'hmrzoo.apis.init_model')
    evidence = dict(evidence or {})
    _check_evidence(setup, evidence)
    clock = _Clock(timings)
    img = read_image(image)
    rgb = np.ascontiguousarray(img[..., ::-1])
    boxes = person_boxes(model, rgb, bboxes, person_detector)
    clock('people')
    if len(boxes) == 0:
        return []
    keypoints, sources = None, [None] * len(boxes)
    if setup.keypoints is not None:
        keypoints, sources = person_keypoints(
            model, rgb, boxes, evidence.get('keypoints'), keypoint_detector)
    clock('evidence')
    if setup.iuv:       # CRA decodes the IUV from the joints when missing
        setup.preprocessor.with_iuv = evidence.get('iuv') is not None
    data = pseudo_collate(_packed(model, img, boxes, keypoints, evidence,
                                  focal_length))
    data = setup.preprocessor(data, False)
    samples = model(data['inputs'], data['data_samples'], mode='predict')
    clock('network')
    people = _person_results(model, samples, boxes, keypoints, sources)
    clock('meshes')
    return people


def _check_evidence(setup, evidence: dict) -> None:
    """Refuse evidence the model cannot use or evidence it lacks, before
    any detector runs."""
    unknown = set(evidence) - {'keypoints', 'iuv', 'depth'}
    if unknown:
        raise UserValueError(f'evidence has unknown keys {sorted(unknown)}; '
                             'it takes keypoints, iuv and depth')
    if setup.depth and evidence.get('depth') is None:
        raise UserValueError(
            'this model reads a depth map of the person (the joints+depth '
            "method): pass evidence=dict(depth=HxW array) (0 = no value)")
    if setup.iuv and not setup.iuv_optional and evidence.get('iuv') is None:
        raise UserValueError(
            'this model reads an IUV map and has no decoder to make one '
            'from the joints: pass evidence=dict(iuv=HxWx3 uint8 DensePose '
            'IUV image of the photograph)')


class _Clock:
    """Seconds since the last call, stored under a stage's name."""

    def __init__(self, timings: Optional[dict]):
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = now - self.last
        self.last = now
