from .ief_head import IEFHead, initial_parameters
from .multiroi_head import MultiRoIHead

__all__ = ['IEFHead', 'MultiRoIHead', 'initial_parameters']
