"""The timing helpers of hmrzoo's benchmarks."""
import statistics
import time
from typing import Callable, Dict

import torch


def _timed(fn, cuda: bool) -> float:
    """Wall time in seconds of one call of ``fn``, synchronising CUDA
    around it when ``cuda``."""
    if cuda:
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    if cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def median_time(fn, repeats: int, device='cpu', warmup: bool = True) -> float:
    """Median wall time in seconds of ``repeats`` calls of ``fn`` (after one
    uncounted call when ``warmup``), synchronising CUDA around each call."""
    cuda = str(device).startswith('cuda')
    if warmup:
        _timed(fn, cuda)
    return statistics.median(_timed(fn, cuda) for _ in range(repeats))


def interleaved(fns: Dict[str, Callable], repeats: int, device='cpu',
                warmup: bool = True) -> Dict[str, float]:
    """Median wall time in seconds of each callable over ``repeats``
    rounds in which the callables take turns (after one uncounted round
    when ``warmup``): drifts of the machine reach all of them alike."""
    cuda = str(device).startswith('cuda')
    if warmup:
        for fn in fns.values():
            _timed(fn, cuda)
    times = {key: [] for key in fns}
    for _ in range(repeats):
        for key, fn in fns.items():
            times[key].append(_timed(fn, cuda))
    return {key: statistics.median(v) for key, v in times.items()}
