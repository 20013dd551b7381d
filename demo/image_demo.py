"""Meshes of every person in a photograph (or a folder of them).

    python demo/image_demo.py IMAGE_OR_FOLDER --model CONFIG|NAME \
        [--checkpoint CKPT|URL] --out DIR

Per image ``NAME``: ``NAME_overlay.jpg`` (each person's mesh over the
photograph, drawn with the photograph's camera, with the model's 2D
keypoints), ``NAME_side.jpg`` (a side view), ``NAME_keypoints.jpg`` (the
2D evidence the model read, or its own keypoints for RGB models),
``NAME_person<i>.obj`` / ``.ply``, ``NAME.glb`` (all people in one scene)
and ``NAME.json`` (boxes, cameras, parameters, evidence).  Runs on the CPU
and offline (people and keypoints from mediapipe's bundled models).
"""
import argparse
import glob
import json
import os
import os.path as osp
import sys

import cv2
from tqdm import tqdm

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from hmrzoo.apis import inference_mesh, init_model, zoo  # noqa: E402
from hmrzoo.apis.fast_path import add_fast_path_argument  # noqa: E402
from hmrzoo.apis.inference import release_detectors  # noqa: E402
from hmrzoo.apis.inference.exports import (write_glb,  # noqa: E402
                                           write_image, write_json,
                                           write_mesh)
from hmrzoo.utils.errors import UserInputError  # noqa: E402
from hmrzoo.visualization import draw_keypoints, overlay, side_view  # noqa

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')
DETECTORS = dict(mediapipe='MediaPipePersonDetector')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('images', help='an image or a folder of images')
    parser.add_argument('--model', required=True,
                        help='a config file (configs/...) or a zoo name '
                             '(python tools/zoo.py list)')
    parser.add_argument('--checkpoint', default=None,
                        help='a checkpoint file or http(s) URL; without it '
                             'the model runs as initialised (plumbing only)')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--device', default='cpu')
    add_fast_path_argument(parser, default='auto')
    parser.add_argument('--detector', choices=sorted(DETECTORS),
                        default='mediapipe',
                        help='person detector (offline)')
    parser.add_argument('--bboxes', default=None,
                        help='JSON file: {image file name: [[x1, y1, x2, '
                             'y2], ...]} instead of the detector')
    parser.add_argument('--focal', type=float, default=None,
                        help="the photographs' focal length in pixels "
                             '(default: the image diagonal)')
    return parser.parse_args(argv)


def model_and_checkpoint(model: str, checkpoint):
    """``--model`` as a config file, or a zoo name (its config, and its
    checkpoint unless ``--checkpoint`` is given)."""
    if osp.isfile(model) or model.endswith('.py'):
        return model, checkpoint      # a missing config is named later
    entry = zoo.get_entry(model)
    return zoo.index.config_path(entry), checkpoint or entry.name


def list_images(path: str):
    if osp.isdir(path):
        found = sorted(p for p in glob.glob(osp.join(path, '*'))
                       if p.lower().endswith(IMAGE_SUFFIXES))
        if not found:
            raise UserInputError(f'{path} holds no image '
                                 f'({", ".join(IMAGE_SUFFIXES)})')
        return found
    if not osp.isfile(path):
        raise UserInputError(f'image or folder not found: {path}')
    return [path]


def run(args) -> dict:
    images = list_images(args.images)
    boxes = {}
    if args.bboxes:
        try:
            with open(args.bboxes) as f:
                boxes = json.load(f)
        except (OSError, ValueError) as exc:
            raise UserInputError(f'--bboxes {args.bboxes}: {exc}; give a '
                                 'JSON file {"image.jpg": [[x1, y1, x2, '
                                 'y2], ...]}') from None
        if not isinstance(boxes, dict):
            raise UserInputError(f'--bboxes {args.bboxes} holds a '
                                 f'{type(boxes).__name__}; expected '
                                 '{"image.jpg": [[x1, y1, x2, y2], ...]}')
    os.makedirs(args.out, exist_ok=True)
    config, checkpoint = model_and_checkpoint(args.model, args.checkpoint)
    model = init_model(config, checkpoint, device=args.device,
                       fast_path=args.fast_path)
    detector = dict(type=DETECTORS[args.detector])
    meta = dict(config=config, checkpoint=checkpoint,
                units='metres, pixels (pixel centres at integers)',
                frame='camera: x right, y down, z forward')
    counts = {}
    for path in tqdm(images, unit='image', disable=len(images) == 1):
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise UserInputError(f'image could not be read: {path}')
        name = osp.splitext(osp.basename(path))[0]
        people = inference_mesh(
            model, img, bboxes=boxes.get(osp.basename(path)),
            focal_length=args.focal, person_detector=detector)
        counts[path] = len(people)
        stem = osp.join(args.out, name)
        own = [p['keypoints2d'] for p in people]
        write_image(draw_keypoints(overlay(img, people), own),
                    f'{stem}_overlay.jpg')
        write_image(side_view(people, img.shape[:2]), f'{stem}_side.jpg')
        shown = [p['evidence']['keypoints'] for p in people] \
            if people and people[0]['evidence']['keypoints'] is not None \
            else own
        write_image(draw_keypoints(img, shown), f'{stem}_keypoints.jpg')
        for i, person in enumerate(people):
            write_mesh(person, f'{stem}_person{i}.obj')
            write_mesh(person, f'{stem}_person{i}.ply')
        if people:
            write_glb(people, f'{stem}.glb')
        write_json(people, path, meta, f'{stem}.json')
    release_detectors(model)
    return counts


def main(argv=None):
    args = parse_args(argv)
    counts = run(args)
    for path, num in counts.items():
        print(f'{path}: {num} person(s)')
    print(f'results in {args.out}')
    return counts


if __name__ == '__main__':
    try:
        main()
    except UserInputError as err:
        raise SystemExit(f'error: {err}')
