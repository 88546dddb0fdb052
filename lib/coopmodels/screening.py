"""Screening funnel: what sharing fingerprints with ICE finds in one year in the county.

People booked into the county jail fall into offence classes k (the most serious charge).
A share of them are removable noncitizens; jail screening passes them through a funnel,
each stage a fraction of the one before [people per year]:

    removable_k  = bookings * mix_k * removable_share
    matched_k    = removable_k * match_probability       (fingerprints match a federal record)
    referred_k   = matched_k * [k within scope]          (the classes ICE is asked to act on)
    detainers_k  = referred_k * detainer_rate            (ICE asks the jail to hold the person)
    transfers_k  = detainers_k * honour_rate             (the jail hands the person to ICE)
    removals_k   = transfers_k * removal_rate            (removed from the United States)

A task force may add field arrests outside the jail; those go straight to ICE custody
(transfers), with a share that has a criminal record (spread over classes like bookings)
and the rest in the class "No criminal charge".

Two outcomes weigh what the funnel finds:

    precision        = removals in priority classes / all removals          (felonies)
    crimes_averted   = sum_k removals_k * violent_offences_per_year_k * years_in_county

Crimes averted counts incapacitation only: offences a removed person would have committed
in the county had they stayed. If the same removals happen every year, the people removed
in the last ``years_in_county`` years are all absent at once, so the sum is also the
number of violent offences averted per year in that steady state.

Court cases are transfers that lead to a Notice to Appear,
``court_cases = transfers * court_case_share``; the court chapter reads them from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopmodels import county
from coopmodels.model import CURRENT, SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

OFFENCE_CLASSES = ("Violent felony", "Other felony", "Misdemeanour", "Traffic or other",
                   "No criminal charge")
PRIORITY = np.array([True, True, False, False, False])
"""Priority classes for precision: felonies (ICE's former priority levels 1 and 2)."""

SCOPES = (1, 2, 3, 4)
"""Scope k refers the first k booking classes: 1 = violent felonies only ... 4 = all."""

FROM_JAIL = "From jail screening"
FROM_TASK_FORCE = "From task-force arrests"
TRADE_OFF = "Scope widened one class at a time"

PARAMS = ParamSet(
    Param("scope", "Offence classes referred", 4, 1, 4, 1,
          "1 = violent felonies ... 4 = all bookings", "trac2013",
          note="All bookings, as under Secure Communities, when 47.7% of people with "
          "detainers had no criminal conviction.", integer=True),
    Param("match_probability", "Fingerprint match rate", 0.8, 0.0, 1.0, 0.05,
          "share of removable people", ASSUMPTION,
          note="A removable person matches only if a federal database already holds their "
          "record; no published rate was found."),
    Param("honour_rate", "Detainers honoured", 1.0, 0.0, 1.0, 0.05, "share of detainers",
          "ice2017ddor",
          note="Full cooperation: every detainer honoured. For scale, ICE reported 206 of "
          "3,083 detainers declined in one week of 2017 (93% honoured); it withdrew that "
          "report after errors were found."),
    Param("task_force_arrests", "Task-force field arrests", 0, 0, 1_000, 50,
          "arrests per year", ASSUMPTION,
          note="None by default (a jail-only agreement). For scale: Maricopa County's "
          "sweeps yielded about 200 arrests against 16,000 through booking {cite:p}`bolick2008`."),
    Param("removable_share", "Removable noncitizens among bookings", 0.05, 0.0, 0.3, 0.01,
          "share of bookings", ASSUMPTION,
          note="No national figure exists; noncitizens were 6.4% of state and federal "
          "prisoners in 2005 {cite:p}`bjs2006`, and not every noncitizen is removable."),
    Param("share_violent_felony", "Bookings for a violent felony", 0.10, 0.0, 1.0, 0.01,
          "share of bookings", ASSUMPTION,
          note="Illustrative offence mix; our sources give no national breakdown of jail "
          "bookings by charge."),
    Param("share_other_felony", "Bookings for another felony", 0.25, 0.0, 1.0, 0.01,
          "share of bookings", ASSUMPTION, note="Illustrative offence mix (see above)."),
    Param("share_misdemeanour", "Bookings for a misdemeanour", 0.45, 0.0, 1.0, 0.01,
          "share of bookings", ASSUMPTION,
          note="Illustrative offence mix; the rest are traffic and other bookings."),
    Param("detainer_rate", "Detainers issued", 0.8, 0.0, 1.0, 0.05,
          "share of referred matches", ASSUMPTION,
          note="ICE does not act on every match; no published rate was found."),
    Param("removal_rate", "Removals", 0.7, 0.0, 1.0, 0.05, "share of transfers",
          ASSUMPTION, note="Some people transferred win relief or are released."),
    Param("court_case_share", "Transfers that become court cases", 0.6, 0.0, 1.0, 0.05,
          "share of transfers", ASSUMPTION,
          note="The rest are removed without a hearing (for example reinstated orders)."),
    Param("task_force_record_share", "Task-force arrests with a criminal record", 0.43,
          0.0, 1.0, 0.01, "share of arrests", "ice2024",
          note="43% of ICE arrests in FY2023 had criminal histories (71.7% in FY2024)."),
    Param("offences_violent_felony", "Violent offences a year: violent-felony class", 0.1,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note="Illustrative; the chapter asks the reader to vary these rates."),
    Param("offences_other_felony", "Violent offences a year: other-felony class", 0.05,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note="Illustrative (see above)."),
    Param("offences_misdemeanour", "Violent offences a year: misdemeanour class", 0.03,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note="Illustrative (see above)."),
    Param("offences_traffic", "Violent offences a year: traffic class", 0.01, 0.0, 1.0,
          0.01, "violent offences per person per year", ASSUMPTION,
          note="Illustrative (see above)."),
    Param("offences_no_charge", "Violent offences a year: no charge", 0.01, 0.0, 1.0, 0.01,
          "violent offences per person per year", ASSUMPTION,
          note="Illustrative (see above)."),
    Param("years_in_county", "Years a removed person would have stayed", 3, 0, 20, 1,
          "years", ASSUMPTION,
          note="Incapacitation lasts only as long as the person would otherwise have "
          "stayed in the county.", integer=True),
)

STAGES = ("removable", "matched", "referred", "detainers", "transfers", "removals")


def booking_mix(share_violent_felony: float, share_other_felony: float,
                share_misdemeanour: float) -> np.ndarray:
    """Share of bookings in each offence class (the last, no charge, is 0 in a jail)."""
    traffic = 1.0 - share_violent_felony - share_other_felony - share_misdemeanour
    if traffic < -1e-9:
        raise ValueError(
            "share_violent_felony + share_other_felony + share_misdemeanour must be at most "
            f"1 (the rest are traffic bookings); got {1 - traffic:.3g}")
    return np.array([share_violent_felony, share_other_felony, share_misdemeanour,
                     max(traffic, 0.0), 0.0])


def in_scope(scope: np.ndarray | int) -> np.ndarray:
    """1.0 where a class is referred at ``scope`` (shape ``scope.shape + (5,)``)."""
    return (np.arange(len(OFFENCE_CLASSES)) < np.asarray(scope)[..., None]).astype(float)


def jail_funnel(bookings: float, mix: np.ndarray, scope: np.ndarray | int,
                removable_share: float, match_probability: float, detainer_rate: float,
                honour_rate: float, removal_rate: float) -> dict[str, np.ndarray]:
    """People at each stage of jail screening, by offence class [people per year].

    ``scope`` may be an array of scopes: results get its shape plus a last axis of classes.
    """
    removable = bookings * mix * removable_share * np.ones((*np.shape(scope), 1))
    matched = removable * match_probability
    referred = matched * in_scope(scope)
    detainers = referred * detainer_rate
    transfers = detainers * honour_rate
    return dict(zip(STAGES, (removable, matched, referred, detainers, transfers,
                             transfers * removal_rate), strict=True))


def task_force_arrests_by_class(task_force_arrests: float, task_force_record_share: float,
                                mix: np.ndarray) -> np.ndarray:
    """Field arrests by class: those with a record spread like bookings, the rest 'no charge'."""
    with_record = mix / mix.sum() if mix.sum() > 0 else mix
    return task_force_arrests * (task_force_record_share * with_record
                                 + (1 - task_force_record_share) * np.eye(len(mix))[-1])


def precision(removals: np.ndarray) -> np.ndarray:
    """Share of removals in priority classes (NaN where nobody is removed)."""
    total = removals.sum(axis=-1)
    priority = removals[..., PRIORITY].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, priority / np.where(total > 0, total, 1), np.nan)


def crimes_averted(removals: np.ndarray, offence_rates: np.ndarray,
                   years_in_county: float) -> np.ndarray:
    """Violent offences prevented by removal: ``sum_k removals_k * rate_k * years``.

    The offences one year's removals would have committed over their stay; with the same
    removals every year, also the offences averted per year in steady state.
    """
    return (removals * offence_rates).sum(axis=-1) * years_in_county


def offence_rates(values: dict) -> np.ndarray:
    """Violent offences per person-year by class, from a parameter dictionary."""
    return np.array([values["offences_violent_felony"], values["offences_other_felony"],
                     values["offences_misdemeanour"], values["offences_traffic"],
                     values["offences_no_charge"]])


def screen(values: dict, scope: np.ndarray | int | None = None) -> dict[str, np.ndarray]:
    """Every count and outcome of one year, for the county at its reference figures.

    ``values`` are validated parameters (all of :data:`PARAMS`); ``scope`` overrides
    ``values["scope"]`` with an array of scopes, to sweep them in one call. Keys: the jail stages of
    :func:`jail_funnel` (``removals`` is removals from the jail), ``task_force``
    (field arrests by class), ``task_force_removals``, ``all_removals`` (both, by
    class), ``precision``, ``crimes_averted`` and ``court_cases`` (all removals).
    """
    place = county.reference_county()
    bookings = county.jail_bookings_per_year(place["population"],
                                             place["jail_admissions_per_1000"])
    mix = booking_mix(values["share_violent_felony"], values["share_other_felony"],
                      values["share_misdemeanour"])
    scope = values["scope"] if scope is None else scope
    stages = jail_funnel(bookings, mix, scope, values["removable_share"],
                         values["match_probability"], values["detainer_rate"],
                         values["honour_rate"], values["removal_rate"])
    field = task_force_arrests_by_class(values["task_force_arrests"],
                                        values["task_force_record_share"], mix)
    field_removals = field * values["removal_rate"]
    all_removals = stages["removals"] + field_removals
    transfers = stages["transfers"].sum(axis=-1) + field.sum()
    return stages | {
        "task_force": field,
        "task_force_removals": field_removals,
        "all_removals": all_removals,
        "precision": precision(all_removals),
        "crimes_averted": crimes_averted(all_removals, offence_rates(values),
                                         values["years_in_county"]),
        "court_cases": transfers * values["court_case_share"],
    }


def court_cases_per_year(**values: object) -> float:
    """New immigration-court cases a year from the county (validated; defaults for the rest)."""
    return float(screen(PARAMS.validate(values))["court_cases"])


def simulate(**values: float) -> pd.DataFrame:
    """Tidy frame for the explorer: removals by class, and the scope trade-off.

    Rows of the first kind have ``offence_class`` and ``removals`` (by source); rows of
    the second have ``scope_level``, ``total_removals``, ``crimes_averted`` and
    ``precision_percent`` for every scope at the current other settings, and once more
    for the current scope (series ``Current setting``).
    """
    now = screen(values)
    by_class = pd.DataFrame({
        SERIES: [FROM_JAIL] * len(OFFENCE_CLASSES) + [FROM_TASK_FORCE] * len(OFFENCE_CLASSES),
        "offence_class": OFFENCE_CLASSES * 2,
        "removals": np.concatenate([now["removals"], now["task_force_removals"]]),
    })
    scopes = np.array([*SCOPES, values["scope"]])
    sweep = screen(values, scope=scopes)
    trade_off = pd.DataFrame({
        SERIES: [TRADE_OFF] * len(SCOPES) + [CURRENT],
        "scope_level": scopes,
        "total_removals": sweep["all_removals"].sum(axis=-1),
        "crimes_averted": sweep["crimes_averted"],
        "precision_percent": 100 * sweep["precision"],
    })
    return pd.DataFrame(pd.concat([by_class, trade_off], ignore_index=True))


MODEL = Model(
    name="screening",
    title="Screening funnel",
    chapter="book/02_information_sharing.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=Field("offence_class", "Most serious charge at booking"),
             y=Field("removals", "Removals", "people per year", format=",.0f"),
             kind="bar", title="Who is removed in a year, by offence class",
             description="Bar chart of removals per year from the reference county by the "
             "most serious charge at booking, from jail screening and from task-force "
             "arrests."),
        View(x=Field("total_removals", "Removals", "people per year", format=",.0f"),
             y=Field("crimes_averted", "Violent offences averted", "per year",
                     format=",.1~f"),
             title="Widening scope: more removals, fewer offences averted per removal",
             description="Line chart of violent offences averted against removals per "
             "year, one point for each scope from violent felonies only to all bookings."),
        View(x=Field("scope_level", "Offence classes referred", "1 = violent felonies, "
                     "4 = all bookings", format="d"),
             y=Field("precision_percent", "Removals in priority classes", "%",
                     format=".0f"),
             title="Precision: the share of removals with a felony charge",
             description="Line chart of the percentage of removals whose booking charge "
             "was a felony, for each scope from violent felonies only to all bookings."),
    ),
    sliders=("scope", "match_probability", "honour_rate", "task_force_arrests"),
)
