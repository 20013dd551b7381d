"""Helpers for hmrzoo's tests and for users' own tests: fabricated,
structurally valid body-model files, trained-looking encoder weights and
rendered stand-ins for photographs of people (no licensed data), and a
real photograph read from an installed package."""
from .fake_checkpoints import random_resnet50_state
from .hooks import DumpParametersHook  # noqa: F401
from .fake_datasets import write_fake_paper_datasets
from .real_photographs import STREET_PEOPLE, street_photograph
from .rendered_people import render_people
from .fake_body_models import (SMPL_PARENTS, SMPLX_PARENTS, fake_smpl_arrays,
                               fake_smplx_arrays)
from .fake_model_files import (fake_chumpy, make_fake_body_model_dir,
                               write_fake_mean_params,
                               write_fake_mesh_downsampling,
                               write_fake_regressor, write_fake_smpl,
                               write_fake_smplx)

__all__ = [
    'SMPL_PARENTS', 'SMPLX_PARENTS', 'fake_chumpy', 'fake_smpl_arrays',
    'fake_smplx_arrays', 'make_fake_body_model_dir', 'random_resnet50_state',
    'write_fake_mean_params', 'write_fake_mesh_downsampling',
    'render_people', 'write_fake_regressor',
    'write_fake_paper_datasets', 'write_fake_smpl', 'write_fake_smplx',
    'street_photograph', 'STREET_PEOPLE',
]
