"""Input joints detected on rendered RGB crops (the synthetic engine's
``input_detector``): what mediapipe finds on stand-ins for photographs."""
import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hmrzoo.synthetic.dataset import SyntheticPoseDataset
from hmrzoo.models.data_preprocessors.detected_inputs import \
    detect_crop_keypoints
from hmrzoo.registry import KEYPOINT_DETECTORS, MODELS
from hmrzoo.utils.heatmaps import (normalised_to_heatmap,
                                   render_gaussian_heatmaps)

SIZE = 256


def _crops(images: np.ndarray) -> torch.Tensor:
    """(N, H, W, 3) uint8 -> (N, 3, H, W) floats in [0, 1]."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255


def test_detections_in_normalised_crop_coordinates(rendered_people):
    images, truth = rendered_people
    blank = np.full((1, SIZE, SIZE, 3), 128, np.uint8)
    with KEYPOINT_DETECTORS.build(
            dict(type='MediaPipePoseDetector')) as detector:
        kp, keep = detect_crop_keypoints(
            detector, _crops(np.concatenate([images, blank])))
        raw = detector(images[0])['keypoints']
    assert kp.shape == (9, 17, 2) and keep.shape == (9, 17)
    # the blank crop: no person, nothing kept
    assert keep[8].sum() == 0 and kp[8].abs().sum() == 0
    # exact mapping: pixel centres -> [-1, 1] over the crop's outer edges
    present = raw[:, 2] >= 0.5
    np.testing.assert_array_equal(keep[0].numpy(), present)
    np.testing.assert_allclose(kp[0].numpy()[present],
                               (raw[present, :2] + 0.5) / SIZE * 2 - 1,
                               atol=1e-6)
    # back in pixels, near the true joints for most renders
    pixels = normalised_to_heatmap(kp[:8], (SIZE, SIZE)).numpy()
    errors = [np.median(np.linalg.norm(p[k > 0] - t[k > 0], axis=1))
              for p, t, k in zip(pixels, truth, keep[:8].numpy())
              if k.any()]
    assert sum(e < 10 for e in errors) >= 6, np.round(errors, 1)


def test_engine_feeds_the_detected_joints(rendered_people):
    """The engine's inputs with ``input_detector``: the detector's joints on
    the very RGB crops :func:`hmrzoo.testing.render_people` makes (same
    seed, same crop), drawn as the heatmap channels."""
    images, _ = rendered_people
    init_default_scope('hmrzoo')
    engine = MODELS.build(dict(
        type='SyntheticEvidencePreprocessor', body_model=dict(type='Anny'),
        outputs=('heatmaps', 'iuv'), heatmap_size=SIZE,
        crop_from='foreground', input_convention='coco',
        input_detector='MediaPipePoseDetector'))  # a type name will do
    dataset = SyntheticPoseDataset(num_samples=8, seed=1)
    with torch.no_grad():
        out = engine(pseudo_collate([dataset[i] for i in range(4)]))
    kp = torch.stack([s.input_keypoints2d for s in out['data_samples']])
    keep = torch.stack([s.input_keypoints2d_mask
                        for s in out['data_samples']])
    with KEYPOINT_DETECTORS.build(
            dict(type='MediaPipePoseDetector')) as detector:
        want_kp, want_keep = detect_crop_keypoints(detector,
                                                   _crops(images[:4]))
    torch.testing.assert_close(kp, want_kp)
    torch.testing.assert_close(keep, want_keep)
    heat = render_gaussian_heatmaps(normalised_to_heatmap(kp, (SIZE, SIZE)),
                                    keep, (SIZE, SIZE), engine.sigma)
    torch.testing.assert_close(out['inputs'][:, :17], heat)
    assert out['inputs'].shape == (4, 20, SIZE, SIZE)
    # the detector stays out of the module's state
    assert not any('detector' in k for k in engine.state_dict())
