"""Trafficking investigations: two programmes, two levers (task forces, civil cooperation).

Investigations of human trafficking in the reference county start from **tips** (victims
and witnesses who come forward) and need **investigators**. Two programmes of
cooperation with federal agencies are separate levers, each from 0 (none) to 1 (full):

* ``t``, participation in **joint criminal task forces** led by Homeland Security
  Investigations (HSI), such as the Border Enforcement Security Task Forces (BEST):
  federal agents join the county's cases and bring expertise;
* ``c``, **civil immigration cooperation**: 287(g) agreements and honouring detainers,
  which identify people for removal and, the evidence suggests, make immigrant victims
  and witnesses less willing to come forward.

The equations (per year):

    exposure(t, c) = 1 - (1 - c) * (1 - sigma * t)                      [0 to 1]
    tips(t, c)     = tips_0 * R(exposure) + leads * c                   [tips / year]
    R(e)           = 1 / (1 + k * e),   k = d / (1 - d)                 (trust.py)
    capacity(t)    = local_capacity + federal_capacity * t              [cases / year]
    cases(t, c)    = capacity * (1 - exp(-tips / capacity))             [cases / year]
    G(t)           = 1 + (M - 1) * (1 - exp(-t / s)) / (1 - exp(-1 / s))
    prosecutions   = cases * prosecution_share * G(t)                   [cases / year]

**Exposure** is what victims and witnesses fear: civil cooperation ``c`` in full, and
task-force work only through ``sigma`` (the spillover: HSI is part of ICE, and victims
may not tell its criminal agents from immigration enforcement). ``R`` is the long-run
chilling effect of :func:`coopmodels.trust.reporting_multiplier`: reporting falls by the
share ``d`` at full exposure. ``leads`` are tips that civil cooperation itself might bring
(people identified in jail who lead to a trafficking case); no study measures them, and
the default is none. ``cases`` is a smooth minimum of tips and capacity: it never exceeds
either and grows with both. The expertise gain ``G`` rises from 1 without task forces to
``M`` with full participation, most of it with the first joint work (``s`` sets how soon).

What the equations imply, before any number: with no spillover (``sigma = 0``) more
task-force work never lowers prosecutions; with no leads, more civil cooperation never
raises them. Whether moving both together (one dial) peaks in between depends on the
numbers; nothing here builds that answer in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopmodels import trust
from coopmodels.model import CURRENT, SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

LEVELS = np.round(np.linspace(0.0, 1.0, 21), 2)
"""Levels at which the explorer draws the curves (the sliders' own grids are coarser)."""

NO_CIVIL = "No civil immigration cooperation"
CIVIL_AS_SET = "Civil cooperation as set"
FULL_CIVIL = "Full civil immigration cooperation"
TIPS = "Tips from victims and witnesses"
CAPACITY = "Investigative capacity"
CASES = "Cases opened"

PARAMS = ParamSet(
    Param("task_force", "Joint criminal task forces (HSI-led, such as BEST)", 0.5, 0.0, 1.0,
          0.25, "0 = none, 1 = full", ASSUMPTION, kind="policy",
          note="A lever. 0: the county's investigators work trafficking cases alone; 1: "
          "they work them in a joint task force with federal agents. Halfway by default."),
    Param("civil_cooperation", "Civil immigration cooperation (287(g), detainers)", 0.5, 0.0,
          1.0, 0.25, "0 = none, 1 = full", ASSUMPTION, kind="policy",
          note="A lever. 0: no 287(g) agreement and no detainers honoured; 1: a 287(g) "
          "agreement and every detainer honoured. Halfway by default."),
    trust.REPORTING_DROP,
    Param("spillover", "Chilling effect of task-force work, relative to civil cooperation",
          0.25, 0.0, 1.0, 0.25, "0 = none, 1 = the same", ASSUMPTION, kind="empirical",
          note="No study measures it. HSI is part of ICE, so victims may fear its agents "
          "too (towards 1); its task forces investigate crimes, not immigration status, "
          "and victims who help can be protected (towards 0). A quarter by default."),
    Param("civil_leads", "Leads from civil immigration cooperation", 0, 0, 20, 1,
          "tips per year at full civil cooperation", ASSUMPTION, kind="empirical",
          note="Supporters argue that screening people in jail can turn up traffickers and "
          "smugglers; no study measures how many usable trafficking leads it brings, and "
          "no causal study links 287(g) or detainers to trafficking outcomes. None by "
          "default; the range lets a reader try the supporters' case."),
    Param("expertise_multiplier", "Prosecutions per case with full federal expertise",
          1.5, 1.0, 3.0, 0.1, "times the local rate", ASSUMPTION, kind="empirical",
          note="No study measures how much federal expertise raises prosecutions per "
          "case; 1.5 means half as many again. The range runs from no gain to three times."),
    Param("federal_capacity", "Extra investigative capacity with full task-force work", 5,
          0, 40, 1, "cases per year", "dhs_ccht2024, census2023", kind="empirical",
          figure=5.0,
          note="HSI opened 1,686 sex-trafficking and forced-labour investigations in FY2024 "
          "{cite:p}`dhs_ccht2024`: over 334.9 million residents {cite:p}`census2023`, "
          "1,686 / 334.9 = 5 a year per million residents, the federal effort a county "
          "of a million would see at the national average."),
    Param("tips_per_year", "Tips without cooperation", 35, 0, 200, 5, "tips per year",
          "polaris2020, census2023", kind="empirical", figure=34.3,
          note="The National Human Trafficking Hotline learned of 11,500 situations of "
          "human trafficking in 2019 {cite:p}`polaris2020`: over 334.9 million residents "
          "{cite:p}`census2023`, 11,500 / 334.9 = 34.3 a year per million residents, the "
          "national average for a county of a million. Hotline reports stand in for "
          "tips: some never reach the police, and many tips go to the police directly. "
          "The range runs from none to about six times the default."),
    Param("local_capacity", "Local investigative capacity", 10, 1, 40, 1,
          "cases per year", ASSUMPTION, kind="empirical",
          note="Illustrative: a small vice or trafficking unit. No source counts local "
          "trafficking investigations per county."),
    Param("prosecution_share", "Cases that lead to a prosecution (local alone)", 0.3,
          0.0, 1.0, 0.05, "share of cases", ASSUMPTION, kind="empirical",
          note="Illustrative; trafficking cases often need a victim's testimony. No "
          "source gives the share for local investigations."),
    Param("expertise_speed", "How soon expertise pays off", 0.3, 0.05, 2.0, 0.05,
          "task-force level", ASSUMPTION, kind="teaching",
          note="Smaller values: most of the gain comes from the first joint work "
          "(diminishing returns)."),
)


def _levels(name: str, values: float | np.ndarray) -> np.ndarray:
    """``values`` as a float array, or ``ValueError`` naming the lever, range and value."""
    levels = np.asarray(values, dtype=float)
    if np.isnan(levels).any() or (levels < 0).any() or (levels > 1).any():
        raise ValueError(f"{name} must be in {PARAMS[name].range_text()}; got {values!r}")
    return levels


def exposure(task_force: float | np.ndarray, civil_cooperation: float | np.ndarray,
             spillover: float) -> np.ndarray:
    """What victims fear, from 0 to 1: ``1 - (1 - c) * (1 - spillover * t)``.

    Civil cooperation counts in full, task-force work through ``spillover``; at ``c = 1``
    exposure is 1 whatever the task forces do.
    """
    t = _levels("task_force", task_force)
    c = _levels("civil_cooperation", civil_cooperation)
    sigma = float(PARAMS["spillover"].validate(spillover))
    return 1.0 - (1.0 - c) * (1.0 - sigma * t)


def expertise(task_force: float | np.ndarray, expertise_multiplier: float,
              expertise_speed: float) -> np.ndarray:
    """Prosecutions per case relative to local alone: 1 at t = 0, M at t = 1, concave."""
    gain = -np.expm1(-_levels("task_force", task_force) / expertise_speed)
    return 1.0 + (expertise_multiplier - 1.0) * gain / -np.expm1(-1.0 / expertise_speed)


def cases_opened(tips: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Smooth minimum of tips and capacity: ``capacity * (1 - exp(-tips / capacity))``."""
    tips, capacity = np.broadcast_arrays(np.asarray(tips, float), np.asarray(capacity, float))
    out = np.zeros(tips.shape)
    positive = capacity > 0
    with np.errstate(over="ignore"):  # tips / capacity -> inf: exp(-inf) = 0, cases = capacity
        out[positive] = -capacity[positive] * np.expm1(-tips[positive] / capacity[positive])
    return out


def production(task_force: float | np.ndarray, civil_cooperation: float | np.ndarray,
               values: dict, *, tips_react: bool = True,
               expertise_reacts: bool = True) -> dict[str, np.ndarray]:
    """Tips, capacity, cases and prosecutions per year at each pair of lever settings.

    ``task_force`` and ``civil_cooperation`` broadcast against each other (pass a column
    and a row for a whole grid). ``tips_react`` / ``expertise_reacts`` switch one effect
    off, to show the other alone.
    """
    t = _levels("task_force", task_force)
    c = _levels("civil_cooperation", civil_cooperation)
    t, c = np.broadcast_arrays(t, c)
    feared = exposure(t, c, values["spillover"])
    reporting = (trust.reporting_multiplier(feared, values["reporting_drop"])
                 if tips_react else np.ones_like(feared))
    tips = values["tips_per_year"] * reporting + values["civil_leads"] * c
    capacity = values["local_capacity"] + values["federal_capacity"] * t
    cases = cases_opened(tips, capacity)
    gain = (expertise(t, values["expertise_multiplier"], values["expertise_speed"])
            if expertise_reacts else np.ones_like(t))
    return {"tips": tips, "capacity": capacity, "cases": cases,
            "prosecutions": cases * values["prosecution_share"] * gain}


FINE = np.linspace(0.0, 1.0, 101)
"""Lever levels searched for the best setting (steps of 0.01)."""


def best_levels(values: dict) -> tuple[float, float, float]:
    """The pair (task forces, civil cooperation) with the most prosecutions, on a grid of
    steps of 0.01, and that number: ``(t, c, prosecutions)``."""
    grid = production(FINE[:, None], FINE[None, :], values)["prosecutions"]
    t, c = np.unravel_index(int(np.argmax(grid)), grid.shape)
    return float(FINE[t]), float(FINE[c]), float(grid[t, c])


def best_single_dial(values: dict) -> tuple[float, float]:
    """One dial moving both programmes together (``t = c = x``): the best ``x`` on a grid
    of steps of 0.01, and its prosecutions. This is how the first edition modelled
    cooperation."""
    prosecutions = production(FINE, FINE, values)["prosecutions"]
    best = int(np.argmax(prosecutions))
    return float(FINE[best]), float(prosecutions[best])


def simulate(**values: float) -> pd.DataFrame:
    """Curves for the explorer (see module docstring).

    Rows with ``task_force_level`` and ``prosecutions``: prosecutions as task-force work
    grows, with no, the current and full civil cooperation. Rows with ``civil_level`` and
    ``per_year``: tips, capacity and cases as civil cooperation grows, at the current
    task-force level. Each view marks the current setting (series ``CURRENT``).
    """
    t_now, c_now = values["task_force"], values["civil_cooperation"]
    n = len(LEVELS)
    by_task_force = production(LEVELS[None, :], np.array([[0.0], [c_now], [1.0]]), values)
    now = production(t_now, c_now, values)
    along_civil = production(t_now, LEVELS, values)
    gap = np.full(3 * n + 1, np.nan)
    return pd.DataFrame({
        SERIES: np.repeat([NO_CIVIL, CIVIL_AS_SET, FULL_CIVIL, CURRENT,
                           TIPS, CAPACITY, CASES, CURRENT], [n, n, n, 1, n, n, n, 1]),
        "task_force_level": np.concatenate([np.tile(LEVELS, 3), [t_now], gap]),
        "prosecutions": np.concatenate([by_task_force["prosecutions"].ravel(),
                                        [now["prosecutions"]], gap]),
        "civil_level": np.concatenate([gap, np.tile(LEVELS, 3), [c_now]]),
        "per_year": np.concatenate([gap, along_civil["tips"],
                                    np.broadcast_to(along_civil["capacity"], n),
                                    along_civil["cases"], [now["cases"]]]),
    })

MODEL = Model(
    name="investigations",
    title="Trafficking investigations: task forces and civil cooperation",
    chapter="book/03_transnational_crime.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=Field("task_force_level", "Joint criminal task forces", "0 = none, 1 = full",
                     format=".2f"),
             y=Field("prosecutions", "Prosecutions", "cases per year", format=",.1f"),
             title="Prosecutions as task-force work grows",
             description="Line chart of trafficking prosecutions per year against the "
             "level of participation in joint criminal task forces, with no civil "
             "immigration cooperation, with civil cooperation as set, and with full civil "
             "cooperation; a point marks the current setting."),
        View(x=Field("civil_level", "Civil immigration cooperation", "0 = none, 1 = full",
                     format=".2f"),
             y=Field("per_year", "Tips, capacity and cases", "per year", format=",.1f"),
             title="What limits investigations as civil cooperation grows",
             description="Line chart of tips from victims and witnesses, investigative "
             "capacity and cases opened per year against the level of civil immigration "
             "cooperation, at the current level of task-force work; a point marks the "
             "cases opened at the current setting."),
    ),
    sliders=("task_force", "civil_cooperation", "reporting_drop", "spillover"),
    max_scenarios=1_000,  # 5 x 5 x 5 coded levels x 7 chilling effects: a light page, a quick build
)
