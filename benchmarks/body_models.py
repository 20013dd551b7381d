"""Forward time of the body models, and hmrzoo's SMPL wrapper against raw
``smplx.SMPL`` on the same (fabricated) model file in the same process.

    python benchmarks/body_models.py [--batches 1 64 512] [--repeats 10]

Prints, per batch size, the median forward time of raw smplx (axis-angle
input, its usual call), of hmrzoo's SMPL (rotation matrices in, keypoints
in a requested convention out) and their ratio, then Anny's forward time
(no grad) and forward+backward time.  Medians over ``--repeats`` calls
after one warm-up call.
"""
import argparse
import os.path as osp
import sys
import tempfile

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import smplx  # noqa: E402
import torch  # noqa: E402

from hmrzoo.body_models import SMPL, Anny  # noqa: E402
from hmrzoo.utils.rotations import axis_angle_to_rotmat  # noqa: E402
from hmrzoo.testing import write_fake_smpl  # noqa: E402
from timing import median_time  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batches', type=int, nargs='+',
                        default=[1, 64, 512])
    parser.add_argument('--repeats', type=int, default=10)
    args = parser.parse_args()
    torch.manual_seed(0)
    tmp = tempfile.mkdtemp()
    path = write_fake_smpl(osp.join(tmp, 'SMPL_NEUTRAL.pkl'))
    raw = smplx.SMPL(model_path=path).eval()
    ours = SMPL(model_path=path, keypoint_convention='coco').eval()
    anny = Anny().eval()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'CPU; median of {args.repeats} calls (ms)')
    print(f'{"batch":>6} {"smplx":>9} {"hmrzoo SMPL":>12} {"ratio":>7} '
          f'{"Anny fwd":>9} {"Anny f+b":>9}')
    for batch in args.batches:
        aa = torch.randn(batch, 24, 3) * 0.3
        rot = axis_angle_to_rotmat(aa)
        betas = torch.randn(batch, 10) * 0.5
        with torch.no_grad():
            t_raw = median_time(lambda: raw(
                global_orient=aa[:, 0], body_pose=aa[:, 1:].reshape(batch, -1),
                betas=betas), args.repeats)
            t_ours = median_time(lambda: ours(rot[:, :1], rot[:, 1:], betas),
                                 args.repeats)
            t_anny = median_time(lambda: anny(rot[:, :1], rot[:, 1:],
                                              betas[:, :6]), args.repeats)
        pose = rot.clone().requires_grad_(True)

        def anny_fb():
            out = anny(pose[:, :1], pose[:, 1:], betas[:, :6])
            out['vertices'].sum().backward()
        t_fb = median_time(anny_fb, max(2, args.repeats // 3))
        print(f'{batch:>6} {t_raw * 1e3:>9.2f} {t_ours * 1e3:>12.2f} '
              f'{t_ours / t_raw:>7.2f} {t_anny * 1e3:>9.2f} '
              f'{t_fb * 1e3:>9.2f}')


if __name__ == '__main__':
    main()
