"""Fabricated stand-ins for trained weights, for converter tests."""
from typing import Dict

import torch
import torchvision
from torch import Tensor


def random_resnet50_state(prefix: str,
                          generator: torch.Generator) -> Dict[str, Tensor]:
    """torchvision's ResNet-50 state dict without ``fc``, keys prefixed
    with ``prefix``, as a trained encoder's would look: convolutions as
    torchvision initialises them (the global torch RNG: seed it first),
    BatchNorm weights in [0.5, 1), biases and running means ~ 0.1 N(0, 1),
    running variances in [0.5, 1.5) (from ``generator``) and batch counts
    1234, so that a converter that drops or swaps any of them changes the
    converted model's output."""
    state = {}
    for key, value in torchvision.models.resnet50(
            weights=None).state_dict().items():
        if key.startswith('fc.'):
            continue
        if key.endswith('num_batches_tracked'):
            value = torch.tensor(1234)
        elif key.endswith('running_var'):
            value = torch.rand(value.shape, generator=generator) + 0.5
        elif key.endswith('running_mean') or (value.ndim == 1
                                              and key.endswith('bias')):
            value = 0.1 * torch.randn(value.shape, generator=generator)
        elif value.ndim == 1:  # BatchNorm weight
            value = 0.5 + 0.5 * torch.rand(value.shape, generator=generator)
        state[prefix + key] = value
    return state
