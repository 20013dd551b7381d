from .hmr_data_sample import HMRDataSample
from .roi_geometry import RoIGeometry, projection_meta

__all__ = ['HMRDataSample', 'RoIGeometry', 'projection_meta']
