"""Figures the benchmarks share: percentiles and p50/p95 summaries in milliseconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (sound for a handful of samples too)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), digits),
        "p95": round(percentile(values, 0.95), digits),
    }


def timed(fn: Callable[[], Any]) -> float:
    """How long one call of `fn` took, in milliseconds."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000
