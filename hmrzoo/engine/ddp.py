"""DistributedDataParallel that also runs on CPU (gloo).

mmengine's Runner always passes ``device_ids=[LOCAL_RANK]``, which torch
rejects for a CPU module.  This wrapper drops ``device_ids`` when the module
lives on the CPU, so ``torchrun --nproc_per_node=N tools/train.py ...
--launcher pytorch`` works on a machine without a GPU (``tools/train.py``
selects it, and the gloo backend, automatically there).
"""
from mmengine.model import MMDistributedDataParallel

from ..registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class DeviceAgnosticDDP(MMDistributedDataParallel):
    """:class:`MMDistributedDataParallel` accepting CPU modules."""

    def __init__(self, module, device_ids=None, **kwargs):
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        super().__init__(module=module,
                         device_ids=None if on_cpu else device_ids, **kwargs)
