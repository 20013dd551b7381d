"""Dataset converters: official layouts -> hmrzoo annotation files.

The converters are entries of :data:`hmrzoo.registry.DATASET_CONVERTERS`
by ``--dataset`` name (``CONVERTERS`` is a read-only view of it); importing
this package registers every converter module below.
"""
from . import converters_loaded  # noqa: F401
from .base import (CONVERTERS, ConverterSpec, bbox_from_keypoints,
                   get_converter, register_converter, require_path,
                   run_converter)

__all__ = ['CONVERTERS', 'ConverterSpec', 'bbox_from_keypoints',
           'get_converter', 'register_converter', 'require_path',
           'run_converter']
