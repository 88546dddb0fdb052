"""Peer comparisons: our implementation against a standard library doing the same work.

A benchmark module ``bench/peer_<topic>.py`` defines ``PEERS``, a list of :class:`Peer`.
The harness runs each pair interleaved (ours, reference, ours, reference, ...) in one
process, so both see the same machine state, and reports the median time of each, the
ratio, and each one's accuracy against an independent ``truth`` (max relative error).
Reference-only dependencies belong in ``requirements-bench.txt``; a pair whose
dependency is missing is reported as skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import bench
from bench.measure import median_ms


@dataclass(frozen=True)
class Peer:
    """One comparison. ``ours``, ``reference`` and ``truth`` return arrays of equal shape."""

    name: str
    description: str
    ours: Callable[[], np.ndarray]
    reference: Callable[[], np.ndarray]
    truth: Callable[[], np.ndarray]
    reference_library: str
    rounds: int = 7


def max_relative_error(result: np.ndarray, truth: np.ndarray) -> float:
    scale = np.maximum(np.abs(truth), 1.0)
    return float(np.max(np.abs(np.asarray(result, float) - truth) / scale))


def compare(peer: Peer) -> dict[str, object]:
    truth = peer.truth()
    ours_ms, reference_ms = [], []
    ours_result = reference_result = None
    for _ in range(peer.rounds):  # A B A B ...
        for timings, call in ((ours_ms, peer.ours), (reference_ms, peer.reference)):
            start = time.perf_counter_ns()
            result = call()
            timings.append((time.perf_counter_ns() - start) / 1e6)
            if call is peer.ours:
                ours_result = result
            else:
                reference_result = result
    return {
        "name": peer.name, "description": peer.description,
        "reference_library": peer.reference_library, "rounds": peer.rounds,
        "ours_median_ms": median_ms(ours_ms), "reference_median_ms": median_ms(reference_ms),
        "speedup": median_ms(reference_ms) / median_ms(ours_ms),
        "ours_max_rel_error": max_relative_error(ours_result, truth),
        "reference_max_rel_error": max_relative_error(reference_result, truth),
    }


def all_peers() -> tuple[list[Peer], list[dict[str, str]]]:
    """Every registered pair, and the modules skipped for a missing dependency."""
    peers, skipped = [], []
    for info in pkgutil.iter_modules(bench.__path__):
        if not info.name.startswith("peer_"):
            continue
        try:
            module = importlib.import_module(f"bench.{info.name}")
        except ModuleNotFoundError as missing:
            skipped.append({"module": info.name, "missing": str(missing.name)})
            continue
        peers.extend(module.PEERS)
    return peers, skipped


def run_all() -> dict[str, object]:
    peers, skipped = all_peers()
    return {"pairs": [compare(peer) for peer in peers], "skipped": skipped}
