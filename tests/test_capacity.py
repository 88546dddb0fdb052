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


@settings(max_examples=100)
@given(st.integers(1, 300), st.floats(0.01, 0.99))
def test_erlang_c_recursion_agrees_with_the_log_factorial_formula(servers, rho):
    load = rho * servers
    assert capacity.erlang_c(load, servers) == pytest.approx(
        capacity.erlang_c_factorial(load, servers), rel=1e-8, abs=1e-12)


def test_erlang_c_works_for_thousands_of_officers():
    value = capacity.erlang_c(4_900.0, 5_000)
    assert 0 < value < 1 and np.isfinite(value)


@settings(max_examples=100)
@given(st.floats(5, 120), st.floats(10, 120), st.integers(5, 200), st.floats(0, 0.9))
def test_probabilities_in_unit_interval_and_waits_non_negative(calls, minutes, officers, share):
    out = capacity.queue(calls, minutes, officers, share)
    assert 0 <= out["p_wait"] <= 1
    if out["utilisation"] < 1:
        assert out["mean_wait_minutes"] >= 0 and 0 <= out["p_long_wait"] <= out["p_wait"]
    else:
        assert np.isnan(out["mean_wait_minutes"]) and out["p_long_wait"] == 1


@settings(max_examples=100)
@given(st.floats(5, 120), st.floats(10, 120), st.integers(5, 200))
def test_waits_grow_with_diverted_hours(calls, minutes, officers):
    hours = np.linspace(0, 240, 25)
    waits = capacity.queue(calls, minutes, officers,
                           capacity.diverted_share(hours, officers))["mean_wait_minutes"]
    stable = waits[~np.isnan(waits)]
    assert (np.diff(stable) >= -1e-12).all()
    # once unstable, stays unstable
    assert not np.isnan(waits).any() or np.isnan(waits[np.argmax(np.isnan(waits)):]).all()


def test_the_same_diverted_hours_cost_more_near_capacity():
    values = PARAMS.defaults()
    officers = values["officers_on_duty"]
    extra = capacity.diverted_share(24, officers)
    def added_wait(calls):
        base = capacity.queue(calls, values["minutes_per_call"], officers, 0.0)
        more = capacity.queue(calls, values["minutes_per_call"], officers, extra)
        return more["mean_wait_minutes"] - base["mean_wait_minutes"]
    full = officers * 60 / values["minutes_per_call"]  # calls per hour at 100% utilisation
    light, heavy = added_wait(0.6 * full), added_wait(0.93 * full)
    assert light > 0 and heavy > 10 * light


def test_analytic_waits_agree_with_a_simpy_simulation():
    values = PARAMS.defaults()
    args = (values["calls_per_hour"], values["minutes_per_call"], values["officers_on_duty"])
    analytic = capacity.queue(*args, 0.0)
    simulated = queue_sim.simulate_queue(*args, calls=200_000, seed=1)
    assert abs(simulated.mean_wait - analytic["mean_wait_minutes"]) <= simulated.half_width
    assert simulated.p_wait == pytest.approx(analytic["p_wait"], abs=0.02)


def test_priority_classes_split_the_average_wait():
    values = PARAMS.defaults()
    urgent, routine = 5.0, values["calls_per_hour"] - 5.0
    waits = capacity.priority_waits([urgent, routine], values["minutes_per_call"],
                                    values["officers_on_duty"])
    overall = capacity.queue(values["calls_per_hour"], values["minutes_per_call"],
                             values["officers_on_duty"], 0.0)["mean_wait_minutes"]
    assert waits[0] < overall < waits[1]
    # conservation: the call-weighted average wait is the same as without priorities
    assert (urgent * waits[0] + routine * waits[1]) / values["calls_per_hour"] == \
        pytest.approx(overall)


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
