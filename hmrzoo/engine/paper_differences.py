"""A paper config says at start-up where it cannot reach its paper.

A config lists what differs from its paper's setting, and why, in a
top-level ``paper_differences`` (a list of sentences)::

    paper_differences = [
        'no whole-body 2D images (AI-CH, MPII): the 2D steps are synthetic',
    ]

``tools/train.py`` and ``tools/test.py`` log them as one warning before
anything is built, so a run can never be mistaken for the paper's setting.
"""
import logging
from typing import List

from mmengine.config import Config
from mmengine.logging import print_log

from ..utils.errors import UserTypeError


def paper_differences(cfg: Config) -> List[str]:
    """The config's ``paper_differences`` (empty when it has none).

    Raises:
        UserTypeError: the key is not a list of strings.
    """
    items = cfg.get('paper_differences') or []
    if isinstance(items, str) or not all(isinstance(i, str) for i in items):
        raise UserTypeError(
            f'config {cfg.filename}: paper_differences must be a list of '
            f'sentences, got {items!r}')
    return list(items)


def announce_paper_differences(cfg: Config) -> List[str]:
    """Log the config's differences from its paper as one warning; return
    the logged lines."""
    items = paper_differences(cfg)
    if not items:
        return []
    lines = [f'{cfg.filename} differs from its paper\'s setting:'] + [
        f'  - {item}' for item in items]
    print_log('\n'.join(lines), logger='current', level=logging.WARNING)
    return lines
