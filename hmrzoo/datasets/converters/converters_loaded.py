"""Imports every converter module so that it registers itself (one line per
dataset; keep the list sorted)."""
from . import coco  # noqa: F401
from . import coco_wholebody  # noqa: F401
from . import eft  # noqa: F401
from . import h36m  # noqa: F401
from . import lsp  # noqa: F401
from . import mpi_inf_3dhp  # noqa: F401
from . import mpii  # noqa: F401
from . import pw3d  # noqa: F401
from . import spin_fits  # noqa: F401
from . import ssp3d  # noqa: F401
from . import up3d  # noqa: F401
