"""Screening funnel: what sharing fingerprints with ICE finds in one year in the county.

People booked into the county jail fall into offence classes k (the most serious charge).
A share of them are removable noncitizens; jail screening passes them through a funnel,
each stage a fraction of the one before [people per year]:

    removable_k  = bookings * mix_k * removable_share
    matched_k    = removable_k * match_probability       (fingerprints match a federal record)
    referred_k   = matched_k * [k within scope]          (the classes ICE is asked to act on)
    detainers_k  = referred_k * detainer_rate            (ICE asks the jail to hold the person)
    transfers_k  = detainers_k * honour_rate             (the detainer ends in ICE custody:
                                                          the jail holds and ICE collects)
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

Where nobody is removed, precision is undefined: :func:`precision` returns NaN, and so
does the explorer frame's ``precision_percent`` (a panel can say "no removals").

Custody routes (:func:`custody_hours`, assumptions in :data:`ROUTE_PARAMS`) compare the
ICE officer-hours of collecting people from the jail with those of arresting a share of
the same people at large in the community [officer-hours per year].
:data:`INCAPACITATION_CASES` holds the weakest and strongest plausible settings for
crimes averted, each value with its reason.
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

OFFENCE_RATE_NOTE = ("Not published for any booking class; illustrative, falling from "
                     "violent felonies to traffic bookings. The chapter's strongest and "
                     "weakest cases vary every class's rate.")
"""The note of every offence-rate parameter (notes are read one at a time, in tables)."""

PARAMS = ParamSet(
    Param("scope", "Offence classes referred", 4, 1, 4, 1,
          "1 = violent felonies, 2 = all felonies, 3 = felonies and misdemeanours, "
          "4 = all bookings", "trac2013",
          note="All bookings, as under Secure Communities, when 47.7% of people with "
          "detainers had no criminal conviction.", integer=True, kind="policy"),
    Param("match_probability", "Fingerprint match rate", 0.8, 0.0, 1.0, 0.05,
          "share of removable people", ASSUMPTION,
          note="A removable person matches only if a federal database already holds their "
          "record; no published rate was found. The range covers no match to every match.",
          kind="empirical"),
    Param("honour_rate", "Detainers that end in ICE custody", 0.4, 0.0, 1.0, 0.05,
          "share of detainers", "trac2016",
          note="ICE took custody after fewer than 40% of detainers {cite:p}`trac2016` "
          "(TRAC's analysis of ICE records, as summarised in a legal database; secondary), "
          "so 0.4 is an upper reference. Refusals recorded by ICE were about 2% of "
          "detainers: most detainers that end without a transfer are not refused by the "
          "jail. 1 = every detainer ends in custody (full cooperation and pick-up). ICE's "
          "2017 weekly report of declined detainers cannot give this share "
          "{cite:p}`ice2017ddor`.", kind="empirical", figure=0.4),
    Param("task_force_arrests", "Task-force field arrests", 0, 0, 1_000, 50,
          "arrests per year", ASSUMPTION,
          note="None by default (a jail-only agreement). For scale: Maricopa County's "
          "sweeps yielded about 200 arrests against 16,000 through booking "
          "{cite:p}`bolick2008`.", kind="policy"),
    Param("removable_share", "Removable noncitizens among bookings", 0.05, 0.0, 0.3, 0.01,
          "share of bookings", ASSUMPTION,
          note="No national figure exists; noncitizens were 6.4% of state and federal "
          "prisoners in 2005 {cite:p}`bjs2006`, and not every noncitizen is removable.",
          kind="empirical"),
    Param("share_violent_felony", "Bookings for a violent felony", 0.10, 0.0, 1.0, 0.01,
          "share of bookings", ASSUMPTION,
          note="Illustrative offence mix: no national count of jail bookings by violent "
          "felony charge was found (counts of people held, or of arrests, measure "
          "something else: see the evidence note).", kind="empirical"),
    Param("share_other_felony", "Bookings for another felony", 0.25, 0.0, 1.0, 0.01,
          "share of bookings", ASSUMPTION,
          note="Illustrative offence mix: no national count of jail bookings by felony "
          "charge was found.", kind="empirical"),
    Param("share_misdemeanour", "Bookings for a misdemeanour", 0.35, 0.0, 1.0, 0.01,
          "share of bookings", "widra2025",
          note="35% of jail bookings in a year had a misdemeanour as the top charge, in the "
          "Prison Policy Initiative's analysis of the Jail Data Initiative's national "
          "sample of jail rosters {cite:p}`widra2025` (an advocacy group's analysis, seen "
          "quoted in a re-post: secondary). Its misdemeanours include traffic "
          "misdemeanours; the model's last class, traffic and other, holds the rest "
          "(bookings that are neither felonies nor misdemeanours, such as warrants, holds "
          "and supervision violations).", kind="empirical", figure=0.35),
    Param("detainer_rate", "Detainers issued", 0.8, 0.0, 1.0, 0.05,
          "share of referred matches", ASSUMPTION,
          note="ICE does not act on every match; no published rate was found.",
          kind="empirical"),
    Param("removal_rate", "Removals", 0.65, 0.0, 1.0, 0.05, "share of transfers",
          "trac_detainees", kind="empirical", figure=0.667,
          note="Of the roughly 1,500 people ICE took into custody on a typical work day, "
          "\"two out of three — around 1,000 — were 'removed'\"; most others were "
          "released on bond or recognizance {cite:p}`trac_detainees` (TRAC's analysis of "
          "ICE detention records, early 2010s; the page seen is undated): 1,000 / 1,500 = "
          "0.667. That counts "
          "everyone ICE detained, people arrested at the border included, not only people "
          "transferred from jails, and it varied by state from 43% (Illinois) to 84% "
          "(Arizona)."),
    Param("court_case_share", "Transfers that become court cases", 0.6, 0.0, 1.0, 0.05,
          "share of transfers", ASSUMPTION,
          note="The rest are removed without a hearing (for example reinstated orders); no "
          "published share was found.", kind="empirical"),
    Param("task_force_record_share", "Task-force arrests with a criminal record", 0.72,
          0.0, 1.0, 0.01, "share of arrests", "ice2024",
          note="FY2024: 71.7% of ICE's 113,431 arrests were of noncitizens \"with criminal "
          "convictions or pending charges\"; the same release gives 43% of 170,590 for "
          "FY2023, worded \"had criminal histories\" {cite:p}`ice2024`. Both years count "
          "all ICE arrests, most of them taken from jails and prisons; ICE does not "
          "report the share for field arrests, which is probably lower.",
          kind="empirical", figure=0.717),
    Param("offences_violent_felony", "Violent offences a year: violent-felony class", 0.1,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note=OFFENCE_RATE_NOTE, kind="empirical"),
    Param("offences_other_felony", "Violent offences a year: other-felony class", 0.05,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note=OFFENCE_RATE_NOTE, kind="empirical"),
    Param("offences_misdemeanour", "Violent offences a year: misdemeanour class", 0.03,
          0.0, 1.0, 0.01, "violent offences per person per year", ASSUMPTION,
          note=OFFENCE_RATE_NOTE, kind="empirical"),
    Param("offences_traffic", "Violent offences a year: traffic class", 0.01, 0.0, 1.0,
          0.01, "violent offences per person per year", ASSUMPTION,
          note=OFFENCE_RATE_NOTE, kind="empirical"),
    Param("offences_no_charge", "Violent offences a year: no charge", 0.01, 0.0, 1.0, 0.01,
          "violent offences per person per year", ASSUMPTION,
          note=OFFENCE_RATE_NOTE, kind="empirical"),
    Param("years_in_county", "Years a removed person would have stayed", 6, 0, 20, 1,
          "years", ASSUMPTION,
          note="Not published. The median unauthorized adult had lived in the U.S. 12.7 "
          "years in 2013 {cite:p}`pew2014`, but years lived so far are not years to come: "
          "people move to other counties, leave, or gain status, and many removed people "
          "return (48% of men removed after transfer from the Los Angeles County jail in "
          "2002 were re-arrested in California by 2011, {cite:p}`wong_hickman2022`). "
          "6 is about half of 12.7; the range runs from 0 (quick return) to 20.",
          integer=True, kind="empirical"),
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
    ``jail_funnel`` (``removals`` is removals from the jail), ``task_force``
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
    scopes = np.array([*SCOPES, values["scope"]])
    sweep = screen(values, scope=scopes)
    n_class, n_scope = 2 * len(OFFENCE_CLASSES), len(scopes)
    gap_class, gap_scope = np.full(n_scope, np.nan), np.full(n_class, np.nan)
    return pd.DataFrame({  # one frame built at once: the explorer runs this thousands of times
        SERIES: [FROM_JAIL] * len(OFFENCE_CLASSES) + [FROM_TASK_FORCE] * len(OFFENCE_CLASSES)
        + [TRADE_OFF] * len(SCOPES) + [CURRENT],
        "offence_class": [*OFFENCE_CLASSES, *OFFENCE_CLASSES] + [None] * n_scope,
        "removals": np.concatenate([now["removals"], now["task_force_removals"], gap_class]),
        "scope_level": np.concatenate([gap_scope, scopes]),
        "total_removals": np.concatenate([gap_scope, sweep["all_removals"].sum(axis=-1)]),
        "crimes_averted": np.concatenate([gap_scope, sweep["crimes_averted"]]),
        "precision_percent": np.concatenate([gap_scope, 100 * sweep["precision"]]),
    })


# --- Custody routes: ICE officer-hours by route ------------------------------------------

ROUTE_PARAMS = ParamSet(
    Param("hours_per_jail_transfer", "ICE officer-hours per jail transfer", 3, 0.5, 20, 0.5,
          "officer-hours per person", ASSUMPTION,
          note="Not published. Collecting a person a jail holds (travel, paperwork, "
          "transport) takes one or two officers a few hours; the range runs from half an "
          "hour (a pick-up of several people at once) to 20 hours (a distant jail).",
          kind="empirical"),
    Param("hours_per_at_large_arrest", "ICE officer-hours per at-large arrest", 20, 2, 200,
          2, "officer-hours per person", ASSUMPTION,
          note="Not published. An at-large arrest takes locating the person and a team of "
          "officers in the community; the range runs from 2 hours (found at once at a "
          "known address) to 200 (days of searching).", kind="empirical"),
    Param("at_large_substitution", "Jail transfers ICE would seek at large instead",
          0.5, 0.0, 1.0, 0.05, "share of jail transfers", ASSUMPTION,
          note="Without jail transfers, ICE would look for some of the same people in the "
          "community. Not published: 0 = none (the people are never sought), 1 = every "
          "one.", kind="empirical"),
)
"""Assumptions of the custody-route model (:func:`custody_hours`); none is published."""


def custody_hours(jail_transfers: float, hours_per_jail_transfer: float,
                  hours_per_at_large_arrest: float, at_large_substitution: float
                  ) -> dict[str, float]:
    """ICE officer-hours a year to take custody of people, by route [officer-hours/year].

    With jail cooperation ICE collects ``jail_transfers`` people from the jail at
    ``hours_per_jail_transfer`` each. Without it, ICE seeks a share
    ``at_large_substitution`` of the same people by at-large arrests in the community, at
    ``hours_per_at_large_arrest`` each:

        hours_with     = jail_transfers * hours_per_jail_transfer
        at_large       = jail_transfers * at_large_substitution
        hours_without  = at_large * hours_per_at_large_arrest
        hours_freed    = hours_without - hours_with   (negative: cooperation costs hours)

    ``hours_freed`` is the essay's "agents taken off the streets" at its most favourable
    reading; the people ICE does not seek at all count as no hours, not as hours saved.
    Arguments are validated against :data:`ROUTE_PARAMS` (and ``jail_transfers >= 0``).
    """
    if not np.isfinite(jail_transfers) or jail_transfers < 0:
        raise ValueError(f"jail_transfers must be a number >= 0 (people per year); "
                         f"got {jail_transfers!r}")
    p = ROUTE_PARAMS.validate({"hours_per_jail_transfer": hours_per_jail_transfer,
                               "hours_per_at_large_arrest": hours_per_at_large_arrest,
                               "at_large_substitution": at_large_substitution})
    hours_with = jail_transfers * p["hours_per_jail_transfer"]
    at_large = jail_transfers * p["at_large_substitution"]
    hours_without = at_large * p["hours_per_at_large_arrest"]
    return {"jail_transfers": float(jail_transfers), "hours_with": float(hours_with),
            "at_large_arrests": float(at_large), "hours_without": float(hours_without),
            "hours_freed": float(hours_without - hours_with)}


def break_even_substitution(hours_per_jail_transfer: float,
                            hours_per_at_large_arrest: float) -> float:
    """The substitution share above which jail transfers free ICE officer-hours:
    ``hours_per_jail_transfer / hours_per_at_large_arrest`` (capped at 1)."""
    return min(1.0, hours_per_jail_transfer / hours_per_at_large_arrest)


# --- Incapacitation at its strongest and weakest plausible settings ------------------------

INCAPACITATION_CASES = {
    "Weakest case": {
        "detainer_rate": (0.6, "assumption: ICE asks to hold fewer of the matches"),
        "honour_rate": (0.3, "below TRAC's 'fewer than 40%' of detainers ending in custody"),
        "removal_rate": (0.5, "assumption: half of those transferred win relief or are "
                         "released"),
        "offences_violent_felony": (0.05, "assumption: half the defaults, as Miles and Cox's "
                                    "less serious marginal detainee suggests"),
        "offences_other_felony": (0.03, "half the default, rounded up"),
        "offences_misdemeanour": (0.02, "half the default, rounded up"),
        "offences_traffic": (0.01, "the default (already the lowest step above 0)"),
        "offences_no_charge": (0.01, "the default"),
        "years_in_county": (1, "quick return or moving away: 48% of men removed from the "
                            "Los Angeles County jail were re-arrested in California"),
    },
    "Strongest case": {
        "detainer_rate": (1.0, "assumption: ICE asks to hold every referred match"),
        "honour_rate": (1.0, "full cooperation: every detainer ends in ICE custody"),
        "removal_rate": (0.9, "assumption: nearly everyone transferred is removed"),
        "offences_violent_felony": (0.2, "assumption: twice the defaults; prior removal "
                                    "marks a higher risk of re-arrest (Hickman et al.)"),
        "offences_other_felony": (0.1, "twice the default"),
        "offences_misdemeanour": (0.06, "twice the default"),
        "offences_traffic": (0.02, "twice the default"),
        "offences_no_charge": (0.02, "twice the default"),
        "years_in_county": (13, "the median unauthorized adult's 12.7 years in the U.S. "
                            "(Pew), read as years still to come"),
    },
}
"""Settings for incapacitation at its weakest and strongest plausible values, each with
its reason: ``case -> {parameter: (value, reason)}``. Other parameters stay at defaults."""


def case_values(case: str, values: dict | None = None) -> dict:
    """Validated parameters of one of ``INCAPACITATION_CASES`` (others from ``values``
    or the defaults)."""
    if case not in INCAPACITATION_CASES:
        raise ValueError(f"case must be one of {', '.join(INCAPACITATION_CASES)}; got {case!r}")
    settings = {name: value for name, (value, _) in INCAPACITATION_CASES[case].items()}
    return PARAMS.validate(dict(values or {}) | settings)


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
             "was a felony, for each scope from violent felonies only to all bookings.",
             empty_message="No one is removed at this setting, so there is no precision "
             "(the felony share of removals) to show."),
    ),
    sliders=("scope", "match_probability", "honour_rate", "task_force_arrests"),
)
