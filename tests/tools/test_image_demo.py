"""demo/image_demo.py end to end on photograph stand-ins (seeded Anny
renders side by side): every person found, every file written and
readable."""
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import trimesh

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'demo'))
import image_demo  # noqa: E402


def test_demo_writes_pictures_meshes_and_json(rendered_people, tmp_path):
    images, _ = rendered_people
    folder = tmp_path / 'photos'
    folder.mkdir()
    cv2.imwrite(str(folder / 'three.jpg'), np.concatenate(
        [images[k] for k in (0, 1, 2)], axis=1)[..., ::-1])
    cv2.imwrite(str(folder / 'one.png'), images[5][..., ::-1])
    out = tmp_path / 'out'
    counts = image_demo.main([str(folder), '--model',
                              str(ROOT / 'configs/hmr/r18_keypoints_anny.py'),
                              '--out', str(out)])
    assert {Path(k).name: v for k, v in counts.items()} == {'one.png': 1,
                                                            'three.jpg': 3}
    for name, num in (('three', 3), ('one', 1)):
        for suffix in ('overlay.jpg', 'side.jpg', 'keypoints.jpg'):
            img = cv2.imread(str(out / f'{name}_{suffix}'))
            assert img is not None and img.shape[0] == 256
        doc = json.loads((out / f'{name}.json').read_text())
        assert len(doc['people']) == num
        assert doc['people'][0]['evidence']['keypoints_source'] == \
            'detector'
        scene = trimesh.load(str(out / f'{name}.glb'), process=False)
        assert len(scene.geometry) == num
        for i in range(num):
            mesh = trimesh.load(str(out / f'{name}_person{i}.obj'),
                                process=False)
            assert len(mesh.faces) == len(
                trimesh.load(str(out / f'{name}_person{i}.ply'),
                             process=False).faces)
    # the overlay differs from the photograph only around the people
    photo = cv2.imread(str(folder / 'three.jpg'))
    drawn = cv2.imread(str(out / 'three_overlay.jpg'))
    assert np.abs(drawn.astype(int) - photo).mean() > 1
