"""The one timing helper of hmrzoo's benchmarks."""
import statistics
import time

import torch


def median_time(fn, repeats: int, device='cpu', warmup: bool = True) -> float:
    """Median wall time in seconds of ``repeats`` calls of ``fn`` (after one
    uncounted call when ``warmup``), synchronising CUDA around each call."""
    cuda = str(device).startswith('cuda')

    def timed():
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if cuda:
            torch.cuda.synchronize()
        return time.perf_counter() - t0
    if warmup:
        timed()
    return statistics.median(timed() for _ in range(repeats))
