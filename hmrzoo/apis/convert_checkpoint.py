"""Convert checkpoints released with other codebases to hmrzoo checkpoints.

The implementation lives in :mod:`hmrzoo.apis.checkpoint_formats` (files,
layouts, the format registry, CLIFF and PyMAF, each documented there);
this module keeps the public names importable from here.  ``FORMATS`` is a
read-only view of :data:`hmrzoo.registry.CHECKPOINT_FORMATS`, so it also
lists formats that other packages register.
"""
from .checkpoint_formats import (FORMATS, ConversionError, Converted,
                                 cliff_layout, cls_hrnet_layout,
                                 convert_checkpoint, convert_state_dict,
                                 extract_state_dict, guess_format,
                                 ief_head_layout, pymaf_layout,
                                 read_checkpoint, rename_cliff_key,
                                 rename_pymaf_key, resnet50_layout,
                                 strip_prefixes)

__all__ = ['ConversionError', 'Converted', 'FORMATS', 'convert_checkpoint',
           'convert_state_dict', 'read_checkpoint', 'extract_state_dict',
           'strip_prefixes', 'guess_format', 'resnet50_layout',
           'cls_hrnet_layout', 'ief_head_layout', 'cliff_layout',
           'rename_cliff_key', 'pymaf_layout', 'rename_pymaf_key']
