"""hmrzoo: a model zoo for human mesh recovery built on mmengine."""
from .version import __version__  # noqa: F401
from .utils.safe_load import allow_mmengine_checkpoints

# torch >= 2.6 loads checkpoints with ``weights_only=True``; mmengine 0.10.7's
# own checkpoints pickle a few of its classes.  Allow-list exactly those.
allow_mmengine_checkpoints()

# Register every component (``locations`` in the registries also import
# them lazily; importing here makes ``import hmrzoo`` enough for scripts).
from . import body_models, cameras, datasets, engine, evaluation  # noqa
from . import models, synthetic  # noqa: E402,F401
