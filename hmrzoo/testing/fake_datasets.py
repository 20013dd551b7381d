"""Fabricated stand-ins for the converted datasets of the paper-setting
configs: every file of ``configs/_base_/datasets/paper_data_files.py``, with
noise images in each dataset's image folder, in the layout those configs
read (no dataset image or annotation is used)."""
from pathlib import Path
from typing import Union

import cv2
import numpy as np
from mmengine.config import Config

from ..datasets.human_data import keypoints_to_superset, save_annotations

_TABLE = Path(__file__).resolve().parents[2] / \
    'configs/_base_/datasets/paper_data_files.py'
#: datasets whose files carry 3D joints, and those with SMPL parameters
WITH_3D = ('h36m', 'mpi_inf_3dhp')
WITH_SMPL = ('spin_lsp', 'spin_lspet', 'spin_mpii', 'spin_coco',
             'cliff_coco', 'cliff_mpii', 'eft_coco', 'pw3d')


def write_fake_paper_datasets(root: Union[str, Path], num: int = 4,
                              seed: int = 0) -> None:
    """Write ``root/data/preprocessed/<file>.npz`` for every paper dataset
    and ``num`` 120x100 noise JPEGs each under
    ``root/data/datasets/<image dir>/images``.

    Each row has a 60x80 box at (20, 20), COCO-17 joints inside it (pixels)
    and, as the real files, 3D joints (metres, 5 m away) for H36M and
    MPI-INF-3DHP, and SMPL parameters with alternating genders for the sets
    with SMPL fits and 3DPW.
    """
    table = Config.fromfile(str(_TABLE))
    rng = np.random.default_rng(seed)
    root = Path(root)
    out = root / 'data' / 'preprocessed'
    out.mkdir(parents=True, exist_ok=True)
    for name, (filename, _, _) in table.paper_files.items():
        img_dir = root / 'data' / 'datasets' / \
            table.paper_image_dirs[name] / 'images'
        img_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(num):
            img = (rng.random((120, 100, 3)) * 255).astype(np.uint8)
            cv2.imwrite(str(img_dir / f'{name}_{i}.jpg'), img)
            paths.append(f'images/{name}_{i}.jpg')
        coco = rng.uniform(20, 80, (num, 17, 2))
        data = dict(image_path=np.array(paths),
                    bbox_xywh=np.tile([20., 20., 60., 80.], (num, 1)),
                    keypoints2d=keypoints_to_superset(coco, 'coco'))
        if name in WITH_3D:
            data['keypoints3d'] = keypoints_to_superset(
                rng.normal(0, .3, (num, 17, 3)) + [0, 0, 5], 'h36m')
        if name in WITH_SMPL:
            data.update(smpl_global_orient=rng.normal(0, .2, (num, 3)),
                        smpl_body_pose=rng.normal(0, .2, (num, 69)),
                        smpl_betas=rng.normal(0, 1, (num, 10)),
                        smpl_transl=np.zeros((num, 3)),
                        has_smpl=np.ones(num, bool),
                        gender=np.array(['male', 'female'] * (num // 2)))
        save_annotations(str(out / filename), data, dataset=name, split='x')
