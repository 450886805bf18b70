"""Shared by the benchmark scripts: CPU-time measurement that other processes do not disturb."""

from __future__ import annotations

import time
from typing import Callable


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn()``, in seconds of this process's CPU time."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)
