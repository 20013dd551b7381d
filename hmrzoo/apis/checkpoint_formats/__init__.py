"""Checkpoints released with other codebases -> hmrzoo checkpoints.

Formats are entries of :data:`hmrzoo.registry.CHECKPOINT_FORMATS`
(``tools/convert_checkpoint.py --format NAME``); importing this package
registers the built-in ones:

* ``cliff-res50``, ``cliff-hr48``: CLIFF's ResNet-50 and HRNet-W48
  releases (:mod:`.cliff`, with their key mapping);
* ``pymaf``: PyMAF's ResNet-50 release, ``smpl`` branch (:mod:`.pymaf`);
* ``torchvision-resnet50``, ``mmpose-resnet50``: the ImageNet and COCO-pose
  backbones the paper configs start from (:mod:`.backbones`);
* ``mmhuman3d-hmr``, ``mmhuman3d-cliff``: mmhuman3d's HMR / SPIN and CLIFF
  checkpoints (:mod:`.mmhuman3d`).

Values are never changed, only renamed, and every key is checked against
the official layout, names and shapes, before anything is written
(:mod:`.layouts`).  Modules:

* :mod:`.files`: reading a source (safe loading, its state dict, prefixes
  removed, SHA-256);
* :mod:`.layouts`: official layouts, the name and shape checks,
  :class:`ConversionError` and :class:`Converted` (what a converter
  returns);
* :mod:`.formats`: lookup by name, :data:`FORMATS` (a read-only view of the
  registry), :func:`guess_format`, and how a third-party package adds a
  format;
* :mod:`.convert`: :func:`convert_state_dict` and
  :func:`convert_checkpoint`, which writes the output file and its
  ``meta``.
"""
# .cliff is imported before .pymaf: FORMATS lists the formats in the order
# they register (cliff-res50, cliff-hr48, pymaf)
from .cliff import (cliff_layout, convert_cliff_hr48, convert_cliff_res50,
                    rename_cliff_key)
from .convert import convert_checkpoint, convert_state_dict
from .files import (STRIP_PREFIXES, extract_state_dict, read_checkpoint,
                    sha256, strip_prefixes)
from .formats import FORMATS, get_format, guess_format, recognizes
from .layouts import (ConversionError, Converted, cls_hrnet_layout,
                      ief_head_layout, pose_hrnet_layout, resnet50_layout)
from .pymaf import convert_pymaf, pymaf_layout, rename_pymaf_key
from .backbones import (convert_mmpose_hrnet_w48,  # noqa: E402
                        convert_mmpose_resnet50,
                        convert_torchvision_resnet50)
from .mmhuman3d import (convert_mmhuman3d_cliff,  # noqa: E402
                        convert_mmhuman3d_hmr, mmhuman3d_layout)
from .multiroi import (convert_multiroi_official_r50,  # noqa: E402
                       multiroi_official_layout, rename_multiroi_key)

__all__ = ['ConversionError', 'Converted', 'FORMATS', 'STRIP_PREFIXES',
           'cliff_layout', 'cls_hrnet_layout', 'pose_hrnet_layout',
           'convert_mmpose_hrnet_w48', 'convert_checkpoint',
           'convert_cliff_hr48', 'convert_cliff_res50', 'convert_pymaf',
           'convert_state_dict', 'extract_state_dict', 'get_format',
           'guess_format', 'ief_head_layout', 'pymaf_layout',
           'read_checkpoint', 'recognizes', 'rename_cliff_key',
           'rename_pymaf_key', 'resnet50_layout', 'sha256',
           'strip_prefixes', 'convert_torchvision_resnet50',
           'convert_mmhuman3d_hmr', 'convert_mmhuman3d_cliff',
           'mmhuman3d_layout', 'convert_mmpose_resnet50',
           'convert_multiroi_official_r50', 'multiroi_official_layout',
           'rename_multiroi_key']
