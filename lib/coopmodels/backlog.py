"""Immigration-court backlog: a stock-flow model with first-in, first-out clearance times.

The national immigration courts (EOIR) as one queue, in fiscal-year steps t = 1, 2, ...
after a start year (t = 0, the last year of data):

    capacity(t)    = judges(t) * completions_per_judge                 [cases / year]
    receipts(t)    = baseline_receipts * (1 + receipts_growth_percent/100)**(t-1)
                     + cooperation_cases                               [cases / year]
    completions(t) = min(pending(t-1) + receipts(t), capacity(t))      [cases / year]
    pending(t)     = pending(t-1) + receipts(t) - completions(t)       [cases]

so pending(t) = max(0, pending(t-1) + receipts(t) - capacity(t)), a Lindley recursion,
solved here in closed form with cumulative sums (no loop over years).

The wait a new case faces is estimated by the *clearance time* of the backlog:

    wait(t) = pending(t) / capacity(t)                                 [years]

the time today's capacity takes to hear the cases ahead of a case filed at the end of
year t, if cases are heard first in, first out. It overstates the wait when capacity
grows later and understates it when capacity shrinks, or when other cases are heard
first. (Little's law, L = lambda * W with lambda the arrival rate, would give the mean
wait only in steady state; a growing backlog is not in steady state.)

Cooperation enters only through ``cooperation_cases``: new cases a year from jail
screening, on top of the (mostly border-driven) baseline. They come from the screening
model (:mod:`coopmodels.screening`): the court cases one reference county sends at the
chosen scope, times the number of such counties in the nation, times the share of U.S.
residents who live in jurisdictions that cooperate this way.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from coopmodels import county, screening
from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

START_FISCAL_YEAR = 2024
"""Last fiscal year of data; the projection starts at its end (t = 0)."""

WITHOUT_COOPERATION = "Baseline receipts only"
WITH_COOPERATION = "Baseline + cooperation cases"

PARAMS = ParamSet(
    Param(
        "initial_pending", "Pending cases at start", 3_884_956, 0, 8_000_000, 1,
        "cases", "eoir2025", kind="empirical", figure=3_884_956,
        note="3,884,956 pending at the end of FY2024 in EOIR's 2025 release (third-party "
        "transcription); CRS counts 3.6 million on a narrower definition.",
        integer=True,
    ),
    Param(
        "initial_judges", "Judges at start", 734, 100, 1_500, 1,
        "judges", "eoir_strategic_plan", kind="empirical", figure=734,
        note="734 immigration judges at the end of FY2023, the latest confirmed "
        "year-end count. Dismissals and departures in 2025 shrank the corps by about a "
        "quarter {cite:p}`npr2026judges`; try 600.",
        integer=True,
    ),
    Param(
        "judges_added_per_year", "Judges added per year (net)", 0, -40, 160, 10,
        "judges per year", ASSUMPTION, kind="policy",
        note="Holds the corps at its starting size. For scale: EOIR hired a record 104 "
        "judges in FY2022, before attrition {cite:p}`crs_r47637`; in 2025 the corps "
        "shrank {cite:p}`npr2026judges`.",
        integer=True,
    ),
    Param(
        "completions_per_judge", "Completions per judge", 960, 240, 1_440, 20,
        "cases per judge per year", "eoir2025, eoir_strategic_plan", kind="empirical",
        figure=960,
        note="FY2024 completions (704,514) divided by 734 judges: 960. "
        "FY2015 gives about 560 (143,652 / 256 judges {cite:p}`hrf2016`).",
    ),
    Param(
        "baseline_receipts", "New cases per year (baseline)", 1_800_000, 0, 3_000_000,
        50_000, "cases per year", "crs_in12492", kind="empirical", figure=1_800_000,
        note="'Nearly 1.8 million new cases' (1,800,000) in FY2024. Preliminary FY2025 "
        "figures were far lower {cite:p}`usafacts2025`: see the chapter's scenarios.",
    ),
    Param(
        "receipts_growth_percent", "Growth of baseline new cases", 0, -20, 20, 1,
        "% per year", ASSUMPTION, kind="empirical",
        note="No trend: future border flows are the largest unknown in this model; the "
        "range covers halving or doubling within four years.",
    ),
    Param(
        "cooperating_population_percent", "Residents under jail-screening agreements", 40,
        0, 100, 10, "% of U.S. residents", ASSUMPTION, kind="policy",
        note="Illustrative: the population that agreements cover is not published. Secure "
        "Communities reached every jurisdiction by 2013 {cite:p}`kubrin2014`, and 287(g) "
        "agreements multiplied in 2025 {cite:p}`dhs2025_287g`.",
        integer=True,
    ),
    screening.PARAMS["scope"],
    Param(
        "horizon_years", "Years projected", 10, 1, 15, 1, "years", ASSUMPTION,
        kind="display",
        note="Ten years, the window CRS used for its hiring projections {cite:p}`crs_r47637`.",
        integer=True,
    ),
)

SCENARIOS = {
    "FY2024 receipts, 734 judges": {},
    "Lower receipts, 734 judges": {"baseline_receipts": 700_000},
    "FY2024 receipts, 600 judges": {"initial_judges": 600},
    "Lower receipts, 600 judges": {"baseline_receipts": 700_000, "initial_judges": 600},
}
"""Scenarios, not forecasts: new cases held at FY2024's level or at about FY2022's
(700,000 a year, an assumption standing in for the lower receipts of FY2025), and the
last confirmed bench (734 judges) or one about a fifth smaller (600, after the 2025
dismissals and departures reported in the news)."""


def judges_on_board(initial_judges: float, judges_added_per_year: float,
                    years: np.ndarray) -> np.ndarray:
    """Judges in year t: ``initial_judges + judges_added_per_year * t``, never below 0."""
    return np.maximum(initial_judges + judges_added_per_year * years, 0.0)


def receipts_path(baseline_receipts: float, receipts_growth_percent: float,
                  extra_receipts: float, years: np.ndarray) -> np.ndarray:
    """New cases in year t >= 1: ``baseline * (1 + growth/100)**(t-1) + extra`` [cases/year]."""
    growth = 1.0 + receipts_growth_percent / 100.0
    return baseline_receipts * growth ** (years - 1) + extra_receipts


def project_pending(initial_pending: float, receipts: np.ndarray,
                    capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pending cases at the end of each year, and completions in it.

    Solves ``pending(t) = max(0, pending(t-1) + receipts(t) - capacity(t))`` along the
    last axis (years) in closed form: with ``S(t) = sum_{k<=t} (receipts - capacity)``,
    ``pending(t) = S(t) - min(-initial_pending, min_{k<=t} S(k))``. Leading axes are
    independent scenarios, so a whole grid of scenarios is one call.

    Returns ``(pending, completions)``, each shaped like ``receipts`` [cases].
    """
    receipts, capacity = np.broadcast_arrays(np.asarray(receipts, float),
                                             np.asarray(capacity, float))
    net_inflow = np.cumsum(receipts - capacity, axis=-1)
    floor = np.minimum(np.minimum.accumulate(net_inflow, axis=-1),
                       -np.asarray(initial_pending, float)[..., None])
    pending = net_inflow - floor
    previous = np.concatenate(
        [np.broadcast_to(np.asarray(initial_pending, float)[..., None],
                         pending[..., :1].shape), pending[..., :-1]], axis=-1)
    completions = previous + receipts - pending
    return pending, completions


def wait_years(pending: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Clearance time for a case filed now: ``pending / capacity`` [years].

    The time the current capacity takes to hear every pending case, first in, first
    out (see the module docstring for when it over- or understates the wait).

    Zero when nothing is pending; infinite when cases wait and no judge hears them.
    """
    pending, capacity = np.broadcast_arrays(np.asarray(pending, float),
                                            np.asarray(capacity, float))
    waits = np.full(pending.shape, np.inf)
    np.divide(pending, capacity, out=waits, where=capacity > 0)
    waits[pending == 0] = 0.0
    return waits


def judges_to_stop_growth(receipts: float, completions_per_judge: float) -> float:
    """Judges whose capacity just equals ``receipts``: ``receipts / completions_per_judge``."""
    return receipts / completions_per_judge


def national_cases(cases_per_county: float, cooperating_population_percent: float) -> float:
    """A county's court cases scaled to the nation's cooperating jurisdictions [cases/year]:
    ``cases_per_county * us_population / population * percent / 100``."""
    place = county.reference_county()
    counties = county.national_scale(place["population"], place["us_population"])
    return cases_per_county * counties * cooperating_population_percent / 100


def cooperation_cases(cooperating_population_percent: float, scope: int) -> float:
    """New court cases a year from jail screening across the nation [cases/year]: the
    screening model's court cases at ``scope`` (other settings at their defaults)."""
    return national_cases(screening.court_cases_per_year(scope=scope),
                          cooperating_population_percent)


def simulate(**values: float) -> pd.DataFrame:
    """Project the backlog with and without the cooperation stream of the screening model.

    Takes every parameter of ``PARAMS`` by name (``PARAMS.defaults()`` gives them all).
    Returns a tidy frame with one row per fiscal year (the start year included, where
    flows are not modelled and left empty) and scenario (column ``series``: without or
    with the cooperation cases), and the columns ``fiscal_year``, ``pending_cases``,
    ``receipts``, ``completions``, ``judges``, ``capacity`` (cases/year) and
    ``wait_years``.
    """
    return simulate_with_cooperation(values, cooperation_cases(
        values["cooperating_population_percent"], values["scope"]))


def simulate_with_cooperation(values: dict, cooperation: float) -> pd.DataFrame:
    """Project the backlog with and without ``cooperation`` extra cases a year.

    Returns a tidy frame with one row per fiscal year (the start year included, where
    flows are not modelled and left empty) and scenario (column ``series``), and the
    columns ``fiscal_year``, ``pending_cases``, ``receipts``, ``completions``,
    ``judges``, ``capacity`` (cases/year) and ``wait_years``.
    """
    horizon_years, initial_pending = values["horizon_years"], values["initial_pending"]
    initial_judges = values["initial_judges"]
    years = np.arange(1, horizon_years + 1)
    judges = judges_on_board(initial_judges, values["judges_added_per_year"], years)
    capacity = judges * values["completions_per_judge"]
    extra = np.array([0.0, cooperation])[:, None]
    receipts = receipts_path(values["baseline_receipts"], values["receipts_growth_percent"],
                             extra, years)
    pending, completions = project_pending(initial_pending, receipts, capacity)

    start_capacity = initial_judges * values["completions_per_judge"]
    frames = []
    for row, label in enumerate((WITHOUT_COOPERATION, WITH_COOPERATION)):
        all_pending = np.concatenate([[initial_pending], pending[row]])
        all_capacity = np.concatenate([[start_capacity], capacity])
        frames.append(pd.DataFrame({
            "fiscal_year": START_FISCAL_YEAR + np.arange(horizon_years + 1),
            SERIES: label,
            "pending_cases": all_pending,
            "receipts": np.concatenate([[np.nan], receipts[row]]),
            "completions": np.concatenate([[np.nan], completions[row]]),
            "judges": np.concatenate([[initial_judges], judges]),
            "capacity": all_capacity,
            "wait_years": wait_years(all_pending, all_capacity),
        }))
    return pd.DataFrame(pd.concat(frames, ignore_index=True))


def summarise(frame: pd.DataFrame) -> dict[str, float]:
    """Headline numbers of a :func:`simulate` frame, for the chapter's prose.

    Keys: ``final_year``; ``pending_final_without`` / ``pending_final_with`` (cases);
    ``wait_final_without`` / ``wait_final_with`` (years); ``extra_pending_final``
    (cases the cooperation stream adds by the final year); ``extra_wait_months``;
    ``clear_year_without`` / ``clear_year_with``: first fiscal year that ends with no
    pending case (``None`` if the backlog does not clear within the horizon).
    """
    final = frame[frame["fiscal_year"] == frame["fiscal_year"].max()].set_index(SERIES)
    without, with_ = final.loc[WITHOUT_COOPERATION], final.loc[WITH_COOPERATION]
    cleared = frame[frame["pending_cases"] == 0].groupby(SERIES)["fiscal_year"].min()
    with np.errstate(invalid="ignore"):  # both waits infinite (no judges): no difference
        extra_wait_years = np.float64(with_["wait_years"]) - without["wait_years"]
    return {
        "clear_year_without": _optional_int(cleared.get(WITHOUT_COOPERATION)),
        "clear_year_with": _optional_int(cleared.get(WITH_COOPERATION)),
        "final_year": int(final["fiscal_year"].iloc[0]),
        "pending_final_without": float(without["pending_cases"]),
        "pending_final_with": float(with_["pending_cases"]),
        "wait_final_without": float(without["wait_years"]),
        "wait_final_with": float(with_["wait_years"]),
        "extra_pending_final": float(with_["pending_cases"] - without["pending_cases"]),
        "extra_wait_months": float(12 * extra_wait_years),
    }


def scenario_table(scenarios: dict[str, dict], **common: float) -> pd.DataFrame:
    """Headline numbers of each scenario (settings on top of the defaults and ``common``).

    One row per scenario: pending cases in the final year (millions, with the
    cooperation stream), its clearance time (years), the extra wait from cooperation
    (months) and the first fiscal year with no backlog (``None``: not within the horizon).
    """
    rows = {}
    for name, setting in scenarios.items():
        result = summarise(MODEL.run(**(common | setting)))
        rows[name] = {
            "pending in final year (millions)": round(result["pending_final_with"] / 1e6, 2),
            "clearance time (years)": round(result["wait_final_with"], 1),
            "extra wait from cooperation (months)": round(result["extra_wait_months"], 1),
            "backlog clears in": result["clear_year_with"] or "not by the final year",
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _optional_int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# --- The history view: the identity on EOIR's published tables -------------------------

def load_caseload() -> pd.DataFrame:
    """EOIR pending cases, receipts and completions by fiscal year (two releases).

    Columns: ``series`` (``eoir_2021`` or ``eoir_2025``; different definitions of
    pending, never to be spliced), ``fiscal_year``, ``pending_end_of_fy``,
    ``receipts``, ``completions``. Sources: ``data/README.md``.
    """
    path = resources.files("coopmodels") / "data" / "eoir_caseload.csv"
    with path.open() as handle:
        return pd.read_csv(handle)


def replay_history(caseload: pd.DataFrame) -> pd.DataFrame:
    """Run the stock-flow identity on reported receipts and completions.

    For each release, over its longest run of consecutive years, starting from the
    reported pending count of the first year:

    * ``one_year_prediction`` = reported pending(t-1) + receipts(t) - completions(t);
    * ``residual`` = reported pending(t) - one_year_prediction, and ``residual_share``
      = residual / reported pending(t) (cases the identity does not account for:
      reopened and re-calendared cases, changes of definition);
    * ``modelled_pending`` = the identity run forward from the first year on the
      reported flows alone, so residuals accumulate.
    """
    parts = []
    for _, table in caseload.groupby("series", sort=True):
        table = table.sort_values("fiscal_year")
        consecutive = table["fiscal_year"].diff().ne(1).cumsum()
        run = table[consecutive == consecutive.value_counts().idxmax()].copy()
        net = (run["receipts"] - run["completions"]).to_numpy(float)
        net[0] = 0.0
        run["modelled_pending"] = run["pending_end_of_fy"].iloc[0] + np.cumsum(net)
        prediction = run["pending_end_of_fy"].shift(1) + run["receipts"] - run["completions"]
        run["one_year_prediction"] = prediction
        run["residual"] = run["pending_end_of_fy"] - prediction
        run["residual_share"] = run["residual"] / run["pending_end_of_fy"]
        parts.append(run)
    return pd.DataFrame(pd.concat(parts, ignore_index=True))


# --- Registration for the explorer, the tests and the benchmarks -----------------------

FISCAL_YEAR = Field("fiscal_year", "Fiscal year", format="d")

MODEL = Model(
    name="court_backlog",
    title="Immigration-court backlog",
    chapter="book/07_court_backlog.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(
            x=FISCAL_YEAR,
            y=Field("pending_cases", "Pending cases", "millions", scale=1e6, format=",.2~f"),
            title="Cases waiting at the end of each fiscal year",
            description="Line chart of projected pending immigration-court cases by "
            "fiscal year, with and without the extra cases from cooperation.",
        ),
        View(
            x=FISCAL_YEAR,
            y=Field("wait_years", "Wait for a new case", "years", format=",.1~f"),
            title="Clearance time: the wait for a case filed that year (first in, first out)",
            description="Line chart of the clearance time, in years, for a case filed "
            "in each fiscal year: the cases pending divided by that year's capacity, with "
            "and without the extra cases from cooperation.",
        ),
    ),
    sliders=("judges_added_per_year", "completions_per_judge", "receipts_growth_percent",
             "cooperating_population_percent"),
)
