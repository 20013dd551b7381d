"""Meshes of every person in a video, tracked and smoothed.

    python demo/video_demo.py VIDEO --model CONFIG [--checkpoint CKPT|URL] \
        --out DIR [--smooth one-euro|none] [--start F] [--max-frames N]

Frames are read one at a time with OpenCV (no whole-video buffer).  Each
frame's people (:func:`hmrzoo.apis.inference_mesh`) are associated with
tracks by box IoU; each track's pose (6D), shape and translation are
smoothed with the One Euro filter (``hmrzoo.apis.inference.tracking``,
defaults ``--min-cutoff 1.0 --beta 0.5``, per second of video) and the body
is posed again from the smoothed parameters.  Writes ``NAME_overlay.mp4``
(the smoothed meshes over the video), per track ``NAME_track<id>.npz``
(frame, global_orient, body_pose, betas, transl, joints, bbox, camera per
frame) and ``NAME_track<id>.bvh`` (the 24-joint skeleton of the track's
mean shape, its rotations per frame, the video's frame rate; frames where
the person was not seen repeat the last pose).
"""
import argparse
import os
import os.path as osp
import sys

import cv2
import numpy as np
import torch
from tqdm import tqdm

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from hmrzoo.apis import inference_mesh, init_model  # noqa: E402
from hmrzoo.apis.fast_path import add_fast_path_argument  # noqa: E402
from hmrzoo.apis.inference import release_detectors  # noqa: E402
from hmrzoo.apis.inference.bvh import write_bvh  # noqa: E402
from hmrzoo.apis.inference.tracking import (IoUTracker,  # noqa: E402
                                            OneEuroFilter)
from hmrzoo.conventions import convert_kps  # noqa: E402
from hmrzoo.utils.atomic import atomic_path  # noqa: E402
from hmrzoo.utils.errors import UserInputError  # noqa: E402
from hmrzoo.utils.rotations import (rot6d_to_rotmat,  # noqa: E402
                                    rotmat_to_rot6d)
from hmrzoo.visualization import overlay  # noqa: E402
from image_demo import model_and_checkpoint  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video')
    parser.add_argument('--model', required=True,
                        help='a config file or a zoo name')
    parser.add_argument('--checkpoint', default=None)
    parser.add_argument('--out', required=True)
    parser.add_argument('--device', default='cpu')
    add_fast_path_argument(parser, default='auto')
    parser.add_argument('--smooth', choices=('one-euro', 'none'),
                        default='one-euro')
    parser.add_argument('--min-cutoff', type=float, default=1.0)
    parser.add_argument('--beta', type=float, default=0.5)
    parser.add_argument('--start', type=int, default=0,
                        help='first frame to process')
    parser.add_argument('--max-frames', type=int, default=None)
    parser.add_argument('--focal', type=float, default=None)
    return parser.parse_args(argv)


class Track:
    """One person's smoothed parameters, frame by frame."""

    def __init__(self, fps, smooth, min_cutoff, beta):
        make = (lambda: OneEuroFilter(fps, min_cutoff, beta)) \
            if smooth else (lambda: None)
        self.filters = dict(pose=make(), betas=make(), transl=make())
        self.rows = dict(frame=[], rot=[], betas=[], transl=[], bbox=[],
                         focal=[], principal_point=[])
        self.last = None

    def add(self, frame, person):
        steps = 1 if self.last is None else frame - self.last
        self.last = frame
        pose = np.concatenate([person['params']['global_orient'][None],
                               person['params']['body_pose']])
        values = dict(pose=rotmat_to_rot6d(torch.as_tensor(pose)).numpy(),
                      betas=person['params']['betas'],
                      transl=person['camera']['translation'])
        out = {k: v if self.filters[k] is None
               else self.filters[k](v, steps) for k, v in values.items()}
        rot = rot6d_to_rotmat(torch.as_tensor(out['pose'],
                                              dtype=torch.float32))
        for key, value in (('frame', frame), ('rot', rot.numpy()),
                           ('betas', out['betas']),
                           ('transl', out['transl']),
                           ('bbox', person['bbox']),
                           ('focal', person['camera']['focal']),
                           ('principal_point',
                            person['camera']['principal_point'])):
            self.rows[key].append(np.asarray(value, np.float32))
        return rot, out['betas'], out['transl']


@torch.no_grad()
def pose_body(model, rot, betas, transl):
    """Vertices and SMPL-24 joints (camera frame) of smoothed parameters."""
    device = next(model.parameters()).device
    rot = torch.as_tensor(rot, dtype=torch.float32, device=device
                          ).reshape(-1, 24, 3, 3)
    betas = torch.as_tensor(np.asarray(betas), dtype=torch.float32,
                            device=device)
    out = model.run_body_model(rot, betas.reshape(len(rot), -1))
    joints, _ = convert_kps(out['joints'],
                            model.body_model.native_convention, 'smpl_24')
    shift = torch.as_tensor(np.asarray(transl), dtype=torch.float32,
                            device=device).reshape(-1, 1, 3)
    return ((out['vertices'] + shift).cpu().numpy(),
            (joints + shift).cpu().numpy())


def finish_track(model, track, stem, tid, fps):
    """The track's ``.npz`` and ``.bvh`` (mean shape, gaps held)."""
    rows = {k: np.stack(v) for k, v in track.rows.items()}
    frames = rows['frame'].astype(np.int64)
    mean_betas = rows['betas'].mean(0, keepdims=True)
    span = np.arange(frames[0], frames[-1] + 1)
    held = np.searchsorted(frames, span, side='right') - 1
    rot, transl = rows['rot'][held], rows['transl'][held]
    _, joints = pose_body(model, rot, np.repeat(mean_betas, len(span), 0),
                          transl)
    _, rest = pose_body(model, np.eye(3)[None].repeat(24, 0)[None],
                        mean_betas, np.zeros(3))
    with atomic_path(f'{stem}_track{tid}.npz') as tmp:
        np.savez(tmp, frame=span, seen=np.isin(span, frames),
                 global_orient=rot[:, 0], body_pose=rot[:, 1:],
                 betas=rows['betas'][held], mean_betas=mean_betas[0],
                 transl=transl, joints=joints, bbox=rows['bbox'][held],
                 focal=rows['focal'][held],
                 principal_point=rows['principal_point'][held], fps=fps)
    write_bvh(f'{stem}_track{tid}.bvh', rest[0], joints[:, 0], rot, fps)


def run(args):
    video = cv2.VideoCapture(args.video)
    if not video.isOpened():
        raise UserInputError(f'video not found or not readable: '
                             f'{args.video}')
    fps = video.get(cv2.CAP_PROP_FPS) or 30.
    total = int(video.get(cv2.CAP_PROP_FRAME_COUNT)) or None
    if args.start:
        video.set(cv2.CAP_PROP_POS_FRAMES, args.start)
    count = None if total is None else total - args.start
    if args.max_frames is not None:
        count = args.max_frames if count is None else \
            min(count, args.max_frames)
    os.makedirs(args.out, exist_ok=True)
    stem = osp.join(args.out, osp.splitext(osp.basename(args.video))[0])
    model = init_model(*model_and_checkpoint(args.model, args.checkpoint),
                       device=args.device, fast_path=args.fast_path)
    tracker, tracks = IoUTracker(), {}
    bar = tqdm(total=count, unit='frame')
    video_path = f'{stem}_overlay.mp4'
    with atomic_path(video_path) as video_tmp:
        frame_no = _frames(args, video, model, tracker, tracks, video_tmp,
                           fps, count, bar)
    bar.close()
    video.release()
    release_detectors(model)
    if frame_no == args.start:          # no frame read: no video written
        os.remove(video_path)
    for tid, track in tracks.items():
        finish_track(model, track, stem, tid, fps)
    return dict(frames=frame_no - args.start, tracks=sorted(tracks))


def _frames(args, video, model, tracker, tracks, video_path, fps, count,
            bar) -> int:
    """Read, recover, track, smooth and draw frames into ``video_path``;
    returns the next frame number."""
    writer, frame_no = None, args.start
    while count is None or frame_no - args.start < count:
        ok, frame = video.read()
        if not ok:
            break
        people = inference_mesh(model, frame, focal_length=args.focal)
        ids = tracker.update(np.stack([p['bbox'] for p in people])
                             if people else np.zeros((0, 4)), frame_no)
        drawn = []
        for tid, person in zip(ids, people):
            track = tracks.setdefault(tid, Track(
                fps, args.smooth == 'one-euro', args.min_cutoff, args.beta))
            rot, betas, transl = track.add(frame_no, person)
            verts, _ = pose_body(model, rot[None], betas[None], transl)
            drawn.append(dict(person, vertices=verts[0]))
        if writer is None:
            writer = cv2.VideoWriter(video_path,
                                     cv2.VideoWriter_fourcc(*'mp4v'), fps,
                                     frame.shape[1::-1])
        writer.write(overlay(frame, drawn))
        frame_no += 1
        bar.update()
    if writer is not None:
        writer.release()
    return frame_no


def main(argv=None):
    args = parse_args(argv)
    summary = run(args)
    print(f"{summary['frames']} frames, {len(summary['tracks'])} track(s); "
          f'results in {args.out}')
    return summary


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:
        raise SystemExit(f'error: {err}')
