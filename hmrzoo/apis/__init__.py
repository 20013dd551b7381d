from .checkpoint import (CheckpointError, MissingCheckpointError,
                         check_checkpoint, find_resume_checkpoint)
from .runner_setup import load_config

__all__ = ['load_config', 'check_checkpoint', 'find_resume_checkpoint',
           'CheckpointError', 'MissingCheckpointError']
