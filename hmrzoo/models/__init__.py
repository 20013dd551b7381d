"""Models: backbones, heads, losses, data preprocessors, architectures."""
from . import (architectures, backbones, data_preprocessors, heads,  # noqa
               losses)
from .architectures import MeshEstimator  # noqa: F401
