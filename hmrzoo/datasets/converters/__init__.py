"""Dataset converters: official layouts -> hmrzoo annotation files.

``CONVERTERS`` lists them by ``--dataset`` name; importing this package
registers every converter module below.
"""
from . import converters_loaded  # noqa: F401
from .base import (CONVERTERS, ConverterSpec, bbox_from_keypoints,
                   register_converter, require_path, run_converter)

__all__ = ['CONVERTERS', 'ConverterSpec', 'bbox_from_keypoints',
           'register_converter', 'require_path', 'run_converter']
