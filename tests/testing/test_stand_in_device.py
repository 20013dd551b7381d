"""The stand-in accelerator: real values underneath, and the failures CUDA
would give for device-unaware code (CPU tensors meeting device ones,
``.numpy()`` of device tensors), with CUDA's allowances kept."""
import numpy as np
import pytest
import torch

from hmrzoo.testing.stand_in_device import DeviceTensor, stand_in_device


def test_values_and_autograd_match_cpu():
    torch.manual_seed(0)
    x, w = torch.randn(3, 4), torch.randn(4, 2)
    conv = torch.nn.Conv2d(2, 3, 3, padding=1)
    img = torch.randn(2, 2, 8, 8)
    ref_y = (x @ w).relu().sum(0)
    xr = x.clone().requires_grad_()
    ((xr @ w).tanh() ** 2).sum().backward()
    ref_conv = conv(img)
    with stand_in_device() as dev:
        assert dev.type != 'cpu'
        xd, wd = x.to(dev), w.to(dev)
        y = (xd @ wd).relu().sum(0)
        assert isinstance(y, DeviceTensor) and y.device == dev
        xg = x.to(dev).requires_grad_()
        ((xg @ wd).tanh() ** 2).sum().backward()
        assert xg.grad.device == dev
        conv.to(dev)
        got_conv = conv(img.to(dev))
        # back on the CPU: plain tensors with the CPU's values
        y, grad, got_conv = y.cpu(), xg.grad.cpu(), got_conv.cpu()
        conv.cpu()
    assert type(y) is torch.Tensor
    assert torch.equal(y, ref_y)
    assert torch.equal(grad, xr.grad)
    assert torch.equal(got_conv, ref_conv)


def test_mixing_with_cpu_tensors_fails_as_on_cuda():
    with stand_in_device() as dev:
        x = torch.arange(6., device=dev)
        with pytest.raises(RuntimeError, match='CPU tensor of shape'):
            x + torch.ones(6)
        with pytest.raises(RuntimeError, match='CPU tensor of shape'):
            torch.zeros(2, 6).index_add_(1, torch.arange(6), x[None])
        with pytest.raises(TypeError, match='numpy'):
            x.numpy()
        # what CUDA allows: scalars, CPU index tensors, copies
        assert (x * torch.tensor(2.)).tolist() == [0, 2, 4, 6, 8, 10]
        assert x[torch.tensor([5, 1])].tolist() == [5, 1]
        assert x[[0, 2]].tolist() == [0, 2]
        assert x[np.array([3, 4])].tolist() == [3, 4]
        x[[0, 1]] = torch.tensor([7., 9.], device=dev)
        y = torch.empty(6, device=dev)
        y.copy_(torch.full((6,), 3.))
        assert x.tolist()[:2] == [7, 9] and y.tolist() == [3.] * 6
        assert x.new_tensor([1, 2]).device == dev
        assert torch.as_tensor(np.ones(2), device=dev).device == dev
        assert x.max().item() == 9


def test_device_tensors_are_refused_outside_the_context():
    with stand_in_device() as dev:
        x = torch.ones(2, device=dev)
    with pytest.raises(RuntimeError, match='outside stand_in_device'):
        x + 1
    # the patched constructors are restored
    assert torch.tensor([1]).device.type == 'cpu'
    assert torch.tensor([1], device='meta').device.type == 'meta'


def test_in_place_operations_return_their_destination():
    with stand_in_device() as dev:
        x = torch.tensor([1, 2, 3], device=dev)
        y = x.add_(1)
        assert y is x and x.tolist() == [2, 3, 4]
        m = torch.tensor([True, False, True], device=dev)
        m &= torch.tensor([True, True, False], device=dev)
        assert m.tolist() == [True, False, False]
        v = x[1:]  # a view: writes reach the base
        v.mul_(10)
        assert x.tolist() == [2, 30, 40]
