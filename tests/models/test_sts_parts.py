"""STS building blocks: per-part scale normalisation, the part graphs,
semantic graph convolution, the estimated-focal perspective camera."""
import torch

from hmrzoo.cameras import FocalPerspectiveProjection, PerspectiveProjection
from hmrzoo.conventions import get_keypoint_names
from hmrzoo.conventions.face import FACE_68
from hmrzoo.conventions.hand import hand_21
from hmrzoo.models.heads.part_graphs import (face_edges, graph_minor,
                                             part_adjacency)
from hmrzoo.models.heads.sem_gcn import SemGraphConv
from hmrzoo.models.utils.part_normalisation import (denormalise_part,
                                                    normalise_part,
                                                    normalise_parts,
                                                    part_indices)


def test_normalise_part_known_answer_and_round_trip():
    kp = torch.tensor([[[0., 0.], [4., 0.], [4., 2.], [9., 9.]]])
    mask = torch.tensor([[1., 1., 1., 0.]])
    norm, centre, scale = normalise_part(kp, mask)
    assert torch.allclose(centre, torch.tensor([[8 / 3, 2 / 3]]))
    assert torch.allclose(scale, torch.tensor([2.]))  # half of 4 (longer)
    assert torch.equal(norm[0, 3], torch.zeros(2))    # hidden point
    back = denormalise_part(norm, centre, scale)
    assert torch.allclose(back[:, :3], kp[:, :3])
    g = torch.Generator().manual_seed(0)
    kp = torch.randn(5, 21, 2, generator=g) * 30 + 100
    mask = (torch.rand(5, 21, generator=g) > .3).float()
    norm, centre, scale = normalise_part(kp, mask)
    vis = mask[..., None] > 0
    assert torch.allclose(denormalise_part(norm, centre, scale)[vis.expand(
        -1, -1, 2)], kp[vis.expand(-1, -1, 2)], atol=1e-4)
    # the longer side of each part's box spans 2 after normalisation
    big = 1e9
    lo = torch.where(vis, norm, big).amin(1)
    hi = torch.where(vis, norm, -big).amax(1)
    assert torch.allclose((hi - lo).amax(-1), torch.full((5, ), 2.))


def test_parts_of_coco_wholebody():
    parts = part_indices('coco_wholebody')
    assert parts['body'] == list(range(23))
    assert parts['face'] == list(range(23, 91))
    assert parts['left_hand'] == list(range(91, 112))
    assert parts['right_hand'] == list(range(112, 133))
    kp = torch.rand(2, 133, 2)
    out = normalise_parts(kp, torch.ones(2, 133), parts)
    assert out['placement'].shape == (2, 12)
    assert out['left_hand'].shape == (2, 21, 3)


def test_hand_adjacency_is_the_skeleton():
    names = hand_21('left')
    adj = part_adjacency('left_hand', names)
    expected = torch.eye(21)
    for f in range(5):  # root -> 4 points of finger f, palm outwards
        chain = [0] + [1 + 4 * f + k for k in range(4)]
        for a, b in zip(chain[:-1], chain[1:]):
            expected[a, b] = expected[b, a] = 1
    assert torch.equal(adj, expected)
    assert int(adj.sum() - 21) == 40  # 20 edges, both directions


def test_face_graph_and_its_minor():
    full = part_adjacency('face', FACE_68)
    assert torch.equal(full, full.T)
    assert full[8, 57] == 1 and full[48, 59] == 1 and full[16, 15] == 1
    # contracting the absent points keeps the sparse face connected
    sparse = ['face_chin', 'face_lip_lower_mid', 'face_lip_upper_mid',
              'face_nose_bridge_4', 'face_brow_left_5', 'face_brow_right_5']
    edges = graph_minor(sparse, face_edges())
    assert ('face_chin', 'face_lip_lower_mid') in edges
    assert ('face_lip_upper_mid', 'face_nose_bridge_4') in edges
    assert ('face_nose_bridge_4', 'face_brow_left_5') in edges
    adj = part_adjacency('face', sparse)
    reach = adj.clone()
    for _ in range(len(sparse)):
        reach = (reach @ adj).clamp(max=1)
    assert bool((reach > 0).all())


def test_sem_graph_conv_weights_and_identity_graph():
    adj = part_adjacency('left_hand', hand_21('left'))
    conv = SemGraphConv(3, 8, adj)
    w = conv.weights()
    assert torch.allclose(w.sum(1), torch.ones(21))
    assert bool((w[adj == 0] == 0).all())
    # without edges it is a per-node linear map
    conv = SemGraphConv(3, 8, torch.eye(4))
    x = torch.randn(2, 4, 3)
    assert torch.allclose(conv(x), x @ conv.weight[0] + conv.bias, atol=1e-6)


def test_focal_perspective_equals_pinhole():
    pts = torch.randn(3, 10, 3) * .3
    cam = torch.tensor([[5., .1, -.2, 4.], [2., 0., 0., 2.5],
                        [8., -.3, .1, 9.]])
    out = FocalPerspectiveProjection()(pts, cam)
    ref = PerspectiveProjection()(pts, cam[:, 1:], focal_length=cam[:, 0])
    assert torch.allclose(out, ref, atol=1e-6)
    names = get_keypoint_names('coco_wholebody')
    assert len(names) == 133
