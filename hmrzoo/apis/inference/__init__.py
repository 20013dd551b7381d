"""Running a model on photographs: :func:`init_model` (config + checkpoint
path / URL / zoo name), :func:`inference_mesh` (every person of an image
to a mesh with a camera of the whole photograph)."""
from .evidence import release_detectors
from .mesh import RESULT_KEYS, inference_mesh, read_image
from .model import init_model, resolve_checkpoint
from .setup import InputSetup, input_setup

__all__ = ['init_model', 'inference_mesh', 'resolve_checkpoint',
           'read_image', 'input_setup', 'InputSetup', 'RESULT_KEYS',
           'release_detectors']
