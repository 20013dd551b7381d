from .checkpoint import (CheckpointError, MissingCheckpointError,
                         check_checkpoint, find_resume_checkpoint)
from . import zoo  # noqa: F401  (registers the zoo:// checkpoint scheme)
from .inference import inference_mesh, init_model, resolve_checkpoint
from .runner_setup import load_config, positive_int, prepare_output_file

__all__ = ['load_config', 'check_checkpoint', 'find_resume_checkpoint',
           'CheckpointError', 'MissingCheckpointError',
           'prepare_output_file', 'positive_int', 'init_model',
           'inference_mesh', 'resolve_checkpoint']
