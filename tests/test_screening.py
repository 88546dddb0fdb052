"""Screening funnel: conservation through the funnel, precision, scope, crimes averted."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import county, screening

from .strategies import param_values

PARAMS = screening.PARAMS



@st.composite
def settings_(draw):
    values = {name: draw(param_values(PARAMS[name])) for name in PARAMS}
    # The three booking shares must leave room for traffic bookings.
    total = values["share_violent_felony"] + values["share_other_felony"] + values[
        "share_misdemeanour"]
    if total > 1:
        for name in ("share_violent_felony", "share_other_felony", "share_misdemeanour"):
            values[name] /= total
    return PARAMS.validate(values)


@settings(max_examples=200)
@given(settings_())
def test_counts_non_negative_and_no_stage_exceeds_the_one_before(values):
    result = screening.screen(values)
    stages = [result[stage] for stage in screening.STAGES]
    for stage in stages:
        assert (stage >= -1e-12).all()
    for before, after in itertools.pairwise(stages):
        assert (after <= before + 1e-9).all()
    assert np.allclose(result["all_removals"],
                       result["removals"] + result["task_force_removals"])
    assert (result["task_force_removals"] <= result["task_force"] + 1e-9).all()


@settings(max_examples=200)
@given(settings_())
def test_precision_is_a_share(values):
    precision = screening.screen(values)["precision"]
    assert np.isnan(precision) or 0 <= precision <= 1


@settings(max_examples=200)
@given(settings_())
def test_widening_scope_never_lowers_removals_or_crimes_averted(values):
    sweep = screening.screen(values, scope=np.array(screening.SCOPES))
    assert (np.diff(sweep["all_removals"].sum(axis=-1)) >= -1e-9).all()
    assert (np.diff(sweep["crimes_averted"]) >= -1e-9).all()


def test_marginal_offences_averted_fall_as_scope_widens_at_the_defaults():
    values = PARAMS.defaults()
    sweep = screening.screen(values, scope=np.array(screening.SCOPES))
    removals = np.concatenate([[0], sweep["all_removals"].sum(axis=-1)])
    averted = np.concatenate([[0], sweep["crimes_averted"]])
    marginal = np.diff(averted) / np.diff(removals)
    assert (np.diff(marginal) < 0).all()
    assert sweep["precision"][0] == 1 and sweep["precision"][-1] < 1


def test_funnel_by_hand_for_one_class():
    values = PARAMS.defaults() | {"scope": 1, "task_force_arrests": 0}
    result = screening.screen(values)
    place = county.reference_county()
    bookings = place["population"] / 1000 * place["jail_admissions_per_1000"]
    expected = (bookings * values["share_violent_felony"] * values["removable_share"]
                * values["match_probability"] * values["detainer_rate"] * values["honour_rate"]
                * values["removal_rate"])
    assert result["removals"][0] == pytest.approx(expected)
    assert result["removals"][1:].sum() == 0
    assert result["crimes_averted"] == pytest.approx(
        expected * values["offences_violent_felony"] * values["years_in_county"])
    assert result["court_cases"] == pytest.approx(
        result["transfers"].sum() * values["court_case_share"])


def test_task_force_arrests_without_record_fall_in_no_charge_class():
    values = PARAMS.defaults() | {"task_force_arrests": 100, "task_force_record_share": 0.25}
    field = screening.screen(values)["task_force"]
    assert field.sum() == pytest.approx(100)
    assert field[-1] == pytest.approx(75)


def test_honour_rate_scales_every_class_alike_so_precision_is_unchanged():
    values = PARAMS.defaults()
    full = screening.screen(values)
    half = screening.screen(values | {"honour_rate": 0.5})
    assert np.allclose(half["all_removals"], full["all_removals"] / 2)
    assert half["precision"] == pytest.approx(full["precision"])


def test_booking_shares_that_overflow_are_rejected_with_names():
    with pytest.raises(ValueError, match=r"share_violent_felony .* must be at most 1"):
        screening.MODEL.run(share_violent_felony=0.5, share_other_felony=0.4,
                            share_misdemeanour=0.3)


def test_no_removals_means_undefined_precision_not_an_error():
    result = screening.screen(PARAMS.defaults() | {"honour_rate": 0.0})
    assert result["all_removals"].sum() == 0
    assert np.isnan(result["precision"])
