from .hmr_data_sample import HMRDataSample

__all__ = ['HMRDataSample']
