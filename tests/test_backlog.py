"""The court-backlog model: stock-flow invariants, monotonicity, clearance time, history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import backlog
from coopmodels.model import SERIES

from .strategies import settings_of

PARAMS = backlog.PARAMS



scenarios = settings_of(PARAMS)


def recursion_reference(initial, receipts, capacity):
    """The model's definition, one year at a time (the closed form must match it)."""
    pending, completions, previous = [], [], initial
    for inflow, cap in zip(receipts, capacity, strict=True):
        done = min(previous + inflow, cap)
        previous = previous + inflow - done
        pending.append(previous)
        completions.append(done)
    return np.array(pending), np.array(completions)


@given(
    st.floats(0, 1e7),
    st.lists(st.tuples(st.floats(0, 3e6), st.floats(0, 3e6)), min_size=1, max_size=30),
)
def test_closed_form_matches_the_recursion(initial, flows):
    receipts, capacity = map(np.array, zip(*flows, strict=True))
    pending, completions = backlog.project_pending(initial, receipts, capacity)
    expected_pending, expected_completions = recursion_reference(initial, receipts, capacity)
    scale = max(1.0, initial, receipts.sum())
    assert np.allclose(pending, expected_pending, rtol=0, atol=1e-9 * scale)
    assert np.allclose(completions, expected_completions, rtol=0, atol=1e-9 * scale)


@settings(max_examples=200)
@given(scenarios)
def test_stocks_never_negative_and_flows_respect_capacity(values):
    frame = backlog.simulate(**values)
    flows = frame.dropna(subset=["receipts"])
    assert (frame["pending_cases"] >= 0).all()
    assert (flows["completions"] >= -1e-6).all()
    assert (flows["completions"] <= flows["capacity"] * (1 + 1e-12) + 1e-6).all()
    assert (frame["wait_years"] >= 0).all()


@settings(max_examples=200)
@given(scenarios)
def test_flow_identity_holds_every_year(values):
    for _, run in backlog.simulate(**values).groupby(SERIES):
        pending = run["pending_cases"].to_numpy()
        change = run["receipts"].to_numpy()[1:] - run["completions"].to_numpy()[1:]
        scale = max(1.0, np.abs(pending).max())
        assert np.allclose(pending[1:], pending[:-1] + change, rtol=0, atol=1e-9 * scale)


def final_pending(values: dict, series: str = backlog.WITH_COOPERATION) -> float:
    frame = backlog.simulate(**values)
    return frame[frame[SERIES] == series]["pending_cases"].iloc[-1]


@settings(max_examples=150)
@given(scenarios, st.sampled_from(["initial_judges", "judges_added_per_year",
                                   "completions_per_judge"]), st.floats(0, 1))
def test_more_judicial_capacity_never_raises_the_backlog(values, name, fraction):
    param = PARAMS[name]
    more = values[name] + fraction * (param.max - values[name])
    more = round(more) if param.integer else more
    assert final_pending(values | {name: more}) <= final_pending(values) + 1e-6


@settings(max_examples=150)
@given(scenarios, st.sampled_from(["baseline_receipts", "receipts_growth_percent",
                                   "cooperating_population_percent", "scope",
                                   "initial_pending"]),
       st.floats(0, 1))
def test_more_cases_never_lower_the_backlog(values, name, fraction):
    param = PARAMS[name]
    more = values[name] + fraction * (param.max - values[name])
    more = round(more) if param.integer else more
    assert final_pending(values | {name: more}) >= final_pending(values) - 1e-6


@given(scenarios)
def test_cooperation_stream_adds_at_most_its_own_cases(values):
    summary = backlog.summarise(backlog.simulate(**values))
    added = backlog.cooperation_cases(values["cooperating_population_percent"],
                                      values["scope"]) * values["horizon_years"]
    assert -1e-6 <= summary["extra_pending_final"] <= added + 1e-6


def test_defaults_while_over_capacity_grow_by_the_shortfall_each_year():
    p = PARAMS.defaults()
    frame = backlog.MODEL.run()
    run = frame[frame[SERIES] == backlog.WITH_COOPERATION]
    cooperation = backlog.cooperation_cases(p["cooperating_population_percent"], p["scope"])
    shortfall = (p["baseline_receipts"] + cooperation
                 - p["initial_judges"] * p["completions_per_judge"])
    assert np.allclose(np.diff(run["pending_cases"]), shortfall)
    assert run["fiscal_year"].tolist() == list(range(2024, 2024 + p["horizon_years"] + 1))


def test_backlog_clears_and_extra_stream_delays_clearance():
    frame = backlog.MODEL.run(baseline_receipts=300_000, judges_added_per_year=100)
    summary = backlog.summarise(frame)
    assert summary["clear_year_without"] is not None
    assert summary["clear_year_with"] >= summary["clear_year_without"]
    cleared = frame[frame["fiscal_year"] >= summary["clear_year_with"]]
    assert (cleared["wait_years"] == 0).all()


def test_cooperation_stream_is_the_screening_models_court_cases_scaled_to_the_nation():
    from coopmodels import county, screening

    place = county.reference_county()
    per_county = screening.court_cases_per_year(scope=3)
    expected = per_county * place["us_population"] / place["population"] * 0.5
    assert backlog.cooperation_cases(50, 3) == pytest.approx(expected)
    assert backlog.cooperation_cases(0, 4) == 0
    assert backlog.cooperation_cases(100, 1) < backlog.cooperation_cases(100, 4)


def test_littles_law_wait():
    assert backlog.wait_years(1_000_000, 500_000) == pytest.approx(2.0)
    assert backlog.wait_years(0, 0) == 0
    assert np.isinf(backlog.wait_years(10, 0))
    assert backlog.judges_to_stop_growth(960_000, 960) == pytest.approx(1000)


def test_judges_never_negative():
    years = np.arange(1, 16)
    assert (backlog.judges_on_board(100, -40, years) >= 0).all()


@pytest.mark.parametrize(("name", "bad"), [("initial_judges", 99), ("horizon_years", 2.5),
                                           ("baseline_receipts", float("nan")),
                                           ("completions_per_judge", "960")])
def test_run_rejects_bad_input_with_a_clear_message(name, bad):
    with pytest.raises(ValueError, match=rf"{name} must be .* \[.*\] \(.*\); got"):
        backlog.MODEL.run(**{name: bad})


def test_caseload_data_has_both_releases_with_source_note(root):
    caseload = backlog.load_caseload()
    assert set(caseload["series"]) == {"eoir_2021", "eoir_2025"}
    assert (caseload[["pending_end_of_fy", "receipts", "completions"]] > 0).all().all()
    note = (root / "lib" / "coopmodels" / "data" / "README.md").read_text()
    assert "eoir_2021" in note and "eoir_2025" in note


def test_history_replay_residual_is_reported_minus_identity():
    history = backlog.replay_history(backlog.load_caseload())
    for release, run in history.groupby("series"):
        assert run["fiscal_year"].diff().dropna().eq(1).all(), release
        reported = run["pending_end_of_fy"].to_numpy(float)
        identity = reported[:-1] + (run["receipts"] - run["completions"]).to_numpy()[1:]
        assert np.allclose(run["residual"].to_numpy()[1:], reported[1:] - identity)
        assert run["modelled_pending"].iloc[0] == reported[0]
    # The two releases are never spliced: the 2025 run starts where its own years do.
    assert history[history["series"] == "eoir_2025"]["fiscal_year"].min() == 2018


def test_history_replay_on_a_made_up_table_without_residuals():
    table = pd.DataFrame({"series": "toy", "fiscal_year": [2000, 2001, 2002],
                          "pending_end_of_fy": [100, 130, 120],
                          "receipts": [50, 60, 40], "completions": [40, 30, 50]})
    history = backlog.replay_history(table)
    assert history["residual"].dropna().eq(0).all()
    assert history["modelled_pending"].tolist() == [100, 130, 120]
