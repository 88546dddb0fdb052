"""Network disruption: our one-pass union-find against networkx recomputing components.

The workload is one curve of the chapter's default network: the largest connected part
after each of ``members`` removals, most-connected first. Ours adds members back in
reverse order with a union-find (one pass); the reference removes them one at a time and
asks networkx for the connected components after every removal. The truth is the
reference's own result (the test suite also checks the two agree exactly).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from bench.peers import Peer
from coopmodels import network

VALUES = network.PARAMS.defaults()
GRAPH = network.network(VALUES["members"], VALUES["ties_per_member"], VALUES["clustering"], 0)
NEIGHBOURS = tuple(tuple(GRAPH.neighbors(node)) for node in range(VALUES["members"]))
ORDER = network.removal_order(np.array([len(n) for n in NEIGHBOURS], float), 1.0,
                              np.random.default_rng(0))


def ours() -> np.ndarray:
    return network.largest_part_after_removals(VALUES["members"], NEIGHBOURS, ORDER)


def reference() -> np.ndarray:
    graph = GRAPH.copy()
    sizes = [max(len(c) for c in nx.connected_components(graph))]
    for node in ORDER.tolist():
        graph.remove_node(node)
        sizes.append(max((len(c) for c in nx.connected_components(graph)), default=0))
    return np.array(sizes)


PEERS = [
    Peer(
        name="network_disruption_curve",
        description=f"largest part after each of {VALUES['members']} removals, one network",
        ours=ours, reference=reference, truth=reference,
        reference_library=f"networkx {nx.__version__}",
    ),
]
