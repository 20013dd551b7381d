"""Models: backbones, necks, heads, losses, priors, data preprocessors,
architectures."""
from . import (architectures, backbones, data_preprocessors, heads,  # noqa
               losses, necks, priors)
from .architectures import MeshEstimator  # noqa: F401
