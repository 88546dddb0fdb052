"""Scaling of the trust ABM: time per month against households and ties.

Runs the agent-based model (default rules, clustered network) for a fixed number of months
at 10,000, 100,000 and 1,000,000 households, after building the network once (not timed),
and reports seconds per month and nanoseconds per (household + tie end): roughly constant
if the model is linear in agents plus ties. Also times the design's reference workload,
100,000 households for 100 months (target: 5 s on one core).
"""

from __future__ import annotations

import time

from coopmodels import trust_abm

MONTHS = 24
SIZES = (10_000, 100_000, 1_000_000)
TARGET = {"agents": 100_000, "months": 100, "seconds": 5.0}


def timed_run(agents: int, months: int) -> float:
    values = trust_abm.PARAMS.defaults() | {"agents": agents, "start_month": 0,
                                            "duration_months": months,
                                            "horizon_months": months}
    trust_abm.run(values | {"horizon_months": 1})  # builds and caches the network
    start = time.perf_counter()
    trust_abm.run(values)
    return time.perf_counter() - start


def measure() -> dict[str, object]:
    rows = []
    for agents in SIZES:
        seconds = timed_run(agents, MONTHS)
        network = trust_abm.social_network(agents, trust_abm.PARAMS["degree"].default,
                                           trust_abm.PARAMS["clustering"].default, 0)
        size = agents + network.nnz
        rows.append({"agents": agents, "tie_ends": int(network.nnz),
                     "seconds_per_month": seconds / MONTHS,
                     "ns_per_agent_and_tie": 1e9 * seconds / MONTHS / size})
    reference = timed_run(TARGET["agents"], TARGET["months"])
    return {"model": "trust_abm", "months": MONTHS, "rows": rows,
            "reference_workload_s": reference, "target": TARGET}
