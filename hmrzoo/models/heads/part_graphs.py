"""Graphs of the hand and face keypoints, the adjacency of the STS
paper's graph-convolution regressors (§III-C).

* Hand (21 points, :func:`hmrzoo.conventions.hand.hand_21`): the skeleton,
  root -> joint 1 -> 2 -> 3 -> tip of each finger (20 edges).
* Face (iBUG 68 points, :mod:`hmrzoo.conventions.face`, plus OpenPose's
  two pupils): each contour drawn on the 68-point scheme as a chain (jaw
  line, each brow, nose bridge, nose base), the eyes and the outer / inner
  lips as closed loops, and the links between them that keep the face one
  graph: contour ends to the outer brow ends, inner brow ends to each other
  and to the top of the nose bridge, nose tip to the nose base, nose base
  to the upper lip, lower lip to the chin, each brow's middle to its upper
  eyelid, each pupil to its eye's corners.

A part with only some of its points (e.g. Anny's sparse face landmarks) gets
the graph *minor* on them: two present points are linked when a path of
absent points joins them in the full graph, so the graph stays connected.
"""
from typing import Iterable, List, Sequence, Set, Tuple

import torch

from ...conventions.face import FACE_68
from ...conventions.openpose import OPENPOSE_FACE_70
from ...conventions.smpl import FINGERS

Edge = Tuple[str, str]


def hand_edges(side: str) -> List[Edge]:
    """The 20 skeleton edges of one hand, by name."""
    root = f'{side}_hand_root'
    edges = []
    for finger in FINGERS:
        chain = [root] + [f'{side}_{finger}{k}' for k in (1, 2, 3)] + \
            [f'{side}_{finger}_tip']
        edges += list(zip(chain[:-1], chain[1:]))
    return edges


def _chain(idx: Sequence[int], closed: bool = False) -> List[Edge]:
    names = [FACE_68[i] for i in idx]
    edges = list(zip(names[:-1], names[1:]))
    return edges + [(names[-1], names[0])] if closed else edges


def face_edges() -> List[Edge]:
    """The face graph's edges, by name (module docstring)."""
    edges = (_chain(range(0, 17)) + _chain(range(17, 22)) +
             _chain(range(22, 27)) + _chain(range(27, 31)) +
             _chain(range(31, 36)) + _chain(range(36, 42), True) +
             _chain(range(42, 48), True) + _chain(range(48, 60), True) +
             _chain(range(60, 68), True))
    links = [(0, 17), (16, 26), (21, 22), (21, 27), (22, 27), (30, 33),
             (33, 51), (57, 8), (19, 37), (24, 44), (48, 60), (54, 64)]
    edges += [(FACE_68[a], FACE_68[b]) for a, b in links]
    right, left = OPENPOSE_FACE_70[68:]
    edges += [(right, FACE_68[36]), (right, FACE_68[39]),
              (left, FACE_68[42]), (left, FACE_68[45])]
    return edges


def graph_minor(names: Sequence[str], edges: Iterable[Edge]) -> Set[Edge]:
    """Edges among ``names`` of the graph ``edges`` with every other node
    contracted (see the module docstring); each edge once, sorted by
    position in ``names``."""
    present = {n: i for i, n in enumerate(names)}
    neighbours = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    out = set()
    for start in names:
        seen, stack = {start}, [start]
        while stack:
            for nxt in neighbours.get(stack.pop(), ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if nxt in present:
                    out.add(tuple(sorted((start, nxt), key=present.get)))
                else:
                    stack.append(nxt)
    return out


def adjacency(names: Sequence[str], edges: Iterable[Edge]) -> torch.Tensor:
    """(N, N) symmetric 0/1 adjacency with self loops of the graph minor
    of ``edges`` on ``names``."""
    idx = {n: i for i, n in enumerate(names)}
    adj = torch.eye(len(names))
    for a, b in graph_minor(names, edges):
        adj[idx[a], idx[b]] = adj[idx[b], idx[a]] = 1.
    return adj


def part_adjacency(part: str, names: Sequence[str]) -> torch.Tensor:
    """The adjacency of a part (``left_hand``, ``right_hand`` or ``face``)
    on the points ``names`` it has."""
    if part in ('left_hand', 'right_hand'):
        return adjacency(names, hand_edges(part.split('_')[0]))
    if part == 'face':
        return adjacency(names, face_edges())
    raise ValueError(f'no graph for part {part!r}; graphs exist for '
                     "'left_hand', 'right_hand' and 'face'")


__all__ = ['hand_edges', 'face_edges', 'graph_minor', 'adjacency',
           'part_adjacency']
