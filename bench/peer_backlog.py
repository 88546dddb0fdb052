"""Court backlog: our closed-form stock-flow against the same stock-flow in SimPy.

The workload is what the kernel-free explorer precomputes: every scenario of its grid,
with and without the cooperation stream. Ours solves all of them in one vectorised call
(``backlog.project_pending``); the reference runs each scenario as a SimPy process that
puts the year's new cases into a ``simpy.Container`` (the docket) and takes out what the
judges can complete. The truth is the model's definition, one year at a time in plain
Python.
"""

from __future__ import annotations

import numpy as np
import simpy

from bench.peers import Peer
from coopmodels import backlog
from coopmodels.explore import explore


def explorer_workload() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Initial pending, receipts and capacity (scenario x year) of the explorer's grid."""
    explorer = explore(backlog.MODEL)
    initial, receipts, capacity = [], [], []
    for values in explorer.scenarios():
        years = np.arange(1, values["horizon_years"] + 1)
        judges = backlog.judges_on_board(values["initial_judges"],
                                         values["judges_added_per_year"], years)
        cooperation = backlog.cooperation_cases(values["cooperating_population_percent"],
                                                values["scope"])
        for extra in (0.0, cooperation):
            initial.append(values["initial_pending"])
            receipts.append(backlog.receipts_path(values["baseline_receipts"],
                                                  values["receipts_growth_percent"], extra, years))
            capacity.append(judges * values["completions_per_judge"])
    return np.array(initial, float), np.array(receipts), np.array(capacity)


INITIAL, RECEIPTS, CAPACITY = explorer_workload()


def ours() -> np.ndarray:
    return backlog.project_pending(INITIAL, RECEIPTS, CAPACITY)[0]


def simpy_scenario(initial: float, receipts: np.ndarray, capacity: np.ndarray) -> list[float]:
    env = simpy.Environment()
    docket = simpy.Container(env, init=initial)
    pending: list[float] = []

    def court(env: simpy.Environment):
        for new_cases, can_complete in zip(receipts, capacity, strict=True):
            if new_cases > 0:
                yield docket.put(new_cases)
            heard = min(docket.level, can_complete)
            if heard > 0:
                yield docket.get(heard)
            pending.append(docket.level)
            yield env.timeout(1)

    env.process(court(env))
    env.run()
    return pending


def reference() -> np.ndarray:
    return np.array([simpy_scenario(*row) for row in zip(INITIAL, RECEIPTS, CAPACITY,
                                                          strict=True)])


def truth() -> np.ndarray:
    rows = []
    for initial, receipts, capacity in zip(INITIAL, RECEIPTS, CAPACITY, strict=True):
        pending, row = float(initial), []
        for new_cases, can_complete in zip(receipts.tolist(), capacity.tolist(), strict=True):
            pending = pending + new_cases - min(pending + new_cases, can_complete)
            row.append(pending)
        rows.append(row)
    return np.array(rows)


PEERS = [
    Peer(
        name="court_backlog_grid",
        description=f"stock-flow, {len(INITIAL):,} scenarios x {RECEIPTS.shape[1]} years "
        "(the explorer's grid)",
        ours=ours, reference=reference, truth=truth, reference_library=f"SimPy {simpy.__version__}",
    ),
]
