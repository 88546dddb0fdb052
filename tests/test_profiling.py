"""Profiling: base rates, the outcome test, inframarginality and the threshold test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import profiling

BASE = profiling.BASE_RATE_PARAMS.defaults()
OUTCOME = profiling.OUTCOME_PARAMS.defaults()


def _slider_range(name: str) -> st.SearchStrategy[float]:
    """Every value of a base-rate parameter's whole slider range, ends included."""
    param = profiling.BASE_RATE_PARAMS[name]
    return st.floats(param.min, param.max, allow_nan=False)


@st.composite
def base_rate_settings(draw, *, min_share: float = 0.0):
    shares = st.floats(min_share, profiling.BASE_RATE_PARAMS["removable_share_a"].max)
    return BASE | {"removable_share_a": draw(shares),
                   "removable_share_b": draw(shares),
                   "signal_quality": draw(st.one_of(st.just(0.0),
                                                    _slider_range("signal_quality"))),
                   "questioned_share": draw(_slider_range("questioned_share")),
                   "group_a_share": draw(_slider_range("group_a_share"))}


def test_signal_quality_slider_runs_from_no_signal():
    """The property tests below cover the whole slider range, whose minimum is 0."""
    assert profiling.BASE_RATE_PARAMS["signal_quality"].min == 0


@settings(max_examples=300, deadline=None)
@given(base_rate_settings(), st.sampled_from([False, True]))
def test_every_policy_questions_exactly_the_budget(values, use_group):
    """At every signal quality (0 included) and every pair of base rates (0 included),
    both policies question exactly the budget."""
    out = profiling.questioning(values, use_group)
    assert out["questioned"].sum() == pytest.approx(1000 * values["questioned_share"],
                                                    rel=1e-6)
    residents = 1000 * np.array([values["group_a_share"], 1 - values["group_a_share"]])
    assert (out["questioned"] >= -1e-9).all()
    assert (out["questioned"] <= residents + 1e-6).all()
    rate = out["false_positive_rate"][np.isfinite(out["false_positive_rate"])]
    assert ((rate >= -1e-12) & (rate <= 1 + 1e-12)).all()
    assert (out["found"] <= out["questioned"] + 1e-9).all()


@settings(max_examples=100, deadline=None)
@given(base_rate_settings(), st.sampled_from([False, True]))
def test_the_explorer_rows_never_vanish_for_all_residents(values, use_group):
    """Found and the chance a lawful resident is questioned are defined for everyone."""
    frame = profiling.simulate_base_rates(**values)
    everyone = frame[frame["group"] == profiling.ALL_RESIDENTS]
    assert len(everyone) == 2
    assert np.isfinite(everyone["found"]).all()
    assert np.isfinite(everyone["false_positive_percent"]).all()


def _no_signal(**changes):
    return BASE | {"signal_quality": 0.0} | changes


def test_no_signal_group_policy_fills_the_budget_from_the_higher_base_rate():
    """Defaults: 300 of 1,000 residents are in group A (base rate 10%), budget 50."""
    out = profiling.questioning(_no_signal(), use_group=True)
    assert out["questioned"] == pytest.approx([50, 0])
    assert out["found"] == pytest.approx([5, 0])              # 10% of 50, at random
    assert out["false_positive_rate"] == pytest.approx([45 / 270, 0])


def test_no_signal_group_policy_spills_over_once_the_first_group_is_used_up():
    out = profiling.questioning(_no_signal(questioned_share=0.5), use_group=True)
    assert out["questioned"] == pytest.approx([300, 200])     # all of A, then 200 of B
    assert out["found"] == pytest.approx([30, 2])


def test_no_signal_group_policy_follows_the_base_rates_not_the_labels():
    out = profiling.questioning(_no_signal(removable_share_b=0.2), use_group=True)
    assert out["questioned"] == pytest.approx([0, 50])


@pytest.mark.parametrize("share", [0.0, 0.1])
def test_no_signal_and_equal_base_rates_question_both_groups_alike(share):
    values = _no_signal(removable_share_a=share, removable_share_b=share)
    for use_group in (False, True):
        out = profiling.questioning(values, use_group)
        assert out["questioned"] == pytest.approx([15, 35])   # 5% of each group


def test_no_signal_signal_only_policy_questions_at_random():
    out = profiling.questioning(_no_signal(), use_group=False)
    assert out["questioned"] == pytest.approx([15, 35])
    assert out["found"] == pytest.approx([1.5, 0.35])


def test_group_policy_is_continuous_as_the_signal_fades():
    at_zero = profiling.questioning(_no_signal(), use_group=True)
    almost = profiling.questioning(_no_signal(signal_quality=1e-6), use_group=True)
    assert almost["questioned"] == pytest.approx(at_zero["questioned"], abs=1e-6)
    assert almost["found"] == pytest.approx(at_zero["found"], abs=1e-4)


def test_a_group_with_no_removable_residents_is_questioned_last():
    values = BASE | {"removable_share_b": 0.0, "signal_quality": 3.0}
    out = profiling.questioning(values, use_group=True)
    assert out["questioned"] == pytest.approx([50, 0], abs=1e-6)
    assert np.isnan(out["lawful_per_found"][1])


@settings(max_examples=100, deadline=None)
@given(base_rate_settings(min_share=0.005))
def test_using_group_membership_never_finds_fewer_removable_people(values):
    """Bayes-optimal selection at equal volume: more found in total (Neyman-Pearson)."""
    signal_only = profiling.questioning(values, use_group=False)["found"].sum()
    with_group = profiling.questioning(values, use_group=True)["found"].sum()
    assert with_group >= signal_only - 1e-6


def test_signal_only_treats_lawful_residents_of_both_groups_alike():
    out = profiling.questioning(BASE, use_group=False)
    assert out["false_positive_rate"][0] == pytest.approx(out["false_positive_rate"][1])


def test_using_group_shifts_the_burden_to_the_higher_base_rate_group():
    alone = profiling.questioning(BASE, use_group=False)["false_positive_rate"]
    with_group = profiling.questioning(BASE, use_group=True)["false_positive_rate"]
    assert with_group[0] > alone[0] and with_group[1] < alone[1]


@settings(max_examples=60, deadline=None)
@given(st.floats(0.02, 0.5), st.floats(1.0, 20.0), st.floats(0.02, 0.6))
def test_search_and_hit_rates_are_probabilities_and_hits_exceed_the_threshold(mean, phi, t):
    search, hit = profiling.search_and_hit_rates(mean, phi, t)
    assert 0 <= search <= 1
    if search > 1e-9:
        assert t - 1e-9 <= hit <= 1


@settings(max_examples=40, deadline=None)
@given(st.floats(0.02, 0.5), st.floats(0.02, 0.6))
def test_no_bias_and_equal_distributions_give_equal_hit_rates(mean, threshold):
    values = OUTCOME | {"risk_mean_a": mean, "risk_mean_b": mean, "threshold_a": threshold,
                        "hidden_bias": 0}
    out = profiling.outcome_tests(values)
    assert out["hit_rate"][0] == pytest.approx(out["hit_rate"][1])


def test_inframarginality_equal_thresholds_can_give_unequal_hit_rates():
    out = profiling.outcome_tests(OUTCOME | {"hidden_bias": 0})
    assert out["threshold"][0] == out["threshold"][1]
    assert abs(out["hit_rate"][0] - out["hit_rate"][1]) > 0.005


def test_inframarginality_unequal_thresholds_can_give_equal_hit_rates():
    """With a hidden bias against B, some risk distribution for B hides it completely."""
    biased = OUTCOME | {"hidden_bias": 5}
    target = profiling.outcome_tests(biased)["hit_rate"][0]
    from scipy.optimize import brentq

    def gap(mean_b):
        return profiling.outcome_tests(biased | {"risk_mean_b": mean_b})["hit_rate"][1] - target

    mean_b = brentq(gap, 0.05, 0.5)
    out = profiling.outcome_tests(biased | {"risk_mean_b": mean_b})
    assert out["hit_rate"][0] == pytest.approx(out["hit_rate"][1], abs=1e-9)
    assert out["threshold"][1] < out["threshold"][0]


@settings(max_examples=30, deadline=None)
@given(st.floats(0.03, 0.3), st.floats(0.03, 0.3), st.integers(0, 10), st.floats(2, 12))
def test_threshold_test_recovers_the_true_thresholds_when_its_model_is_right(
        mean_a, mean_b, bias, phi):
    values = OUTCOME | {"risk_mean_a": mean_a, "risk_mean_b": mean_b, "hidden_bias": bias,
                        "concentration": phi, "assumed_concentration": phi}
    out = profiling.outcome_tests(values)
    ok = np.isfinite(out["inferred_threshold"])
    assert ok.all()
    assert np.allclose(out["inferred_threshold"], out["threshold"], atol=1e-6)
