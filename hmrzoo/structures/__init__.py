from .evidence import EVIDENCE_CHANNELS
from .fields import (DATA_FIELDS, META_FIELDS, DataField, check_data_samples,
                     register_data_field)
from .hmr_data_sample import HMRDataSample, stack_field
from .roi_geometry import RoIGeometry, projection_meta

__all__ = ['EVIDENCE_CHANNELS', 'DATA_FIELDS', 'META_FIELDS', 'DataField',
           'check_data_samples', 'register_data_field', 'HMRDataSample',
           'RoIGeometry', 'projection_meta', 'stack_field']
