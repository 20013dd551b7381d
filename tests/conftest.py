"""Fixtures shared by hmrzoo's tests."""
import os
from pathlib import Path

import pytest
from mmengine.registry import init_default_scope

from hmrzoo.testing import (make_fake_body_model_dir,
                            write_fake_mesh_downsampling)


@pytest.fixture(scope='session', autouse=True)
def offline_zoo(tmp_path_factory):
    """Every test runs offline, with the zoo cache in a temporary folder
    holding fabricated backbones under the names the paper configs
    initialise from (``zoo://...``); yields name -> the cached state."""
    from hmrzoo.testing.zoo_cache import offline_test_cache
    saved = {k: os.environ.get(k) for k in ('HMRZOO_CACHE',
                                            'HMRZOO_OFFLINE')}
    yield offline_test_cache(str(tmp_path_factory.mktemp('zoo_cache')))
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope='module')
def fake_body_models(tmp_path_factory):
    """A fabricated ``data/body_models`` folder (SMPL x 3 genders, SPIN's
    regressors and mean parameters, GraphCMR's ``mesh_downsampling.npz``)
    that ``HMRZOO_BODY_MODELS`` points at while the module's tests run;
    the default registry scope is hmrzoo.  Yields the folder (Path)."""
    root = Path(make_fake_body_model_dir(
        str(tmp_path_factory.mktemp('bm') / 'body_models'), smplx=False))
    write_fake_mesh_downsampling(root / 'mesh_downsampling.npz')
    patch = pytest.MonkeyPatch()
    patch.setenv('HMRZOO_BODY_MODELS', str(root))
    init_default_scope('hmrzoo')
    yield root
    patch.undo()


@pytest.fixture(scope='session')
def rendered_people():
    """8 seeded Anny renders standing in for photographs, rendered once per
    test run: ``(images (8, 256, 256, 3) uint8 RGB, joints (8, 17, 2) true
    COCO-17 pixels)`` (:func:`hmrzoo.testing.render_people`)."""
    from hmrzoo.testing import render_people
    return render_people(num=8, seed=1, size=256)


@pytest.fixture
def torch_skinned_anny():
    """Anny skins with its PyTorch LBS (not warp's kernel) on the CPU and
    on the stand-in accelerator while the test runs, so that both compute
    the same arithmetic (:mod:`hmrzoo.testing.stand_in_device`)."""
    import torch

    from hmrzoo.body_models.anny_model import shared_anny
    from hmrzoo.testing.stand_in_device import stand_in_device
    # the device's copy is made (and re-skinned) on the device; hmrzoo
    # leaves Anny's skinning at its default (None: warp where installed)
    with stand_in_device() as dev:
        models = [shared_anny(), shared_anny(str(dev), torch.float32)]
        for m in models:
            m.set_skinning_method('lbs')
    yield
    with stand_in_device():
        for m in models:
            m.set_skinning_method(None)
