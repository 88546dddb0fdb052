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
    full = screening.screen(values | {"honour_rate": 1.0})
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


def test_explorer_frame_marks_no_removals_with_missing_precision():
    """With nothing removed, precision is undefined (NaN), so a panel can say why it is
    empty; the removals are zero, not missing."""
    frame = screening.MODEL.run(honour_rate=0.0, task_force_arrests=0)
    trade_off = frame[frame["series"] != screening.FROM_JAIL].dropna(subset=["scope_level"])
    assert trade_off["precision_percent"].isna().all()
    assert (trade_off["total_removals"] == 0).all()
    by_class = frame.dropna(subset=["offence_class"])
    assert (by_class["removals"] == 0).all()


def test_default_detainers_end_in_custody_at_the_trac_share():
    assert PARAMS["honour_rate"].default == pytest.approx(0.4)
    assert PARAMS["honour_rate"].figure == pytest.approx(0.4)


def test_custody_hours_by_hand():
    hours = screening.custody_hours(100, 3, 20, 0.5)
    assert hours["hours_with"] == pytest.approx(300)
    assert hours["at_large_arrests"] == pytest.approx(50)
    assert hours["hours_without"] == pytest.approx(1_000)
    assert hours["hours_freed"] == pytest.approx(700)


@settings(max_examples=200)
@given(st.floats(0.01, 5_000), param_values(screening.ROUTE_PARAMS["hours_per_jail_transfer"]),
       param_values(screening.ROUTE_PARAMS["hours_per_at_large_arrest"]),
       param_values(screening.ROUTE_PARAMS["at_large_substitution"]))
def test_hours_are_freed_exactly_above_the_break_even_substitution(transfers, jail, at_large,
                                                                   substitution):
    hours = screening.custody_hours(transfers, jail, at_large, substitution)
    assert hours["hours_with"] >= 0 and hours["hours_without"] >= 0
    assert hours["at_large_arrests"] <= transfers + 1e-9
    break_even = screening.break_even_substitution(jail, at_large)
    if abs(substitution - break_even) > 1e-9:
        assert (hours["hours_freed"] > 0) == (substitution > break_even)


@pytest.mark.parametrize(("name", "value", "match"), [
    ("hours_per_jail_transfer", 0.0, r"hours_per_jail_transfer must be a number in \[0\.5"),
    ("hours_per_at_large_arrest", 500, r"hours_per_at_large_arrest must be a number in \[2"),
    ("at_large_substitution", 1.5, r"at_large_substitution must be a number in \[0, 1\]"),
])
def test_custody_hours_rejects_bad_input_naming_the_parameter(name, value, match):
    arguments = screening.ROUTE_PARAMS.defaults() | {name: value}
    with pytest.raises(ValueError, match=match):
        screening.custody_hours(100, **arguments)
    with pytest.raises(ValueError, match="jail_transfers must be a number >= 0"):
        screening.custody_hours(-1, **screening.ROUTE_PARAMS.defaults())


def test_strongest_case_averts_more_than_the_defaults_and_the_weakest_less():
    averted = {case: screening.screen(screening.case_values(case))["crimes_averted"]
               for case in screening.INCAPACITATION_CASES}
    default = screening.screen(PARAMS.defaults())["crimes_averted"]
    assert averted["Weakest case"] < default < averted["Strongest case"]
    for settings_ in screening.INCAPACITATION_CASES.values():
        for name, (value, reason) in settings_.items():
            assert PARAMS[name].on_grid(value), name
            assert reason.strip(), name
    with pytest.raises(ValueError, match="case must be one of"):
        screening.case_values("Typical case")
