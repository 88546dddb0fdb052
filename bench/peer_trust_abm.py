"""Trust ABM: our vectorised numpy model against the same rules written in Mesa.

Mesa is the standard Python library for agent-based models: one object per agent, a
network grid, and a step that visits every agent. The reference below implements the
rules of :mod:`coopmodels.trust_abm` in that idiom (two phases per month: every household
draws its events, then every household hears the news and updates its trust). The two use
different random streams, so they agree statistically, not draw for draw.

The workload is a well-mixed community (random ties, every household hears of every
transfer) for 24 months of full cooperation, where both should follow the mean-field
model; accuracy is the largest gap between a model's mean trust (by status, month by
month) and the mean field's. Sizes: 1,000, 10,000 and 100,000 households.
"""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
from mesa.space import NetworkGrid

from bench.peers import Peer
from coopmodels import trust, trust_abm

SETTING = trust_abm.PARAMS.defaults() | {
    "clustering": 0.0, "news_from_community": 1.0, "start_month": 0,
    "duration_months": 24, "horizon_months": 24,
}
SIZES = {1_000: 5, 10_000: 3, 100_000: 1}  # households: interleaved rounds


class Household(mesa.Agent):
    """One household: status, trust, exposure, and this month's events."""

    def __init__(self, model: TrustModel, status: int) -> None:
        super().__init__(model)
        community = model.community
        self.status = status
        self.sensitivity = community.sensitivity[status]
        self.risk = model.risk[status] * SETTING["contact_rate"]
        self.trust = community.baseline_trust
        self.exposure = 0.0
        self.transferred = False

    def draw_events(self) -> None:
        """Phase 1: victimisation, reporting, police contact and transfer."""
        community, rand = self.model.community, self.model.random.random
        victim = rand() < self.model.victimisation
        if victim and rand() < community.reporting(np.float64(self.trust)):
            self.model.reports += 1
        self.transferred = rand() < self.model.level * self.risk

    def hear_news(self) -> None:
        """Phase 2: exposure from neighbours and community, then trust moves."""
        model, community = self.model, self.model.community
        neighbours = model.grid.get_neighbors(self.pos)
        local = (sum(n.transferred for n in neighbours) / (max(len(neighbours), 1)
                                                            * model.full_rate))
        heard = ((1 - SETTING["news_from_community"]) * local
                 + SETTING["news_from_community"] * model.community_news)
        self.exposure = (1 - community.memory) * self.exposure + community.memory * heard
        target = community.target_trust(self.sensitivity, self.exposure)
        self.trust = float(community.adjust(np.float64(self.trust), target))


class TrustModel(mesa.Model):
    def __init__(self, agents: int, seed: int) -> None:
        super().__init__(seed=seed)
        self.community = trust.Community.from_values(SETTING)
        self.risk = np.array([0.0, SETTING["risk_lawful"], SETTING["risk_mixed"],
                              SETTING["risk_undocumented"]])
        self.full_rate = SETTING["contact_rate"] * float(self.community.shares @ self.risk)
        adjacency = trust_abm.social_network(agents, SETTING["degree"], 0.0, seed)
        self.grid = NetworkGrid(nx.from_scipy_sparse_array(adjacency))
        statuses = trust_abm.statuses_in_order(agents, self.community.shares)
        for node, status in enumerate(statuses.tolist()):
            self.grid.place_agent(Household(self, status), node)
        self.schedule = trust.cooperation_schedule(SETTING)
        self.reports, self.trust_by_status = 0, []

    def step(self) -> None:
        month = len(self.trust_by_status)
        households = list(self.agents)
        trusts = np.array([h.trust for h in households])
        statuses = np.array([h.status for h in households])
        self.trust_by_status.append(np.bincount(statuses, trusts, 4)
                                    / np.bincount(statuses, minlength=4).clip(1))
        rate = float(np.mean(self.community.reporting(trusts)))
        self.victimisation = self.community.victimisation(rate)
        self.level = self.schedule[month]
        self.agents.do("draw_events")
        self.community_news = (sum(h.transferred for h in households)
                               / (len(households) * self.full_rate))
        self.agents.do("hear_news")


def mesa_run(agents: int, seed: int = 0) -> np.ndarray:
    model = TrustModel(agents, seed)
    for _ in range(SETTING["horizon_months"]):
        model.step()
    return np.array(model.trust_by_status)


def ours_run(agents: int, seed: int = 0) -> np.ndarray:
    return trust_abm.run(SETTING | {"agents": agents, "seed": seed})["trust"]


def mean_field() -> np.ndarray:
    return trust.mean_field({name: SETTING[name] for name in trust.PARAMS})["trust"]


PEERS = [
    Peer(name=f"trust_abm_{agents // 1000}k",
         description=f"{agents:,} households x {SETTING['horizon_months']} months, "
         "well mixed",
         ours=lambda agents=agents: ours_run(agents),
         reference=lambda agents=agents: mesa_run(agents),
         truth=mean_field, reference_library=f"Mesa {mesa.__version__}", rounds=rounds)
    for agents, rounds in SIZES.items()
]
