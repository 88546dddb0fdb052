"""Trafficking investigations: two levers (task forces, civil cooperation) and the
long-run chilling effect they share with trust.py."""

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


def along(values: dict, lever: str, other: float) -> dict[str, np.ndarray]:
    """Outputs as one lever runs over LEVELS with the other held at ``other``."""
    if lever == "task_force":
        return investigations.production(LEVELS, other, values)
    return investigations.production(other, LEVELS, values)


@settings(max_examples=100)
@given(scenarios, st.floats(0, 1))
def test_outputs_non_negative_and_monotone_where_theory_says(values, other):
    for lever in ("task_force", "civil_cooperation"):
        out = along(values, lever, other)
        assert all((v >= 0).all() for v in out.values())
    by_task_force = along(values, "task_force", other)
    assert (np.diff(by_task_force["tips"]) <= 1e-12).all()       # spillover only lowers tips
    assert (np.diff(by_task_force["capacity"]) >= -1e-12).all()  # agents add capacity
    by_civil = along(values, "civil_cooperation", other)
    assert np.ptp(by_civil["capacity"]) == 0                     # civil work adds none
    gain = investigations.expertise(LEVELS, values["expertise_multiplier"],
                                    values["expertise_speed"])
    assert gain[0] == pytest.approx(1) and gain[-1] == pytest.approx(values["expertise_multiplier"])
    assert (np.diff(gain) >= -1e-12).all() and (np.diff(gain, 2) <= 1e-9).all()


@settings(max_examples=100)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_exposure_is_civil_cooperation_plus_a_share_of_task_force_work(t, c, spillover):
    spillover = round(spillover * 4) / 4  # on the slider grid
    e = investigations.exposure(t, c, spillover)
    assert max(c, spillover * t) - 1e-12 <= e <= 1 + 1e-12
    assert investigations.exposure(0.0, c, spillover) == pytest.approx(c)
    assert investigations.exposure(t, 1.0, spillover) == pytest.approx(1.0)
    assert investigations.exposure(t, c, 0.0) == pytest.approx(c)


@settings(max_examples=100)
@given(scenarios, st.floats(0, 1))
def test_without_spillover_more_task_force_work_never_lowers_prosecutions(values, civil):
    out = investigations.production(LEVELS, civil, values | {"spillover": 0.0})
    assert (np.diff(out["prosecutions"]) >= -1e-9).all()


@settings(max_examples=100)
@given(scenarios, st.floats(0, 1))
def test_without_leads_more_civil_cooperation_never_raises_prosecutions(values, task_force):
    values = values | {"civil_leads": 0}
    out = investigations.production(task_force, LEVELS, values)
    assert (np.diff(out["prosecutions"]) <= 1e-9).all()
    assert (np.diff(out["tips"]) <= 1e-12).all()


@settings(max_examples=100)
@given(scenarios, st.floats(0, 1))
def test_without_a_chilling_effect_neither_lever_lowers_prosecutions(values, other):
    values = values | {"reporting_drop": 0.0}
    for lever in ("task_force", "civil_cooperation"):
        assert (np.diff(along(values, lever, other)["prosecutions"]) >= -1e-9).all()


@settings(max_examples=25, deadline=None)
@given(scenarios)
def test_separate_levers_without_spillover_or_leads_are_best_at_the_ends(values):
    values = values | {"spillover": 0.0, "civil_leads": 0}
    *_, most = investigations.best_levels(values)
    full_no_civil = float(investigations.production(1.0, 0.0, values)["prosecutions"])
    assert most == pytest.approx(full_no_civil)


def test_one_dial_can_peak_in_between_where_separate_levers_do_not():
    defaults = PARAMS.defaults()
    assert investigations.best_single_dial(defaults)[0] == 1.0
    witness = defaults | {"reporting_drop": 0.6}
    level, dial_most = investigations.best_single_dial(witness)
    assert 0 < level < 1
    t, c, most = investigations.best_levels(witness)
    assert (t, c) == (1.0, 0.0) and most > dial_most


def test_a_case_computed_by_hand():
    values = PARAMS.defaults() | {"reporting_drop": 0.5, "spillover": 0.5, "civil_leads": 2,
                                  "tips_per_year": 30, "local_capacity": 10,
                                  "federal_capacity": 10, "prosecution_share": 0.5,
                                  "expertise_multiplier": 2.0}
    out = investigations.production(1.0, 0.5, values)
    exposure = 1 - 0.5 * (1 - 0.5)              # 0.75
    tips = 30 / (1 + 1.0 * exposure) + 2 * 0.5  # k = 0.5 / 0.5 = 1
    capacity = 20
    cases = capacity * (1 - np.exp(-tips / capacity))
    assert out["tips"] == pytest.approx(tips)
    assert out["capacity"] == pytest.approx(capacity)
    assert out["prosecutions"] == pytest.approx(cases * 0.5 * 2.0)


@pytest.mark.parametrize(("lever", "call"), [
    ("task_force", lambda v: investigations.production(1.2, 0.5, v)),
    ("civil_cooperation", lambda v: investigations.production(0.5, -0.1, v)),
    ("task_force", lambda v: investigations.expertise(float("nan"), 1.5, 0.3)),
])
def test_bad_levels_are_rejected_naming_the_lever_and_range(lever, call):
    with pytest.raises(ValueError, match=rf"{lever} must be in \[0, 1\] \(0 = none"):
        call(PARAMS.defaults())


def test_explorer_frame_marks_the_current_setting_on_both_panels():
    values = PARAMS.defaults() | {"task_force": 0.75, "civil_cooperation": 0.25}
    frame = investigations.MODEL.run(**values)
    now = investigations.production(0.75, 0.25, values)
    current = frame[frame["series"] == "Current setting"]
    assert current["prosecutions"].dropna().tolist() == pytest.approx([float(now["prosecutions"])])
    assert current["per_year"].dropna().tolist() == pytest.approx([float(now["cases"])])
    as_set = frame[frame["series"] == investigations.CIVIL_AS_SET].set_index("task_force_level")
    assert as_set.loc[0.75, "prosecutions"] == pytest.approx(float(now["prosecutions"]))


def test_own_parameters_say_their_kind_and_sourced_defaults_quote_their_figure():
    """The book-wide checks (tests/test_book.py), for this chapter's own parameters; the
    shared chilling effect belongs to trust.py and is checked there."""
    from coopmodels import network
    from coopmodels.params import KINDS

    from .test_book import figure_texts

    for params in (investigations.PARAMS, network.PARAMS):
        for param in params.values():
            if param is trust.REPORTING_DROP:
                continue
            assert param.kind in KINDS, param.name
            if param.kind == "empirical" and param.citation_keys:
                assert param.figure is not None, param.name
                assert abs(param.default - param.figure) <= param.step / 2 + 1e-9, param.name
                assert any(text in param.note for text in figure_texts(param.figure)), param.name
