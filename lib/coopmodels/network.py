"""Disrupting a trafficking network: removals at random or guided by intelligence.

A trafficking or smuggling organisation is drawn as a network: members are nodes, and a
tie joins two members who work together. Members work in small **cells** (groups of
``CELL_SIZE``), and two members of a cell work together with probability ``clustering``.
Cells are linked by **brokers**: each member gets a weight from a heavy-tailed (Pareto)
distribution, and ``ties_per_member * members`` ties between any two members are drawn
with probability proportional to both weights (a Chung-Lu network), so a few members have
many ties. Networks are drawn with numpy and seeded, so every run is the same.

Members are removed (arrested) one at a time in a fixed order, and after each removal we
measure how much of the network still hangs together: the **largest connected part**, as
a share of the original members. The order is

* random, for removals that ignore the network;
* by *suspected* importance, for removals guided by shared intelligence: each member's
  score is ``q * z(ties) + (1 - q) * noise``, where ``z`` standardises the number of ties,
  the noise is standard normal and fixed by the seed, and ``q`` in [0, 1] is the quality
  of the intelligence (``q = 1``: most-connected first; ``q = 0``: as good as random).
  Equal scores are taken in the order of the noise, that is at random.

What better intelligence does and does not guarantee: ordering by the ties members had at
the start is not the best possible order (the network changes as members go), so a
higher quality does not leave a smaller connected part after every removal in every
network. On average over networks it does: the mean over all removal counts (the
network's *robustness*) falls as the quality rises, and at any single count a step up
in quality leaves the average at most a small share of the members more connected
(``tests/test_network.py`` checks both).

Results are averaged over ``NETWORKS`` networks, so curves reflect the strategy rather
than one network's quirks; curves are cached, since the random and most-connected-first
curves do not depend on the intelligence slider. The largest connected part after the
first r removals is computed for every r at once by adding members back in reverse order
with a union-find.
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd

from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

NETWORKS = 8
"""Networks averaged per curve (seeds 0 .. NETWORKS-1)."""

RANDOM = "Random removals"
GUIDED = "Guided by intelligence"
PERFECT = "Most-connected first"

PARAMS = ParamSet(
    Param("intelligence_quality", "Quality of shared intelligence", 0.5, 0.0, 1.0, 0.1,
          "0 = none, 1 = perfect", ASSUMPTION, kind="teaching",
          note="How well agencies know who the brokers are, as one number of a stylised "
          "model; no study measures it. Halfway by default."),
    Param("members", "Members of the network", 200, 50, 300, 50, "people", ASSUMPTION,
          kind="teaching", integer=True,
          note="The size of a stylised network, not of a real organisation: members sit "
          "in cells of five joined by Pareto-weighted broker ties, and every result is a "
          "share of the members, so the size only sets how fine the curves are. Real "
          "networks have no single size in this form (no source counts members per "
          "organisation)."),
    Param("ties_per_member", "Broker ties per member", 1, 1, 4, 1, "ties", ASSUMPTION,
          kind="teaching", integer=True,
          note="Ties drawn between cells, per member; each adds two tie ends."),
    Param("clustering", "Chance two members of a cell work together", 0.5, 0.0, 1.0, 0.1,
          "probability", ASSUMPTION, kind="teaching",
          note="Higher values make tight cells in which everyone knows everyone."),
    Param("removal_share", "Removals shown", 0.3, 0.1, 1.0, 0.1, "share of members",
          ASSUMPTION, kind="display",
          note="How far along the horizontal axis the curves go."),
)


CELL_SIZE = 5
BROKER_TAIL = 1.5
"""Pareto shape of the broker weights: smaller means fewer, bigger hubs."""


def network_ties(members: int, ties_per_member: int, clustering: float, seed: int
                 ) -> np.ndarray:
    """Ties of one seeded network, as an (n_ties, 2) array of member pairs ``a < b``."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(BROKER_TAIL, members) + 1.0
    chance = weights / weights.sum()
    broker_ties = rng.choice(members, size=(members * ties_per_member, 2), p=chance)
    within = np.column_stack(np.triu_indices(CELL_SIZE, k=1))  # pairs inside one cell
    cells = np.arange(-(-members // CELL_SIZE))
    cell_pairs = (within[None, :, :] + CELL_SIZE * cells[:, None, None]).reshape(-1, 2)
    cell_pairs = cell_pairs[cell_pairs[:, 1] < members]
    cell_ties = cell_pairs[rng.random(len(cell_pairs)) < clustering]
    ties = np.sort(np.concatenate([broker_ties, cell_ties]), axis=1)
    keys = np.unique(ties[ties[:, 0] != ties[:, 1]] @ np.array([members, 1]))
    return np.column_stack([keys // members, keys % members])


def network(members: int, ties_per_member: int, clustering: float, seed: int) -> nx.Graph:
    """One seeded network as a networkx graph (for drawing and for checks)."""
    graph = nx.empty_graph(members)
    graph.add_edges_from(network_ties(members, ties_per_member, clustering, seed).tolist())
    return graph


@lru_cache(maxsize=256)
def _ties(members: int, ties_per_member: int, clustering: float,
          seed: int) -> tuple[tuple[tuple[int, ...], ...], np.ndarray]:
    """Each member's neighbours, and each member's number of ties."""
    ties = network_ties(members, ties_per_member, clustering, seed)
    ends = np.concatenate([ties, ties[:, ::-1]])
    ends = ends[np.argsort(ends[:, 0], kind="stable")]
    starts = np.searchsorted(ends[:, 0], np.arange(members + 1))
    others = ends[:, 1].tolist()
    neighbours = tuple(tuple(others[starts[i]:starts[i + 1]]) for i in range(members))
    return neighbours, np.diff(starts).astype(float)


@lru_cache(maxsize=1024)
def _curve(members: int, ties_per_member: int, clustering: float, quality: float,
           seed: int) -> np.ndarray:
    neighbours, degrees = _ties(members, ties_per_member, clustering, seed)
    order = removal_order(degrees, quality, np.random.default_rng(seed))
    return largest_part_after_removals(members, neighbours, order)


def removal_order(degrees: np.ndarray, quality: float, rng: np.random.Generator) -> np.ndarray:
    """Members in the order they are removed: by ``q * z(degree) + (1 - q) * noise``.

    Members with equal scores (at ``q = 1``, members with as many ties) are taken in the
    order of their noise, that is at random: breaking ties by member number would remove
    whole cells one after another, since cells are numbered in sequence.
    """
    spread = degrees.std()
    z = (degrees - degrees.mean()) / spread if spread > 0 else np.zeros_like(degrees)
    noise = rng.standard_normal(len(degrees))
    return np.lexsort((-noise, -(quality * z + (1 - quality) * noise)))


def largest_part_after_removals(members: int, neighbours: tuple[tuple[int, ...], ...],
                                order: np.ndarray) -> np.ndarray:
    """Size of the largest connected part after removing ``order[:r]``, for r = 0..members.

    Adds members back in reverse order, joining their parts with a union-find, so the
    whole curve costs about one pass over the ties. (Plain Python lists, with the root
    search written out: this loop is the model's inner loop.)
    """
    parent = list(range(members))
    size = [1] * members
    present = [False] * members
    largest = [0] * (members + 1)
    biggest = 0
    order = order.tolist()
    for r in range(members - 1, -1, -1):  # after removing order[:r], order[r] is back
        node = order[r]
        present[node] = True
        root = node
        for other in neighbours[node]:
            if not present[other]:
                continue
            while parent[other] != other:  # find, halving the path as we go
                parent[other] = parent[parent[other]]
                other = parent[other]
            if other != root:
                if size[root] < size[other]:
                    root, other = other, root
                parent[other] = root
                size[root] += size[other]
        if size[root] > biggest:
            biggest = size[root]
        largest[r] = biggest
    return np.array(largest)


def disruption_curves(members: int, ties_per_member: int, clustering: float,
                      qualities: dict[str, float], networks: int = NETWORKS
                      ) -> dict[str, np.ndarray]:
    """Mean share of members in the largest part after r removals, per strategy.

    ``qualities`` maps a label to an intelligence quality (``0`` behaves as random).
    The same noise is used for every strategy on a given network (common random numbers).
    """
    return {label: sum(_curve(members, ties_per_member, clustering, float(quality), seed)
                       for seed in range(networks)) / (networks * members)
            for label, quality in qualities.items()}


def simulate(intelligence_quality: float, members: int, ties_per_member: int,
             clustering: float, removal_share: float) -> pd.DataFrame:
    """Largest connected part against removals, for random, guided and perfect targeting."""
    curves = disruption_curves(members, ties_per_member, clustering,
                               {RANDOM: 0.0, GUIDED: intelligence_quality, PERFECT: 1.0})
    shown = round(removal_share * members)
    removed = np.arange(shown + 1)
    return pd.DataFrame(pd.concat([
        pd.DataFrame({SERIES: label, "removed_share": 100 * removed / members,
                      "largest_part": 100 * curve[: shown + 1]})
        for label, curve in curves.items()], ignore_index=True))


MODEL = Model(
    name="network_disruption",
    title="Network disruption",
    chapter="book/03_transnational_crime.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=Field("removed_share", "Members removed", "% of members", format=".0f"),
             y=Field("largest_part", "Largest connected part", "%", format=".0f"),
             title="How fast the network falls apart",
             description="Line chart of the largest connected part of a trafficking network "
             "as members are removed, for random removals, removals guided by intelligence "
             "of the chosen quality, and most-connected-first removals."),
    ),
    sliders=("intelligence_quality", "clustering"),
)
