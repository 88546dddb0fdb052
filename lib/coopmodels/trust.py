"""Trust and crime reporting: the chilling effect, in the long run and over time.

**Long run, one kind of household.** Trust T (relative to its level without cooperation)
settles where recovery toward that level balances erosion by visible enforcement:

    T*(c) = 1 / (1 + k * c),        k = d / (1 - d),

so victims and witnesses report ``T*`` times as often as without cooperation (reporting
is taken to be proportional to trust) and, at full cooperation c = 1, a share d less.
:func:`reporting_multiplier` is this function; the chapter on transnational crime uses it
for a whole community's tips.

**Over time (mean-field model).** Households of four statuses s (citizen, lawful resident,
mixed-status, undocumented), in shares w_s, live in one well-mixed community; time runs
in months. While cooperation is on, at level c, police contacts lead to ICE transfers,
and word spreads:

    exposure   E(t+1) = (1 - 1/m) E(t) + c(t) / m                  (m: months remembered)
    target     T*_s   = ceiling(outreach) / (1 + k * sensitivity_s * E)
    trust      T_s(t+1) = T_s + (T*_s - T_s) / tau                  tau = months to lose
               trust when T_s > T*_s, ``asymmetry`` times longer to regain it otherwise
    reporting  r_s = baseline_reporting * T_s / baseline_trust
    crime      v(t) = v0 * (1 + elasticity * (R0 - R) / R0),   R = sum_s w_s r_s
    reported   = v(t) * R(t)

**Calibration.** ``reporting_drop`` d is the fall in the *community-wide* reporting rate R
at full cooperation in the long run, as in the study it comes from (an average over all
Hispanic respondents). :func:`community_erosion` finds the k for which the reference
community (:data:`REFERENCE_SHARES`, the default composition) loses exactly that share:
``sum_s w_s / (1 + k * sensitivity_s) = 1 - d``. The sensitivities spread the fall across
statuses; a community with more mixed-status or undocumented households than the
reference loses more. With one kind of household, k is :func:`erosion_ratio`.

**Police records.** The community is part of a county. If its members are a share w of
the county's victims, crime reported county-wide moves by ``w`` times the community's
change: :func:`county_reported_index`.

With cooperation held at c, exposure tends to c and trust to ``ceiling / (1 + k s c)``.
Offending responds to reporting through clearance and deterrence (the elasticity of
offending to reporting). The agent-based version is :mod:`coopmodels.trust_abm`; on a
well-mixed network its average follows this model.

Cooperation is on from ``start_month`` for ``duration_months`` (:func:`cooperation_years`
gives the span in years, as the charts' x axis shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from coopmodels.model import SERIES, Field, Model, Shade, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

STATUSES = ("Citizen", "Lawful resident", "Mixed-status", "Undocumented")
TRUE_CRIME = "True victimisation, community"
REPORTED_CRIME = "Reported to police, community"
COUNTY_REPORTED = "Reported to police, whole county"
CRIME_SERIES = (TRUE_CRIME, REPORTED_CRIME, COUNTY_REPORTED)

REPORTING_DROP = Param(
    "reporting_drop", "Drop in reporting at full cooperation", 0.3, 0.0, 0.9, 0.01,
    "share of the community's reports lost", "goncalves2024",
    note="After Secure Communities began, Hispanic residents were 30% less likely to "
    "report crimes to police: an average over all Hispanic respondents, so here the fall "
    "in the whole community's reporting at full cooperation, in the long run. The range "
    "runs from no chilling effect (0) to the 44% to 70% of stated intentions in surveys.",
    kind="empirical", figure=0.3,
)
"""The chilling effect at full cooperation, shared by every model that needs it."""

PARAMS = ParamSet(
    Param("cooperation", "Cooperation level", 1.0, 0.0, 1.0, 0.05, "0 = none, 1 = full",
          ASSUMPTION, note="Full cooperation while it is on, as under Secure Communities.",
          kind="policy"),
    Param("outreach", "Community outreach", 0.0, 0.0, 1.0, 0.05,
          "share of the trust gap closed", ASSUMPTION,
          note="None by default. At 1, outreach raises the ceiling of trust to full trust.",
          kind="policy"),
    Param("mixed_status_share", "Mixed-status households", 0.07, 0.0, 0.4, 0.01,
          "share of households", "lopez2017pew, passel2006",
          note="Pew counts 24% of foreign-born residents as unauthorized (2015) "
          "{cite:p}`lopez2017pew`. Of 6.6 million unauthorized families in 2005, 1.5 "
          "million had only U.S.-born children and 460,000 both U.S.-born and "
          "unauthorized children: \"about one-third\" were of mixed status "
          "{cite:p}`passel2006` (Pew's report, seen quoted by a secondary source). "
          "24% × (1.5 + 0.46) / 6.6 = 0.0713. Pew counts a family as mixed only through "
          "its children, so households whose mix is a citizen or lawful spouse are "
          "missing: a lower bound, from two different years.",
          kind="empirical", figure=0.0713),
    Param("trust_asymmetry", "Trust is regained this many times slower than lost", 4, 1,
          10, 0.5, "times", ASSUMPTION,
          note="A knob of the model's stylised trust dynamics: the ratio of the time "
          "constants for regaining and losing trust, on the model's own trust scale. "
          "Trust is thought to be lost faster than it is rebuilt; what a study could "
          "measure is how fast reporting falls and recovers, which this ratio shapes "
          "together with the other two time constants. 1 means no asymmetry.",
          kind="teaching"),
    REPORTING_DROP,
    Param("lawful_share", "Lawful-resident households", 0.32, 0.0, 0.5, 0.01,
          "share of households", "lopez2017pew",
          note="Of foreign-born residents in 2015, 27% were lawful permanent residents and "
          "5% temporary residents: 27% + 5% = 32% (Pew counts people; we use the same "
          "shares for households). Naturalized citizens (44%) are the citizen households.",
          kind="empirical", figure=0.32),
    Param("undocumented_share", "Undocumented households", 0.17, 0.0, 0.5, 0.01,
          "share of households", "lopez2017pew, passel2006",
          note="The rest of Pew's 24% unauthorized (2015) {cite:p}`lopez2017pew`: the "
          "unauthorized families that were not of mixed status in 2005, 24% − 7.13% = "
          "16.87% {cite:p}`passel2006` (see mixed-status households; an upper bound for "
          "the same reason).", kind="empirical", figure=0.1687),
    Param("sensitivity_citizen", "Sensitivity of citizen households", 0.4, 0.0, 1.0, 0.05,
          "relative to undocumented", "theodore2013",
          note="28% of U.S.-born Latinos against 70% of undocumented respondents said they "
          "were less likely to contact police (28 / 70 = 0.4).", kind="empirical",
          figure=0.4),
    Param("sensitivity_lawful", "Sensitivity of lawful-resident households", 0.6, 0.0, 1.0,
          0.05, "relative to undocumented", ASSUMPTION,
          note="Between citizens and mixed-status households.", kind="empirical"),
    Param("sensitivity_mixed", "Sensitivity of mixed-status households", 0.85, 0.0, 1.0,
          0.05, "relative to undocumented", ASSUMPTION,
          note="Close to undocumented households: a member can be removed.",
          kind="empirical"),
    Param("months_to_lose_trust", "Months for trust to adjust downward", 6, 1, 24, 1,
          "months", ASSUMPTION,
          note="Time constant of the fall of the model's own trust scale toward its "
          "target; a knob of the stylised dynamics. What a study could measure, how fast "
          "reporting falls after cooperation starts, depends on it and the months "
          "remembered together, not on either alone.", integer=True, kind="teaching"),
    Param("fear_memory_months", "Months enforcement events are remembered", 6, 1, 24, 1,
          "months", ASSUMPTION,
          note="Memory of the model's exposure index (how much enforcement a household "
          "has heard of lately), a quantity of the stylised model with no measured "
          "counterpart; a knob of the dynamics, with the months to lose trust.",
          integer=True, kind="teaching"),
    Param("baseline_trust", "Trust without cooperation", 0.7, 0.1, 1.0, 0.05,
          "0 = none, 1 = full", ASSUMPTION,
          note="A point on the model's own trust scale: room for outreach to raise trust; "
          "reporting scales with trust / this.", kind="teaching"),
    Param("baseline_reporting", "Victimisations reported without cooperation", 0.42,
          0.05, 0.95, 0.01, "share of victimisations", "bjs2023",
          note="42% of violent victimisations were reported to police in 2022 (NCVS).",
          kind="empirical", figure=0.42),
    Param("monthly_victimisation", "Households victimised per month", 0.009, 0.001, 0.05,
          0.001, "share of households per month", "goncalves2024",
          note="Baseline monthly victimisation of Hispanic respondents, 0.9% (as "
          "summarised by a secondary source).", kind="empirical", figure=0.009),
    Param("elasticity", "Elasticity of offending to reporting", 0.79, 0.0, 2.0, 0.01,
          "% more offending per 1% less reporting", "goncalves2024",
          note="'A 10% decline in reporting increases offending by 7.9%': 0.79. At 0 "
          "offending does not respond to reporting at all.", kind="empirical",
          figure=0.79),
    Param("community_share_of_victims", "Community's share of the county's victims", 0.2,
          0.0, 1.0, 0.05, "share of victimisations", ASSUMPTION,
          note="Immigrants were 13.4% of U.S. residents in 2015 {cite:p}`lopez2017pew`; "
          "their households, with U.S.-born children, are more, and counties differ "
          "widely. Illustrative.",
          kind="empirical"),
    Param("start_month", "Cooperation starts", 12, 0, 60, 6, "months", ASSUMPTION,
          note="One year of baseline first.", integer=True, kind="display"),
    Param("duration_months", "Cooperation lasts", 60, 0, 120, 6, "months", ASSUMPTION,
          note="Five years on, then off: shows how slowly trust returns.", integer=True,
          kind="policy"),
    Param("horizon_months", "Months simulated", 144, 24, 240, 12, "months", ASSUMPTION,
          note="Twelve years.", integer=True, kind="display"),
)

_SHARE_NAMES = ("mixed_status_share", "lawful_share", "undocumented_share")


def status_shares(mixed_status_share: float, lawful_share: float,
                  undocumented_share: float) -> np.ndarray:
    """Household shares (citizen, lawful, mixed, undocumented); citizens are the rest."""
    citizen = 1.0 - mixed_status_share - lawful_share - undocumented_share
    if citizen < -1e-9:
        raise ValueError(
            "mixed_status_share + lawful_share + undocumented_share must be at most 1 "
            f"(citizen households are the rest); got {1 - citizen:.3g}")
    return np.array([max(citizen, 0.0), lawful_share, mixed_status_share,
                     undocumented_share])


REFERENCE_SHARES = status_shares(*(PARAMS[name].default for name in _SHARE_NAMES))
"""The community the chilling effect is calibrated on: the default composition."""


def erosion_ratio(reporting_drop: float) -> float:
    """k in ``T* = 1 / (1 + k c)`` for one kind of household: ``d / (1 - d)``."""
    REPORTING_DROP.validate(reporting_drop)
    return reporting_drop / (1.0 - reporting_drop)


def reporting_multiplier(cooperation: float | np.ndarray, reporting_drop: float
                         ) -> float | np.ndarray:
    """Long-run reporting relative to no cooperation: ``1 / (1 + k * cooperation)``.

    Equals 1 at ``cooperation = 0`` and ``1 - reporting_drop`` at ``cooperation = 1``;
    decreasing and convex in between.
    """
    cooperation = np.asarray(cooperation, dtype=float)
    if np.isnan(cooperation).any() or (cooperation < 0).any() or (cooperation > 1).any():
        raise ValueError(f"cooperation must be in [0, 1] (level); got {cooperation!r}")
    return 1.0 / (1.0 + erosion_ratio(reporting_drop) * cooperation)


def community_reporting(k: float, sensitivity: np.ndarray, shares: np.ndarray,
                        cooperation: float | np.ndarray = 1.0) -> float | np.ndarray:
    """Long-run community reporting relative to none: ``sum_s w_s / (1 + k s_s c)``."""
    level = np.asarray(cooperation, dtype=float)[..., None]
    return (shares / (1.0 + k * sensitivity * level)).sum(axis=-1)


def community_erosion(reporting_drop: float, sensitivity: np.ndarray,
                      shares: np.ndarray = REFERENCE_SHARES) -> float:
    """k at which the community's long-run reporting at full cooperation falls by
    ``reporting_drop``: ``sum_s w_s / (1 + k * sensitivity_s) = 1 - reporting_drop``.

    Raises ``ValueError`` if no k reaches it (households with sensitivity 0 never stop
    reporting, so the community can lose at most the share of the others).
    """
    REPORTING_DROP.validate(reporting_drop)
    sensitivity, shares = np.asarray(sensitivity, float), np.asarray(shares, float)
    if reporting_drop == 0:
        return 0.0
    most = float(shares[sensitivity > 0].sum())
    if reporting_drop >= most - 1e-9:
        raise ValueError(
            f"reporting_drop must be below {most:.3g} with these sensitivities (households "
            f"with sensitivity 0 keep reporting); got {reporting_drop!r}")
    target = 1.0 - reporting_drop
    low, high = 0.0, 1.0
    while community_reporting(high, sensitivity, shares) > target:
        low, high = high, 2 * high
    for _ in range(60):  # bisection: reporting falls as k rises
        middle = (low + high) / 2
        if community_reporting(middle, sensitivity, shares) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def county_reported_index(community_reported_index: float | np.ndarray,
                          community_share_of_victims: float) -> float | np.ndarray:
    """County-wide reported crime (index, before = 100) when only the community changes.

    ``100 * (1 - w) + w * index``: the rest of the county reports as before. Before
    cooperation every victim reports at the same rate, so ``w`` is also the community's
    share of reported crime.
    """
    share = PARAMS["community_share_of_victims"].validate(community_share_of_victims)
    return 100 * (1 - share) + share * np.asarray(community_reported_index, float)


@lru_cache(maxsize=4096)
def _reference_erosion(reporting_drop: float, sensitivity: tuple[float, ...]) -> float:
    """:func:`community_erosion` on the reference community, remembered (it is solved
    numerically, and the explorers ask for the same few values thousands of times)."""
    return community_erosion(reporting_drop, np.array(sensitivity))


# --- Shared by the mean-field and the agent-based model -------------------------------

@dataclass(frozen=True)
class Community:
    """What both trust models need, derived once from a parameter dictionary."""

    shares: np.ndarray          # household share by status (sums to 1)
    sensitivity: np.ndarray     # by status, undocumented = 1
    k: float                    # erosion ratio, calibrated on the reference community
    ceiling: float              # trust that recovery aims at, with outreach
    baseline_trust: float
    baseline_reporting: float
    monthly_victimisation: float
    elasticity: float
    loss_rate: float            # per month, toward a lower target
    gain_rate: float            # per month, toward a higher target
    memory: float               # weight of this month in exposure, 1 / months remembered
    share_of_victims: float     # the community's share of the county's victims

    @classmethod
    def from_values(cls, values: dict) -> Community:
        sensitivity = np.array([values["sensitivity_citizen"], values["sensitivity_lawful"],
                                values["sensitivity_mixed"], 1.0])
        return cls(
            shares=status_shares(*(values[name] for name in _SHARE_NAMES)),
            sensitivity=sensitivity,
            k=_reference_erosion(float(values["reporting_drop"]), tuple(sensitivity.tolist())),
            ceiling=values["baseline_trust"]
            + (1 - values["baseline_trust"]) * values["outreach"],
            baseline_trust=values["baseline_trust"],
            baseline_reporting=values["baseline_reporting"],
            monthly_victimisation=values["monthly_victimisation"],
            elasticity=values["elasticity"],
            loss_rate=1.0 / values["months_to_lose_trust"],
            gain_rate=1.0 / (values["months_to_lose_trust"] * values["trust_asymmetry"]),
            memory=1.0 / values["fear_memory_months"],
            share_of_victims=values["community_share_of_victims"],
        )

    def target_trust(self, sensitivity: np.ndarray, exposure: np.ndarray) -> np.ndarray:
        """Where trust heads: ``ceiling / (1 + k * sensitivity * exposure)``."""
        return self.ceiling / (1.0 + self.k * sensitivity * exposure)

    def adjust(self, trust: np.ndarray, target: np.ndarray) -> np.ndarray:
        """One month of asymmetric adjustment toward ``target``."""
        gap = target - trust
        return trust + gap * np.where(gap < 0, self.loss_rate, self.gain_rate)

    def reporting(self, trust: np.ndarray) -> np.ndarray:
        """Probability a victim reports: ``baseline_reporting * trust / baseline_trust``."""
        return np.minimum(self.baseline_reporting * trust / self.baseline_trust, 1.0)

    def victimisation(self, reporting_rate: float) -> float:
        """Monthly victimisation: ``v0 * (1 + elasticity * (R0 - R) / R0)``, at least 0."""
        r0 = self.baseline_reporting
        return max(self.monthly_victimisation
                   * (1 + self.elasticity * (r0 - reporting_rate) / r0), 0.0)


def cooperation_schedule(values: dict) -> np.ndarray:
    """Cooperation level in each month: ``cooperation`` while on, 0 otherwise."""
    months = np.arange(values["horizon_months"])
    on = (months >= values["start_month"]) & (
        months < values["start_month"] + values["duration_months"])
    return np.where(on, values["cooperation"], 0.0)


def cooperation_years(values: dict) -> tuple[float, float]:
    """First and last year of cooperation on the charts' axis (years from month 0).

    Cooperation is on from ``start_month`` up to, not including, ``start_month +
    duration_months``, cut at the horizon: the span a chart shades.
    """
    start = min(values["start_month"], values["horizon_months"])
    end = min(values["start_month"] + values["duration_months"], values["horizon_months"])
    return start / 12, end / 12


def mean_field(values: dict, community: Community | None = None) -> dict[str, np.ndarray]:
    """Monthly trajectories of the well-mixed community (see module docstring).

    Returns ``trust`` (months x statuses), ``exposure``, ``reporting_rate`` (community),
    ``victimisation`` (true, per household per month) and ``reported`` (per household
    per month). Month 0 is the state before any cooperation. ``community`` saves
    deriving it again from ``values``.
    """
    community = community or Community.from_values(values)
    schedule = cooperation_schedule(values)
    # Exposure is a moving average of the schedule: E(t+1) = keep E(t) + learn c(t).
    keep, learn = 1 - community.memory, community.memory
    exposure = np.zeros(len(schedule))
    for month in range(1, len(schedule)):
        exposure[month] = keep * exposure[month - 1] + learn * schedule[month - 1]
    # Trust, status by status (plain floats: four statuses, a few hundred months).
    trust = np.empty((len(schedule), len(STATUSES)))
    loss, gain = community.loss_rate, community.gain_rate
    for s, erosion in enumerate((community.k * community.sensitivity).tolist()):
        level = community.baseline_trust
        column = trust[:, s]
        targets = (community.ceiling / (1.0 + erosion * exposure[1:])).tolist()
        column[0] = level
        for month, target in enumerate(targets, start=1):
            gap = target - level
            level += gap * (loss if gap < 0 else gain)
            column[month] = level
    rate = community.reporting(trust) @ community.shares
    r0 = community.baseline_reporting
    victimisation = np.maximum(community.monthly_victimisation
                               * (1 + community.elasticity * (r0 - rate) / r0), 0.0)
    return {"trust": trust, "exposure": exposure, "reporting_rate": rate,
            "victimisation": victimisation, "reported": victimisation * rate}


def chart_months(values: dict) -> np.ndarray:
    """Months the charts draw: each quarter for a year after cooperation starts and after
    it stops (where trust moves fastest), each half-year in the year after that, yearly
    otherwise, and the last month.

    Fewer points than every month keep the kernel-free explorers light; the curves
    between them are smooth (time constants of six months and more).
    """
    horizon = values["horizon_months"]
    switches = {values["start_month"], values["start_month"] + values["duration_months"]}
    months = set(range(0, horizon, 12)) | {horizon - 1}
    for switch in switches:
        months |= set(range(switch, switch + 12, 3)) | {switch + 18}
    return np.array(sorted(m for m in months if 0 <= m < horizon))


def trajectory_frame(months: np.ndarray, trust_by_status: np.ndarray,
                     victimisation: np.ndarray, reported: np.ndarray,
                     community: Community) -> pd.DataFrame:
    """Tidy frame shared by both trust models: trust by status, crime indices.

    One row per month in ``months`` (see :func:`chart_months`) and series. Crime indices
    are 100 before cooperation: ``100 * v / v0`` and ``100 * reported / (v0 * R0)`` for
    the community, and :func:`county_reported_index` of the latter for the county.
    """
    years = np.round(months / 12, 2)
    v0 = community.monthly_victimisation
    true_index = 100 * victimisation[months] / v0
    reported_index = 100 * reported[months] / (v0 * community.baseline_reporting)
    county = county_reported_index(reported_index, community.share_of_victims)
    n, statuses = len(months), len(STATUSES)
    blank = np.full(n * len(CRIME_SERIES), np.nan)
    return pd.DataFrame({
        SERIES: np.repeat(np.array(STATUSES + CRIME_SERIES, dtype=object), n),
        "year": np.tile(years, statuses + len(CRIME_SERIES)),
        "trust": np.concatenate([trust_by_status[months].T.ravel(), blank]),
        "crime_index": np.concatenate([np.full(n * statuses, np.nan), true_index,
                                       reported_index, county]),
    })


def simulate(**values: float) -> pd.DataFrame:
    """Tidy frame of the mean-field trajectories (see :func:`trajectory_frame`)."""
    community = Community.from_values(values)
    out = mean_field(values, community)
    return trajectory_frame(chart_months(values), out["trust"], out["victimisation"],
                            out["reported"], community)


YEAR = Field("year", "Years", format=".0f")
COOPERATION_ON = Shade("Cooperation on", lambda values: cooperation_years(values)
                       if values["cooperation"] > 0 else None)
"""The years cooperation is on, shaded on every chart of the trust models."""

TRUST_VIEW = View(x=YEAR, y=Field("trust", "Trust in police", "0 = none, 1 = full",
                                  format=".2f"),
                  title="Trust in police, by household",
                  description="Line chart of trust in police over twelve years for citizen, "
                  "lawful-resident, mixed-status and undocumented households; cooperation "
                  "is on from year 1 to year 6.", shade=COOPERATION_ON)
CRIME_VIEW = View(x=YEAR, y=Field("crime_index", "Crime", "index, before = 100",
                                  format=".0f"),
                  title="Crime in the community, and in the county's police records",
                  description="Line chart over twelve years, as an index equal to 100 "
                  "before cooperation begins, of true victimisation in the community, of "
                  "crime the community reports to police, and of crime reported to police "
                  "in the whole county; cooperation is on from year 1 to year 6.",
                  shade=COOPERATION_ON)

MODEL = Model(
    name="trust_mean_field",
    title="Trust and reporting (mean-field)",
    chapter="book/04_trust_and_reporting.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(TRUST_VIEW, CRIME_VIEW),
    sliders=("reporting_drop", "outreach", "trust_asymmetry"),
    max_scenarios=7**3,  # seven positions each: page weight (two explorers on the page)
)
