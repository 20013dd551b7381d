#!/usr/bin/env bash
# Create .venv with hmrzoo and its pinned stack (see constraints.txt).
#   bash tools/install.sh            # core + tests
#   EXTRAS=tests,detector bash tools/install.sh
# Order matters: torch first from the pins (so nothing pulls a newer torch
# with new CUDA packages), then mmcv-lite built without isolation against a
# setuptools that still has pkg_resources.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRAS=${EXTRAS:-tests}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install -q -c constraints.txt setuptools wheel
$PIP install -q -c constraints.txt torch torchvision
$PIP install -q --no-build-isolation -c constraints.txt mmcv-lite
$PIP install -q --no-build-isolation -c constraints.txt -e ".[${EXTRAS}]"
.venv/bin/python -c "import torch, torchvision, mmengine, mmcv, smplx, anny, \
timm, hmrzoo; print('hmrzoo', hmrzoo.__version__, '| torch', \
torch.__version__, '| mmengine', mmengine.__version__)"
