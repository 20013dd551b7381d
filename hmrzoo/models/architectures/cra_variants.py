"""The variants of :class:`~.cra_estimator.CRAEstimator`
(``000_f8ace6beef631e18.txt`` Table 4): which streams read which evidence,
what R_fuse's misalignment input is, which misalignments each stream's
estimate contributes, and clear errors for combinations Table 4 does not
have.
"""
from typing import Optional, Sequence, Tuple

from ...structures import EVIDENCE_CHANNELS

__all__ = ['STREAMS', 'FUSIONS', 'OTHER', 'check_variant', 'misalignments']

#: the streams and the evidence each reads (Table 4's representations)
STREAMS = dict(joints=('heatmaps', ), iuv=('iuv', ),
               concat=('heatmaps', 'iuv'))
#: R_fuse's misalignment input: ``'both'`` (▷◁R_fuse, the method),
#: ``'other'`` (◁R_fuse: each estimate against the other representation),
#: ``'features'`` (no misalignment: fine features and estimates only)
FUSIONS = ('both', 'other', 'features')
#: what each stream's estimate is compared with under ``'other'``
OTHER = dict(joints='iuv', iuv='joints')


def check_variant(streams: Sequence[str], fusion: Optional[str],
                  evidence: Sequence[str], iuv_decoder: Optional[dict],
                  decoded_iuv: str) -> None:
    """Clear errors for combinations Table 4 does not have (arguments as
    :class:`~.cra_estimator.CRAEstimator`'s)."""
    if not streams or set(streams) - set(STREAMS) or \
            len(set(streams)) != len(streams):
        raise ValueError(f'streams must be distinct names among '
                         f'{list(STREAMS)}, got {streams}')
    if len(streams) == 2 and set(streams) != {'joints', 'iuv'}:
        raise ValueError("two streams are 'joints' and 'iuv'")
    if len(streams) == 1 and fusion is not None:
        raise ValueError(f'one stream ({streams[0]}) has nothing to '
                         'fuse; set fusion=None')
    if len(streams) == 2 and fusion not in FUSIONS:
        raise ValueError(f'two streams need a fusion among {FUSIONS}, '
                         f'got {fusion!r}')
    needed = {k for s in streams for k in STREAMS[s]}
    if fusion in ('both', 'other'):
        needed |= {'heatmaps', 'iuv'}
    unknown = [k for k in evidence
               if k != 'heatmaps' and k not in EVIDENCE_CHANNELS]
    if unknown or needed - set(evidence):
        raise ValueError(f'evidence {tuple(evidence)} must list the '
                         f'kinds the model reads ({sorted(needed)})')
    if iuv_decoder is not None and 'joints' not in streams:
        raise ValueError('the IUV decoder reads the joint stream; add '
                         "'joints' to streams")
    if decoded_iuv not in ('missing', 'always', 'never'):
        raise ValueError("decoded_iuv must be 'missing', 'always' or "
                         f"'never', got {decoded_iuv!r}")


def misalignments(fusion: Optional[str], stream: str) -> Tuple[bool, bool]:
    """(D_J?, D_M?) of stream ``stream``'s estimate for fusion mode
    ``fusion`` (one of :data:`FUSIONS`, or None)."""
    if fusion == 'both':
        return True, True
    if fusion == 'other':
        return OTHER[stream] == 'joints', OTHER[stream] == 'iuv'
    return False, False
