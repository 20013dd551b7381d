"""Forward time of hmrzoo's SMPL (45 and 54 keypoints, with and without
the mesh) against raw ``smplx.SMPL`` on the same (fabricated) model file,
in the same process, calls interleaved; and Anny's forward and
forward+backward.

    python benchmarks/body_models.py [--batches 1 64 512] [--repeats 20]

References (raw smplx, rotation matrices in, ``pose2rot=False``, the call
hmrzoo's estimators would make; axis-angle in adds smplx's Rodrigues):

* 45 keypoints: ``smplx.SMPL`` as it is (24 joints + 21 vertex picks);
* 54 keypoints: the same plus SPIN's ``J_regressor_extra`` (9 rows, here a
  fabricated one with SPIN's 9 x 6890 shape) applied to its vertices, as
  SPIN / CLIFF do.

hmrzoo rows: ``SMPL(...)`` / ``SMPL(extra_joints_regressor=...)`` with
rotation matrices (their native conventions, smpl_45 / smpl_54), and the
same with ``need_vertices=False`` (keypoints for a loss, no mesh).
Printed: median ms of ``--repeats`` interleaved rounds after a warm-up,
the ratio reference / hmrzoo (> 1: hmrzoo faster), and the largest
difference of vertices and keypoints from the reference (m).
"""
import argparse
import os.path as osp
import sys
import tempfile

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import numpy as np  # noqa: E402
import smplx  # noqa: E402
import torch  # noqa: E402

from hmrzoo.body_models import SMPL, Anny  # noqa: E402
from hmrzoo.testing import write_fake_regressor, write_fake_smpl  # noqa
from hmrzoo.utils.rotations import axis_angle_to_rotmat  # noqa: E402
from timing import interleaved  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batches', type=int, nargs='+',
                        default=[1, 64, 512])
    parser.add_argument('--repeats', type=int, default=20)
    args = parser.parse_args()
    torch.manual_seed(0)
    tmp = tempfile.mkdtemp()
    path = write_fake_smpl(osp.join(tmp, 'SMPL_NEUTRAL.pkl'))
    extra_path = write_fake_regressor(osp.join(tmp, 'J_regressor_extra.npy'),
                                      9, k=40)
    extra = torch.from_numpy(np.load(extra_path)).float()
    raw = smplx.SMPL(model_path=path).eval()
    smpl45 = SMPL(model_path=path).eval()
    smpl54 = SMPL(model_path=path, extra_joints_regressor=extra_path).eval()
    anny = Anny().eval()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'CPU; median of {args.repeats} interleaved rounds (ms); ratio = '
          'smplx / hmrzoo; diff = largest |hmrzoo - smplx| (m)')
    print(f'{"batch":>6} {"kps":>4} {"smplx":>8} {"hmrzoo":>8} {"ratio":>6} '
          f'{"no mesh":>8} {"ratio":>6} {"diff":>9} {"aa smplx":>9}')
    for batch in args.batches:
        aa = torch.randn(batch, 24, 3) * 0.3
        rot = axis_angle_to_rotmat(aa)
        betas = torch.randn(batch, 10) * 0.5

        def ref45():
            return raw(global_orient=rot[:, :1], body_pose=rot[:, 1:],
                       betas=betas, pose2rot=False)

        def ref54():
            out = ref45()
            return out, torch.einsum('jv,bvc->bjc', extra, out.vertices)

        def ref_aa():
            return raw(global_orient=aa[:, 0],
                       body_pose=aa[:, 1:].reshape(batch, -1), betas=betas)
        fns = {
            'ref45': ref45, 'ref54': ref54, 'aa': ref_aa,
            'ours45': lambda: smpl45(rot[:, :1], rot[:, 1:], betas),
            'ours54': lambda: smpl54(rot[:, :1], rot[:, 1:], betas),
            'kp45': lambda: smpl45(rot[:, :1], rot[:, 1:], betas,
                                   need_vertices=False),
            'kp54': lambda: smpl54(rot[:, :1], rot[:, 1:], betas,
                                   need_vertices=False),
        }
        with torch.no_grad():
            t = interleaved(fns, args.repeats)
            r45, (r54, r54x) = ref45(), ref54()
            o45, o54 = fns['ours45'](), fns['ours54']()
            k54 = fns['kp54']()
        d45 = max(float((o45['vertices'] - r45.vertices).abs().max()),
                  float((o45['joints'] - r45.joints).abs().max()))
        d54 = max(float((o54['vertices'] - r54.vertices).abs().max()),
                  float((o54['joints'][:, 45:] - r54x).abs().max()),
                  float((o54['joints'][:, :45] - r54.joints).abs().max()),
                  float((k54['joints'] - o54['joints']).abs().max()))
        for kps, ref, ours, kp, diff in ((45, 'ref45', 'ours45', 'kp45', d45),
                                         (54, 'ref54', 'ours54', 'kp54',
                                          d54)):
            print(f'{batch:>6} {kps:>4} {t[ref] * 1e3:>8.2f} '
                  f'{t[ours] * 1e3:>8.2f} {t[ref] / t[ours]:>6.2f} '
                  f'{t[kp] * 1e3:>8.2f} {t[ref] / t[kp]:>6.2f} '
                  f'{diff:>9.1e} {t["aa"] * 1e3:>9.2f}')
        anny_rows(anny, rot, betas[:, :6], batch, args.repeats)


def anny_rows(anny, rot, betas, batch: int, repeats: int) -> None:
    """Anny's forward and forward+backward with each skinning backend of
    the anny package: ``warp_lbs`` (its default, a Warp kernel: sparse
    weights, not traceable) and ``lbs`` (dense PyTorch)."""
    from hmrzoo.body_models.anny_model import shared_anny
    model = shared_anny('cpu', torch.float32)
    pose = rot.clone().requires_grad_(True)
    times, verts = {}, {}
    for backend in ('warp_lbs', 'lbs'):
        model.set_skinning_method(backend)
        with torch.no_grad():
            verts[backend] = anny(rot[:, :1], rot[:, 1:], betas)['vertices']
            fwd = interleaved({'a': lambda: anny(rot[:, :1], rot[:, 1:],
                                                 betas)},
                              max(2, repeats // 4))['a']

        def fwd_bwd():
            out = anny(pose[:, :1], pose[:, 1:], betas)
            out['vertices'].sum().backward()
        times[backend] = (fwd, interleaved({'a': fwd_bwd},
                                           max(2, repeats // 8))['a'])
    model.set_skinning_method('warp_lbs')
    diff = float((verts['lbs'] - verts['warp_lbs']).abs().max())
    (wf, wb), (lf, lb) = times['warp_lbs'], times['lbs']
    print(f'{batch:>6} Anny ms: warp_lbs fwd {wf * 1e3:.2f}, f+b '
          f'{wb * 1e3:.2f} | lbs fwd {lf * 1e3:.2f} ({wf / lf:.2f}x), f+b '
          f'{lb * 1e3:.2f} ({wb / lb:.2f}x) | max vertex diff {diff:.1e} m')

if __name__ == '__main__':
    main()
