"""Police capacity: calls for service as a multi-server queue, and what cooperation costs.

**Time.** Calls arrive at random (Poisson, ``calls_per_hour``); each needs one officer for
a random time (exponential, mean ``minutes_per_call``); ``officers_on_duty`` officers
answer them, first come first served. That is the M/M/c queue, and Erlang's C formula
gives [offered load a = lambda / mu (erlangs), c officers, utilisation rho = a / c]:

    B(0) = 1,  B(k) = a B(k-1) / (k + a B(k-1))        Erlang B, a stable recursion
    P(wait) = C = B(c) / (1 - rho (1 - B(c)))           Erlang C, for rho < 1
    mean wait = C / (c mu - lambda)
    P(wait > t) = C exp(-(c mu - lambda) t)

No factorials are formed, so thousands of officers pose no overflow. At rho >= 1 the queue
has no steady state and grows without limit: the mean wait is reported as NaN (not drawn;
an empty panel means "no steady state") and the share of calls waiting longer than the
threshold as 1 (in time, every call does).

Cooperation takes officer time: processing and transporting people held on detainers, and
officers assigned to a task force, less any hours the agency *backfills* (replacement
officers hired, or overtime paid, so that patrol keeps its strength). The rest is time
officers are not available for calls, so each officer serves calls at rate
``mu * (1 - f)``, where ``f`` is the share of on-duty officer time diverted.

**Officers on duty.** The default follows from national figures, by arithmetic:
2.17 sworn officers per 1,000 residents (BJS, 2016) x 1,000,000 residents = 2,170; 64%
of sworn officers are uniformed officers whose regular duties include responding to calls
(BJS, 1996) = 1,389; staffing one post around the clock takes ``relief_factor`` officers
(8,760 hours a year over the 1,849 hours an officer is on duty in a police staffing
worksheet: 4.74; 1,700-2,000 hours give 4.4-5.2), so about 293 are on duty at any moment.

**Money.** Yearly cost to the county's budget [$], item by item:

    jail days     = detainers * extra_days * per_diem * (1 - jail_reimbursed_share)
    officers' pay = task_force_on_duty * relief_factor * officer_cost
                    * (1 - officer_reimbursed_share)
    backfill      = task_force_on_duty * relief_factor * backfill_share * officer_cost

Since 1 October 2025 ICE reimburses eligible task-force officers' salary and benefits;
backfilling is paid by the county (an assumption; overtime usually costs more per hour).
Detainers come from the screening model (:mod:`coopmodels.screening`), at its defaults.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from coopmodels import county, screening
from coopmodels.model import CURRENT, SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

HOURS_PER_DAY = 24
HOURS_PER_YEAR = 8_760
WAIT_THRESHOLD_MINUTES = 10

SWORN_PER_1000 = 2.17
"""Full-time sworn officers per 1,000 residents, 2016 (BJS, ``hyland2019``)."""
RESPONDER_SHARE = 0.64
"""Share of sworn officers who are uniformed officers whose regularly assigned duties
include responding to calls for service, 1996 (BJS, ``reaves1998``)."""

BUSY_SHARES = np.round(np.arange(0.20, 0.995, 0.01), 2)
"""Utilisation without cooperation (share of officer time busy on calls) at which the
explorer draws its curves."""

WITHOUT = "Without cooperation"
WITH = "With detainer work and task force"

PARAMS = ParamSet(
    Param("calls_per_hour", "Calls for service", 135, 5, 400, 5, "calls per hour",
          ASSUMPTION, kind="empirical",
          note="No national benchmark for police calls per resident, or for the share of "
          "patrol time spent on calls, was found. Chosen so that the default officers are "
          "busy with calls about a third of their time. 135 an hour is 1.2 million a "
          "year, 1.2 per resident; police calls include non-emergency and "
          "officer-initiated ones (all 911 calls, fire and medical included, number some "
          "240 million a year nationally {cite:p}`vera2020`). The range runs from a "
          "quiet department to one past capacity."),
    Param("minutes_per_call", "Officer time per call", 45, 10, 180, 5, "minutes",
          ASSUMPTION, kind="empirical",
          note="Officer time from dispatch to the end of the report, counting each officer "
          "sent. No reputable average was found; the range covers a short call handled "
          "alone to a long one with backup and paperwork."),
    Param("officers_on_duty", "Patrol officers on duty at any moment", 290, 10, 400, 10,
          "officers", "hyland2019, reaves1998, mncpef1998", kind="empirical", figure=293,
          note="Our arithmetic: 2,170 sworn officers (2.17 per 1,000 residents, 2016) "
          "× 64% whose regular duties include answering calls (1996) = 1,389, divided by "
          "4.74 officers to staff one post around the clock (the relief factor of a "
          "police staffing worksheet; 4.4 to 5.2 for 2,000 to 1,700 hours on duty) = 293. "
          "Fewer if some are tied up in work that cannot wait; 40 or so is one dispatch "
          "district.", integer=True),
    Param("relief_factor", "Officers to staff one post around the clock", 4.74, 4.0, 6.0,
          0.01, "officers per post", "mncpef1998", kind="empirical", figure=4.74,
          note="A staffing worksheet of the Minnesota Chiefs of Police Educational "
          "Foundation (1998), kept in a city's public records {cite:p}`mncpef1998`: after "
          "days off, vacation, holidays, training and sick time \"each officer provides "
          "1,849 hours on duty per year\", so one eight-hour post takes 2,920 / 1,849 = "
          "1.58 officers (the worksheet prints 1.57); around the clock, 8,760 / 1,849 = "
          "4.74. One department's worked example: 1,700 to 2,000 hours on duty give 4.4 "
          "to 5.2."),
    Param("hours_per_detainer", "Officer time per detainer", 3, 0, 12, 0.5,
          "officer-hours", ASSUMPTION, kind="empirical",
          note="Processing, paperwork and transport to ICE; no source found. From a "
          "hand-over inside the jail (0) to a long transport (12)."),
    Param("task_force_officers", "Task-force officers on duty at any moment", 4, 0, 40, 1,
          "officers", ASSUMPTION, kind="policy",
          note="Illustrative: about 19 officers assigned (4 × the relief factor). DHS "
          "counted 8,501 trained task-force officers in 958 agreements, about 9 per "
          "agreement {cite:p}`dhs2025_287g`; 0 is a jail-only agreement.", integer=True),
    Param("backfill_share", "Task-force hours backfilled", 0.0, 0.0, 1.0, 0.05,
          "share of task-force hours", ASSUMPTION, kind="policy",
          note="Replacement officers hired, or overtime paid, so that patrol keeps its "
          "strength: 0 = none, 1 = every hour. Hiring and training a replacement takes "
          "time, so 0 is the short run."),
    Param("extra_days_per_detainer", "Extra days in jail per detainer", 20.6, 0, 60, 0.1,
          "days", "greene2012", kind="empirical", figure=20.6,
          note="Los Angeles Sheriff's Department records: 'on average, 20.6 extra days in "
          "county custody' (an advocacy group's preliminary report)."),
    Param("jail_cost_per_day", "Jail cost per person-day", 128.9, 50, 300, 0.1, "dollars",
          "henrichson2015", kind="empirical", figure=128.92,
          note="$47,057 a year per incarcerated person, averaged over 35 jurisdictions "
          "(Vera, 2015), divided by 365: 128.92 dollars a day."),
    Param("reimbursed_share", "Share of detainer jail costs reimbursed", 0.2, 0.0, 1.0, 0.01,
          "share of costs", "ncsl2013", kind="policy",
          note="The State Criminal Alien Assistance Program (SCAAP) paid about 23% of "
          "submitted costs in FY2011 and 18% in FY2013 (secondary); 0.2 lies between. "
          "It pays for eligible inmate-days only; ICE's 2025 reimbursement is for "
          "officers, not jail days."),
    Param("officer_reimbursed_share", "Task-force officers' pay reimbursed by ICE", 1.0, 0.0,
          1.0, 0.05, "share of salary and benefits", "dhs2025_287g", kind="policy",
          note="From 1 October 2025 ICE will 'fully reimburse' eligible trained 287(g) "
          "officers' annual salary and benefits, with overtime up to 25% of salary; "
          "0 is the rule before then."),
    Param("officer_cost_per_year", "Salary and benefits of one officer", 108_500, 50_000,
          250_000, 500, "dollars a year", "bls_ooh2021, bls_ecec2021", kind="empirical",
          figure=108_532,
          note="The median annual wage of police and detectives was $67,290 in May 2020 "
          "{cite:p}`bls_ooh2021`; wages and salaries were 62.0% of state and local "
          "government employers' compensation costs in September 2021, benefits the rest "
          "{cite:p}`bls_ecec2021` (both Bureau of Labor Statistics figures, seen in "
          "re-hosts: secondary). 67,290 / 0.62 = 108,532 dollars a year. Police pensions "
          "often cost more than the average benefit, and detectives earn more than patrol "
          "officers. Backfill is costed at the same rate (overtime usually costs more).",
          integer=True),
)


def erlang_b(offered_load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    """Erlang B blocking probability, by the recursion ``B(k) = aB/(k + aB)``.

    Vectorised over scenarios; ``servers`` are whole numbers. Stable for any size.
    """
    load, servers = np.broadcast_arrays(np.asarray(offered_load, float),
                                        np.asarray(servers, int))
    blocking = np.ones(load.shape)
    with np.errstate(invalid="ignore"):  # infinite load (no service at all): stays NaN-free
        for k in range(1, int(servers.max(initial=0)) + 1):
            step = k <= servers
            blocking = np.where(step, load * blocking / (k + load * blocking), blocking)
    return np.where(np.isinf(load), 1.0, blocking)


def erlang_c(offered_load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    """Probability that a call waits (Erlang C); 1 where the queue is unstable."""
    load, servers = np.broadcast_arrays(np.asarray(offered_load, float),
                                        np.asarray(servers, int))
    rho = load / np.maximum(servers, 1)
    blocking = erlang_b(load, servers)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = blocking / (1.0 - rho * (1.0 - blocking))
    return np.where(rho < 1, wait, 1.0)


def erlang_c_factorial(offered_load: float, servers: int) -> float:
    """Erlang C from the textbook sum, in logarithms (a check on :func:`erlang_c`)."""
    k = np.arange(servers)
    log_terms = k * np.log(offered_load) - gammaln(k + 1)
    log_last = servers * np.log(offered_load) - gammaln(servers + 1) - np.log1p(
        -offered_load / servers)
    top = np.exp(log_last - np.logaddexp.reduce(np.append(log_terms, log_last)))
    return float(top)


def queue(calls_per_hour: np.ndarray, minutes_per_call: np.ndarray,
          officers: np.ndarray, diverted_share: np.ndarray) -> dict[str, np.ndarray]:
    """Utilisation, chance of waiting, mean wait (minutes) and P(wait > threshold).

    ``diverted_share`` is the share of on-duty officer time taken by cooperation. Where
    the queue is unstable (utilisation >= 1) the mean wait is NaN and P(wait > threshold)
    is 1.
    """
    service_rate = (60.0 / np.asarray(minutes_per_call, float)) * (1 - np.asarray(
        diverted_share, float))                                   # calls per officer-hour
    with np.errstate(divide="ignore"):
        load = np.asarray(calls_per_hour, float) / service_rate   # erlangs (inf: no service)
    officers = np.asarray(officers, int)
    rho = load / officers
    p_wait = erlang_c(load, officers)
    spare = officers * service_rate - np.asarray(calls_per_hour, float)  # calls per hour
    stable = rho < 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean_wait = np.where(stable, 60.0 * p_wait / spare, np.nan)
        # An unstable queue grows without limit: in time, every call waits that long.
        long_wait = np.where(stable, p_wait * np.exp(-spare * WAIT_THRESHOLD_MINUTES / 60),
                             1.0)
    return {"utilisation": rho, "p_wait": p_wait, "mean_wait_minutes": mean_wait,
            "p_long_wait": long_wait}


def utilisation(calls_per_hour: float, minutes_per_call: float, officers: float) -> float:
    """Share of officer time busy with calls, without cooperation: ``calls * minutes / 60 /
    officers``."""
    return calls_per_hour * minutes_per_call / 60.0 / officers


def calls_at_utilisation(busy_share: np.ndarray, minutes_per_call: float,
                         officers: float) -> np.ndarray:
    """Calls per hour that keep ``officers`` busy ``busy_share`` of the time (inverse of
    :func:`utilisation`)."""
    return np.asarray(busy_share, float) * officers * 60.0 / minutes_per_call


def patrol_officers_on_duty(population: float, relief_factor: float,
                            sworn_per_1000: float = SWORN_PER_1000,
                            responder_share: float = RESPONDER_SHARE) -> float:
    """Officers answering calls on duty at any moment: ``population / 1000 * sworn_per_1000
    * responder_share / relief_factor`` (see the module docstring)."""
    return population / 1000 * sworn_per_1000 * responder_share / relief_factor


def relief_factor_from_hours(hours_on_duty_per_year: float) -> float:
    """Officers needed to staff one post around the clock: ``8,760 / hours each works``."""
    return HOURS_PER_YEAR / hours_on_duty_per_year


def detainers_per_day() -> float:
    """Detainers honoured a day in the reference county (people held for ICE), from the
    screening model's defaults: its jail transfers."""
    return float(screening.screen(screening.PARAMS.defaults())["transfers"].sum()) / 365


def diverted_hours_per_day(detainers_per_day: float, hours_per_detainer: float,
                           task_force_officers: float, backfill_share: float = 0.0) -> float:
    """Officer-hours a day taken from calls: detainer work plus the task-force shifts that
    are not backfilled, ``detainers * hours + officers * 24 * (1 - backfill_share)``."""
    return (detainers_per_day * hours_per_detainer
            + task_force_officers * HOURS_PER_DAY * (1 - backfill_share))


def diverted_share(hours_per_day: np.ndarray, officers_on_duty: float) -> np.ndarray:
    """Share of on-duty officer time diverted: ``hours / (officers * 24)`` (at most 1)."""
    return np.minimum(np.asarray(hours_per_day, float) / (officers_on_duty * HOURS_PER_DAY),
                      1.0)


def detainer_costs(detainers_per_year: float, extra_days_per_detainer: float,
                   jail_cost_per_day: float, reimbursed_share: float) -> dict[str, float]:
    """Yearly jail cost of detainers, gross and net of reimbursement [$]:
    ``detainers * extra_days * per_diem`` and that times ``1 - reimbursed_share``."""
    gross = detainers_per_year * extra_days_per_detainer * jail_cost_per_day
    return {"gross": gross, "net": gross * (1 - reimbursed_share)}


def task_force_costs(task_force_officers: float, relief_factor: float,
                     officer_cost_per_year: float, officer_reimbursed_share: float,
                     backfill_share: float) -> dict[str, float]:
    """Yearly pay of the task force and of its backfill, gross and net of ICE's
    reimbursement [$]. Officers assigned = on duty x relief factor; backfill is paid by
    the county at the same rate."""
    assigned = task_force_officers * relief_factor
    pay = assigned * officer_cost_per_year
    backfill = assigned * backfill_share * officer_cost_per_year
    return {"assigned": assigned, "pay_gross": pay,
            "pay_net": pay * (1 - officer_reimbursed_share),
            "backfill": backfill}


COST_ITEMS = ("Jail days (detainers)", "Task-force pay", "Backfill")
TOTAL_COST = "Total cost"
COUNTY_COST = "Paid by the county"


def budget(detainers_per_year: float, values: dict) -> pd.DataFrame:
    """The yearly cost of cooperation by item: total and paid by the county [$]."""
    jail = detainer_costs(detainers_per_year, values["extra_days_per_detainer"],
                          values["jail_cost_per_day"], values["reimbursed_share"])
    officers = task_force_costs(values["task_force_officers"], values["relief_factor"],
                                values["officer_cost_per_year"],
                                values["officer_reimbursed_share"], values["backfill_share"])
    total = [jail["gross"], officers["pay_gross"], officers["backfill"]]
    paid = [jail["net"], officers["pay_net"], officers["backfill"]]
    return pd.DataFrame({SERIES: [TOTAL_COST] * 3 + [COUNTY_COST] * 3,
                         "item": list(COST_ITEMS) * 2, "cost": total + paid})


def waits_by_utilisation(busy_shares: np.ndarray, minutes_per_call: float,
                         officers_on_duty: int, diverted_hours: float) -> pd.DataFrame:
    """Mean wait and share of long waits at each utilisation without cooperation, without
    and with ``diverted_hours`` officer-hours a day taken from calls (NaN: unstable)."""
    busy = np.asarray(busy_shares, float)
    calls = calls_at_utilisation(busy, minutes_per_call, officers_on_duty)
    rows = []
    for name, hours in ((WITHOUT, 0.0), (WITH, diverted_hours)):
        out = queue(calls, minutes_per_call, officers_on_duty,
                    diverted_share(hours, officers_on_duty))
        rows.append(pd.DataFrame({SERIES: name, "busy_percent": 100 * busy,
                                  "mean_wait": out["mean_wait_minutes"],
                                  "long_wait_percent": 100 * out["p_long_wait"]}))
    return pd.concat(rows, ignore_index=True)


def simulate(calls_per_hour: int, minutes_per_call: int, officers_on_duty: int,
             hours_per_detainer: float, task_force_officers: int, backfill_share: float,
             **_costs: float) -> pd.DataFrame:
    """Waits against how busy officers are without cooperation, without and with the
    current cooperation; the current calls per hour marked on the second line."""
    hours = diverted_hours_per_day(detainers_per_day(), hours_per_detainer,
                                   task_force_officers, backfill_share)
    curves = waits_by_utilisation(BUSY_SHARES, minutes_per_call, officers_on_duty, hours)
    now = queue(calls_per_hour, minutes_per_call, officers_on_duty,
                diverted_share(hours, officers_on_duty))
    busy = utilisation(calls_per_hour, minutes_per_call, officers_on_duty)
    current = pd.DataFrame({  # off the chart (not drawn) beyond its last busy share
        SERIES: [CURRENT], "busy_percent": [100 * busy if busy <= BUSY_SHARES[-1] else np.nan],
        "mean_wait": [float(now["mean_wait_minutes"])],
        "long_wait_percent": [100 * float(now["p_long_wait"])]})
    return pd.concat([curves, current], ignore_index=True)


def simulate_budget(**values: float) -> pd.DataFrame:
    """The yearly cost of cooperation by item (see :func:`budget`), at the screening
    model's detainers."""
    return budget(365 * detainers_per_day(), values)


BUSY = Field("busy_percent", "Officers busy on calls without cooperation", "%",
             format=".0f")

MODEL = Model(
    name="police_capacity",
    title="Police capacity",
    chapter="book/05_police_capacity.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=BUSY, y=Field("long_wait_percent", "Calls waiting over 10 minutes", "%",
                             format=".1f"),
             title="The tail: calls that wait more than ten minutes for an officer",
             description="Line chart of the percentage of calls that wait more than ten "
             "minutes for a free officer against how busy officers are with calls before "
             "cooperation, without cooperation and with the current detainer work and "
             "task force; a point marks the current calls per hour. Where the queue is "
             "unstable every call eventually waits that long (100%)."),
        View(x=BUSY, y=Field("mean_wait", "Mean wait for an officer", "minutes",
                             format=".1f"),
             title="How long a call waits on average",
             description="Line chart of the mean wait for a call for service against how "
             "busy officers are with calls before cooperation, without and with the "
             "current cooperation; a point marks the current calls per hour. A line ends "
             "where the queue becomes unstable: calls arrive faster than the officers left "
             "can answer them, and the wait has no steady value."),
    ),
    sliders=("calls_per_hour", "officers_on_duty", "task_force_officers"),
)

BUDGET_MODEL = Model(
    name="police_budget",
    title="Cost of cooperation to the county",
    chapter="book/05_police_capacity.ipynb",
    params=PARAMS,
    simulate=simulate_budget,
    views=(
        View(x=Field("item", "Cost item"),
             y=Field("cost", "Cost a year", "million dollars", scale=1e6, format=".2f"),
             kind="bar", title="What cooperation costs each year, and who pays",
             description="Bar chart of three yearly costs of cooperation in the reference "
             "county (jail days of people held on detainers, task-force officers' pay, and "
             "backfill of their hours), each as a total and as the part the county pays "
             "after federal reimbursement."),
    ),
    sliders=("officer_reimbursed_share", "backfill_share", "reimbursed_share"),
)

MODELS = (BUDGET_MODEL,)


def priority_waits(calls_per_hour_by_class: list[float], minutes_per_call: float,
                   officers: int, diverted_share: float = 0.0) -> np.ndarray:
    """Mean wait (minutes) of each priority class, highest priority first.

    Non-preemptive priorities in an M/M/c queue with one service rate (Cobham's formula):
    ``W_k = C / (c mu (1 - s_{k-1}) (1 - s_k))``, where ``s_k`` is the utilisation due to
    classes 1..k and ``C`` is Erlang C for all calls together. NaN where unstable.
    """
    rates = np.asarray(calls_per_hour_by_class, float)
    service_rate = 60.0 / minutes_per_call * (1 - diverted_share)
    capacity = officers * service_rate
    cumulative = np.cumsum(rates) / capacity
    before = np.concatenate([[0.0], cumulative[:-1]])
    p_wait = erlang_c(rates.sum() / service_rate, officers)
    with np.errstate(divide="ignore", invalid="ignore"):
        waits = 60.0 * p_wait / (capacity * (1 - before) * (1 - cumulative))
    return np.where(cumulative < 1, waits, np.nan)


def reference_officers_on_duty() -> float:
    """The default's arithmetic on the reference county (see ``officers_on_duty``)."""
    return patrol_officers_on_duty(county.reference_county()["population"],
                                   PARAMS["relief_factor"].default)
