"""Real photographs for tests, read from installed packages (never copied
into this repository).

:func:`street_photograph`: frame 137 of sports2d's demo video
(``Sports2D/Demo/demo.mp4``, sports2d 0.8.34, BSD-3-Clause, (c) 2022
perfanalytics), a real outdoor street scene, 1768 x 994: a woman walking
in the foreground and a man standing on a box behind her, both at full
height.  ``tools/install.sh`` installs sports2d for the tests (with
``--no-deps``: only the file is read).
"""
import importlib.util
import os.path as osp
from typing import Tuple

import cv2
import numpy as np

#: the two people of :func:`street_photograph`, boxes ``x1, y1, x2, y2``
#: pixels drawn by hand around each whole body (left to right)
STREET_PEOPLE = np.array([[536., 545., 776., 930.],
                          [728., 116., 852., 452.]], np.float32)
STREET_SOURCE = ('frame 137 of Sports2D/Demo/demo.mp4 (sports2d 0.8.34, '
                 'BSD-3-Clause)')


def street_photograph() -> Tuple[np.ndarray, str]:
    """``(image (994, 1768, 3) uint8 BGR, source description)``.

    Raises:
        FileNotFoundError: sports2d is not installed (the message says how).
    """
    spec = importlib.util.find_spec('Sports2D')
    path = None if spec is None else osp.join(
        list(spec.submodule_search_locations)[0], 'Demo', 'demo.mp4')
    if path is None or not osp.isfile(path):
        raise FileNotFoundError(
            'the street photograph comes from sports2d\'s demo video: run '
            '`bash tools/install.sh` (it installs sports2d for the tests) '
            'or `.venv/bin/python -m pip install --no-deps -c '
            'constraints.txt sports2d`')
    video = cv2.VideoCapture(path)
    try:
        video.set(cv2.CAP_PROP_POS_FRAMES, 137)
        ok, frame = video.read()
    finally:
        video.release()
    if not ok:
        raise FileNotFoundError(f'could not read frame 137 of {path}')
    return frame, STREET_SOURCE
