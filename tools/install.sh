#!/usr/bin/env bash
# Create .venv with hmrzoo and its pinned stack (see constraints.txt).
#   bash tools/install.sh            # core + tests + the 2D keypoint detector
#   EXTRAS=tests,detector bash tools/install.sh   # the same (see below)
# Order matters: torch first from the pins (so nothing pulls a newer torch
# with new CUDA packages), then mmcv-lite built without isolation against a
# setuptools that still has pkg_resources, then hmrzoo, then the detector
# stack (mediapipe) without its declared dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRAS=${EXTRAS:-tests}
# The `detector` extra is always installed by the last step, never through
# pip's resolver: drop it from the extras of the editable install.
EXTRAS=$(echo ",${EXTRAS}," | sed -e 's/,detector,/,/g' \
    -e 's/^,*//' -e 's/,*$//')
SPEC=.
[ -z "$EXTRAS" ] || SPEC=".[${EXTRAS}]"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install -q -c constraints.txt setuptools wheel
$PIP install -q -c constraints.txt torch torchvision
$PIP install -q --no-build-isolation -c constraints.txt mmcv-lite
$PIP install -q --no-build-isolation -c constraints.txt -e "$SPEC"
# The offline 2D keypoint detector (hmrzoo.apis.keypoint_detectors,
# tools/detect_keypoints.py), part of the tested stack.  --no-deps:
# mediapipe 0.10.14 declares opencv-contrib-python (a second `cv2` package
# over opencv-python-headless's), jax / jaxlib and sounddevice, none of
# which its pose solution uses; the modules that solution imports need only
# the four packages named here (plus numpy and matplotlib, already present
# through the core stack).  `pip check` therefore lists mediapipe's unmet
# declared dependencies: expected.
$PIP install -q --no-deps -c constraints.txt mediapipe absl-py attrs \
    flatbuffers protobuf
# A real photograph for the tests: sports2d's demo video (BSD-3-Clause,
# a street scene with two people at full height), read from the installed
# package, never copied into this repository.  --no-deps: only the file is
# used (sports2d's own pipeline and its dependencies are not).
case ",${EXTRAS}," in
    *,tests,*) $PIP install -q --no-deps -c constraints.txt sports2d ;;
esac
.venv/bin/python -c "import torch, torchvision, mmengine, mmcv, smplx, anny, \
timm, mediapipe, hmrzoo; print('hmrzoo', hmrzoo.__version__, '| torch', \
torch.__version__, '| mmengine', mmengine.__version__, '| mediapipe', \
mediapipe.__version__)"
