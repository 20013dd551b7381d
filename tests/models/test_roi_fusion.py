"""RoI-aware fusion (eq. 2-4) and the box positional encoding (eq. 3)
against direct computations."""
import math

import pytest
import torch

from hmrzoo.models.necks import BoxPositionalEncoding, RoIAwareFusion


def test_positional_encoding_values():
    pe = BoxPositionalEncoding(num_freqs=2, d_in=3)
    p = torch.tensor([[0.25, -0.5, 1.0]])
    out = pe(p)[0]
    assert pe.out_dim == 15 and out.shape == (15, )
    expected = [0.25, -0.5, 1.0]
    for fn in (math.sin, math.cos):
        for k in range(2):
            expected += [fn(2 ** k * math.pi * v) for v in (0.25, -0.5, 1.0)]
    assert torch.allclose(out, torch.tensor(expected), atol=1e-6)
    assert torch.equal(BoxPositionalEncoding(0, 3)(p), p)
    # the official size: 3 + 3 * 2 * 32 = 195
    assert BoxPositionalEncoding(32, 3).out_dim == 195


def _direct_fusion(fusion, h, boxes):
    """Eq. 2-4 written per (m, n) pair."""
    b, m, c = h.shape
    score = fusion.score
    out = torch.zeros_like(h)
    for i in range(b):
        for a in range(m):
            scores = []
            for n in range(m):
                if fusion.encoding == 'relative':
                    e = fusion.pos_enc(boxes[i, a]) - fusion.pos_enc(
                        boxes[i, n])
                    f = torch.cat([h[i, n], e])
                elif fusion.encoding == 'absolute':
                    f = torch.cat([h[i, n], fusion.pos_enc(boxes[i, n])])
                else:
                    f = h[i, n]
                scores.append(score(f)[0])
            w = torch.stack(scores).softmax(0)
            out[i, a] = (w[:, None] * h[i]).sum(0)
    return out


@pytest.mark.parametrize('encoding', ['relative', 'absolute', 'none'])
def test_fusion_equals_the_pairwise_formula(encoding):
    torch.manual_seed(0)
    fusion = RoIAwareFusion(in_channels=6, encoding=encoding, num_freqs=3)
    h, boxes = torch.randn(2, 4, 6), torch.randn(2, 4, 3)
    u = fusion(h, boxes)
    assert torch.allclose(u, _direct_fusion(fusion, h, boxes), atol=1e-5)
    assert torch.allclose(fusion.last_weights.sum(-1), torch.ones(2, 4))


def test_encodings_differ_in_what_the_weights_see():
    torch.manual_seed(1)
    h, boxes = torch.randn(1, 3, 5), torch.randn(1, 3, 3)
    moved = boxes + torch.tensor([0.3, -0.2, 0.1])
    none = RoIAwareFusion(5, 'none', num_freqs=2)
    rel = RoIAwareFusion(5, 'relative', num_freqs=0)
    absolute = RoIAwareFusion(5, 'absolute', num_freqs=0)
    # without encoding the boxes are ignored; every RoI gets one mixture
    assert torch.allclose(none(h, boxes), none(h, moved))
    assert torch.allclose(none(h, boxes)[0, 0], none(h, boxes)[0, 2])
    # with L = 0 the relative code is B_m - B_n: moving every box by the
    # same offset changes nothing; the absolute code does change
    assert torch.allclose(rel(h, boxes), rel(h, moved), atol=1e-6)
    assert not torch.allclose(absolute(h, boxes), absolute(h, moved))
    # the relative code gives each RoI its own weights
    assert not torch.allclose(rel(h, boxes)[0, 0], rel(h, boxes)[0, 1])
    # the absolute code gives one mixture to every RoI (nothing depends on
    # m), the relative one does not
    a = absolute(h, boxes)[0]
    assert torch.allclose(a[0], a[1]) and torch.allclose(a[0], a[2])
    with pytest.raises(ValueError, match='encoding'):
        RoIAwareFusion(5, 'learned')
