"""Param / ParamSet: validation messages, grids for kernel-free sliders."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopmodels.params import ASSUMPTION, Param, ParamSet


def make_param(**overrides) -> Param:
    fields = dict(name="judges", label="Judges", default=700, min=100, max=1500, step=10,
                  unit="judges", source="eoir_strategic_plan", integer=True)
    return Param(**(fields | overrides))


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (float("nan"), "not a number"),
        ("700", "of type str"),
        (None, "of type NoneType"),
        (True, "of type bool"),
        (99, "outside the allowed range"),
        (1500.5, "outside the allowed range"),
        (float("inf"), "outside the allowed range"),
        (700.5, "not a whole number"),
    ],
)
def test_bad_value_message_names_parameter_range_and_value(value, detail):
    with pytest.raises(ValueError, match="judges must be a whole number") as error:
        make_param().validate(value)
    message = str(error.value)
    assert "[100, 1,500] (judges)" in message
    assert repr(value) in message
    assert detail in message


def test_good_values_are_returned_typed():
    assert make_param().validate(np.int64(710)) == 710
    assert isinstance(make_param().validate(710.0), int)
    real = make_param(integer=False, default=0.5, min=0, max=1, step=0.05)
    assert real.validate(np.float32(0.25)) == pytest.approx(0.25)
    assert isinstance(real.validate(1), float)


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"default": 705}, "not on the slider grid"),
        ({"min": 2000}, "min < max"),
        ({"step": 0}, "step > 0"),
        ({"source": " "}, "needs a source"),
        ({"source": ASSUMPTION, "note": ""}, "assumption needs"),
        ({"name": "two words"}, "identifier"),
        ({"default": 2000}, "outside the allowed range"),
    ],
)
def test_bad_declarations_are_rejected(overrides, match):
    with pytest.raises(ValueError, match=match):
        make_param(**overrides)


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        ("judges", 700, "700 judges"),
        ("0 = off, 1 = on", 1, "1 = on"),
        ("0 = off, 1 = on", 0, "0 = off"),
        ("0 = none, 1 = full", 0.5, "0.5 (0 = none, 1 = full)"),
        ("1 = violent felonies ... 4 = all bookings", 4, "4 = all bookings"),
    ],
)
def test_value_text_reads_coded_units(unit, value, text):
    param = make_param(unit=unit, default=1, min=0, max=1500, step=0.5, integer=False)
    assert param.value_text(value) == text
    assert param.value_text() == param.value_text(1)


def test_citation_keys():
    assert make_param(source="a, b").citation_keys == ("a", "b")
    assert make_param(source=ASSUMPTION, note="why").citation_keys == ()


def test_paramset_validate_fills_defaults_and_rejects_unknown_names():
    params = ParamSet(make_param(), make_param(name="added", default=0, min=-50, max=50))
    assert params.validate({"added": 20}) == {"judges": 700, "added": 20}
    with pytest.raises(ValueError, match=r"unknown parameter.*hires.*expected some of: judges"):
        params.validate({"hires": 3})
    with pytest.raises(ValueError, match="added must be"):
        params.validate({"added": 51})
    with pytest.raises(ValueError, match="unique"):
        ParamSet(make_param(), make_param())


@st.composite
def declared_params(draw):
    step = draw(st.sampled_from([1, 2, 5, 10, 0.01, 0.05, 0.25, 1000]))
    n_steps = draw(st.integers(1, 400))
    lo = draw(st.integers(-100, 100)) * step
    default_steps = draw(st.integers(0, n_steps))
    return Param("x", "X", lo + default_steps * step, lo, lo + n_steps * step, step, "u",
                 ASSUMPTION, note="test")


@given(declared_params(), st.integers(2, 12))
def test_grid_contains_default_stays_in_range_and_is_evenly_spaced(param, max_points):
    grid = param.grid(max_points)
    assert 1 <= len(grid) <= max_points
    assert np.isclose(grid, param.default, rtol=0, atol=1e-9 * max(1, abs(param.default))).any()
    tolerance = 1e-9 * max(1.0, abs(param.min), abs(param.max))
    assert grid.min() >= param.min - tolerance and grid.max() <= param.max + tolerance
    if len(grid) > 1:
        spacing = np.diff(grid)
        assert np.allclose(spacing, spacing[0])
        ratio = spacing[0] / param.step
        assert math.isclose(ratio, round(ratio), abs_tol=1e-6)
        for value in grid:
            param.validate(float(value))


def test_grid_prefers_round_values_from_min():
    param = make_param(default=700, min=100, max=1500, step=100)
    assert list(param.grid(8)) == [100, 300, 500, 700, 900, 1100, 1300, 1500]


@given(param=declared_params(), max_points=st.integers(2, 40), data=st.data())
def test_grid_holds_every_required_setting_or_says_why_not(param, max_points, data):
    n_steps = param.positions - 1
    default_k = round((param.default - param.min) / param.step)
    ks = data.draw(st.lists(st.integers(0, n_steps), max_size=3))
    settings = [param.min + k * param.step for k in ks]
    # The coarsest evenly spaced grid through all of them has stride gcd(differences).
    stride = math.gcd(*(k - default_k for k in ks)) or n_steps or 1
    fewest = (n_steps - default_k % stride) // stride + 1
    if fewest > max_points:
        with pytest.raises(ValueError, match="cannot share one evenly spaced grid"):
            param.grid(max_points, settings)
        return
    grid = param.grid(max_points, settings)
    assert len(grid) <= max_points
    for value in [param.default, *settings]:
        assert np.isclose(grid, value, rtol=0, atol=1e-9 * max(1, abs(value))).any()


def test_grid_with_a_text_setting_uses_the_finest_grid_that_holds_it():
    param = make_param(default=0, min=0, max=15, step=1)
    assert list(param.grid(7)) == [0, 3, 6, 9, 12, 15]
    assert list(param.grid(7, [5])) == [0, 5, 10, 15]
    assert list(param.grid(16, [5])) == list(range(16))


@pytest.mark.parametrize(("setting", "match"), [(705, "not a slider position"),
                                                (99, "outside the allowed range")])
def test_grid_names_a_text_setting_off_the_slider(setting, match):
    with pytest.raises(ValueError, match=match):
        make_param(default=700, min=100, max=1500, step=10).grid(8, [setting])


def test_grid_says_when_settings_cannot_share_a_grid():
    with pytest.raises(ValueError, match="700, 710 cannot share"):
        make_param(default=700, min=100, max=1500, step=10).grid(8, [710])


def test_kind_must_be_known_and_assumptions_have_no_figure():
    assert make_param(kind="empirical", figure=700).figure == 700
    with pytest.raises(ValueError, match="kind must be one of"):
        make_param(kind="guess")
    with pytest.raises(ValueError, match="no published figure"):
        make_param(source=ASSUMPTION, note="why", figure=700)
