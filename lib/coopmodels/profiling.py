"""Suspicion, base rates and tests for discrimination.

**Base rates (the burden of suspicion).** Residents belong to group A or group B; a share
``pi_g`` of group g is removable. An officer sees a noisy signal s: standard normal for
residents who are not removable, shifted by ``signal_quality`` (d, in standard
deviations) for those who are. The officer questions a fixed share of residents (the
budget), choosing either

* by the signal alone: everyone with ``s >= k`` (one cut-off for all), or
* by the signal and group: everyone whose chance of being removable, given s and the
  group's base rate, is at least p* (Bayes: ``log-odds = logit(pi_g) + d s - d^2 / 2``),
  so the cut-off is lower for the group with the higher base rate. For a common p* the
  cut-offs of two groups differ by ``(logit(pi_A) - logit(pi_B)) / d``; as d falls to 0
  the gap grows without bound, and at d = 0 (the signal says nothing) the policy fills the
  budget by base rate: it questions members of the group with the higher base rate first,
  at random within the group, then the other group, until the budget is used. (Equal base
  rates: both groups alike, as under the signal-only policy.)

Both policies always question exactly the budget. For each group the model reports
residents questioned, removable people found (what a policy buys), lawful residents and
citizens questioned per removable person found, and the chance that a lawful resident or
citizen is questioned (the false-positive rate): what it costs, and who bears it.

**Outcome and threshold tests.** Among drivers stopped, each has a probability p of
carrying contraband, drawn from a Beta distribution with mean ``m_g`` and concentration
``phi`` (alpha = m phi, beta = (1 - m) phi). Officers search when p is at least their
threshold t_g; a hidden bias lowers the threshold for group B. Then

    search rate = P(p >= t_g),        hit rate = E[p | p >= t_g].

The **outcome test** (Knowles, Persico and Todd) compares hit rates: a lower hit rate for
one group suggests a lower bar for searching it. Because hit rates depend on the whole
risk distribution above the threshold, not just the threshold (**inframarginality**), it
can err both ways. The **threshold test** (Simoiu, Corbett-Davies and Goel) infers each
group's threshold from its search and hit rates under an assumed risk model; here, the
Beta family with a known concentration, solved exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import betainc, betaincinv, logit, ndtr

from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

GROUPS = ("Group A", "Group B")
ALL_RESIDENTS = "All residents"
SIGNAL_ONLY = "Signal only"
SIGNAL_AND_GROUP = "Signal and group"
POLICIES = (SIGNAL_ONLY, SIGNAL_AND_GROUP)

# --- Base rates ------------------------------------------------------------------------

BASE_RATE_PARAMS = ParamSet(
    Param("removable_share_a", "Removable residents in group A", 0.1, 0.0, 0.5, 0.01,
          "share of group A", ASSUMPTION, kind="teaching",
          note="A base rate of the abstract group A of a stylised Bayes illustration, not "
          "of any real population: the group in which most removable residents live. "
          "Groups as officers see them (by appearance, language or place) have no "
          "measured base rates, and the lesson holds for any values; the range runs from "
          "no removable residents to half the group, wide enough for any claim."),
    Param("removable_share_b", "Removable residents in group B", 0.01, 0.0, 0.5, 0.01,
          "share of group B", ASSUMPTION, kind="teaching",
          note="The base rate of the abstract group B (see group A): a tenth of group A's "
          "share by default. The same wide range as group A's, so the base rates can be "
          "equal, or reversed."),
    Param("signal_quality", "How well officers can tell (d)", 1.5, 0.0, 3.0, 0.1,
          "standard deviations", ASSUMPTION, kind="teaching",
          note="A knob of the stylised signal: 0, the signal says nothing; 3, it tells "
          "a removable person from a lawful one 98% of the time (the chance that a "
          "removable person's signal is the higher of the two)."),
    Param("questioned_share", "Residents questioned", 0.05, 0.01, 0.5, 0.01,
          "share of residents", ASSUMPTION, kind="policy",
          note="The budget: the same number of residents is questioned under both "
          "policies."),
    Param("group_a_share", "Residents in group A", 0.3, 0.05, 0.95, 0.05,
          "share of residents", ASSUMPTION, kind="teaching",
          note="The size of the abstract group A of the stylised illustration, not of a "
          "real group: a minority of the county's residents by default; the range covers "
          "groups from small minorities to large majorities."),
)

CUTOFF_BOUND = 40.0
"""Signal cut-offs searched, in standard deviations: beyond +-40 nobody (everybody) is
questioned, to double precision."""


MIN_FOUND = 1e-3
"""Removable people found per 1,000 residents below which a group's ratio of lawful
residents questioned per person found is not given (NaN): fewer than one in a million
residents is too few for the ratio to mean anything."""


def _cutoff_offsets(log_odds: np.ndarray, marginal: int, d: float) -> np.ndarray:
    """Each group's signal cut-off minus the ``marginal`` group's, for one posterior
    threshold: ``(logit(pi_m) - logit(pi_g)) / d``. At d = 0 (or a base rate of 0) the
    offsets are +-inf: a group with a higher base rate is questioned in full before the
    marginal group, a group with a lower one not at all. Equal base rates: offset 0."""
    same = log_odds == log_odds[marginal]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        offsets = (log_odds[marginal] - log_odds) / d
    return np.where(same, 0.0, offsets)


def questioning(values: dict, use_group: bool) -> dict[str, np.ndarray]:
    """Per group: questioned, removable found, lawful questioned, and the ratios.

    The cut-off(s) are set so that ``questioned_share`` of all residents are questioned,
    for every signal quality from 0 up (see the module docstring for d = 0). Counts are
    per 1,000 residents of the county; ratios are NaN where a group has nobody to divide
    by (fewer than ``MIN_FOUND`` found, or no lawful residents).
    """
    shares = np.array([values["removable_share_a"], values["removable_share_b"]], float)
    residents = 1000 * np.array([values["group_a_share"], 1 - values["group_a_share"]])
    d = float(values["signal_quality"])
    target = values["questioned_share"] * residents.sum()
    with np.errstate(divide="ignore"):
        log_odds = logit(shares)                          # -inf for a base rate of 0

    def counts(cutoff: float, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = cutoff + offsets
        found = residents * shares * ndtr(d - k)          # P(s >= k | removable)
        lawful = residents * (1 - shares) * ndtr(-k)      # P(s >= k | not removable)
        return found, lawful

    # The group whose cut-off is finite at the solution ("marginal"): under the group
    # policy, try the groups from the highest base rate down; the signal-only policy has
    # one cut-off for all.
    if use_group:
        candidates = [_cutoff_offsets(log_odds, m, d) for m in np.argsort(-log_odds)]
    else:
        candidates = [np.zeros(len(shares))]
    solution, closest = None, None
    for offsets in candidates:
        def excess(cutoff: float, offsets=offsets) -> float:
            return float(np.sum(counts(cutoff, offsets))) - target

        low, high = excess(-CUTOFF_BOUND), excess(CUTOFF_BOUND)
        if low >= 0 >= high:
            cutoff = (-CUTOFF_BOUND if low == 0 else CUTOFF_BOUND if high == 0
                      else brentq(excess, -CUTOFF_BOUND, CUTOFF_BOUND, xtol=1e-13))
            solution = (cutoff, offsets)
            break
        # Rounding can leave the budget a hair outside every bracket: keep the closest end.
        for cutoff, miss in ((-CUTOFF_BOUND, abs(low)), (CUTOFF_BOUND, abs(high))):
            if closest is None or miss < closest[2]:
                closest = (cutoff, offsets, miss)
    cutoff, offsets = solution or closest[:2]
    found, lawful = counts(cutoff, offsets)
    lawful_residents = residents * (1 - shares)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return {"questioned": found + lawful, "found": found, "lawful_questioned": lawful,
                "lawful_per_found": np.where(found >= MIN_FOUND, lawful / found, np.nan),
                "false_positive_rate": np.where(lawful_residents > 0,
                                                lawful / lawful_residents, np.nan)}


def with_all_residents(out: dict[str, np.ndarray], values: dict) -> dict[str, np.ndarray]:
    """``out`` of :func:`questioning` with a third entry per measure: all residents."""
    residents = 1000 * np.array([values["group_a_share"], 1 - values["group_a_share"]])
    shares = np.array([values["removable_share_a"], values["removable_share_b"]], float)
    found, lawful = out["found"].sum(), out["lawful_questioned"].sum()
    lawful_residents = float(np.sum(residents * (1 - shares)))
    total = {"questioned": out["questioned"].sum(), "found": found,
             "lawful_questioned": lawful,
             "lawful_per_found": lawful / found if found >= MIN_FOUND else np.nan,
             "false_positive_rate": lawful / lawful_residents if lawful_residents > 0
             else np.nan}
    return {name: np.append(out[name], total[name]) for name in out}


def simulate_base_rates(**values: float) -> pd.DataFrame:
    """Both policies side by side, per group and for all residents: what each policy
    finds (removable people per 1,000 residents) and what it costs (lawful residents
    questioned per person found; the chance a lawful resident is questioned)."""
    rows = []
    for policy in POLICIES:
        out = with_all_residents(questioning(values, policy == SIGNAL_AND_GROUP), values)
        rows.append(pd.DataFrame({
            SERIES: policy, "group": (*GROUPS, ALL_RESIDENTS),
            "found": out["found"],
            "lawful_per_found": out["lawful_per_found"],
            "false_positive_percent": 100 * out["false_positive_rate"],
        }))
    return pd.DataFrame(pd.concat(rows, ignore_index=True))


GROUP = Field("group", "Group")
BASE_RATE_MODEL = Model(
    name="suspicion_burden",
    title="Base rates and the burden of suspicion",
    chapter="book/06_profiling.ipynb",
    params=BASE_RATE_PARAMS,
    simulate=simulate_base_rates,
    views=(
        View(x=GROUP, y=Field("found", "Removable people found", "per 1,000",
                              format=",.1~f"),
             kind="bar", title="What each policy buys: removable people found",
             description="Bar chart, for group A, group B and all residents, of removable "
             "people found per 1,000 residents of the county, when officers use the signal "
             "only and when they also use group membership; both policies question the "
             "same number of residents."),
        View(x=GROUP, y=Field("lawful_per_found", "Lawful questioned per person found",
                              format=",.1~f"),
             kind="bar", title="What it costs: lawful residents questioned per person found",
             description="Bar chart, for group A, group B and all residents, of lawful "
             "residents and citizens questioned for each removable person found, under "
             "each policy; no bar where (almost) nobody in a group is found."),
        View(x=GROUP, y=Field("false_positive_percent", "Lawful residents questioned", "%",
                              format=",.1~f"),
             kind="bar", title="Who bears it: the chance a lawful resident is questioned",
             description="Bar chart, for group A, group B and all residents, of the "
             "percentage of lawful residents and citizens who are questioned, under each "
             "policy."),
    ),
    sliders=("removable_share_a", "removable_share_b", "signal_quality", "questioned_share"),
)


# --- Outcome and threshold tests --------------------------------------------------------

OUTCOME_PARAMS = ParamSet(
    Param("hidden_bias", "Hidden bias: how much lower group B's search threshold is", 0, 0,
          12, 1, "percentage points", ASSUMPTION, kind="teaching",
          note="Set by the reader; the tests must find it. 0: no bias."),
    Param("risk_mean_a", "Average risk, group A", 0.1, 0.01, 0.5, 0.01,
          "chance of carrying contraband", ASSUMPTION, kind="teaching",
          note="Illustrative, among stopped drivers: with the default threshold and "
          "spread, it gives a hit rate of about a third, of the order of those seen in "
          "traffic-stop data (22.5% to 34% "
          "{cite:p}`openpolicing2017,persico_todd2008`)."),
    Param("risk_mean_b", "Average risk, group B", 0.06, 0.01, 0.5, 0.01,
          "chance of carrying contraband", ASSUMPTION, kind="teaching",
          note="Illustrative: lower than group A's. Different risk distributions are "
          "what make outcome tests misleading."),
    Param("threshold_a", "Search threshold, group A", 0.2, 0.02, 0.6, 0.01,
          "chance of carrying contraband", ASSUMPTION, kind="teaching",
          note="Officers search when the chance is at least this."),
    Param("concentration", "Concentration of risk", 4.0, 1.0, 20.0, 0.5, "alpha + beta",
          ASSUMPTION, kind="teaching", note="Small: risk varies a lot between drivers."),
    Param("assumed_concentration", "Concentration the analyst assumes", 4.0, 1.0, 20.0, 0.5,
          "alpha + beta", ASSUMPTION, kind="teaching",
          note="The threshold test needs a risk model; a wrong one misleads it."),
)

MEASURES = ("Search rate", "Hit rate", "True threshold", "Threshold the test infers")
RISK_GRID = np.round(np.linspace(0.0, 0.6, 61), 4)


def search_and_hit_rates(mean: float, concentration: float, threshold: float
                         ) -> tuple[float, float]:
    """``P(p >= t)`` and ``E[p | p >= t]`` for p ~ Beta(m phi, (1 - m) phi)."""
    a, b = mean * concentration, (1 - mean) * concentration
    searched = 1.0 - betainc(a, b, threshold)
    above_mean = mean * (1.0 - betainc(a + 1, b, threshold))  # E[p 1{p >= t}]
    return float(searched), float(above_mean / searched) if searched > 0 else float("nan")


def infer_threshold(search_rate: float, hit_rate: float, concentration: float) -> float:
    """Threshold test, simple form: the (mean, threshold) that reproduce both rates.

    Assumes Beta risk with the given concentration. For a candidate mean m, the threshold
    that gives the observed search rate is ``t(m) = I^-1(1 - search_rate)`` (inverse
    regularised incomplete beta); the mean is then the one whose hit rate above ``t(m)``
    matches the observed hit rate. NaN if no mean reproduces both rates.
    """
    if not 0 < search_rate < 1 or not np.isfinite(hit_rate):
        return float("nan")

    def threshold_for(mean: np.ndarray) -> np.ndarray:
        return betaincinv(mean * concentration, (1 - mean) * concentration, 1 - search_rate)

    def hit_gap(mean: np.ndarray) -> np.ndarray:
        a, b = mean * concentration, (1 - mean) * concentration
        above_mean = mean * (1.0 - betainc(a + 1, b, threshold_for(mean)))
        return above_mean / search_rate - hit_rate

    means = np.linspace(1e-3, 0.999, 200)
    gaps = hit_gap(means)
    change = np.flatnonzero(np.sign(gaps[:-1]) * np.sign(gaps[1:]) < 0)
    if change.size == 0:
        return float("nan")
    low, high = means[change[0]], means[change[0] + 1]
    mean = brentq(lambda m: float(hit_gap(np.array(m))), low, high, xtol=1e-12)
    return float(threshold_for(np.array(mean)))


def outcome_tests(values: dict) -> dict[str, np.ndarray]:
    """Per group: true threshold, search rate, hit rate, inferred threshold."""
    means = np.array([values["risk_mean_a"], values["risk_mean_b"]])
    thresholds = np.array([values["threshold_a"],
                           max(values["threshold_a"] - values["hidden_bias"] / 100, 1e-3)])
    rates = [search_and_hit_rates(m, values["concentration"], t)
             for m, t in zip(means, thresholds, strict=True)]
    search, hit = (np.array(column) for column in zip(*rates, strict=True))
    inferred = np.array([infer_threshold(s, h, values["assumed_concentration"])
                         for s, h in zip(search, hit, strict=True)])
    return {"threshold": thresholds, "search_rate": search, "hit_rate": hit,
            "inferred_threshold": inferred, "risk_mean": means}


def share_at_least(mean: float, concentration: float) -> np.ndarray:
    """Share of stopped drivers whose risk is at least each value of :data:`RISK_GRID`."""
    return 1.0 - betainc(mean * concentration, (1 - mean) * concentration, RISK_GRID)


def simulate_outcome_tests(**values: float) -> pd.DataFrame:
    """Risk distributions with thresholds, and the four measures per group.

    The risk curve of a group is the share of its stopped drivers whose risk is at least
    x; where it meets the group's threshold line is the group's search rate.
    """
    out = outcome_tests(values)
    frames = [pd.DataFrame({SERIES: group, "risk": 100 * RISK_GRID,
                            "share_above": 100 * share_at_least(out["risk_mean"][g],
                                                                values["concentration"])})
              for g, group in enumerate(GROUPS)]
    frames += [pd.DataFrame({SERIES: f"{group} threshold",
                             "risk": [100 * out["threshold"][g]] * 2,
                             "share_above": [0.0, 100.0]})
               for g, group in enumerate(GROUPS)]
    frames += [pd.DataFrame({
        SERIES: group, "measure": MEASURES,
        "percent": 100 * np.array([out["search_rate"][g], out["hit_rate"][g],
                                   out["threshold"][g], out["inferred_threshold"][g]]),
    }) for g, group in enumerate(GROUPS)]
    return pd.DataFrame(pd.concat(frames, ignore_index=True))


OUTCOME_MODEL = Model(
    name="outcome_tests",
    title="Outcome and threshold tests",
    chapter="book/06_profiling.ipynb",
    params=OUTCOME_PARAMS,
    simulate=simulate_outcome_tests,
    views=(
        View(x=Field("risk", "Chance a stopped driver carries contraband", "%", format=".0f"),
             y=Field("share_above", "Drivers at least this risky", "%", format=".0f"),
             title="How risk is spread, and where each group's search threshold lies",
             description="Line chart, for groups A and B, of the percentage of stopped "
             "drivers whose chance of carrying contraband is at least each value, with a "
             "vertical line at each group's search threshold; where a curve meets its "
             "group's line is that group's search rate."),
        View(x=Field("measure", "Measure"), y=Field("percent", "Value", "%", format=",.1~f"),
             kind="bar", title="What the data show, and what the tests infer",
             description="Bar chart, for groups A and B, of search rate, hit rate, true "
             "search threshold and the threshold the threshold test infers."),
    ),
    sliders=("hidden_bias", "risk_mean_b", "threshold_a", "assumed_concentration"),
)

MODELS = (BASE_RATE_MODEL, OUTCOME_MODEL)
