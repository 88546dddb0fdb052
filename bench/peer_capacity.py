"""Police capacity: Erlang C in closed form against a SimPy simulation of the same queue.

The workload is the chapter's busy district (40 officers answering 45 calls an hour of 45
minutes each, 84% busy), where calls do wait: the mean wait of a call. Ours computes
it exactly (Erlang C); the reference simulates 100,000 calls in SimPy and averages their
waits. Accuracy is the relative error against the closed form, so ours is exact by
construction and the simulation's error shows what its run length buys.
"""

from __future__ import annotations

import numpy as np
import simpy

from bench.peers import Peer
from coopmodels import capacity, queue_sim

ARGS = (45, 45, 40)  # calls per hour, minutes per call, officers: the busy district


def ours() -> np.ndarray:
    return np.atleast_1d(capacity.queue(*ARGS, 0.0)["mean_wait_minutes"])


def reference() -> np.ndarray:
    return np.array([queue_sim.simulate_queue(*ARGS, calls=100_000).mean_wait])


PEERS = [
    Peer(name="police_queue_mean_wait",
         description="mean wait of an M/M/c queue, 40 officers at 84% utilisation",
         ours=ours, reference=reference, truth=ours,
         reference_library=f"SimPy {simpy.__version__}, 100,000 calls", rounds=3),
]
