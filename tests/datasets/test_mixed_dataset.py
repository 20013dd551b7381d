"""MixedDataset: exact, seeded per-source shares."""
import numpy as np
import pytest

from hmrzoo.datasets.human_data import save_annotations
from hmrzoo.datasets.mixed_dataset import MixedDataset, apply_defaults


def _sources():
    return [[('a', i) for i in range(10)], [('b', i) for i in range(3)],
            [('c', i) for i in range(100)]]


def test_shares_are_exact_and_deterministic():
    mix = MixedDataset(_sources(), ratios=[0.3, 0.1, 0.6], length=100)
    names = [mix[i][0] for i in range(len(mix))]
    assert len(mix) == 100
    assert (names.count('a'), names.count('b'), names.count('c')) == \
        (30, 10, 60)
    # a small source repeats evenly (10 slots over 3 samples: 4/3/3)
    counts = np.bincount([mix[i][1] for i in range(100)
                          if mix[i][0] == 'b'], minlength=3)
    assert sorted(counts.tolist()) == [3, 3, 4]
    # a large one is sub-sampled without repetition
    c_items = [mix[i][1] for i in range(100) if mix[i][0] == 'c']
    assert len(set(c_items)) == 60
    again = MixedDataset(_sources(), ratios=[0.3, 0.1, 0.6], length=100)
    assert [again[i] for i in range(100)] == [mix[i] for i in range(100)]
    other = MixedDataset(_sources(), ratios=[0.3, 0.1, 0.6], length=100,
                         seed=1)
    assert [other[i] for i in range(100)] != [mix[i] for i in range(100)]


def test_default_length_covers_the_most_demanding_source():
    # c needs 100 / 0.6 = 166.7 -> 167 slots; a needs 10 / 0.3 = 33.4
    mix = MixedDataset(_sources(), ratios=[0.3, 0.1, 0.6])
    assert len(mix) == 167


@pytest.mark.parametrize('ratios', [[0.5, 0.5], [0.3, 0.3, 0.3],
                                    [1.2, -0.1, -0.1]])
def test_bad_ratios_are_refused(ratios):
    with pytest.raises(ValueError):
        MixedDataset(_sources(), ratios=ratios)


def test_defaults_reach_nested_concat_datasets(tmp_path):
    cfg = dict(type='ConcatDataset', datasets=[dict(ann_file='x.npz'),
                                               dict(ann_file='y.npz',
                                                    crop_size=(1, 1))])
    out = apply_defaults(cfg, dict(type='HumanImageDataset',
                                   crop_size=(192, 256)))
    assert out['type'] == 'ConcatDataset'
    assert out['datasets'][0] == dict(type='HumanImageDataset',
                                      crop_size=(192, 256), ann_file='x.npz')
    assert out['datasets'][1]['crop_size'] == (1, 1)


def test_builds_sources_from_configs(tmp_path):
    paths = []
    for name, n in (('p', 4), ('q', 6), ('r', 2)):
        path = str(tmp_path / f'{name}.npz')
        save_annotations(path, dict(
            image_path=np.array([f'{name}{i}.jpg' for i in range(n)]),
            bbox_xywh=np.tile(np.float32([0, 0, 10, 10]), (n, 1))),
            dataset=name)
        paths.append(path)
    # files of different datasets concatenate (their metainfo differs)
    mix = MixedDataset(
        [dict(ann_file=paths[0]),
         dict(type='ConcatDataset', datasets=[dict(ann_file=paths[1]),
                                              dict(ann_file=paths[2])])],
        ratios=[0.5, 0.5], length=20,
        defaults=dict(type='HumanImageDataset', crop_size=(64, 64),
                      pipeline=[]))
    assert [len(d) for d in mix.datasets] == [4, 8]
    sources = [mix.source_of(i)[0] for i in range(20)]
    assert sources.count(0) == sources.count(1) == 10
    first = mix.datasets[0].get_data_info(0)
    np.testing.assert_allclose(first['bbox_scale'], [10, 10])
