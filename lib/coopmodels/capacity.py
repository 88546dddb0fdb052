"""Police capacity: calls for service as a multi-server queue, and the cost of detainers.

Calls arrive at random (Poisson, ``calls_per_hour``); each needs one officer for a random
time (exponential, mean ``minutes_per_call``); ``officers_on_duty`` officers answer them,
first come first served. That is the M/M/c queue, and Erlang's C formula gives
[with offered load a = lambda / mu (erlangs), c officers, utilisation rho = a / c]:

    B(0) = 1,  B(k) = a B(k-1) / (k + a B(k-1))        Erlang B, a stable recursion
    P(wait) = C = B(c) / (1 - rho (1 - B(c)))           Erlang C, for rho < 1
    mean wait = C / (c mu - lambda)
    P(wait > t) = C exp(-(c mu - lambda) t)

No factorials are formed, so thousands of officers pose no overflow. At rho >= 1 the queue
grows without limit: the mean wait is reported as NaN (not drawn) and the share of calls
waiting longer than the threshold as 1 (in time, every call does).

Cooperation takes officer time: processing and transporting people held on detainers, and
officers assigned to a task force. Those hours are time officers are not available for
calls, so each officer serves calls at rate ``mu * (1 - f)``, where ``f`` is the share of
on-duty officer time diverted.

Money: holding people on detainers costs ``detainers * extra_days * per_diem``, less what
federal programmes reimburse. Detainers come from the screening model
(:mod:`coopmodels.screening`), at its defaults.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from coopmodels import screening
from coopmodels.model import CURRENT, SERIES, Field, Model, View
from coopmodels.params import ASSUMPTION, Param, ParamSet

HOURS_PER_DAY = 24
WAIT_THRESHOLD_MINUTES = 10
DIVERTED_HOURS = np.arange(0.0, 241.0, 10.0)
"""Diverted officer-hours per day at which the explorer draws its curves."""

MEAN_WAIT = "Mean wait"
LONG_WAIT = f"Calls waiting over {WAIT_THRESHOLD_MINUTES} minutes"

PARAMS = ParamSet(
    Param("calls_per_hour", "Calls for service", 45, 5, 120, 1, "calls per hour",
          ASSUMPTION,
          note="About 400,000 police calls a year for a million residents; no national "
          "benchmark exists (Americans make some 240 million 911 calls a year, fire and "
          "medical included {cite:p}`vera2020`)."),
    Param("minutes_per_call", "Officer time per call", 45, 10, 120, 1, "minutes",
          ASSUMPTION,
          note="No reputable national average was found; treated as an explicit "
          "assumption."),
    Param("officers_on_duty", "Officers answering calls at any moment", 40, 5, 200, 1,
          "officers", "hyland2019",
          note="About 2% of the county's 2,170 sworn officers (2.17 per 1,000 residents, "
          "BJS 2016): patrol officers on shift and free for calls.", integer=True),
    Param("hours_per_detainer", "Officer time per detainer", 3, 0, 12, 0.5,
          "officer-hours", ASSUMPTION,
          note="Processing, paperwork and transport to ICE."),
    Param("task_force_officers", "Officers on a task force", 0, 0, 20, 1,
          "officers on duty", ASSUMPTION,
          note="A jail-only agreement assigns none to field work.", integer=True),
    Param("extra_days_per_detainer", "Extra days in jail per detainer", 20.6, 0, 60, 0.1,
          "days", "greene2012",
          note="Los Angeles Sheriff's Department records: 'on average, 20.6 extra days in "
          "county custody'."),
    Param("jail_cost_per_day", "Jail cost per person-day", 128.9, 50, 300, 0.1, "dollars",
          "henrichson2015",
          note="$47,057 a year per incarcerated person, averaged over 35 jurisdictions "
          "(Vera, 2015), divided by 365."),
    Param("reimbursed_share", "Share of detainer costs reimbursed", 0.2, 0.0, 1.0, 0.01,
          "share of costs", "ncsl2013",
          note="SCAAP paid about 23% of submitted costs in FY2011 and 18% in FY2013 "
          "(secondary)."),
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

    ``diverted_share`` is the share of on-duty officer time taken by cooperation.
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


def detainers_per_day() -> float:
    """Detainers honoured a day in the reference county (people held for ICE), from the
    screening model's defaults: its jail transfers."""
    return float(screening.screen(screening.PARAMS.defaults())["transfers"].sum()) / 365


def diverted_hours_per_day(detainers_per_day: float, hours_per_detainer: float,
                           task_force_officers: float) -> float:
    """Officer-hours a day taken from calls: detainer work plus task-force shifts."""
    return detainers_per_day * hours_per_detainer + task_force_officers * HOURS_PER_DAY


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


def simulate(calls_per_hour: int, minutes_per_call: int, officers_on_duty: int,
             hours_per_detainer: float, task_force_officers: int, **_costs: float
             ) -> pd.DataFrame:
    """Waits against diverted officer-hours per day, with the current setting marked."""
    now = diverted_hours_per_day(detainers_per_day(), hours_per_detainer, task_force_officers)
    hours = np.append(DIVERTED_HOURS, now)
    out = queue(calls_per_hour, minutes_per_call, officers_on_duty,
                diverted_share(hours, officers_on_duty))
    label = np.array([MEAN_WAIT] * len(DIVERTED_HOURS) + [CURRENT])
    return pd.DataFrame(pd.concat([
        pd.DataFrame({SERIES: label, "diverted_hours": hours,
                      "mean_wait": out["mean_wait_minutes"]}),
        pd.DataFrame({SERIES: np.where(label == CURRENT, CURRENT, LONG_WAIT),
                      "diverted_hours": hours, "long_wait_percent": 100 * out["p_long_wait"]}),
    ], ignore_index=True))


DIVERTED = Field("diverted_hours", "Officer time diverted to cooperation",
                 "officer-hours per day", format=".0f")

MODEL = Model(
    name="police_capacity",
    title="Police capacity",
    chapter="book/05_police_capacity.ipynb",
    params=PARAMS,
    simulate=simulate,
    views=(
        View(x=DIVERTED, y=Field("mean_wait", "Mean wait for an officer", "minutes",
                                 format=".1f"),
             title="How long a call waits for a free officer",
             description="Line chart of the mean wait for a call for service against the "
             "officer-hours per day diverted to cooperation; a point marks the current "
             "setting. The curve ends where the queue becomes unstable."),
        View(x=DIVERTED, y=Field("long_wait_percent", "Calls waiting over 10 minutes", "%",
                                 format=".1f"),
             title="The tail: calls that wait more than ten minutes",
             description="Line chart of the percentage of calls that wait more than ten "
             "minutes for a free officer against the officer-hours per day diverted to "
             "cooperation; where the queue is unstable every call eventually waits that "
             "long (100%)."),
    ),
    sliders=("calls_per_hour", "minutes_per_call", "officers_on_duty",
             "task_force_officers"),
)


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
