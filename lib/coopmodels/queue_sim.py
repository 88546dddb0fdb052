"""A discrete-event simulation of the police queue, to check the Erlang C formulas.

The same M/M/c system as :mod:`coopmodels.capacity`, simulated call by call with SimPy:
calls arrive at exponential intervals, wait for the first free officer (a
``simpy.Resource`` with ``officers`` slots) and hold the officer for an exponential time.
The analytic model should agree with the simulated mean wait within its confidence
interval; a test checks this, and the chapter shows it.

For call rates that change over the day, where Erlang's formula no longer applies,
:func:`simulate_profile` runs the same first-come-first-served queue without SimPy
(:func:`poisson_arrivals` and :func:`fcfs_waits`), fast enough for long runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
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


# --- A fast simulation for time-varying call rates ------------------------------------------

DAY_HOURS = 24.0


def poisson_arrivals(calls_per_hour: float, hours: float, seed: int = 0,
                     profile: tuple[tuple[float, float], ...] = ((DAY_HOURS, 1.0),)
                     ) -> np.ndarray:
    """Arrival times (minutes, sorted) of calls over ``hours`` at a rate that follows
    ``profile``, a repeating sequence of ``(hours, multiplier)`` blocks: in each block
    calls arrive at random (Poisson) at ``calls_per_hour * multiplier``.

    ``profile=((12, 1.5), (12, 0.5))`` is a day with a busy half and a quiet half and the
    same daily total as a constant rate when the multipliers average 1.
    """
    if calls_per_hour <= 0 or hours <= 0:
        raise ValueError(f"calls_per_hour and hours must be positive; got {calls_per_hour!r}"
                         f" and {hours!r}")
    if any(length <= 0 or rate < 0 for length, rate in profile):
        raise ValueError(f"profile blocks need positive hours and non-negative "
                         f"multipliers; got {profile!r}")
    rng = np.random.default_rng(seed)
    starts, lengths, rates = [], [], []
    clock = 0.0
    while clock < hours:
        for length, multiplier in profile:
            if clock >= hours:
                break
            span = min(length, hours - clock)
            starts.append(clock)
            lengths.append(span)
            rates.append(calls_per_hour * multiplier)
            clock += span
    counts = rng.poisson(np.asarray(rates) * np.asarray(lengths))
    offsets = rng.random(counts.sum())
    block = np.repeat(np.arange(len(counts)), counts)
    times = (np.asarray(starts)[block] + offsets * np.asarray(lengths)[block]) * 60.0
    return np.sort(times)


def fcfs_waits(arrivals: np.ndarray, services: np.ndarray, officers: int) -> np.ndarray:
    """Waits (minutes) of calls answered first come, first served by ``officers``.

    ``arrivals`` are sorted arrival times and ``services`` each call's officer time, both
    in minutes. Each call takes the officer who is free first (a heap of free times), so
    the waits are exactly those of the M/M/c queue when both are exponential.
    """
    import heapq

    if officers < 1:
        raise ValueError(f"officers must be a whole number >= 1; got {officers!r}")
    free = [0.0] * int(officers)
    waits = np.empty(len(arrivals))
    for index, (arrived, service) in enumerate(zip(arrivals.tolist(), services.tolist(),
                                                   strict=True)):
        start = max(arrived, free[0])
        waits[index] = start - arrived
        heapq.heapreplace(free, start + service)
    return waits


def simulate_profile(calls_per_hour: float, minutes_per_call: float, officers: int,
                     profile: tuple[tuple[float, float], ...] = ((DAY_HOURS, 1.0),),
                     days: int = 100, warmup_days: int = 5, seed: int = 0
                     ) -> SimulatedWaits:
    """Simulate ``days`` days (after ``warmup_days``) with the call-rate ``profile`` and
    summarise the waits, with a 95% half-width from day-by-day means (each day one batch).
    """
    total = (days + warmup_days) * DAY_HOURS
    arrivals = poisson_arrivals(calls_per_hour, total, seed, profile)
    services = np.random.default_rng(seed + 1).exponential(minutes_per_call, len(arrivals))
    waits = fcfs_waits(arrivals, services, officers)
    day = (arrivals // (DAY_HOURS * 60)).astype(int)
    kept = day >= warmup_days
    daily = pd.Series(waits[kept]).groupby(day[kept]).mean().to_numpy()
    from scipy.stats import t

    half_width = t.ppf(0.975, len(daily) - 1) * daily.std(ddof=1) / np.sqrt(len(daily))
    return SimulatedWaits(float(waits[kept].mean()), float(half_width),
                          float((waits[kept] > 0).mean()), int(kept.sum()))
