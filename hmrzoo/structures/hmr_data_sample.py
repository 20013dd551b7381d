"""The data sample passed between transforms, models and metrics."""
from typing import Sequence

import torch
from mmengine.structures import BaseDataElement
from torch import Tensor


class HMRDataSample(BaseDataElement):
    """Ground truth, inputs, predictions and meta information of one
    person.

    A plain :class:`~mmengine.structures.BaseDataElement`: fields are set as
    attributes.  The fields, their shapes, frames, units and writers are the
    table :data:`hmrzoo.structures.fields.DATA_FIELDS`, which the estimators
    check every batch against (:func:`~hmrzoo.structures.check_data_samples`);
    the metainfo keys are :data:`~hmrzoo.structures.fields.META_FIELDS`.
    """


def stack_field(samples: Sequence[BaseDataElement], key: str, device,
                needed_by: str = '') -> Tensor:
    """The field ``key`` of every data sample stacked to (B, ...) on
    ``device``; a missing field names itself, the fields present and
    ``needed_by``."""
    try:
        values = [getattr(s, key) for s in samples]
    except AttributeError:
        hint = f' (needed by {needed_by})' if needed_by else ''
        raise KeyError(f'data sample has no field {key!r}{hint}; fields '
                       f'present: {sorted(samples[0].keys())}') from None
    return torch.stack([torch.as_tensor(v) for v in values]).to(device)
