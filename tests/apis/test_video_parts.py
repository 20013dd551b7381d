"""Video pieces: BVH files parsed back by an independent reader reproduce
the joints, the One Euro filter against its formula, IoU tracks, and the
video demo end to end on a real video (sports2d's demo, read from the
installed package)."""
import importlib.util
import os.path as osp
import sys
from pathlib import Path

import cv2
import numpy as np
import torch

from hmrzoo.apis.inference.bvh import (CAMERA_TO_WORLD, rotmat_to_zxy,
                                       write_bvh)
from hmrzoo.apis.inference.tracking import IoUTracker, OneEuroFilter
from hmrzoo.conventions.smpl import SMPL_24, SMPL_PARENTS
from hmrzoo.utils.rotations import axis_angle_to_rotmat

ROOT = Path(__file__).resolve().parents[2]


def read_bvh(path):
    """A small BVH reader: joint names, parents, offsets, channels and the
    motion rows."""
    names, parents, offsets, channels, stack = [], [], [], [], []
    lines = iter(open(path).read().split('\n'))
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] in ('ROOT', 'JOINT'):
            names.append(words[1])
            parents.append(stack[-1] if stack else -1)
        elif words[0] == 'End':
            names.append(None)
            parents.append(stack[-1])
        elif words[0] == '{':
            stack.append(len(names) - 1)
        elif words[0] == '}':
            stack.pop()
        elif words[0] == 'OFFSET':
            offsets.append([float(v) for v in words[1:4]])
        elif words[0] == 'CHANNELS':
            channels.append((len(names) - 1, words[2:]))
        elif words[0] == 'MOTION':
            break
    frames = int(next(lines).split()[1])
    frame_time = float(next(lines).split()[2])
    motion = np.array([[float(v) for v in next(lines).split()]
                       for _ in range(frames)])
    return names, parents, np.array(offsets), channels, motion, frame_time


def _axis(name, deg):
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return {'X': np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
            'Y': np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
            'Z': np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])}[name[0]]


def bvh_positions(path, order=SMPL_24):
    """(T, J, 3) world positions of the joints ``order`` (by name) by
    forward kinematics of the file, and the frame time."""
    names, parents, offsets, channels, motion, ft = read_bvh(path)
    out = []
    for row in motion:
        col, glob, pos = 0, {}, {}
        local = {}
        for joint, chans in channels:
            rot, trans = np.eye(3), np.zeros(3)
            for ch in chans:
                value = row[col]
                col += 1
                if ch.endswith('position'):
                    trans['XYZ'.index(ch[0])] = value
                else:
                    rot = rot @ _axis(ch, value)
            local[joint] = (rot, trans)
        for j, parent in enumerate(parents):
            rot, trans = local.get(j, (np.eye(3), np.zeros(3)))
            if parent < 0:
                pos[j] = trans + offsets[j]
                glob[j] = rot
            else:
                pos[j] = pos[parent] + glob[parent] @ offsets[j]
                glob[j] = glob[parent] @ rot
        out.append([pos[names.index(n)] for n in order])
    return np.array(out), ft


def test_zxy_angles_round_trip():
    torch.manual_seed(0)
    rot = axis_angle_to_rotmat(torch.randn(50, 3)).numpy()
    z, x, y = np.moveaxis(rotmat_to_zxy(rot), -1, 0)
    back = np.stack([_axis('Z', a) @ _axis('X', b) @ _axis('Y', c)
                     for a, b, c in zip(z, x, y)])
    assert np.allclose(back, rot, atol=1e-6)


def test_bvh_forward_kinematics_gives_back_the_joints(tmp_path):
    rng = np.random.default_rng(0)
    rest = rng.normal(scale=0.2, size=(24, 3))
    rot = axis_angle_to_rotmat(torch.as_tensor(
        rng.normal(scale=0.6, size=(7 * 24, 3)))).numpy().reshape(7, 24,
                                                                   3, 3)
    roots = rng.normal(size=(7, 3)) + [0, 0, 5]
    # the expected joints, camera frame: FK of the rest skeleton
    expect = np.zeros((7, 24, 3))
    for t in range(7):
        glob = {}
        for k, p in enumerate(SMPL_PARENTS):
            if p < 0:
                glob[k], expect[t, k] = rot[t, k], roots[t]
            else:
                glob[k] = glob[p] @ rot[t, k]
                expect[t, k] = expect[t, p] + glob[p] @ (rest[k] - rest[p])
    path = write_bvh(str(tmp_path / 'a.bvh'), rest, roots, rot, fps=25.)
    got, frame_time = bvh_positions(path)
    assert frame_time == 0.04
    assert np.abs(got - expect @ CAMERA_TO_WORLD.T).max() < 1e-4


def test_one_euro_filter():
    f = OneEuroFilter(fps=30., min_cutoff=1.0, beta=0.)
    assert f(np.array([2.])) == 2.                       # first sample
    # beta 0: a plain exponential low-pass with a = 1 / (1 + tau / dt)
    a = 1. / (1. + 1. / (2 * np.pi * 1.0 / 30.))
    assert np.isclose(f(np.array([3.]))[0], a * 3. + (1 - a) * 2.)
    rng = np.random.default_rng(0)
    noisy = 1. + 0.1 * rng.normal(size=300)
    g = OneEuroFilter(fps=30.)
    out = np.array([g(np.array([v]))[0] for v in noisy])
    assert out[30:].std() < 0.5 * noisy[30:].std()
    # a fast ramp is followed closely with a speed coefficient, not without
    ramp = np.arange(60) * 0.5
    lag = {}
    for beta in (0., 2.):
        h = OneEuroFilter(fps=30., min_cutoff=0.5, beta=beta)
        lag[beta] = ramp[-1] - [h(np.array([v]))[0] for v in ramp][-1]
    assert lag[2.] < 0.3 * lag[0.]


def test_iou_tracks():
    tracker = IoUTracker(min_iou=0.3, max_age=2)
    a, b = np.array([0, 0, 10, 20.]), np.array([50, 0, 60, 20.])
    assert tracker.update(np.stack([a, b]), 0) == [0, 1]
    # moved a little, reported in the other order
    assert tracker.update(np.stack([b + 1, a + 1]), 1) == [1, 0]
    assert tracker.update(np.stack([a + 2]), 2) == [0]
    assert tracker.update(np.stack([b + 2]), 3) == [1]    # within max_age
    assert tracker.update(np.stack([b + 2]), 7) == [2]    # ended: new id
    assert tracker.update(np.zeros((0, 4)), 8) == []


def test_video_demo_on_a_real_video(tmp_path):
    sys.path.insert(0, str(ROOT / 'demo'))
    import video_demo
    spec = importlib.util.find_spec('Sports2D')
    video = osp.join(list(spec.submodule_search_locations)[0], 'Demo',
                     'demo.mp4')
    out = tmp_path / 'out'
    summary = video_demo.main([video, '--model', str(
        ROOT / 'configs/hmr/r18_keypoints_anny.py'), '--out', str(out),
        '--start', '130', '--max-frames', '4'])
    assert summary == dict(frames=4, tracks=[0, 1])
    cap = cv2.VideoCapture(str(out / 'demo_overlay.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 4
    cap.release()
    for tid in (0, 1):
        data = np.load(out / f'demo_track{tid}.npz')
        assert data['frame'].tolist() == [130, 131, 132, 133]
        assert data['joints'].shape == (4, 24, 3) and data['fps'] == 30.
        got, frame_time = bvh_positions(str(out / f'demo_track{tid}.bvh'))
        assert np.isclose(frame_time, 1 / 30., atol=1e-7)
        assert np.abs(got - data['joints'] @ CAMERA_TO_WORLD.T).max() < 1e-4
