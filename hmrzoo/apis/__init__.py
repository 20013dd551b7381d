from .checkpoint import check_checkpoint
from .runner_setup import load_config

__all__ = ['load_config', 'check_checkpoint']
