"""Write PNG grids of what the synthetic data engine produces for a config.

    python tools/vis_synthetic.py CONFIG --out DIR [--num 8] [--split val]

For the config's dataset and body model, each row of the grid is one
sample: shaded RGB (per-part colours, random light and background), IUV (HSV picture: hue = part, saturation = U, value = V), depth
(near = bright), silhouette, and the 2D input keypoints (red, with the
skeleton of the keypoint convention's limbs in green) over the silhouette.
Rows are crops around the rendered body (scale 1.2), as the engine makes
them.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from tqdm import tqdm  # noqa: E402

import hmrzoo  # noqa: E402,F401
from hmrzoo.apis import positive_int  # noqa: E402
from hmrzoo.conventions import get_keypoint_idx  # noqa: E402
from hmrzoo.registry import DATASETS, MODELS  # noqa: E402
from hmrzoo.renderers.iuv_maps import iuv_to_hsv_image  # noqa: E402
from hmrzoo.utils.heatmaps import normalised_to_heatmap  # noqa: E402

LIMBS = [('left_shoulder', 'left_elbow'), ('left_elbow', 'left_wrist'),
         ('right_shoulder', 'right_elbow'), ('right_elbow', 'right_wrist'),
         ('left_hip_extra', 'left_knee'), ('left_knee', 'left_ankle'),
         ('right_hip_extra', 'right_knee'), ('right_knee', 'right_ankle'),
         ('left_shoulder', 'right_shoulder'),
         ('left_hip_extra', 'right_hip_extra'),
         ('left_shoulder', 'left_hip_extra'),
         ('right_shoulder', 'right_hip_extra')]


def _depth_image(depth: np.ndarray) -> np.ndarray:
    valid = depth > 0
    out = np.zeros(depth.shape + (3,), np.uint8)
    if valid.any():
        d = depth[valid]
        near = 1 - (d - d.min()) / max(d.max() - d.min(), 1e-6)
        gray = (60 + 195 * near).astype(np.uint8)
        out[valid] = cv2.applyColorMap(gray[:, None], cv2.COLORMAP_VIRIDIS
                                       )[:, 0, ::-1]
    return out


def _joints_image(sil: np.ndarray, kp: np.ndarray, mask: np.ndarray,
                  convention: str, size: int) -> np.ndarray:
    img = np.repeat((sil * 90).astype(np.uint8)[..., None], 3, -1)
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_NEAREST)
    px = normalised_to_heatmap(torch.from_numpy(kp), (size, size)).round(
    ).long().numpy()
    for a, b in LIMBS:
        ia, ib = (get_keypoint_idx(a, convention),
                  get_keypoint_idx(b, convention))
        if mask[ia] > 0 and mask[ib] > 0:
            cv2.line(img, tuple(px[ia]), tuple(px[ib]), (0, 200, 0), 1)
    for p, m in zip(px, mask):
        if m > 0:
            cv2.circle(img, tuple(p), 2, (255, 40, 40), -1)
    return img


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--num', type=positive_int, default=8,
                        help='samples')
    parser.add_argument('--size', type=positive_int, default=256,
                        help='side of each rendered map, pixels')
    parser.add_argument('--split', choices=['train', 'val'], default='val',
                        help='dataset of the config to draw from (train adds '
                        'the keypoint noise and removal)')
    args = parser.parse_args(argv)
    init_default_scope('hmrzoo')
    cfg = Config.fromfile(args.config)
    loader = cfg.train_dataloader if args.split == 'train' \
        else cfg.val_dataloader
    if loader.dataset.get('type') != 'SyntheticPoseDataset':
        variant = cfg.get('required_data', {}).get('embedded_variant')
        hint = f'; its embedded variant is {variant}' if variant else ''
        raise SystemExit(
            f'{args.config} reads {loader.dataset.get("type")}: '
            'vis_synthetic.py draws the synthetic engine, give a config '
            f'whose {args.split} dataset is SyntheticPoseDataset{hint}')
    dataset = DATASETS.build(loader.dataset)
    engine = MODELS.build(dict(
        type='SyntheticEvidencePreprocessor', body_model=cfg.model.body_model,
        outputs=('rgb', 'iuv', 'depth', 'silhouette', 'heatmaps'),
        heatmap_size=args.size, crop_from='foreground', crop_scale=1.2))
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for i in tqdm(range(min(args.num, len(dataset))), desc='rendering'):
        data = engine(pseudo_collate([dataset[i]]),
                      training=args.split == 'train')
        s = data['data_samples'][0]
        sil = s.input_silhouette[0].numpy()
        rgb = (s.input_rgb.permute(1, 2, 0).numpy() * 255).round()
        row = [rgb.astype(np.uint8),
               iuv_to_hsv_image(s.input_iuv, normalized_index=True),
               _depth_image(s.input_depth[0].numpy()),
               np.repeat((sil * 255).astype(np.uint8)[..., None], 3, -1),
               _joints_image(sil, s.input_keypoints2d.numpy(),
                             s.input_keypoints2d_mask.numpy(),
                             engine.input_convention, args.size)]
        rows.append(np.concatenate(row, axis=1))
    grid = np.concatenate(rows, axis=0)
    path = osp.join(args.out, 'synthetic_grid.png')
    cv2.imwrite(path, grid[..., ::-1])
    print(f'wrote {path}: {len(rows)} samples x (RGB, IUV, depth, '
          f'silhouette, '
          f'2D joints), {args.size} px each')
    return path


if __name__ == '__main__':
    with torch.no_grad():
        main()
