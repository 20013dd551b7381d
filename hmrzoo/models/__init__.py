"""Models: backbones, necks, heads, losses, data preprocessors, architectures."""
from . import (architectures, backbones, data_preprocessors, heads,  # noqa
               losses, necks)
from .architectures import MeshEstimator  # noqa: F401
