from .evidence import EVIDENCE_CHANNELS
from .hmr_data_sample import HMRDataSample, stack_field
from .roi_geometry import RoIGeometry, projection_meta

__all__ = ['EVIDENCE_CHANNELS', 'HMRDataSample', 'RoIGeometry', 'projection_meta',
           'stack_field']
