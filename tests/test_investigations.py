"""Joint investigations and the long-run chilling effect (trust.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import investigations, trust

from .strategies import settings_of

PARAMS = investigations.PARAMS
LEVELS = np.linspace(0, 1, 41)



scenarios = settings_of(PARAMS)


@given(st.floats(0, 1), st.floats(0, 0.9))
def test_reporting_multiplier_is_the_steady_state_of_the_trust_equation(c, drop):
    """dT/dt = rho (1 - T) - rho k c T vanishes at T = reporting_multiplier(c)."""
    k = trust.erosion_ratio(drop)
    steady = trust.reporting_multiplier(c, drop)
    assert (1 - steady) - k * c * steady == pytest.approx(0, abs=1e-12)
    assert 1 - drop - 1e-12 <= steady <= 1 + 1e-12


def test_reporting_multiplier_endpoints_and_shape():
    assert trust.reporting_multiplier(0.0, 0.3) == pytest.approx(1.0)
    assert trust.reporting_multiplier(1.0, 0.3) == pytest.approx(0.7)
    curve = trust.reporting_multiplier(LEVELS, 0.3)
    assert (np.diff(curve) < 0).all() and (np.diff(curve, 2) > 0).all()


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan")])
def test_reporting_multiplier_rejects_bad_cooperation(bad):
    with pytest.raises(ValueError, match=r"cooperation must be in \[0, 1\]"):
        trust.reporting_multiplier(bad, 0.3)


def test_reporting_drop_is_validated_with_its_name():
    with pytest.raises(ValueError, match=r"reporting_drop must be a number in \[0, 0.9\]"):
        trust.reporting_multiplier(0.5, 0.95)


@settings(max_examples=200)
@given(st.floats(0, 1e4), st.floats(0, 1e4))
def test_cases_never_exceed_tips_or_capacity(tips, capacity):
    cases = investigations.cases_opened(tips, capacity)
    assert 0 <= cases <= min(tips, capacity) + 1e-9


@settings(max_examples=100)
@given(scenarios)
def test_outputs_non_negative_and_monotone_where_theory_says(values):
    out = investigations.production(LEVELS, values)
    assert (out["prosecutions"] >= 0).all()
    assert (np.diff(out["tips"]) <= 1e-12).all()        # more cooperation, fewer tips
    assert (np.diff(out["capacity"]) >= -1e-12).all()   # more cooperation, more capacity
    gain = investigations.expertise(LEVELS, values["expertise_multiplier"],
                                    values["expertise_speed"])
    assert gain[0] == pytest.approx(1) and gain[-1] == pytest.approx(values["expertise_multiplier"])
    assert (np.diff(gain) >= -1e-12).all() and (np.diff(gain, 2) <= 1e-9).all()


@settings(max_examples=100)
@given(scenarios)
def test_without_chilling_effect_more_cooperation_never_lowers_prosecutions(values):
    out = investigations.production(LEVELS, values | {"reporting_drop": 0.0})
    assert (np.diff(out["prosecutions"]) >= -1e-9).all()


def test_optimum_can_be_interior_or_at_full_cooperation_depending_on_parameters():
    defaults = PARAMS.defaults()
    assert investigations.best_cooperation(defaults)[0] == 1.0
    level, _ = investigations.best_cooperation(defaults | {"reporting_drop": 0.61})
    assert 0 < level < 1


def test_each_effect_alone_brackets_both():
    values = PARAMS.defaults()
    both = investigations.production(LEVELS, values)["prosecutions"]
    expertise_only = investigations.production(LEVELS, values, tips_react=False)["prosecutions"]
    assert (both <= expertise_only + 1e-12).all()
