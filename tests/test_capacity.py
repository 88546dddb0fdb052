"""Police capacity: Erlang C against table values and a simulation; monotone waits; costs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import capacity, queue_sim

PARAMS = capacity.PARAMS


@pytest.mark.parametrize(("load", "servers", "expected"), [
    (2.0, 3, 0.4444),    # classic textbook value: a = 2 erlangs, 3 servers
    (1.0, 2, 0.3333),
    (10.0, 12, 0.4494),
])
def test_erlang_c_matches_known_table_values(load, servers, expected):
    assert capacity.erlang_c(load, servers) == pytest.approx(expected, abs=5e-5)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 300), st.floats(0.01, 0.99))
def test_erlang_c_recursion_agrees_with_the_log_factorial_formula(servers, rho):
    load = rho * servers
    assert capacity.erlang_c(load, servers) == pytest.approx(
        capacity.erlang_c_factorial(load, servers), rel=1e-8, abs=1e-12)


def test_erlang_c_works_for_thousands_of_officers():
    value = capacity.erlang_c(4_900.0, 5_000)
    assert 0 < value < 1 and np.isfinite(value)


@settings(max_examples=100, deadline=None)
@given(st.floats(5, 120), st.floats(10, 120), st.integers(5, 200), st.floats(0, 0.9))
def test_probabilities_in_unit_interval_and_waits_non_negative(calls, minutes, officers, share):
    out = capacity.queue(calls, minutes, officers, share)
    assert 0 <= out["p_wait"] <= 1
    if out["utilisation"] < 1:
        assert out["mean_wait_minutes"] >= 0 and 0 <= out["p_long_wait"] <= out["p_wait"]
    else:
        assert np.isnan(out["mean_wait_minutes"]) and out["p_long_wait"] == 1


@settings(max_examples=100, deadline=None)
@given(st.floats(5, 120), st.floats(10, 120), st.integers(5, 200))
def test_waits_grow_with_diverted_hours(calls, minutes, officers):
    hours = np.linspace(0, 240, 25)
    waits = capacity.queue(calls, minutes, officers,
                           capacity.diverted_share(hours, officers))["mean_wait_minutes"]
    stable = waits[~np.isnan(waits)]
    assert (np.diff(stable) >= -1e-12).all()
    # once unstable, stays unstable
    assert not np.isnan(waits).any() or np.isnan(waits[np.argmax(np.isnan(waits)):]).all()


DISTRICT = {"calls_per_hour": 45, "minutes_per_call": 45, "officers": 40}
"""A dispatch district at 84% busy: the chapter's example of a busy department."""


def test_the_same_diverted_hours_cost_more_near_capacity():
    values = PARAMS.defaults()
    for officers in (40, values["officers_on_duty"]):
        extra = capacity.diverted_share(24, officers)
        def added_wait(busy, officers=officers, extra=extra):
            calls = capacity.calls_at_utilisation(busy, values["minutes_per_call"], officers)
            base = capacity.queue(calls, values["minutes_per_call"], officers, 0.0)
            more = capacity.queue(calls, values["minutes_per_call"], officers, extra)
            return more["mean_wait_minutes"] - base["mean_wait_minutes"]
        light, heavy = added_wait(0.6), added_wait(0.95)
        assert light >= 0 and heavy > 0 and heavy > 10 * light


def test_analytic_waits_agree_with_a_simpy_simulation():
    args = tuple(DISTRICT.values())
    analytic = capacity.queue(*args, 0.0)
    simulated = queue_sim.simulate_queue(*args, calls=200_000, seed=1)
    assert abs(simulated.mean_wait - analytic["mean_wait_minutes"]) <= simulated.half_width
    assert simulated.p_wait == pytest.approx(analytic["p_wait"], abs=0.02)


def test_the_fast_simulation_agrees_with_erlang_at_a_constant_rate():
    analytic = capacity.queue(*DISTRICT.values(), 0.0)
    simulated = queue_sim.simulate_profile(*DISTRICT.values(), days=200, seed=2)
    assert abs(simulated.mean_wait - analytic["mean_wait_minutes"]) <= 1.5 * simulated.half_width
    assert simulated.p_wait == pytest.approx(analytic["p_wait"], abs=0.02)


def test_bursty_calls_wait_far_longer_than_erlang_at_the_average_rate():
    bursts = ((12, 1.5), (12, 0.5))
    analytic = capacity.queue(*DISTRICT.values(), 0.0)["mean_wait_minutes"]
    waits = [queue_sim.simulate_profile(*DISTRICT.values(), profile=bursts, days=60,
                                        seed=seed).mean_wait for seed in (0, 1)]
    assert min(waits) > 20 * analytic
    assert max(waits) < 1.2 * min(waits)  # stable from seed to seed


def test_fcfs_waits_by_hand():
    # two officers; calls at 0, 1, 2 (minutes) lasting 10, 10, 5: the third waits 8 minutes
    waits = queue_sim.fcfs_waits(np.array([0.0, 1.0, 2.0]), np.array([10.0, 10.0, 5.0]), 2)
    assert waits.tolist() == [0.0, 0.0, 8.0]


def test_poisson_arrivals_follow_the_profile():
    times = queue_sim.poisson_arrivals(40, 24 * 200, seed=3, profile=((12, 1.5), (12, 0.5)))
    assert (np.diff(times) >= 0).all() and times.max() < 24 * 200 * 60
    busy_half = ((times // 60) % 24) < 12
    assert len(times) == pytest.approx(40 * 24 * 200, rel=0.02)
    assert busy_half.mean() == pytest.approx(0.75, abs=0.01)


@pytest.mark.parametrize("bad", [
    lambda: queue_sim.poisson_arrivals(0, 10),
    lambda: queue_sim.poisson_arrivals(10, 10, profile=((0, 1.0),)),
    lambda: queue_sim.fcfs_waits(np.array([0.0]), np.array([1.0]), 0),
])
def test_simulation_inputs_are_checked(bad):
    with pytest.raises(ValueError, match=r"calls_per_hour|profile|officers"):
        bad()


def test_detainer_costs_by_hand():
    costs = capacity.detainer_costs(500, 20.0, 100.0, 0.25)
    expected = 500 * 20.0 * 100.0
    assert costs["gross"] == pytest.approx(expected)
    assert costs["net"] == pytest.approx(0.75 * expected)


def test_default_detainers_come_from_the_screening_model():
    from coopmodels import screening

    held = screening.screen(screening.PARAMS.defaults())["transfers"].sum()
    assert capacity.detainers_per_day() == pytest.approx(held / 365)
    assert capacity.diverted_hours_per_day(2.0, 3.0, 1) == pytest.approx(2 * 3 + 24)


def test_officers_on_duty_default_follows_its_arithmetic():
    param = PARAMS["officers_on_duty"]
    assert capacity.reference_officers_on_duty() == pytest.approx(param.figure, abs=0.05)
    assert abs(param.default - param.figure) <= param.step / 2
    assert capacity.relief_factor_from_hours(2_000) == pytest.approx(4.38, abs=0.01)
    assert capacity.relief_factor_from_hours(1_700) == pytest.approx(5.15, abs=0.01)
    low, high = (capacity.patrol_officers_on_duty(1_000_000, r) for r in (5.2, 4.4))
    assert 265 < low < 270 and 314 < high < 318  # the memo's ~270-320


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 10), st.floats(0, 12), st.integers(0, 40), st.floats(0, 1))
def test_backfill_returns_task_force_hours_and_never_more(detainers, hours, officers, backfill):
    none = capacity.diverted_hours_per_day(detainers, hours, officers)
    some = capacity.diverted_hours_per_day(detainers, hours, officers, backfill)
    full = capacity.diverted_hours_per_day(detainers, hours, officers, 1.0)
    assert full == pytest.approx(detainers * hours)
    assert full - 1e-9 <= some <= none + 1e-9


def test_task_force_costs_by_hand():
    costs = capacity.task_force_costs(4, 5.0, 100_000, 1.0, 0.5)
    assert costs["assigned"] == 20
    assert costs["pay_gross"] == pytest.approx(2_000_000) and costs["pay_net"] == 0
    assert costs["backfill"] == pytest.approx(1_000_000)
    unpaid = capacity.task_force_costs(4, 5.0, 100_000, 0.0, 0.0)
    assert unpaid["pay_net"] == pytest.approx(2_000_000) and unpaid["backfill"] == 0


def test_budget_frame_separates_total_and_county_share():
    frame = capacity.BUDGET_MODEL.run(officer_reimbursed_share=1.0, backfill_share=0.0)
    paid = frame[frame["series"] == capacity.COUNTY_COST].set_index("item")["cost"]
    total = frame[frame["series"] == capacity.TOTAL_COST].set_index("item")["cost"]
    assert paid["Task-force pay"] == 0 and total["Task-force pay"] > 0
    assert (paid <= total + 1e-9).all()
    jail = paid["Jail days (detainers)"] / total["Jail days (detainers)"]
    assert jail == pytest.approx(1 - PARAMS["reimbursed_share"].default)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([5, 45, 135, 300, 400]), st.sampled_from([10, 40, 290, 400]),
       st.integers(0, 40), st.floats(0, 1))
def test_explorer_frame_marks_unstable_queues_and_cooperation_never_helps(
        calls, officers, task_force, backfill):
    frame = capacity.MODEL.run(calls_per_hour=calls, officers_on_duty=officers,
                               task_force_officers=task_force, backfill_share=backfill)
    without = frame[frame["series"] == capacity.WITHOUT].reset_index(drop=True)
    with_ = frame[frame["series"] == capacity.WITH].reset_index(drop=True)
    assert without["mean_wait"].notna().all()  # below 100% busy before cooperation
    assert (with_["long_wait_percent"] >= without["long_wait_percent"] - 1e-9).all()
    stable = with_["mean_wait"].notna()
    assert (with_.loc[~stable, "long_wait_percent"] == 100).all()
    if stable.any():  # once unstable, unstable for every busier department
        assert stable.iloc[: stable.sum()].all()
    current = frame[frame["series"] == capacity.CURRENT]
    busy = capacity.utilisation(calls, PARAMS["minutes_per_call"].default, officers)
    assert current["busy_percent"].isna().all() == (busy > capacity.BUSY_SHARES[-1])
