"""Joint investigations of trafficking and smuggling: expertise against lost tips.

Investigations in the reference county start from tips (victims and witnesses who come
forward) and need investigators. At cooperation level c in [0, 1] (0: local police
alone; 1: full joint work with federal agents and full immigration cooperation):

    tips(c)        = tips_per_year * reporting_multiplier(c)             [tips / year]
    capacity(c)    = local_capacity + federal_capacity * c                [cases / year]
    cases(c)       = capacity * (1 - exp(-tips / capacity))               [cases / year]
    multiplier(c)  = 1 + (M - 1) * (1 - exp(-c / s)) / (1 - exp(-1 / s))
    prosecutions(c) = cases * prosecution_share * multiplier(c)           [cases / year]

``cases`` is a smooth minimum of tips and capacity: it never exceeds either, and grows
with both. The expertise multiplier rises from 1 at c = 0 to M at c = 1, quickly at
first (diminishing returns; ``s`` sets how quickly). The reporting multiplier comes from
:mod:`coopmodels.trust`: the same cooperation that brings expertise may make victims and
witnesses less willing to come forward. Whether prosecutions peak at an intermediate level
of cooperation depends on the parameters; nothing here builds that answer in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopmodels import trust
from coopmodels.model import CURRENT, SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

COOPERATION_LEVELS = np.round(np.linspace(0.0, 1.0, 21), 2)
"""Levels at which the explorer draws the curves (the slider's own grid is coarser)."""

BOTH = "Both effects"
EXPERTISE_ONLY = "Expertise only (tips unchanged)"
TIPS_ONLY = "Lost tips only (no expertise)"
TIPS = "Tips from victims and witnesses"
CAPACITY = "Investigative capacity"

PARAMS = ParamSet(
    Param("cooperation", "Cooperation level", 0.5, 0.0, 1.0, 0.05,
          "0 = none, 1 = full", ASSUMPTION,
          note="Halfway: some joint task-force work and some immigration cooperation."),
    trust.REPORTING_DROP,
    Param("expertise_multiplier", "Prosecutions per case with full federal expertise",
          1.5, 1.0, 3.0, 0.1, "times the local rate", ASSUMPTION,
          note="No study measures how much federal expertise raises prosecutions per "
          "case; 1.5 means half as many again."),
    Param("federal_capacity", "Extra investigative capacity at full cooperation", 10, 0,
          40, 2, "cases per year", ASSUMPTION,
          note="Federal agents joining a task force; for scale, HSI's task forces (BEST) "
          "work with more than 100 partner agencies {cite:p}`ice_best`."),
    Param("tips_per_year", "Tips without cooperation", 40, 0, 200, 5, "tips per year",
          ASSUMPTION,
          note="Illustrative, for a county of a million; HSI opened 1,686 trafficking "
          "investigations nationwide in FY2024 {cite:p}`dhs_ccht2024`."),
    Param("local_capacity", "Local investigative capacity", 10, 1, 40, 1, "cases per year",
          ASSUMPTION, note="Illustrative: a small vice or trafficking unit."),
    Param("prosecution_share", "Cases that lead to a prosecution (local alone)", 0.3,
          0.0, 1.0, 0.05, "share of cases", ASSUMPTION,
          note="Illustrative; trafficking cases often need a victim's testimony."),
    Param("expertise_speed", "How soon expertise pays off", 0.3, 0.05, 2.0, 0.05,
          "cooperation level", ASSUMPTION,
          note="Smaller values: most of the gain comes from the first joint work "
          "(diminishing returns)."),
)


def expertise(cooperation: np.ndarray, expertise_multiplier: float,
              expertise_speed: float) -> np.ndarray:
    """Prosecutions per case relative to local alone: 1 at c = 0, M at c = 1, concave."""
    gain = -np.expm1(-np.asarray(cooperation, float) / expertise_speed)
    return 1.0 + (expertise_multiplier - 1.0) * gain / -np.expm1(-1.0 / expertise_speed)


def cases_opened(tips: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Smooth minimum of tips and capacity: ``capacity * (1 - exp(-tips / capacity))``."""
    tips, capacity = np.broadcast_arrays(np.asarray(tips, float), np.asarray(capacity, float))
    out = np.zeros(tips.shape)
    positive = capacity > 0
    with np.errstate(over="ignore"):  # tips / capacity -> inf: exp(-inf) = 0, cases = capacity
        out[positive] = -capacity[positive] * np.expm1(-tips[positive] / capacity[positive])
    return out


def production(cooperation: np.ndarray, values: dict, *, tips_react: bool = True,
               expertise_reacts: bool = True) -> dict[str, np.ndarray]:
    """Tips, capacity, cases and prosecutions per year at each cooperation level.

    ``tips_react`` / ``expertise_reacts`` switch one effect off, to show each alone.
    """
    cooperation = np.asarray(cooperation, float)
    reporting = (trust.reporting_multiplier(cooperation, values["reporting_drop"])
                 if tips_react else np.ones_like(cooperation))
    tips = values["tips_per_year"] * reporting
    capacity = values["local_capacity"] + values["federal_capacity"] * cooperation
    cases = cases_opened(tips, capacity)
    gain = (expertise(cooperation, values["expertise_multiplier"], values["expertise_speed"])
            if expertise_reacts else np.ones_like(cooperation))
    return {"tips": tips, "capacity": capacity, "cases": cases,
            "prosecutions": cases * values["prosecution_share"] * gain}


def best_cooperation(values: dict) -> tuple[float, float]:
    """Cooperation level (on a fine grid) with the most prosecutions, and that number."""
    levels = np.linspace(0.0, 1.0, 1001)
    prosecutions = production(levels, values)["prosecutions"]
    best = int(np.argmax(prosecutions))
    return float(levels[best]), float(prosecutions[best])


def simulate(**values: float) -> pd.DataFrame:
    """Curves over the cooperation level for the explorer (see module docstring).

    Rows have ``cooperation_level`` and either ``prosecutions`` (series: both effects,
    each alone, and the current setting) or ``per_year`` (tips and capacity).
    """
    levels = COOPERATION_LEVELS
    frames = []
    for label, switches in ((BOTH, {}), (EXPERTISE_ONLY, {"tips_react": False}),
                            (TIPS_ONLY, {"expertise_reacts": False})):
        out = production(levels, values, **switches)
        frames.append(pd.DataFrame({SERIES: label, "cooperation_level": levels,
                                    "prosecutions": out["prosecutions"]}))
    now = production(np.array([values["cooperation"]]), values)
    frames.append(pd.DataFrame({SERIES: CURRENT, "cooperation_level": [values["cooperation"]],
                                "prosecutions": now["prosecutions"]}))
    both = production(levels, values)
    for label, key in ((TIPS, "tips"), (CAPACITY, "capacity")):
        frames.append(pd.DataFrame({SERIES: label, "cooperation_level": levels,
                                    "per_year": both[key]}))
    return pd.DataFrame(pd.concat(frames, ignore_index=True))


COOPERATION = Field("cooperation_level", "Cooperation level", "0 = none, 1 = full",
                    format=".1f")

MODEL = Model(
    name="investigations",
    title="Joint investigations",
    chapter="book/03_transnational_crime.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=COOPERATION,
             y=Field("prosecutions", "Prosecutions", "cases per year", format=",.1f"),
             title="Prosecutions as cooperation grows",
             description="Line chart of trafficking and smuggling prosecutions per year "
             "against the level of cooperation, with both effects, with federal expertise "
             "only, and with lost tips only; a point marks the current setting."),
        View(x=COOPERATION,
             y=Field("per_year", "Tips and capacity", "per year", format=",.0f"),
             title="What limits investigations: tips or investigators",
             description="Line chart of tips from victims and witnesses and of "
             "investigative capacity per year against the level of cooperation."),
    ),
    sliders=("cooperation", "reporting_drop", "expertise_multiplier", "federal_capacity"),
)
