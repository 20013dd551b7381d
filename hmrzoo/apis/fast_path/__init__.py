"""The inference fast path: standard levers applied to a built estimator
in eval mode, each measurable on its own (``benchmarks/inference_speed.py``
prints its speed ratio and numeric change).

Levers (names used by ``apply_fast_path`` and the tools' ``--fast-path``):

* ``fold_bn``: every BatchNorm that reads only a convolution's output is
  folded into that convolution (``w' = w·γ/σ``, ``b' = (b-μ)·γ/σ + β``,
  ``σ = sqrt(var + eps)``) and replaced by ``nn.Identity``.  Exact up to
  float32 rounding.  The graph is read with ``torch.fx``: a pair is folded
  only when the convolution's output has no other user and neither module
  is called twice; a sub-network that cannot be traced is searched child
  by child.
* ``channels_last``: the convolutional sub-networks' weights (and their 4-D
  inputs) in channels-last memory format.  Exact.
* ``reduced_precision``: the convolutional sub-networks (backbone, necks,
  IUV heads) run under autocast, bf16 on a CPU with native bf16 (AVX512-BF16
  / AMX), fp16 on CUDA; their outputs come back as float32, so the
  regressors, the body model and the projection stay in float32.
* ``onnxruntime``: the network (input to pose, shape and camera) runs in
  ONNX Runtime from :func:`~hmrzoo.apis.onnx_export.export_onnx`'s file;
  the body model, projection and prediction stay in PyTorch.  Only for
  models that export (a network posing Anny inside its forward does not).

Not a lever: ``torch.inference_mode``.  ``inference_mesh`` runs under
``torch.no_grad``: process-wide caches built lazily on a first call (Anny's
model, IUV atlases, SMPL's skinning arrays) would otherwise be inference
tensors, unusable by a training step later in the same process.

Presets: ``'off'``; ``'fp32'`` = fold_bn + channels_last (numerically the
plain model: the tests hold it to 1e-4 mm); ``'auto'`` = fp32 + reduced
precision where the device has it natively.  Which levers win on which
machine is measured by the benchmark; the presets follow its figures on
the reference machine (2-core AVX512-BF16 CPU, README table).

A model on the fast path is for inference only: ``model.train()`` raises
(folded BatchNorm cannot be trained), and ``model.fast_path`` records what
was applied and what was skipped and why.  Its state dict is the folded
one (no BatchNorm entries, a bias on every folded convolution): save the
plain model's, not this one's.  Its wrapped forwards refer to
the model they were applied to: deep-copy a model before the fast path,
not after.
"""
from typing import Iterable, List, Union

from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from torch import nn

from ...utils.errors import UserInputError
from .batchnorm import fold_batchnorm
from ...utils.image_networks import (conv_networks, native_reduced_dtype,
                                     reduced_precision, to_channels_last)
from .runtime import OnnxRuntimeForward

__all__ = ['LEVERS', 'PRESETS', 'FastPathError', 'FastPathHook',
           'OnnxRuntimeForward', 'add_fast_path_argument', 'apply_fast_path',
           'conv_networks', 'fold_batchnorm', 'native_reduced_dtype',
           'reduced_precision', 'resolve_levers', 'to_channels_last']

LEVERS = ('fold_bn', 'onnxruntime', 'channels_last', 'reduced_precision')
PRESETS = {'off': (), 'fp32': ('fold_bn', 'channels_last'),
           'auto': ('fold_bn', 'channels_last', 'reduced_precision')}


class FastPathError(UserInputError, ValueError):
    """An unknown lever or preset, or a fast-path model asked to train."""


def _refuse_training(model: nn.Module):
    original = model.train

    def train(mode: bool = True):
        if mode:
            raise FastPathError(
                f'{type(model).__name__} is on the inference fast path '
                f'({", ".join(model.fast_path["applied"]) or "no lever"}): '
                'its BatchNorm may be folded, it cannot train. Build the '
                "model again (init_model(..., fast_path='off')) to train")
        return original(False)
    model.train = train


def resolve_levers(levers: Union[str, Iterable[str], None]) -> List[str]:
    """A preset name, a comma-separated string or a list of levers to the
    list of levers; unknown names raise :class:`FastPathError`."""
    if levers is None or levers is False:
        return []
    if isinstance(levers, str):
        if levers in PRESETS:
            return list(PRESETS[levers])
        levers = [p for p in levers.split(',') if p]
    levers = list(levers)
    bad = [lv for lv in levers if lv not in LEVERS]
    if bad:
        raise FastPathError(
            f'unknown fast-path lever(s) {bad}: use a preset '
            f'({", ".join(PRESETS)}) or levers from {", ".join(LEVERS)}')
    return levers


def apply_fast_path(model: nn.Module,
                    levers: Union[str, Iterable[str], None] = 'auto'
                    ) -> dict:
    """Put ``model`` (an estimator, on its device) on the fast path in
    place; levers are applied in the order given, and a second call adds
    only the levers not applied yet.  ONNX Runtime runs on the CPU (its
    CPU execution provider) whatever the model's device.

    Returns ``model.fast_path``: ``applied`` (levers in effect),
    ``skipped`` ({lever: reason}), ``folded_bn`` (count), ``dtype`` (of
    the reduced-precision sub-networks on the device at the time, or
    None).
    """
    wanted = resolve_levers(levers)
    model.eval()
    previous = getattr(model, 'fast_path', None) or {}
    done = list(previous.get('applied', []))
    report = dict(applied=done, skipped={},
                  folded_bn=previous.get('folded_bn', 0),
                  dtype=previous.get('dtype'))
    device = next(model.parameters()).device
    for lever in wanted:
        if lever in done:
            continue                 # applied by an earlier call
        if 'onnxruntime' in done and lever != 'fold_bn':
            report['skipped'][lever] = 'the network runs in ONNX Runtime'
            continue
        if lever == 'fold_bn':
            report['folded_bn'] += fold_batchnorm(model)
            if report['folded_bn']:
                done.append(lever)
            else:
                report['skipped'][lever] = 'no foldable BatchNorm'
        elif lever == 'onnxruntime':
            try:
                model.forward = OnnxRuntimeForward(model)
                done.append(lever)
            except Exception as exc:  # not exportable, no onnxruntime, ...
                report['skipped'][lever] = str(exc).splitlines()[0]
        elif lever == 'channels_last':
            if to_channels_last(model):
                done.append(lever)
            else:
                report['skipped'][lever] = 'no 2-D convolution'
        elif lever == 'reduced_precision':
            dtype = native_reduced_dtype(device)
            if dtype is None:
                report['skipped'][lever] = \
                    f'no native bf16 / fp16 on {device}'
            elif reduced_precision(model):
                done.append(lever)
                report['dtype'] = str(dtype).replace('torch.', '')
    model.fast_path = report
    if done and not previous.get('applied'):
        _refuse_training(model)
    return report


class FastPathHook(Hook):
    """Put the runner's model on the fast path before testing (after the
    checkpoint is loaded), and log what was applied; ``tools/test.py``
    registers it for ``--fast-path``."""

    priority = 'VERY_LOW'

    def __init__(self, levers: Union[str, Iterable[str]] = 'fp32'):
        self.levers = resolve_levers(levers)

    def before_test(self, runner) -> None:
        model = getattr(runner.model, 'module', runner.model)
        report = apply_fast_path(model, self.levers)
        skipped = '; '.join(f'{k}: {v}' for k, v in report['skipped'].items())
        MMLogger.get_current_instance().info(
            f'inference fast path: {", ".join(report["applied"]) or "off"}'
            + (f' (skipped {skipped})' if skipped else ''))


def add_fast_path_argument(parser, default: str = 'fp32') -> None:
    """``--fast-path`` of the tools and demos (``tools/test.py`` and
    ``tools/robustness.py`` register :class:`FastPathHook` with its value,
    the demos pass it to ``init_model``)."""
    parser.add_argument(
        '--fast-path', default=default,
        help="inference fast path (hmrzoo.apis.fast_path): 'fp32' (BatchNorm "
        "folded, channels-last; the plain model's metrics to float32 "
        "rounding), 'auto' (plus bf16 / fp16 where native; metrics may move "
        "by a fraction of a mm), 'off', or comma-separated levers; default "
        f'{default!r}')
