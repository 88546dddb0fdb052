"""Profiling: base rates, the outcome test, inframarginality and the threshold test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import profiling

BASE = profiling.BASE_RATE_PARAMS.defaults()
OUTCOME = profiling.OUTCOME_PARAMS.defaults()


@st.composite
def base_rate_settings(draw):
    return BASE | {"removable_share_a": draw(st.floats(0.005, 0.5)),
                   "removable_share_b": draw(st.floats(0.005, 0.5)),
                   "signal_quality": draw(st.floats(0.1, 4.0)),
                   "questioned_share": draw(st.floats(0.01, 0.5)),
                   "group_a_share": draw(st.floats(0.05, 0.95))}


@settings(max_examples=100, deadline=None)
@given(base_rate_settings(), st.booleans())
def test_questioning_respects_the_budget_and_probabilities(values, use_group):
    out = profiling.questioning(values, use_group)
    assert out["questioned"].sum() == pytest.approx(1000 * values["questioned_share"], rel=1e-6)
    assert ((out["false_positive_rate"] >= 0) & (out["false_positive_rate"] <= 1)).all()
    assert (out["found"] <= out["questioned"] + 1e-9).all()


@settings(max_examples=100, deadline=None)
@given(base_rate_settings())
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
