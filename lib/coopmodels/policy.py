"""The policy lab: every chapter's model linked on the reference county.

A *design* is a setting of the essay's safeguards (levers). :func:`evaluate` runs the
chapter models on it, passing each one's output to the next, and returns the outcomes
side by side. Nothing is re-implemented here: each number comes from its chapter's module.

    screening (Ch. 2)  removals, precision, offences averted, detainers, court cases
        -> trust (Ch. 4)      enforcement seen in the community = transfers relative to
                              full cooperation; long-run trust, reporting, victimisation
        -> capacity (Ch. 5)   detainer and task-force hours -> calls waiting; jail costs
        -> profiling (Ch. 6)  field arrests x lawful residents questioned per person found
        -> backlog (Ch. 7)    court cases x the nation -> extra wait for a new case

Levers: the scope of referrals; judicial warrants (the jail holds only the detainers a judge
signs); a firewall for victims and witnesses (it weakens the chilling effect); outreach; a
287(g) task force (officers and field arrests: the division of responsibilities);
guidelines that forbid using group membership in field questioning; ICE's reimbursement of
task-force officers' pay; and backfilling the officers' hours. The county's cost counts
jail days net of federal payments, task-force pay net of ICE's reimbursement, and backfill.

:func:`sweep` evaluates many designs (or parameter samples) with any
``concurrent.futures.Executor``: local processes by default, or a Dask cluster.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from coopmodels import backlog, capacity, profiling, screening, trust
from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

LEVERS = ParamSet(
    Param("cooperation", "Cooperation with ICE", 1, 0, 1, 1, "0 = off, 1 = on", ASSUMPTION,
          kind="policy",
          note="Off: the jail holds no one for ICE and no officer works on immigration; the "
          "baseline every outcome is measured from.", integer=True),
    screening.PARAMS["scope"],
    Param("judicial_warrants", "Hold only with a judicial warrant", 0, 0, 1, 1,
          "0 = no, 1 = yes", ASSUMPTION, kind="policy",
          note="One part of due process: the jail holds a person for ICE only when a judge "
          "has signed a warrant. A detainer alone is a request, which a jail has no legal "
          "obligation to honour.", integer=True),
    Param("victim_firewall", "Firewall for victims and witnesses", 0, 0, 1, 1,
          "0 = no, 1 = yes", ASSUMPTION, kind="policy",
          note="Victims' and witnesses' contacts with police never reach immigration "
          "enforcement.", integer=True),
    trust.PARAMS["outreach"],
    Param("task_force", "287(g) task force (field enforcement)", 1, 0, 1, 1,
          "0 = no, 1 = yes", ASSUMPTION, kind="policy",
          note="Division of responsibilities: immigration work stays in the jail (0), or "
          "local officers also make immigration arrests in the field (1).", integer=True),
    Param("group_guidelines", "Guidelines forbid using group membership", 0, 0, 1, 1,
          "0 = no, 1 = yes", ASSUMPTION, kind="policy",
          note="Clear guidelines: field questioning may use individual signals only.",
          integer=True),
    capacity.PARAMS["officer_reimbursed_share"],
    capacity.PARAMS["backfill_share"],
)
"""The rules a design sets; defaults are every lever at its most enforcement, no rules."""

ASSUMPTIONS = ParamSet(
    Param("warrant_share", "Detainers a judge would sign", 0.3, 0.0, 1.0, 0.05,
          "share of detainers", ASSUMPTION, kind="empirical",
          note="Not published. A judge signs a warrant only on probable cause; the range "
          "runs from few detainers to most of them."),
    Param("firewall_effect", "Chilling effect removed by a firewall", 0.5, 0.0, 1.0, 0.05,
          "share of the reporting drop", ASSUMPTION, kind="empirical",
          note="Not measured. Fear also comes from enforcement seen in the community, so a "
          "firewall cannot remove all of it; the range runs from little to most."),
    Param("task_force_arrests", "Field arrests with a task force", 400, 0, 1_000, 50,
          "arrests per year", ASSUMPTION, kind="policy",
          note="How much field work a task force does: a choice of the county and ICE "
          "(the range of the screening chapter's slider)."),
    Param("task_force_officers", "Officers on duty with a task force", 4, 0, 20, 1,
          "officers", ASSUMPTION, kind="policy",
          note="The size of the task force, a choice (the police-capacity chapter's "
          "default).", integer=True),
)
"""Assumptions the lab adds to link the chapters (each a documented lever effect)."""


class Outcome(NamedTuple):
    """A headline outcome of the lab: how it reads, and which way is better.

    ``direction`` is +1 if more is better, -1 if less is better and 0 if neither (reported
    crime can fall because less crime happens or because less is reported). ``format``
    (a format spec that Python and d3 read alike) and ``scale`` (values are divided by it)
    are for display only.
    """

    label: str
    unit: str
    direction: int
    format: str = ".1f"
    scale: float = 1.0


OUTCOMES = {
    "priority_removals": Outcome("Priority removals", "felony removals per year", +1, ",.0f"),
    "offences_averted": Outcome("Violent offences averted", "per year", +1, ",.0f"),
    "victimisation_index": Outcome("Victimisation in the immigrant community",
                                   "index, no cooperation = 100", -1),
    "reported_index": Outcome("Crime reported to police", "index, no cooperation = 100", 0),
    "long_waits": Outcome("Calls waiting over 10 minutes", "% of calls", -1),
    "profiling_burden": Outcome("Lawful group A residents questioned", "per year", -1, ",.0f"),
    "court_extra_wait": Outcome("Extra wait in immigration court", "months by FY2034", -1),
    "local_cost": Outcome("Cost to the county", "thousand dollars per year", -1, ",.0f", 1e3),
}
"""Outcome key (a key of :func:`evaluate`'s result) -> :class:`Outcome`."""


def outcome_table(results: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """Designs' outcomes as text, one row per outcome ("label (unit)"), one column per design.

    ``results`` maps a design's name to :func:`evaluate`'s output. Values are rounded as
    their outcome's format says, so a table never shows more precision than it needs.
    """
    rows = {f"{out.label} ({out.unit})": [format(result[key] / out.scale + 0.0, out.format)
                                          for result in results.values()]
            for key, out in OUTCOMES.items()}  # + 0.0 turns -0.0 into 0.0
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(results))


@dataclass(frozen=True)
class Settings:
    """Every chapter's parameters, at their defaults unless overridden."""

    screening: dict
    trust: dict
    capacity: dict
    profiling: dict
    backlog: dict
    lab: dict

    @classmethod
    def defaults(cls, overrides: Mapping[str, object] | None = None) -> Settings:
        """Defaults everywhere, with ``overrides`` applied to every module that has them."""
        overrides = dict(overrides or {})
        sets = {"screening": screening.PARAMS, "trust": trust.PARAMS,
                "capacity": capacity.PARAMS, "profiling": profiling.BASE_RATE_PARAMS,
                "backlog": backlog.PARAMS, "lab": ASSUMPTIONS}
        known = set().union(*sets.values()) | set(LEVERS)
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown parameter(s) {', '.join(unknown)}")
        return cls(**{name: params.validate({k: v for k, v in overrides.items()
                                              if k in params})
                      for name, params in sets.items()})


def screening_values(design: dict, settings: Settings) -> dict:
    """The screening model's inputs under a design.

    With judicial warrants the jail holds only the detainers a judge signs, so the share
    of detainers that end in ICE custody is ``honour_rate * warrant_share``.
    """
    lab = settings.lab
    on = design["cooperation"] == 1
    honour = settings.screening["honour_rate"] * (
        lab["warrant_share"] if design["judicial_warrants"] else 1.0)
    return settings.screening | {
        "scope": design["scope"],
        "honour_rate": honour if on else 0.0,
        "task_force_arrests": lab["task_force_arrests"] if on and design["task_force"] else 0,
    }


def full_cooperation(settings: Settings) -> dict:
    """The design with the most enforcement: every class referred, a task force, none of
    the rules that limit it (the reimbursement and backfill levers at their defaults)."""
    return LEVERS.defaults() | {"cooperation": 1, "scope": 4, "task_force": 1,
                                "judicial_warrants": 0, "victim_firewall": 0,
                                "outreach": 0.0, "group_guidelines": 0}


def transfers(values: dict) -> float:
    """People handed to ICE in a year (jail transfers plus field arrests)."""
    found = screening.screen(values)
    return float(found["transfers"].sum() + found["task_force"].sum())


def long_run_community(design: dict, settings: Settings, exposure: float) -> dict:
    """Long-run trust, reporting and victimisation at a constant level of enforcement."""
    drop = settings.trust["reporting_drop"] * (
        1 - settings.lab["firewall_effect"] * design["victim_firewall"])
    values = settings.trust | {"outreach": design["outreach"], "reporting_drop": drop}
    community = trust.Community.from_values(values)
    level = community.target_trust(community.sensitivity, exposure)
    reporting = float(community.shares @ community.reporting(level))
    victimisation = community.victimisation(reporting)
    return {"reporting": reporting, "victimisation": victimisation,
            "v0": community.monthly_victimisation, "r0": community.baseline_reporting}


def evaluate(design: Mapping[str, object], settings: Settings | None = None) -> dict:
    """All outcomes of one design (see ``OUTCOMES``), plus intermediate counts."""
    settings = settings or Settings.defaults()
    design = LEVERS.validate(design)
    values = screening_values(design, settings)
    found = screening.screen(values)
    full = transfers(screening_values(full_cooperation(settings), settings))
    exposure = transfers(values) / full if full > 0 else 0.0
    community = long_run_community(design, settings, exposure)

    held = float(found["transfers"].sum())  # detainers honoured: people held for ICE
    officers = (settings.lab["task_force_officers"]
                if design["cooperation"] and design["task_force"] else 0)
    cap = settings.capacity
    hours = capacity.diverted_hours_per_day(held / 365, cap["hours_per_detainer"], officers,
                                            backfill_share=design["backfill_share"])
    wait = capacity.queue(cap["calls_per_hour"], cap["minutes_per_call"],
                          cap["officers_on_duty"],
                          capacity.diverted_share(hours, cap["officers_on_duty"]))
    jail = capacity.detainer_costs(held, cap["extra_days_per_detainer"],
                                   cap["jail_cost_per_day"], cap["reimbursed_share"])
    pay = capacity.task_force_costs(officers, cap["relief_factor"], cap["officer_cost_per_year"],
                                    design["officer_reimbursed_share"], design["backfill_share"])

    questioning = profiling.questioning(settings.profiling,
                                        use_group=not design["group_guidelines"])
    per_found_a = float(questioning["lawful_questioned"][0] / questioning["found"].sum())
    court = backlog.summarise(backlog.simulate_with_cooperation(
        settings.backlog, backlog.national_cases(float(found["court_cases"]),
                                                 settings.backlog[
                                                     "cooperating_population_percent"])))
    return {
        "priority_removals": float(found["all_removals"][screening.PRIORITY].sum()),
        "offences_averted": float(found["crimes_averted"]),
        "victimisation_index": 100 * community["victimisation"] / community["v0"],
        "reported_index": 100 * community["victimisation"] * community["reporting"]
        / (community["v0"] * community["r0"]),
        "long_waits": 100 * float(wait["p_long_wait"]),
        "profiling_burden": float(found["task_force"].sum()) * per_found_a,
        "court_extra_wait": court["extra_wait_months"],
        "local_cost": jail["net"] + pay["pay_net"] + pay["backfill"],
        "exposure": exposure, "held_on_detainers": held, "diverted_hours": hours,
    }


def _evaluate_task(task: tuple[dict, dict]) -> dict:
    design, overrides = task
    return evaluate(design, Settings.defaults(overrides))


def as_executor(executor: object) -> Executor:
    """An ``Executor`` from what the caller passed; a Dask ``Client`` is converted."""
    get_executor = getattr(executor, "get_executor", None)
    return get_executor() if callable(get_executor) else executor


def sweep(designs: Sequence[Mapping[str, object]],
          overrides: Sequence[Mapping[str, object]] | None = None,
          executor: Executor | None = None, chunksize: int = 8) -> pd.DataFrame:
    """Evaluate many designs (each with its own parameter overrides) in parallel.

    ``executor`` is any ``concurrent.futures.Executor`` (default: a local process pool);
    a Dask ``distributed.Client`` works unchanged, so the same sweep runs on a cluster.
    Returns one row per design: its levers and its outcomes, in order.
    """
    overrides = overrides if overrides is not None else [{}] * len(designs)
    tasks = [(dict(d), dict(o)) for d, o in zip(designs, overrides, strict=True)]
    if executor is None:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            results = list(pool.map(_evaluate_task, tasks, chunksize=chunksize))
    else:
        results = list(as_executor(executor).map(_evaluate_task, tasks))
    return pd.DataFrame([LEVERS.validate(d) | r for (d, _), r in zip(tasks, results,
                                                                     strict=True)])


def design_grid(**choices: Iterable) -> list[dict]:
    """Every combination of the given lever values (others at their defaults)."""
    from itertools import product

    names = list(choices)
    return [LEVERS.defaults() | dict(zip(names, combo, strict=True))
            for combo in product(*(list(choices[n]) for n in names))]


def pareto_front(table: pd.DataFrame, objectives: Mapping[str, int]) -> np.ndarray:
    """True for rows no other row beats: at least as good on every objective and better
    on one. ``objectives`` maps a column to +1 (more is better) or -1 (less is better)."""
    scores = np.column_stack([table[c].to_numpy(float) * s for c, s in objectives.items()])
    scores = np.round(scores, 9)
    beaten = np.zeros(len(table), dtype=bool)
    for i, row in enumerate(scores):
        at_least = (scores >= row).all(axis=1)
        better = (scores > row).any(axis=1)
        beaten[i] = (at_least & better).any()
    return ~beaten


# --- The lab's explorer -------------------------------------------------------------------

SHOWN = {"priority_removals": "Priority removals", "offences_averted": "Offences averted",
         "victimisation_index": "Victimisation", "long_waits": "Long police waits",
         "profiling_burden": "Lawful questioned", "court_extra_wait": "Court wait",
         "local_cost": "Jail cost"}
"""Outcomes the lab's explorer draws, with short labels that fit under a bar."""


@functools.lru_cache(maxsize=1)
def _reference_designs() -> tuple[dict, dict]:
    """Outcomes with no cooperation and with full cooperation, at default settings."""
    settings = Settings.defaults()
    return (evaluate(LEVERS.defaults() | {"cooperation": 0}, settings),
            evaluate(full_cooperation(settings), settings))


def effect_shares(design: Mapping[str, object], settings: Settings | None = None
                  ) -> dict[str, float]:
    """Each outcome's change from no cooperation, as a % of full cooperation's change."""
    if settings is None:
        settings = Settings.defaults()
        off, full = _reference_designs()
    else:
        off = evaluate(LEVERS.defaults() | {"cooperation": 0}, settings)
        full = evaluate(full_cooperation(settings), settings)
    now = evaluate(design, settings)
    return {key: 100 * (now[key] - off[key]) / (full[key] - off[key])
            if full[key] != off[key] else 0.0 for key in SHOWN}


def simulate(**levers: float) -> pd.DataFrame:
    """One bar per outcome: this design's effect as a % of full cooperation's."""
    shares = effect_shares(levers)
    return pd.DataFrame({SERIES: "This design", "outcome": list(SHOWN.values()),
                         "effect_percent": [shares[k] for k in SHOWN]})


MODEL = Model(
    name="safeguards_lab",
    title="Safeguards lab",
    chapter="book/08_safeguards_lab.ipynb",
    params=LEVERS,
    simulate=simulate,
    views=(View(x=Field("outcome", "Outcome", better={
                    SHOWN[key]: "higher" if OUTCOMES[key].direction > 0 else "lower"
                    for key in SHOWN if OUTCOMES[key].direction}),
                y=Field("effect_percent", "Share of full effect", "%", format=".0f",
                        domain=(0, 100)),
                kind="bar", title="What this design changes, compared with full cooperation",
                description="Bar chart of seven outcomes of the chosen design, each as a "
                "percentage of the change full cooperation makes from no cooperation: 100 "
                "means the same effect as full cooperation, 0 the same as none."),),
    sliders=("scope", "judicial_warrants", "victim_firewall", "outreach", "task_force",
             "group_guidelines"),
)


def outcome_field(key: str) -> Field:
    """Axis field for an outcome column of a sweep table, saying which way is better."""
    out = OUTCOMES[key]
    better = {1: "higher", -1: "lower"}.get(out.direction)
    return Field(key, out.label, out.unit, scale=out.scale, format=out.format, better=better)


def objectives() -> dict[str, int]:
    """Outcomes with a direction, for :func:`pareto_front`."""
    return {key: out.direction for key, out in OUTCOMES.items() if out.direction}
