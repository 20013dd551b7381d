"""Fixtures shared by the converter tests: the command-line tool, fabricated
videos and a reference pinhole projection, so each test module builds only
its dataset's layout."""
import importlib.util
import os
import os.path as osp
from pathlib import Path

import cv2
import numpy as np
import pytest

TOOL = Path(__file__).resolve().parents[3] / 'tools' / 'convert_datasets.py'


@pytest.fixture(scope='session')
def convert_tool():
    """``tools/convert_datasets.py``'s ``main(argv) -> list[str]`` (the
    paths written), loaded from the script file."""
    spec = importlib.util.spec_from_file_location('convert_datasets_tool',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def _frame_value(index: int) -> int:
    return 20 * index + 10


@pytest.fixture
def frame_value():
    """``frame_value(i)``: grey level of frame i of ``write_video``
    videos."""
    return _frame_value


@pytest.fixture
def write_video():
    """``write_video(path, num_frames, fourcc='mp4v')``: a 64 x 48 video
    whose frame i is uniformly grey ``frame_value(i)``."""
    def write(path: str, num_frames: int, fourcc: str = 'mp4v') -> str:
        os.makedirs(osp.dirname(path), exist_ok=True)
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), 50,
                                 (64, 48))
        assert writer.isOpened(), f'cannot write {path} with {fourcc}'
        for i in range(num_frames):
            writer.write(np.full((48, 64, 3), _frame_value(i), np.uint8))
        writer.release()
        return path
    return write


@pytest.fixture
def image_grey():
    """``image_grey(path)``: the mean grey level of an image file."""
    def grey(path) -> float:
        image = cv2.imread(str(path))
        assert image is not None, f'{path} is not a readable image'
        return float(image.mean())
    return grey


@pytest.fixture
def project():
    """``project(points, fx, fy, cx, cy)``: reference pinhole projection
    (..., 3) -> (..., 2), written out independently of hmrzoo."""
    def run(points, fx, fy, cx, cy):
        x, y, z = points[..., 0], points[..., 1], points[..., 2]
        return np.stack([fx * x / z + cx, fy * y / z + cy], axis=-1)
    return run
