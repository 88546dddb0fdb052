"""Agent-based model of trust: fear of enforcement spreading through a social network.

Each agent is a household with a status (citizen, lawful resident, mixed-status,
undocumented) and its own trust in police. Households sit on a social network: a ring
lattice in which households of the same status live next to each other (each tied to its
``degree`` nearest households), with each tie rewired to a random household with
probability ``1 - clustering``. At ``clustering = 0`` the network is random (well mixed);
at 1 it is a lattice of same-status neighbourhoods. Each month, for every household at
once (numpy arrays, no loop over agents):

1. victimisation: each household is victimised with probability v(t), which rises as the
   community reports less (elasticity of offending to reporting); drawn as a binomial
   number of victims, then which households they are (a household can, rarely, be drawn
   twice in a month);
2. reporting: each victim reports with probability ``baseline_reporting * trust /
   baseline_trust``;
3. police contact and transfer: each household has a police contact (an arrest or a stop)
   with probability ``contact_rate``; at cooperation level c, a contact leads to an ICE
   transfer with probability ``c * transfer_risk[status]``;
4. news spreads: a household hears of transfers among its neighbours (news along ties)
   and, with weight ``news_from_community``, of transfers anywhere in the community (word
   of mouth beyond one's ties, local media). Its exposure is a moving average of what it
   hears, relative to what full cooperation brings on average:
   ``E_i <- (1 - 1/m) E_i + heard_i / m``, with
   ``heard_i = (1 - g) * transfers among neighbours / (ties_i * m1) + g * transfers / (N * m1)``;
5. trust moves toward ``ceiling / (1 + k * sensitivity * E_i)``, faster down than up
   (the same rule as :class:`coopmodels.trust.Community`).

No household leaves: a transfer removes a person, not the household, so agent counts are
conserved. When every household hears of every transfer (``news_from_community = 1``, a
perfectly mixed community), exposure follows c and average trust follows the mean-field
model of :mod:`coopmodels.trust` (a test checks this). News that travels only along ties
is noisy and concentrated: with trust lost faster than regained, that noise lowers trust
where transfers cluster. Memory is
linear in agents plus ties: one float per agent for trust and exposure, and the ties in
compressed sparse rows (one 32-bit index per tie end).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from coopmodels import trust
from coopmodels.model import SERIES, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

LIVE_AGENTS = 1_000
"""Households in the explorer's runs: small enough for live sliders."""

PARAMS = ParamSet(
    trust.PARAMS["cooperation"],
    Param("clustering", "Network clustering", 0.5, 0.0, 1.0, 0.1,
          "0 = random ties, 1 = same-status neighbourhoods", ASSUMPTION,
          note="The rewiring knob of a stylised network: how much households' ties stay "
          "within their own neighbourhood. 0 and 1 are the extremes.", kind="teaching"),
    Param("news_from_community", "News heard from the whole community", 0.2, 0.0, 1.0,
          0.1, "share of what a household hears", ASSUMPTION,
          note="A stylised stand-in for word of mouth beyond one's ties, local media and "
          "churches; the rest travels along the household's own ties.", kind="teaching"),
    *(trust.PARAMS[name] for name in trust.PARAMS if name != "cooperation"),
    Param("agents", "Households simulated", LIVE_AGENTS, 100, 1_000_000, 100, "households",
          ASSUMPTION, note="Small for live sliders; the model scales to a million.",
          integer=True, kind="display"),
    Param("degree", "Ties per household", 8, 2, 40, 2, "ties", ASSUMPTION,
          note="The number of neighbours of each household on the stylised ring lattice, "
          "which news travels along (relatives, neighbours and friends). Exposure is "
          "averaged over a household's ties and measured against what full cooperation "
          "brings, so the number sets how noisy the news is, like the clustering knob; "
          "no survey measures ties in this form.", integer=True, kind="teaching"),
    Param("contact_rate", "Police contacts per household per month", 0.0075, 0.0, 0.2,
          0.0005, "probability per month", "davis2018",
          note="In 2015, 9% of Hispanic residents aged 16 or older had a contact initiated "
          "by the police (mostly traffic stops; arrests too) in the past 12 months "
          "{cite:p}`davis2018`: "
          "0.09 / 12 = 0.0075 a month, one resident per household (households with more "
          "adults have more contacts). Exposure is measured relative to what full "
          "cooperation brings, so this sets how noisy the news is, not how much fear there "
          "is on average.", kind="empirical", figure=0.0075),
    Param("risk_undocumented", "Transfer risk per contact: undocumented", 0.5, 0.0, 1.0,
          0.05, "probability at full cooperation", ASSUMPTION, note="Illustrative.",
          kind="empirical"),
    Param("risk_mixed", "Transfer risk per contact: mixed-status", 0.25, 0.0, 1.0, 0.05,
          "probability at full cooperation", ASSUMPTION,
          note="Only some members are removable; illustrative.", kind="empirical"),
    Param("risk_lawful", "Transfer risk per contact: lawful resident", 0.02, 0.0, 1.0, 0.01,
          "probability at full cooperation", ASSUMPTION,
          note="Lawful residents can be removable after some convictions; illustrative.",
          kind="empirical"),
    Param("seed", "Random seed", 0, 0, 1_000, 1, "seed", ASSUMPTION,
          note="Same seed, same run.", integer=True, kind="display"),
)


def statuses_in_order(agents: int, shares: np.ndarray) -> np.ndarray:
    """Status of each household, in blocks (status 0 first): neighbours share a status."""
    counts = np.floor(shares * agents).astype(int)
    counts[0] += agents - counts.sum()
    return np.repeat(np.arange(len(shares)), counts).astype(np.int8)


def social_network(agents: int, degree: int, clustering: float, seed: int) -> sp.csr_matrix:
    """Symmetric 0/1 adjacency (CSR): ring lattice with each tie rewired w.p. 1 - clustering.

    Household i is tied to i+1 .. i+degree/2 (mod agents); the far end of each tie moves to
    a uniformly random household with probability ``1 - clustering``. Self-ties are dropped
    and repeated ties merged.
    """
    rng = np.random.default_rng(seed)
    half = degree // 2
    near = np.repeat(np.arange(agents), half)
    far = (near + np.tile(np.arange(1, half + 1), agents)) % agents
    rewire = rng.random(far.size) >= clustering
    far[rewire] = rng.integers(0, agents, rewire.sum())
    keep = near != far
    rows = np.concatenate([near[keep], far[keep]]).astype(np.int32)
    cols = np.concatenate([far[keep], near[keep]]).astype(np.int32)
    adjacency = sp.csr_matrix((np.ones(rows.size, np.int8), (rows, cols)),
                              shape=(agents, agents))
    adjacency.data[:] = 1  # merge repeated ties
    return adjacency


@lru_cache(maxsize=64)
def _network(agents: int, degree: int, clustering: float, seed: int) -> sp.csr_matrix:
    return social_network(agents, degree, clustering, seed)


def run(values: dict) -> dict[str, np.ndarray]:
    """Simulate month by month; returns trajectories averaged over agents.

    ``trust`` (months x statuses, mean trust by status), ``exposure`` (mean),
    ``reporting_rate``, ``victimisation`` (probability per household per month),
    ``reported`` (expected reports per household per month), the realised counts
    ``victims``, ``reports`` and ``transfers``, ``agents`` by status (constant), and each
    household's ``status`` and ``final_trust`` after the last month.
    """
    community = trust.Community.from_values(values)
    agents = values["agents"]
    status = statuses_in_order(agents, community.shares)
    adjacency = _network(agents, values["degree"], values["clustering"], values["seed"])
    ties = np.maximum(np.asarray(adjacency.sum(axis=1)).ravel(), 1)
    sensitivity = community.sensitivity[status]
    risk = np.array([0.0, values["risk_lawful"], values["risk_mixed"],
                     values["risk_undocumented"]])[status]
    # Transfers per neighbour per month at full cooperation, in an average neighbourhood.
    full_rate = values["contact_rate"] * float(community.shares @ np.array(
        [0.0, values["risk_lawful"], values["risk_mixed"], values["risk_undocumented"]]))
    rng = np.random.default_rng(values["seed"])
    schedule = trust.cooperation_schedule(values)
    transfer_risk = values["contact_rate"] * risk  # per month, at full cooperation
    community_news = values["news_from_community"]
    # Contact-and-transfer draws for every month first: a higher cooperation level then
    # transfers a superset of households, whatever else the run draws.
    contact_draws = rng.random((len(schedule), agents))
    trust_now = np.full(agents, community.baseline_trust)
    exposure = np.zeros(agents)
    counts = np.bincount(status, minlength=len(trust.STATUSES))
    per_status = counts.clip(1)
    spread = ties * full_rate
    record: dict[str, list] = {key: [] for key in (
        "trust", "exposure", "reporting_rate", "victimisation", "reported", "victims",
        "reports", "transfers")}
    # The month's update, with constants hoisted out of the loop (this is the hot path):
    # target = ceiling / (1 + k * sensitivity * exposure), reporting = trust * p0 / T0.
    erosion = community.k * sensitivity
    report_factor = community.baseline_reporting / community.baseline_trust
    keep, learn = 1 - community.memory, community.memory
    for level, draws in zip(schedule, contact_draws, strict=True):
        reporting = np.minimum(trust_now * report_factor, 1.0)
        rate = float(reporting.sum()) / agents
        victimisation = community.victimisation(rate)
        # Victims are few: draw how many, then which households, then who reports.
        victims = rng.integers(0, agents, rng.binomial(agents, victimisation))
        reports = int((rng.random(victims.size) < reporting[victims]).sum())
        transfers = draws < level * transfer_risk
        transferred = int(np.count_nonzero(transfers))
        record["trust"].append(np.bincount(status, trust_now, len(counts)) / per_status)
        record["exposure"].append(float(exposure.sum()) / agents)
        record["reporting_rate"].append(rate)
        record["victimisation"].append(victimisation)
        record["reported"].append(victimisation * rate)
        record["victims"].append(victims.size)
        record["reports"].append(reports)
        record["transfers"].append(transferred)
        if transferred and full_rate > 0:
            local = (adjacency @ transfers.astype(np.float32)) / spread
            heard = (1 - community_news) * local + community_news * (
                transferred / (agents * full_rate))
            exposure = keep * exposure + learn * heard
        else:
            exposure = keep * exposure
        trust_now = community.adjust(trust_now, community.ceiling / (1 + erosion * exposure))
    out = {key: np.array(value) for key, value in record.items()}
    out["agents"] = counts
    out["status"], out["final_trust"] = status, trust_now
    return out


def simulate(**values: float) -> pd.DataFrame:
    """Tidy frame of the agent-based trust trajectories by status, at the months the
    mean-field model draws (:func:`coopmodels.trust.chart_months`)."""
    out = run(values)
    frame = trust.trajectory_frame(trust.chart_months(values), out["trust"],
                                   out["victimisation"], out["reported"],
                                   trust.Community.from_values(values))
    return frame[frame[SERIES].isin(trust.STATUSES)].reset_index(drop=True)


TRUST_VIEW = View(x=trust.YEAR, y=trust.TRUST_VIEW.y, title=trust.TRUST_VIEW.title,
                  description="Line chart of average trust in police over twelve years for "
                  "citizen, lawful-resident, mixed-status and undocumented households on a "
                  "social network of 1,000 households; cooperation is on from year 1 to "
                  "year 6.", shade=trust.COOPERATION_ON)

MODEL = Model(
    name="trust_abm",
    title="Trust and reporting (agent-based)",
    chapter="book/04_trust_and_reporting.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(TRUST_VIEW,),
    sliders=("clustering", "news_from_community"),
    # Every setting is a full simulation with its own noise (nothing shared between
    # scenarios): every position of the two network sliders, 11 x 11.
    max_scenarios=11 * 11,
)
