"""Which uncertain assumptions matter most for the policy lab's outcomes.

Two methods:

* **One at a time** (a tornado chart): move each uncertain parameter from the low to the
  high end of its plausible range, others at their defaults, and record the outcome.
  Easy to read; blind to interactions.
* **Morris elementary effects** (SALib, a maintained library for global sensitivity
  analysis): many trajectories through the whole space of uncertain parameters, changing
  one parameter at a time; ``mu_star`` (mean absolute effect) ranks importance and
  ``sigma`` flags non-linearity and interactions.

Plausible ranges are narrower than the sliders' ranges: they are what the evidence (or,
where there is none, a generous reading of the assumption) allows, and each includes the
values the essay's supporters and its critics argue for. Each has its reason.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopmodels import capacity, policy, screening
from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet


@dataclass(frozen=True)
class Uncertain:
    """A parameter's plausible range, and why (``short`` labels a chart axis)."""

    name: str
    label: str
    low: float
    high: float
    why: str
    short: str = ""


def _from_cases(name: str, short: str) -> Uncertain:
    """A range from the screening chapter's weakest to its strongest incapacitation case."""
    weak, strong = (screening.INCAPACITATION_CASES[case][name]
                    for case in ("Weakest case", "Strongest case"))
    return Uncertain(name, screening.PARAMS[name].label, weak[0], strong[0],
                     f"From the screening chapter's weakest case ({weak[1]}) to its "
                     f"strongest ({strong[1]}).", short)


def _calls_at(busy_share: float) -> int:
    """Calls an hour that keep the county's officers busy ``busy_share`` of the time."""
    values = capacity.PARAMS.defaults()
    calls = capacity.calls_at_utilisation(busy_share, values["minutes_per_call"],
                                          values["officers_on_duty"])
    return int(5 * round(float(calls) / 5))


UNCERTAIN = (
    Uncertain("reporting_drop", "Drop in reporting at full cooperation", 0.0, 0.45,
              "From no chilling effect at all, which is what the essay's supporters read in "
              "the studies that find no change in reported crime, to the 44% of Latinos who "
              "said they would be less likely to call the police (stated intentions); the "
              "strongest causal estimate, a 30% fall, lies between.", "Reporting drop"),
    Uncertain("elasticity", "Elasticity of offending to reporting", 0.0, 1.0,
              "From no effect of reporting on offending to above Gonçalves et al.'s 0.79.",
              "Elasticity"),
    _from_cases("honour_rate", "Custody share"),
    _from_cases("removal_rate", "Removal share"),
    _from_cases("offences_violent_felony", "Violent-felony rate"),
    _from_cases("offences_other_felony", "Other-felony rate"),
    _from_cases("offences_misdemeanour", "Misdemeanour rate"),
    _from_cases("years_in_county", "Years of stay"),
    Uncertain("removable_share", "Removable noncitizens among bookings", 0.02, 0.1,
              "No national figure; around the 6.4% noncitizen share of prisoners (2005).",
              "Removable share"),
    Uncertain("match_probability", "Fingerprint match rate", 0.5, 1.0,
              "Not published; from half of removable people matched to all of them.",
              "Match rate"),
    Uncertain("calls_per_hour", "Calls for service", _calls_at(0.2), _calls_at(0.95),
              "No national benchmark: from a department busy a fifth of the time to one "
              "busy 95% of the time before cooperation (the police-capacity chapter).",
              "Calls per hour"),
    Uncertain("hours_per_detainer", "Officer time per detainer", 1, 6,
              "Not published; from an hour of paperwork to most of a shift.",
              "Hours per detainer"),
    Uncertain("completions_per_judge", "Completions per judge", 560, 960,
              "FY2015 and FY2024 productivity.", "Judge productivity"),
    Uncertain("baseline_receipts", "New court cases per year (baseline)", 700_000, 1_800_000,
              "From about FY2022's level, closer to FY2025's far lower receipts, to FY2024's "
              "1.8 million (the court-backlog chapter's scenarios).", "Court receipts"),
    Uncertain("initial_judges", "Judges at start", 600, 734,
              "From a corps about a fifth smaller after the 2025 dismissals and departures to "
              "the last confirmed count, 734 (the court-backlog chapter's scenarios).",
              "Judges"),
    Uncertain("firewall_effect", "Chilling effect removed by a firewall", 0.2, 0.8,
              "Not measured; from a little to most of it.", "Firewall effect"),
    Uncertain("warrant_share", "Detainers a judge would sign", 0.1, 0.6,
              "Not published; from few to most detainers.", "Warrant share"),
)
"""Plausible ranges of the uncertain assumptions, each wide enough for what each side
argues, with its reason (shown in the safeguards lab)."""


def _outcome(task: tuple[dict, dict, str]) -> float:
    design, overrides, key = task
    return float(policy.evaluate(design, policy.Settings.defaults(overrides))[key])


def _run(tasks: list, executor: Executor | None) -> np.ndarray:
    if executor is None:
        return np.array([_outcome(task) for task in tasks])
    return np.array(list(policy.as_executor(executor).map(_outcome, tasks)))


def one_at_a_time(key: str, design: Mapping[str, object],
                  uncertain: tuple[Uncertain, ...] = UNCERTAIN,
                  executor: Executor | None = None) -> pd.DataFrame:
    """Outcome ``key`` of ``design`` with each parameter at the low and high end."""
    design = dict(design)
    tasks = [(design, {}, key)]
    for u in uncertain:
        tasks += [(design, {u.name: u.low}, key), (design, {u.name: u.high}, key)]
    values = _run(tasks, executor)
    baseline, ends = values[0], values[1:].reshape(-1, 2)
    return pd.DataFrame({"parameter": [u.label for u in uncertain], "name": [u.name for u in
                                                                            uncertain],
                         "low": ends[:, 0], "high": ends[:, 1], "baseline": baseline})


def morris(keys: tuple[str, ...], design: Mapping[str, object],
           uncertain: tuple[Uncertain, ...] = UNCERTAIN, trajectories: int = 20,
           seed: int = 0, executor: Executor | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Morris screening of outcomes ``keys`` for ``design``.

    Returns (``indices``: one row per outcome and parameter with ``mu_star`` and
    ``sigma``, in the outcome's units; ``samples``: the sampled parameters and outcomes).
    """
    from SALib.analyze import morris as analyse
    from SALib.sample import morris as sample

    problem = {"num_vars": len(uncertain), "names": [u.name for u in uncertain],
               "bounds": [[u.low, u.high] for u in uncertain]}
    points = sample.sample(problem, trajectories, num_levels=4, seed=seed)
    integer = {u.name for u in uncertain if isinstance(u.low, int) and isinstance(u.high, int)}
    overrides = [{name: (round(v) if name in integer else float(v))
                  for name, v in zip(problem["names"], row, strict=True)} for row in points]
    design = dict(design)
    table = policy.sweep([design] * len(overrides), overrides, executor=executor)
    rows = []
    for key in keys:
        result = analyse.analyze(problem, points, table[key].to_numpy(float), seed=seed)
        rows += [{"outcome": key, "parameter": u.label, "name": u.name,
                  "mu_star": result["mu_star"][i], "sigma": result["sigma"][i]}
                 for i, u in enumerate(uncertain)]
    samples = pd.concat([pd.DataFrame(overrides), table[list(keys)]], axis=1)
    return pd.DataFrame(rows), samples


def share_holding(samples: pd.DataFrame, condition: pd.Series) -> float:
    """Share of sampled parameter sets for which a conclusion (boolean per row) holds."""
    return float(np.asarray(condition, bool).mean()) if len(samples) else float("nan")


CONCLUSIONS = {
    "victimisation": "It raises victimisation in the immigrant community",
    "averted": "It averts more than 50 violent offences a year",
    "waits": "It adds more than 5 points to the share of calls waiting over 10 minutes",
    "court": "It adds more than 6 months to a new court case's wait",
}
"""Conclusions about full cooperation that the book tests across plausible assumptions."""

MORRIS_OUTCOMES = ("victimisation_index", "offences_averted", "long_waits", "court_extra_wait")
"""Outcomes of full cooperation that the book's Morris screening ranks assumptions for."""


def conclusions_holding(samples: pd.DataFrame, no_cooperation: Mapping[str, float]
                        ) -> dict[str, float]:
    """Percentage of Morris samples in which each of :data:`CONCLUSIONS` holds.

    ``samples`` has the outcomes of full cooperation per sample (:func:`morris`);
    ``no_cooperation`` is the lab's result without cooperation (the baseline for waits).
    """
    checks = {
        "victimisation": samples["victimisation_index"] > 100,
        "averted": samples["offences_averted"] > 50,
        "waits": samples["long_waits"] > no_cooperation["long_waits"] + 5,
        "court": samples["court_extra_wait"] > 6,
    }
    return {key: 100 * share_holding(samples, holds) for key, holds in checks.items()}


def most_important(indices: pd.DataFrame) -> pd.Series:
    """For each outcome of a Morris table, the label of the assumption with the largest
    mean effect (``mu_star``)."""
    ranked = indices.sort_values(["outcome", "mu_star"], ascending=[True, False])
    return ranked.groupby("outcome").head(1).set_index("outcome")["parameter"]


# --- The sensitivity explorer ---------------------------------------------------------------

SHOWN_OUTCOMES = ("victimisation_index", "offences_averted", "long_waits", "court_extra_wait")
LOW_END, HIGH_END = "Low end of the range", "High end of the range"

PARAMS = ParamSet(
    Param("outcome", "Outcome shown", 1, 1, 4, 1,
          "1 = victimisation, 2 = offences averted, 3 = long police waits, 4 = court wait",
          ASSUMPTION,
          note="Which outcome of the design the chart shows.", integer=True, kind="display"),
    policy.LEVERS["scope"],
    policy.LEVERS["task_force"],
)


@functools.lru_cache(maxsize=64)
def _design_sensitivity(scope: int, task_force: int) -> pd.DataFrame:
    """One-at-a-time results for every shown outcome of a design (cached per design)."""
    design = policy.LEVERS.defaults() | {"scope": scope, "task_force": task_force}
    tasks = [(design, {}), *((design, {u.name: end}) for u in UNCERTAIN
                              for end in (u.low, u.high))]
    results = [policy.evaluate(d, policy.Settings.defaults(o)) for d, o in tasks]
    rows = []
    for key in SHOWN_OUTCOMES:
        baseline = results[0][key]
        for i, u in enumerate(UNCERTAIN):
            low, high = results[1 + 2 * i][key], results[2 + 2 * i][key]
            rows += [{"outcome": key, SERIES: LOW_END, "parameter": u.short,
                      "change": low - baseline},
                     {"outcome": key, SERIES: HIGH_END, "parameter": u.short,
                      "change": high - baseline}]
    return pd.DataFrame(rows)


def simulate(outcome: int, scope: int, task_force: int) -> pd.DataFrame:
    """How far each assumption's plausible range moves the chosen outcome of a design."""
    table = _design_sensitivity(scope, task_force)
    return table[table["outcome"] == SHOWN_OUTCOMES[outcome - 1]].reset_index(drop=True)


MODEL = Model(
    name="sensitivity",
    title="Sensitivity of the lab's outcomes",
    chapter="book/08_safeguards_lab.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(View(x=Field("parameter", "Uncertain assumption"),
                y=Field("change", "Change from default", "outcome units", format=",.1f"),
                kind="bar", title="How much each assumption can move the outcome",
                description="Bar chart: for each uncertain assumption, the change in the "
                "chosen outcome of the chosen design when the assumption is set to the low "
                "and to the high end of its plausible range, others at their defaults."),),
    sliders=("outcome", "scope", "task_force"),
)
