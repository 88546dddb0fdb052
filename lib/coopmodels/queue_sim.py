"""A discrete-event simulation of the police queue, to check the Erlang C formulas.

The same M/M/c system as :mod:`coopmodels.capacity`, simulated call by call with SimPy:
calls arrive at exponential intervals, wait for the first free officer (a
``simpy.Resource`` with ``officers`` slots) and hold the officer for an exponential time.
The analytic model should agree with the simulated mean wait within its confidence
interval; a test checks this, and the chapter shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy


@dataclass(frozen=True)
class SimulatedWaits:
    """Mean wait (minutes) over the simulated calls, with a 95% confidence half-width
    from batch means, and the share of calls that waited at all."""

    mean_wait: float
    half_width: float
    p_wait: float
    calls: int


def simulate_queue(calls_per_hour: float, minutes_per_call: float, officers: int,
                   diverted_share: float = 0.0, calls: int = 100_000,
                   warmup: int = 5_000, batches: int = 20, seed: int = 0) -> SimulatedWaits:
    """Simulate ``calls`` calls (after ``warmup``) and summarise their waits."""
    rng = np.random.default_rng(seed)
    total = calls + warmup
    gaps = rng.exponential(60.0 / calls_per_hour, total)                   # minutes
    services = rng.exponential(minutes_per_call / (1 - diverted_share), total)
    waits = np.empty(total)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=officers)

    def call(index: int):
        arrived = env.now
        with desk.request() as officer:
            yield officer
            waits[index] = env.now - arrived
            yield env.timeout(services[index])

    def arrivals():
        for index in range(total):
            yield env.timeout(gaps[index])
            env.process(call(index))

    env.process(arrivals())
    env.run()
    kept = waits[warmup:]
    batch_means = kept[: len(kept) // batches * batches].reshape(batches, -1).mean(axis=1)
    half_width = 2.093 * batch_means.std(ddof=1) / np.sqrt(batches)  # t(0.975, 19)
    return SimulatedWaits(float(kept.mean()), float(half_width), float((kept > 0).mean()),
                          calls)
