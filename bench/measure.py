"""Small measuring tools shared by the benchmarks: timers and percentiles (the built
site's pages and server come from ``tools.site``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from tools.site import ROOT, serve, toc_pages

__all__ = ["ROOT", "median_ms", "percentiles", "serve", "time_calls", "toc_pages"]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95 and max of samples in milliseconds, with the sample count."""
    values = np.asarray(samples_ms, dtype=float)
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95)),
            "max_ms": float(values.max()), "n": int(values.size)}


def time_calls(call: Callable[[], object], repeats: int, warmup: int) -> list[float]:
    """Wall-clock time of each of ``repeats`` calls, in ms, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def median_ms(samples_ms: list[float]) -> float:
    return float(statistics.median(samples_ms))
