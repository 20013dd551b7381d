"""ONNX export of a model's network: from its preprocessed input (the
crops, heatmaps or evidence maps the data preprocessor makes; plus the
boxes of the RoI geometry for CLIFF-style models) to the body-model
parameters and the camera, with a dynamic batch.

Exported with PyTorch's TorchScript-based exporter (``dynamo=False``: it
needs only the ``onnx`` package, whose 1.17 release is the newest that
shares protobuf 4.25 with the detector) at opset 17, then checked with
ONNX Runtime against PyTorch on random inputs of another batch size.

Outputs: ``pred_pose`` (B, J, 3, 3) rotation matrices, ``pred_shape``
(B, S), ``pred_cam`` (B, cam_dim) (Multi-RoI: (B, M, cam_dim), RoI 0 is
the person's box).  Inputs: ``inputs`` as the data preprocessor makes
them, and with ``geometry`` ``roi_center`` (B, M, 2) and ``roi_size``
(B, M) image pixels (pixel-edge convention, as ``PackHMRInputs`` writes
them), ``img_wh`` (B, 2), ``focal`` (B,) pixels.
"""
import traceback
from typing import Dict, Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from ..structures import RoIGeometry
from ..utils.atomic import atomic_path
from ..utils.errors import UserInputError

OUTPUTS = ('pred_pose', 'pred_shape', 'pred_cam')
GEOMETRY = ('roi_center', 'roi_size', 'img_wh', 'focal')
OPSET = 17


class ExportError(UserInputError, RuntimeError):
    """A model whose network cannot be exported; the message says why."""


class ExportedNetwork(nn.Module):
    """The network of an estimator as a function of tensors only: the RoI
    geometry it would read from the data samples' metainfo comes in as
    tensors (the estimator's ``geometry`` is answered with them)."""

    def __init__(self, model: nn.Module, with_geometry: bool):
        super().__init__()
        self.model, self.with_geometry = model, with_geometry

    def forward(self, inputs: Tensor, roi_center: Optional[Tensor] = None,
                roi_size: Optional[Tensor] = None,
                img_wh: Optional[Tensor] = None,
                focal: Optional[Tensor] = None) -> Tuple[Tensor, ...]:
        geo = RoIGeometry(center=roi_center, size=roi_size, img_wh=img_wh,
                          focal=focal) if self.with_geometry else None
        self.model.geometry = lambda samples, device: geo
        try:
            out = self.model(inputs, None, 'tensor')
        finally:
            del self.model.geometry
        return tuple(out[k] for k in OUTPUTS)


def example_inputs(model: nn.Module, batch: int, seed: int = 0
                   ) -> Dict[str, Tensor]:
    """Random inputs of the model's shapes (its inference setup's crop,
    RoIs and channels) and a plausible RoI geometry."""
    setup = model.inference
    gen = torch.Generator().manual_seed(seed)
    channels = int(getattr(setup.preprocessor, 'network_channels', None)
                   or getattr(model.data_preprocessor, 'network_channels',
                              None) or 3)
    width, height = setup.crop_size
    m = setup.num_rois
    shape = (batch, m, channels, height, width) if m > 1 else \
        (batch, channels, height, width)
    img_wh = torch.tensor([[1280., 720.]]).repeat(batch, 1)
    center = img_wh[:, None] / 2 + 100 * (torch.rand(
        batch, m, 2, generator=gen) - .5)
    return dict(inputs=torch.rand(shape, generator=gen),
                roi_center=center,
                roi_size=200 + 200 * torch.rand(batch, m, generator=gen),
                img_wh=img_wh, focal=img_wh.norm(dim=-1))


def _first_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (at most 200 characters)."""
    lines = str(exc).splitlines() or ['']
    return f'{type(exc).__name__}: {lines[0][:200]}'


def _where(exc: BaseException) -> str:
    """The innermost frame of hmrzoo or of a body-model package (anny,
    smplx) in ``exc``'s traceback, as 'file:line (function)'."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if any(k in f.filename for k in ('hmrzoo', 'anny', 'smplx'))]
    if not frames:
        return 'torch.onnx'
    f = frames[-1]
    parts = f.filename.replace('\\', '/').split('/')
    short = '/'.join(parts[-3:])
    return f'{short}:{f.lineno} ({f.name})'


def needs_geometry(model: nn.Module) -> bool:
    """Whether the network reads the RoI geometry (CLIFF's bounding-box
    information, Multi-RoI's boxes, a full-frame projection)."""
    x = example_inputs(model, 1)['inputs'].to(
        next(model.parameters()).device)
    try:
        with torch.no_grad():
            model(x, None, 'tensor')
    except (ValueError, KeyError, TypeError, AttributeError):
        return True
    return False


def export_onnx(model: nn.Module, path: str, batch: int = 2,
                session_options=None) -> dict:
    """Export ``model``'s network to ``path`` (dynamic batch) and check it
    with ONNX Runtime on a batch of ``batch + 1``, in a session made with
    ``session_options`` (``onnxruntime.SessionOptions``, optional).

    Returns:
        dict: ``path``, ``inputs`` (names), ``max_abs_diff`` per output
        (ONNX Runtime vs PyTorch), ``geometry`` (whether boxes are inputs),
        ``session`` (the checked ONNX Runtime session, ready to run).

    Raises:
        ExportError: the network cannot be traced or run in ONNX Runtime;
            the message names the model and the reason.
    """
    try:
        import onnxruntime
    except ImportError as exc:
        raise ExportError(f'the ONNX check needs onnxruntime ({exc}): '
                          "pip install -e '.[onnx]' (or bash "
                          'tools/install.sh, whose tests extra has it)'
                          ) from exc
    model = model.eval()
    device = next(model.parameters()).device
    geometry = needs_geometry(model)
    names = ('inputs', ) + (GEOMETRY if geometry else ())
    # eval: the exporter restores the wrapper's mode (recursively) after
    net = ExportedNetwork(model, geometry).eval()
    example = example_inputs(model, batch)
    args = tuple(example[n].to(device) for n in names)
    axes = {n: {0: 'batch'} for n in names + OUTPUTS}
    try:
        with torch.no_grad(), atomic_path(path) as tmp:
            torch.onnx.export(net, args, tmp, dynamo=False,
                              input_names=list(names),
                              output_names=list(OUTPUTS),
                              dynamic_axes=axes, opset_version=OPSET)
    except Exception as exc:
        raise ExportError(
            f'{type(model).__name__} cannot be exported to ONNX: tracing '
            f'failed in {_where(exc)}: {_first_line(exc)}') from exc
    check = example_inputs(model, batch + 1, seed=1)
    with torch.no_grad():
        expect = [t.cpu() for t in net(*(check[n].to(device)
                                         for n in names))]
    try:
        session = onnxruntime.InferenceSession(
            path, session_options, providers=['CPUExecutionProvider'])
        got = session.run(None, {n: check[n].numpy() for n in names})
    except Exception as exc:
        raise ExportError(
            f'{type(model).__name__} exported to {path}, but ONNX Runtime '
            f'cannot run it: {_first_line(exc)}') from exc
    diff = {k: float(np.abs(g - e.numpy()).max())
            for k, g, e in zip(OUTPUTS, got, expect)}
    return dict(path=path, inputs=list(names), max_abs_diff=diff,
                geometry=geometry, session=session)
