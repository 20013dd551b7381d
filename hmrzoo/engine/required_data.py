"""Fail fast, before anything is built, when a config needs files this
machine does not have (licensed body models, converted datasets).

A config declares what it needs in a top-level ``required_data``::

    required_data = dict(
        body_models=[('smpl', 'neutral'), ('J_regressor_h36m', None)],
        files=[dict(path='data/preprocessed/h36m_train.npz',
                    what='Human3.6M training annotations',
                    how='python tools/convert_datasets.py --dataset h36m ...')],
        embedded_variant='configs/multiroi/r50_cliff_anny.py')

Body models are looked up exactly as the body-model classes do
(:func:`hmrzoo.body_models.model_files.find_model_file`: the default roots
and ``$HMRZOO_BODY_MODELS``); files relative to the working directory.
Everything missing is listed in one error that names the embedded variant.
"""
import os.path as osp
from typing import List

from mmengine.config import Config

from ..body_models.model_files import (MODEL_FILE_KINDS,
                                       BodyModelFileNotFoundError,
                                       find_model_file)
from ..utils.errors import UserInputError


class MissingDataError(UserInputError, FileNotFoundError):
    """A config's ``required_data`` is not all on this machine."""


def missing_data(spec: dict) -> List[str]:
    """Lines describing each missing item of a ``required_data`` spec."""
    lines, told = [], set()
    for kind, gender in spec.get('body_models', ()):
        try:
            find_model_file(kind, gender=gender)
        except BodyModelFileNotFoundError as err:
            desc, _, source = MODEL_FILE_KINDS[kind]
            what = desc + (f' ({gender})' if gender else '')
            where = source if source not in told else 'see above'
            told.add(source)
            lines.append(f'  - {what}: looked for {err.looked_at[0]} (and '
                         f'{len(err.looked_at) - 1} other places); {where}')
    for entry in spec.get('files', ()):
        if not osp.exists(entry['path']):
            how = entry.get('how')
            lines.append(f"  - {entry.get('what', 'file')}: {entry['path']}"
                         + (f'; {how}' if how else ''))
    return lines


def check_required_data(cfg: Config) -> None:
    """Raise :class:`MissingDataError` listing what ``cfg.required_data``
    names and this machine lacks; do nothing if the config needs nothing.
    """
    spec = cfg.get('required_data')
    if not spec:
        return
    lines = missing_data(spec)
    if not lines:
        return
    name = cfg.filename or 'this config'
    msg = [f'{name} needs data this machine does not have:'] + lines
    msg.append('Nothing was built. Body models: README.md, section "Body '
               'models"; datasets: docs/data_preparation.md.')
    variant = spec.get('embedded_variant')
    if variant:
        msg.append('To run the same method without any licensed file, use '
                   f'its embedded variant (Anny + synthetic data): '
                   f'python tools/train.py {variant}')
    raise MissingDataError('\n'.join(msg))
