"""Trust models: bounds, monotonicity, conservation, seeds, and the mean-field limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import trust, trust_abm

MF = trust.PARAMS.defaults()
ABM = trust_abm.PARAMS.defaults() | {"horizon_months": 96, "agents": 600}


def mf_values(draw_float, draw_int) -> dict:
    return MF | {"cooperation": draw_float(0, 1), "outreach": draw_float(0, 1),
                 "trust_asymmetry": draw_float(1, 10), "reporting_drop": draw_float(0, 0.9),
                 "mixed_status_share": draw_float(0, 0.4),
                 "months_to_lose_trust": draw_int(1, 24)}


@st.composite
def mean_field_settings(draw):
    return mf_values(lambda a, b: draw(st.floats(a, b)), lambda a, b: draw(st.integers(a, b)))


@settings(max_examples=60, deadline=None)
@given(mean_field_settings())
def test_mean_field_trust_and_probabilities_stay_in_bounds(values):
    out = trust.mean_field(values)
    assert ((out["trust"] >= 0) & (out["trust"] <= 1)).all()
    assert ((out["reporting_rate"] >= 0) & (out["reporting_rate"] <= 1)).all()
    assert ((out["victimisation"] >= 0) & (out["victimisation"] <= 1)).all()
    assert (out["reported"] <= out["victimisation"] + 1e-15).all()


LONG_RUN = {"start_month": 0, "duration_months": 240, "horizon_months": 240}


def test_long_run_trust_is_the_steady_state_of_each_status():
    values = MF | LONG_RUN | {"cooperation": 0.6}
    out = trust.mean_field(values)
    community = trust.Community.from_values(values)
    expected = 1 / (1 + community.k * community.sensitivity * 0.6)
    assert np.allclose(out["trust"][-1] / values["baseline_trust"], expected, atol=1e-4)
    # and offending then follows the elasticity exactly
    r0, rate = values["baseline_reporting"], out["reporting_rate"][-1]
    assert out["victimisation"][-1] / values["monthly_victimisation"] == pytest.approx(
        1 + values["elasticity"] * (r0 - rate) / r0)


@pytest.mark.parametrize("drop", [0.0, 0.1, 0.3, 0.6])
def test_community_wide_reporting_falls_by_the_calibrated_drop(drop):
    """The study's 30% is a community average: the reference community loses exactly it."""
    out = trust.mean_field(MF | LONG_RUN | {"reporting_drop": drop})
    assert out["reporting_rate"][-1] / out["reporting_rate"][0] == pytest.approx(
        1 - drop, abs=1e-4)


def test_community_curve_stays_close_to_the_one_household_curve_of_chapter_3():
    """reporting_multiplier (one kind of household) is what the transnational-crime
    chapter uses; the calibrated community follows it within a fifth of a point."""
    community = trust.Community.from_values(MF)
    levels = np.linspace(0, 1, 21)
    mixed = trust.community_reporting(community.k, community.sensitivity, community.shares,
                                      levels)
    assert np.abs(mixed - trust.reporting_multiplier(levels, MF["reporting_drop"])).max() < 0.005


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 0.85), st.lists(st.floats(0.05, 1), min_size=3, max_size=3))
def test_community_erosion_solves_its_equation(drop, sensitivities):
    sensitivity = np.array([*sensitivities, 1.0])
    k = trust.community_erosion(drop, sensitivity)
    assert k >= 0
    assert trust.community_reporting(k, sensitivity, trust.REFERENCE_SHARES) == pytest.approx(
        1 - drop, abs=1e-9)


def test_one_kind_of_household_gives_the_erosion_ratio():
    k = trust.community_erosion(0.3, np.ones(4))
    assert k == pytest.approx(trust.erosion_ratio(0.3)) == pytest.approx(0.3 / 0.7)


def test_a_drop_no_sensitivity_can_reach_is_rejected_naming_it():
    with pytest.raises(ValueError, match=r"reporting_drop must be below 0\.17"):
        trust.community_erosion(0.3, np.array([0.0, 0.0, 0.0, 1.0]))


def test_reference_shares_follow_pew():
    """44% naturalized, 27% + 5% lawful, 24% unauthorized, of which about 0.297 in
    mixed-status families (Passel 2006): 0.0713 -> 0.07 and 0.1687 -> 0.17."""
    assert np.allclose(trust.REFERENCE_SHARES, [0.44, 0.32, 0.07, 0.17])


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 300), st.floats(0, 1))
def test_county_index_lies_between_no_change_and_the_community(index, share):
    county = trust.county_reported_index(index, share)
    assert min(100, index) - 1e-9 <= county <= max(100, index) + 1e-9
    assert trust.county_reported_index(index, 0.0) == pytest.approx(100)
    assert trust.county_reported_index(index, 1.0) == pytest.approx(index)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_county_index_rejects_a_share_outside_its_range_naming_it(bad):
    with pytest.raises(ValueError, match=r"community_share_of_victims must be .* \[0, 1\]"):
        trust.county_reported_index(90.0, bad)


def test_chart_months_cover_both_switches_and_the_horizon():
    months = trust.chart_months(MF)
    assert months[0] == 0 and months[-1] == MF["horizon_months"] - 1
    assert (np.diff(months) > 0).all()
    start, stop = MF["start_month"], MF["start_month"] + MF["duration_months"]
    assert {start, start + 3, stop, stop + 3} <= set(months.tolist())
    assert trust.cooperation_years(MF) == (start / 12, stop / 12)


def test_trust_is_lost_faster_than_it_is_regained():
    out = trust.mean_field(MF)
    undocumented = out["trust"][:, 3]
    start, stop = MF["start_month"], MF["start_month"] + MF["duration_months"]
    low = undocumented[stop]
    fall = undocumented[start] - low
    half_down = np.argmax(undocumented[start:] <= undocumented[start] - fall / 2)
    half_up = np.argmax(undocumented[stop:] >= low + fall / 2)
    assert half_up > 2 * half_down


def test_police_records_move_far_less_than_true_crime():
    """More crime, reported less often: the community's count moves less than crime
    itself, and the county's records (the community is a fifth of its victims) far less."""
    frame = trust.MODEL.run()
    index = frame.pivot(index="year", columns="series", values="crime_index")
    true_change = index[trust.TRUE_CRIME].max() - 100
    community = 100 - index[trust.REPORTED_CRIME].min()
    county = 100 - index[trust.COUNTY_REPORTED].min()
    assert true_change > 20 and 0 < community < true_change and county < community / 4


@pytest.mark.parametrize("name", ["cooperation", "outreach"])
def test_abm_more_cooperation_never_raises_trust_more_outreach_never_lowers_it(name):
    """Same seed: the comparison holds month by month, household group by group."""
    low, high = (trust_abm.run(ABM | {name: level}) for level in (0.3, 0.8))
    sign = -1 if name == "cooperation" else 1
    assert (sign * (high["trust"] - low["trust"]) >= -1e-12).all()


@settings(max_examples=15, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(1, 10), st.integers(0, 50))
def test_abm_trust_in_bounds_and_households_conserved(cooperation, clustering, asymmetry,
                                                      seed):
    values = ABM | {"cooperation": cooperation, "clustering": clustering,
                    "trust_asymmetry": asymmetry, "seed": seed}
    out = trust_abm.run(values)
    assert ((out["trust"] >= 0) & (out["trust"] <= 1)).all()
    assert out["agents"].sum() == values["agents"]
    assert (out["reports"] <= out["victims"]).all()
    assert (out["transfers"] <= values["agents"]).all()


def test_abm_same_seed_same_run_other_seed_other_run():
    first, again = trust_abm.run(ABM), trust_abm.run(ABM)
    other = trust_abm.run(ABM | {"seed": 1})
    assert all(np.array_equal(first[key], again[key]) for key in first)
    assert not np.array_equal(first["transfers"], other["transfers"])


def test_abm_follows_the_mean_field_model_in_a_well_mixed_community():
    """Everyone hears of every transfer: average trust within 0.02 of the mean field.

    The agreement is a law of large numbers in the transfers heard of: at the default
    contact rate (0.0075 a month) 60,000 households see about 50 transfers a month."""
    values = trust_abm.PARAMS.defaults() | {"clustering": 0.0, "news_from_community": 1.0,
                                             "agents": 60_000}
    expected = trust.mean_field({name: values[name] for name in trust.PARAMS})["trust"]
    for seed in range(3):
        simulated = trust_abm.run(values | {"seed": seed})["trust"]
        assert np.abs(simulated - expected).max() < 0.02


def test_clustered_news_concentrates_fear_on_the_most_exposed():
    values = trust_abm.PARAMS.defaults() | {"news_from_community": 0.0}
    mixed = trust_abm.run(values | {"clustering": 0.0})["trust"]
    clustered = trust_abm.run(values | {"clustering": 1.0})["trust"]
    worst = MF["start_month"] + MF["duration_months"] - 1
    assert clustered[worst, 3] < mixed[worst, 3]   # undocumented lose more trust
    assert clustered[worst, 0] > mixed[worst, 0]   # citizens lose less


def test_network_is_symmetric_simple_and_linear_in_memory():
    adjacency = trust_abm.social_network(1_000_000, 8, 0.5, seed=0)
    assert adjacency.shape == (1_000_000, 1_000_000)
    assert (adjacency != adjacency.T).nnz == 0
    assert adjacency.diagonal().sum() == 0
    bytes_used = adjacency.data.nbytes + adjacency.indices.nbytes + adjacency.indptr.nbytes
    assert bytes_used < 50 * 1_000_000  # under 50 bytes per household with 8 ties


def test_inconsistent_shares_are_rejected_with_their_names():
    with pytest.raises(ValueError, match=r"mixed_status_share .* must be at most 1"):
        trust.MODEL.run(mixed_status_share=0.4, lawful_share=0.5, undocumented_share=0.3)
