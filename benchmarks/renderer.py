"""Renders per second of IUV-like rendering: hmrzoo's rasterizer next to the
brute-force reference (and pytorch3d when it is importable).

    python benchmarks/renderer.py [--batch 64] [--sizes 64 256]
        [--meshes anny smpl] [--repeats 3] [--ref-batch 2]
        [--ref-max-pairs 2e8] [--threads N] [--devices cpu cuda]

One "render" is one image: ``rasterize`` + ``interpolate_vertex_attributes``
of 3 per-vertex channels (an IUV-like map), no gradient.  Meshes:

* ``anny``: Anny (13,718 vertices, 27,420 faces) in its rest pose, one
  randomly rotated copy per batch element;
* ``smpl``: an SMPL-sized fabricated body (6,890 vertices, 13,776 faces,
  :func:`hmrzoo.testing.fake_body_models.fake_smpl_arrays`), likewise.

Each body is centred 3 m in front of a pinhole camera whose focal length
makes a 1.8 m body span 80% of the image, as in a person crop.

The brute-force reference (:func:`hmrzoo.renderers.rasterize_brute_force`,
every face against every pixel) is timed once (no warm-up: each call takes
seconds) on ``--ref-batch`` images and reported per render; when one image
has more than ``--ref-max-pairs`` (face, pixel) pairs it is timed on the
first faces only and scaled by the face ratio (its cost is linear in the
number of faces), which the table says.  Other timings are medians of
``--repeats`` calls after one warm-up call.  On CUDA (timed when
available, or with ``--devices``) calls are synchronised.  A busy CPU
makes multi-threaded timings erratic: ``--threads 1`` gives steadier
figures.
"""
import argparse
import math
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import torch  # noqa: E402

from hmrzoo.utils.rotations import axis_angle_to_rotmat  # noqa: E402
from hmrzoo.renderers import (interpolate_vertex_attributes,  # noqa: E402
                              rasterize, rasterize_brute_force, to_screen)
from timing import median_time  # noqa: E402


def load_mesh(name):
    """Rest-pose vertices (V, 3) in metres (y up) and faces (F, 3)."""
    if name == 'anny':
        from hmrzoo.body_models import Anny
        model = Anny()
        with torch.no_grad():
            out = model(torch.eye(3).expand(1, 1, 3, 3).clone(),
                        torch.eye(3).expand(1, 23, 3, 3).clone())
        return out['vertices'][0], model.faces
    if name == 'smpl':
        from hmrzoo.testing.fake_body_models import fake_smpl_arrays
        arrays = fake_smpl_arrays()
        return (torch.tensor(arrays['v_template'], dtype=torch.float32),
                torch.tensor(arrays['f'].astype('int64')))
    raise ValueError(f'unknown mesh {name!r}')


def screen_batch(vertices, batch, size, seed=0):
    """(batch, V, 3) screen vertices of randomly rotated copies."""
    g = torch.Generator().manual_seed(seed)
    centred = vertices - vertices.mean(0)
    # y up -> the camera's y down, facing the camera, then a random turn
    flip = torch.diag(torch.tensor([1., -1., -1.]))
    rot = axis_angle_to_rotmat(torch.randn(batch, 3, generator=g) * 0.6)
    cam = (centred @ flip.T) @ rot.transpose(-1, -2) + \
        torch.tensor([0., 0., 3.])
    focal = 0.8 * size * 3. / 1.8
    return to_screen(cam, torch.full((batch, 2), focal),
                     torch.full((batch, 2), (size - 1) / 2.))


def iuv_hmrzoo(screen, faces, attrs, size):
    frags = rasterize(screen, faces, (size, size))
    return interpolate_vertex_attributes(attrs, faces, frags)


def iuv_reference(screen, faces, attrs, size, max_faces=None):
    frags = rasterize_brute_force(screen, faces, (size, size),
                                  max_faces=max_faces)
    return interpolate_vertex_attributes(attrs, faces, frags)


def pytorch3d_fn():
    """An IUV-like render with pytorch3d, or None if not importable."""
    try:
        from pytorch3d.ops import interpolate_face_attributes
        from pytorch3d.renderer.mesh.rasterize_meshes import \
            rasterize_meshes
        from pytorch3d.structures import Meshes
    except ImportError:
        return None

    def run(screen, faces, attrs, size):
        # hmrzoo pixels -> pytorch3d NDC (+x left, +y up, centres at
        # 1 - (2 j + 1) / S); see tests/renderers/test_rasterizer.py
        ndc = torch.stack([1 - (2 * screen[..., 0] + 1) / size,
                           1 - (2 * screen[..., 1] + 1) / size,
                           screen[..., 2]], -1)
        meshes = Meshes(verts=list(ndc), faces=[faces] * len(ndc))
        p2f, _, bary, _ = rasterize_meshes(
            meshes, image_size=size, blur_radius=0., faces_per_pixel=1,
            perspective_correct=True, max_faces_per_bin=faces.shape[0])
        face_attrs = attrs[faces]                    # shared by the batch
        return interpolate_face_attributes(
            p2f, bary, face_attrs.repeat(len(ndc), 1, 1))
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--sizes', type=int, nargs='+', default=[64, 256])
    parser.add_argument('--meshes', nargs='+', default=['anny', 'smpl'])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--ref-batch', type=int, default=2)
    parser.add_argument('--ref-max-pairs', type=float, default=2e8)
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--devices', nargs='+', default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    devices = args.devices or (['cpu', 'cuda'] if torch.cuda.is_available()
                               else ['cpu'])
    p3d = pytorch3d_fn()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} CPU '
          f'threads, devices {devices}, pytorch3d '
          f'{"yes" if p3d else "not importable"}; IUV-like render = '
          'rasterize + interpolate 3 channels; median of '
          f'{args.repeats} calls')
    header = (f'{"mesh":<6}{"faces":>7}{"size":>6}{"dev":>6}  '
              f'{"method":<12}{"batch":>6}{"ms/batch":>11}'
              f'{"renders/s":>11}  note')
    print(header)
    print('-' * len(header))
    ratios = []
    for mesh in args.meshes:
        verts, faces = load_mesh(mesh)
        attrs = torch.rand(verts.shape[0], 3,
                           generator=torch.Generator().manual_seed(1))
        for size in args.sizes:
            for device in devices:
                sv = screen_batch(verts, args.batch, size).to(device)
                fc, at = faces.to(device), attrs.to(device)
                rows = {}

                def report(method, batch, seconds, note=''):
                    rate = batch / seconds
                    rows[method] = rate
                    print(f'{mesh:<6}{faces.shape[0]:>7}{size:>6}'
                          f'{device:>6}  {method:<12}{batch:>6}'
                          f'{seconds * 1e3:>11.1f}{rate:>11.3g}  {note}',
                          flush=True)

                t = median_time(lambda: iuv_hmrzoo(sv, fc, at, size),
                                args.repeats, device)
                cover = (rasterize(sv[:4], fc, (size, size)).face_idx >= 0
                         ).float().mean().item()
                report('hmrzoo', args.batch, t,
                       f'{100 * cover:.0f}% of pixels covered')
                # brute force: fewer images, maybe fewer faces
                ref_sv = sv[:args.ref_batch]
                pairs = faces.shape[0] * size * size
                max_faces = None
                note = 'all faces'
                if pairs > args.ref_max_pairs:
                    max_faces = max(1, int(args.ref_max_pairs /
                                           (size * size)))
                    note = (f'timed on {max_faces} of {faces.shape[0]} '
                            'faces, scaled linearly')
                # seconds per call: one call, no warm-up
                t_ref = median_time(
                    lambda: iuv_reference(ref_sv, fc, at, size, max_faces),
                    1, device, warmup=False)
                if max_faces is not None:
                    t_ref *= faces.shape[0] / max_faces
                report('brute-force', len(ref_sv), t_ref, note)
                ratios.append((mesh, size, device, 'brute-force',
                               rows['hmrzoo'] / rows['brute-force']))
                if p3d is not None:
                    try:
                        t_p3d = median_time(
                            lambda: p3d(sv.float(), fc, at.float(), size),
                            args.repeats, device)
                        report('pytorch3d', args.batch, t_p3d)
                        ratios.append((mesh, size, device, 'pytorch3d',
                                       rows['hmrzoo'] / rows['pytorch3d']))
                    except Exception as err:  # report, do not stop
                        print(f'{"":<31}pytorch3d failed: {err}')
    print()
    print('speed ratio (hmrzoo renders/s over the other method):')
    for mesh, size, device, other, ratio in ratios:
        print(f'  {mesh:<5} {size:>4}^2 {device:<5} vs {other:<12} '
              f'x{ratio:,.1f}' if math.isfinite(ratio) else 'n/a')


if __name__ == '__main__':
    main()
