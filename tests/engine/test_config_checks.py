"""Config typos fail with a message that names them."""
import pytest
from mmengine.config import Config

from hmrzoo.engine import check_cfg_options, check_top_level_keys


def _cfg(tmp_path, text):
    path = tmp_path / 'cfg.py'
    path.write_text(text)
    return Config.fromfile(str(path))


def test_misspelt_top_level_key(tmp_path):
    cfg = _cfg(tmp_path, "train_cfgg = dict(max_iters=3)\nnum_betas = 6\n")
    with pytest.raises(KeyError, match="'train_cfgg'.*did you mean "
                       "'train_cfg'"):
        check_top_level_keys(cfg)
    # helper variables shared through _base_ are allowed
    check_top_level_keys(_cfg(tmp_path, 'num_betas = 6\nbody_model = 1\n'))


def test_cfg_options_must_exist(tmp_path):
    cfg = _cfg(tmp_path, "model = dict(head=dict(type='IEFHead', n_iter=3))"
                         "\ntrain_cfg = dict(max_iters=3)\n")
    check_cfg_options(cfg, ['model.head.n_iter', 'train_cfg.max_iters'])
    # a new argument of an existing component, and a Runner key left at
    # its default, are allowed
    check_cfg_options(cfg, ['model.head.hidden', 'custom_hooks'])
    with pytest.raises(KeyError, match="model has no key 'hed'.*did you "
                       "mean 'head'"):
        check_cfg_options(cfg, ['model.hed.n_iter'])
    with pytest.raises(KeyError, match="no key 'train_cfgg'"):
        check_cfg_options(cfg, ['train_cfgg.max_iters'])
