from .ief_head import IEFHead

__all__ = ['IEFHead']
