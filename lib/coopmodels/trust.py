"""Trust and crime reporting: the chilling effect, in the long run and over time.

**Long run.** Trust T (relative to its level without cooperation) settles where recovery
toward that level balances erosion by visible enforcement:

    T*(c) = 1 / (1 + k * c),        k = d / (1 - d),

so victims and witnesses report ``T*`` times as often as without cooperation (reporting
is taken to be proportional to trust) and, at full cooperation c = 1, a share d less.
:func:`reporting_multiplier` is this function; the chapter on transnational crime uses it.

**Over time (mean-field model).** Households of four statuses s (citizen, lawful resident,
mixed-status, undocumented) live in one well-mixed community; time runs in months. While
cooperation is on, at level c, police contacts lead to ICE transfers, and word spreads:

    exposure   E(t+1) = (1 - 1/m) E(t) + c(t) / m                  (m: months remembered)
    target     T*_s   = ceiling(outreach) / (1 + k * sensitivity_s * E)
    trust      T_s(t+1) = T_s + (T*_s - T_s) / tau                  tau = months to lose
               trust when T_s > T*_s, ``asymmetry`` times longer to regain it otherwise
    reporting  r_s = baseline_reporting * T_s / baseline_trust
    crime      v(t) = v0 * (1 + elasticity * (R0 - R) / R0),   R = sum_s share_s r_s
    reported   = v(t) * R(t)

With cooperation held at c, exposure tends to c and trust to ``ceiling / (1 + k s c)``;
without outreach that is ``baseline_trust * reporting_multiplier(s * c)``: the long-run
limit above. Offending responds to reporting through clearance and deterrence (the
elasticity of offending to reporting). The agent-based version is
:mod:`coopmodels.trust_abm`; on a well-mixed network its average follows this model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopmodels.model import SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

STATUSES = ("Citizen", "Lawful resident", "Mixed-status", "Undocumented")
TRUE_CRIME = "True victimisation"
REPORTED_CRIME = "Crime reported to police"

REPORTING_DROP = Param(
    "reporting_drop", "Drop in reporting at full cooperation", 0.3, 0.0, 0.9, 0.01,
    "share of reports lost", "goncalves2024",
    note="Hispanic residents were about 30% less likely to report crimes to police after "
    "Secure Communities began; here the drop for the most exposed households.",
)
"""The chilling effect at full cooperation, shared by every model that needs it."""

PARAMS = ParamSet(
    Param("cooperation", "Cooperation level", 1.0, 0.0, 1.0, 0.05, "0 = none, 1 = full",
          ASSUMPTION, note="Full cooperation while it is on, as under Secure Communities."),
    Param("outreach", "Community outreach", 0.0, 0.0, 1.0, 0.05,
          "share of the trust gap closed", ASSUMPTION,
          note="None by default. At 1, outreach raises the ceiling of trust to full trust."),
    Param("mixed_status_share", "Mixed-status households", 0.15, 0.0, 0.4, 0.01,
          "share of households", ASSUMPTION,
          note="Illustrative composition of an immigrant community; citizens are the rest."),
    Param("trust_asymmetry", "Trust is regained this many times slower than lost", 4, 1,
          10, 0.5, "times", ASSUMPTION,
          note="Trust is thought to be lost faster than it is rebuilt; no study measures "
          "by how much."),
    REPORTING_DROP,
    Param("lawful_share", "Lawful-resident households", 0.25, 0.0, 0.5, 0.01,
          "share of households", ASSUMPTION, note="Illustrative composition."),
    Param("undocumented_share", "Undocumented households", 0.10, 0.0, 0.5, 0.01,
          "share of households", ASSUMPTION, note="Illustrative composition."),
    Param("sensitivity_citizen", "Sensitivity of citizen households", 0.4, 0.0, 1.0, 0.05,
          "relative to undocumented", "theodore2013",
          note="28% of U.S.-born Latinos against 70% of undocumented respondents said they "
          "were less likely to contact police (28 / 70 = 0.4)."),
    Param("sensitivity_lawful", "Sensitivity of lawful-resident households", 0.6, 0.0, 1.0,
          0.05, "relative to undocumented", ASSUMPTION,
          note="Between citizens and mixed-status households."),
    Param("sensitivity_mixed", "Sensitivity of mixed-status households", 0.85, 0.0, 1.0,
          0.05, "relative to undocumented", ASSUMPTION,
          note="Close to undocumented households: a member can be removed."),
    Param("months_to_lose_trust", "Months for trust to adjust downward", 6, 1, 24, 1,
          "months", ASSUMPTION, note="Time constant of the fall in trust.", integer=True),
    Param("fear_memory_months", "Months enforcement events are remembered", 6, 1, 24, 1,
          "months", ASSUMPTION, note="Time constant of exposure.", integer=True),
    Param("baseline_trust", "Trust without cooperation", 0.7, 0.1, 1.0, 0.05,
          "0 = none, 1 = full", ASSUMPTION,
          note="Room for outreach to raise trust; reporting scales with trust / this."),
    Param("baseline_reporting", "Victimisations reported without cooperation", 0.42,
          0.05, 0.95, 0.01, "share of victimisations", "bjs2023",
          note="42% of violent victimisations were reported to police in 2022 (NCVS)."),
    Param("monthly_victimisation", "Households victimised per month", 0.009, 0.001, 0.05,
          0.001, "share of households per month", "goncalves2024",
          note="Baseline monthly victimisation of Hispanic respondents, 0.9% (as "
          "summarised by a secondary source)."),
    Param("elasticity", "Elasticity of offending to reporting", 0.79, 0.0, 2.0, 0.01,
          "% more offending per 1% less reporting", "goncalves2024",
          note="'A 10% decline in reporting increases offending by 7.9%.'"),
    Param("start_month", "Cooperation starts", 12, 0, 60, 6, "months", ASSUMPTION,
          note="One year of baseline first.", integer=True),
    Param("duration_months", "Cooperation lasts", 60, 0, 120, 6, "months", ASSUMPTION,
          note="Five years on, then off: shows how slowly trust returns.", integer=True),
    Param("horizon_months", "Months simulated", 144, 24, 240, 12, "months", ASSUMPTION,
          note="Twelve years.", integer=True),
)


def erosion_ratio(reporting_drop: float) -> float:
    """k in ``T* = 1 / (1 + k c)``: erosion relative to recovery, ``d / (1 - d)``."""
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


# --- Shared by the mean-field and the agent-based model -------------------------------

@dataclass(frozen=True)
class Community:
    """What both trust models need, derived once from a parameter dictionary."""

    shares: np.ndarray          # household share by status (sums to 1)
    sensitivity: np.ndarray     # by status, undocumented = 1
    k: float                    # erosion ratio
    ceiling: float              # trust that recovery aims at, with outreach
    baseline_trust: float
    baseline_reporting: float
    monthly_victimisation: float
    elasticity: float
    loss_rate: float            # per month, toward a lower target
    gain_rate: float            # per month, toward a higher target
    memory: float               # weight of this month in exposure, 1 / months remembered

    @classmethod
    def from_values(cls, values: dict) -> Community:
        return cls(
            shares=status_shares(values["mixed_status_share"], values["lawful_share"],
                                 values["undocumented_share"]),
            sensitivity=np.array([values["sensitivity_citizen"], values["sensitivity_lawful"],
                                  values["sensitivity_mixed"], 1.0]),
            k=erosion_ratio(values["reporting_drop"]),
            ceiling=values["baseline_trust"]
            + (1 - values["baseline_trust"]) * values["outreach"],
            baseline_trust=values["baseline_trust"],
            baseline_reporting=values["baseline_reporting"],
            monthly_victimisation=values["monthly_victimisation"],
            elasticity=values["elasticity"],
            loss_rate=1.0 / values["months_to_lose_trust"],
            gain_rate=1.0 / (values["months_to_lose_trust"] * values["trust_asymmetry"]),
            memory=1.0 / values["fear_memory_months"],
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


def cooperation_schedule(values: dict) -> np.ndarray:
    """Cooperation level in each month: ``cooperation`` while on, 0 otherwise."""
    months = np.arange(values["horizon_months"])
    on = (months >= values["start_month"]) & (
        months < values["start_month"] + values["duration_months"])
    return np.where(on, values["cooperation"], 0.0)


def mean_field(values: dict) -> dict[str, np.ndarray]:
    """Monthly trajectories of the well-mixed community (see module docstring).

    Returns ``trust`` (months x statuses), ``exposure``, ``reporting_rate`` (community),
    ``victimisation`` (true, per household per month) and ``reported`` (per household
    per month). Month 0 is the state before any cooperation.
    """
    community = Community.from_values(values)
    schedule = cooperation_schedule(values)
    trust = np.full(len(STATUSES), community.baseline_trust)
    exposure = 0.0
    rows = {"trust": [], "exposure": [], "reporting_rate": [], "victimisation": []}
    for level in schedule:
        rate = float(community.shares @ community.reporting(trust))
        rows["trust"].append(trust)
        rows["exposure"].append(exposure)
        rows["reporting_rate"].append(rate)
        rows["victimisation"].append(community.victimisation(rate))
        exposure = (1 - community.memory) * exposure + community.memory * level
        trust = community.adjust(trust, community.target_trust(community.sensitivity,
                                                               exposure))
    out = {name: np.array(series) for name, series in rows.items()}
    out["reported"] = out["victimisation"] * out["reporting_rate"]
    return out


MONTHS_PER_POINT = 3
"""Charts show one point a quarter: the curves are smooth, and pages stay light."""


def trajectory_frame(months: np.ndarray, trust_by_status: np.ndarray,
                     victimisation: np.ndarray, reported: np.ndarray,
                     community: Community) -> pd.DataFrame:
    """Tidy frame shared by both trust models: trust by status, crime indices.

    One row per quarter (:data:`MONTHS_PER_POINT`). Crime indices are 100 before
    cooperation: ``100 * v / v0`` and ``100 * reported / (v0 * R0)``.
    """
    shown = slice(None, None, MONTHS_PER_POINT)
    months, trust_by_status = months[shown], trust_by_status[shown]
    victimisation, reported = victimisation[shown], reported[shown]
    years = months / 12
    v0 = community.monthly_victimisation
    reported0 = v0 * community.baseline_reporting
    frames = [pd.DataFrame({SERIES: status, "year": years, "trust": trust_by_status[:, s]})
              for s, status in enumerate(STATUSES)]
    frames += [pd.DataFrame({SERIES: TRUE_CRIME, "year": years,
                             "crime_index": 100 * victimisation / v0}),
               pd.DataFrame({SERIES: REPORTED_CRIME, "year": years,
                             "crime_index": 100 * reported / reported0})]
    return pd.DataFrame(pd.concat(frames, ignore_index=True))


def simulate(**values: float) -> pd.DataFrame:
    """Tidy frame of the mean-field trajectories (see :func:`trajectory_frame`)."""
    out = mean_field(values)
    return trajectory_frame(np.arange(values["horizon_months"]), out["trust"],
                            out["victimisation"], out["reported"],
                            Community.from_values(values))


YEAR = Field("year", "Years", format=".0f")
TRUST_VIEW = View(x=YEAR, y=Field("trust", "Trust in police", "0 = none, 1 = full",
                                  format=".2f"),
                  title="Trust in police, by household",
                  description="Line chart of trust in police over twelve years for citizen, "
                  "lawful-resident, mixed-status and undocumented households; cooperation "
                  "is on from year 1 to year 6.")
CRIME_VIEW = View(x=YEAR, y=Field("crime_index", "Crime", "index, before = 100",
                                  format=".0f"),
                  title="True victimisation and crime reported to police",
                  description="Line chart of true victimisation and of crime reported to "
                  "police over twelve years, both as an index equal to 100 before "
                  "cooperation begins.")

MODEL = Model(
    name="trust_mean_field",
    title="Trust and reporting (mean-field)",
    chapter="book/04_trust_and_reporting.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(TRUST_VIEW, CRIME_VIEW),
    sliders=("cooperation", "outreach", "mixed_status_share", "trust_asymmetry"),
    max_scenarios=450,  # twelve years of monthly series per scenario: page weight
)
