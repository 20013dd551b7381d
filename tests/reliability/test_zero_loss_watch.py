"""A loss term that stays exactly 0 is named once (engine/zero_loss_watch):
a configured term that trains nothing never passes silently."""
import sys
from pathlib import Path

from hmrzoo.engine import ZeroLossWatchHook

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / 'tests/data/configs/tiny_multiroi_anny.py')
sys.path.insert(0, str(ROOT / 'tools'))
import train as train_tool  # noqa: E402


def test_a_zero_term_is_named_once(tmp_path, capfd):
    train_tool.main([TINY, '--work-dir', str(tmp_path), '--cfg-options',
                     'model.losses.contrastive.loss_weight=0.0'])
    out = ''.join(capfd.readouterr())
    assert out.count('loss_contrastive has been exactly 0 for 2 training '
                     'iterations') == 1
    assert 'loss_keypoints3d has been exactly 0' not in out
    # the start-up line of engine/smpl_supervision.py (synthetic: all rows)
    assert 'training rows with SMPL parameters: SyntheticPoseDataset: 100% ' \
        'of the mix, 100% with SMPL; overall 100% of the sampled rows' in out


class _Loop:
    max_iters = 3


class _Runner:
    train_loop = _Loop()


def test_window_counts_consecutive_zeros_and_skips_absent_terms():
    hook = ZeroLossWatchHook(window=500)
    runner = _Runner()
    for outputs in ({'loss_a': 0., 'loss_b': 1.}, {'loss_a': 0.},
                    {'loss_a': 1., 'loss_b': 0.}, {'loss_b': 0.}):
        hook.after_train_iter(runner, 0, outputs=outputs)
    # loss_a was reset by its non-zero third value; loss_b's zeros are
    # consecutive where present but only 2 < min(500, 3)
    assert hook.zero_run == {'loss_a': 0, 'loss_b': 2}
    assert not hook.warned
    hook.after_train_iter(runner, 0, outputs={'loss_b': 0.})
    assert hook.warned == {'loss_b'}
