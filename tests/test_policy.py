"""The policy lab: linked models reproduce each chapter, safeguards act as documented,
sweeps run on any executor (a Dask cluster included), and the frontier is right."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from coopmodels import backlog, capacity, policy, screening, sensitivity, trust

DEFAULT = policy.LEVERS.defaults() | {"task_force": 0}  # jail screening, no safeguards
OFF = DEFAULT | {"cooperation": 0}
SETTINGS = policy.Settings.defaults()


def test_no_cooperation_reproduces_every_chapters_baseline():
    out = policy.evaluate(OFF)
    cap = capacity.PARAMS.defaults()
    no_diversion = capacity.queue(cap["calls_per_hour"], cap["minutes_per_call"],
                                  cap["officers_on_duty"], 0.0)["p_long_wait"]
    assert out["priority_removals"] == 0 and out["offences_averted"] == 0
    assert out["victimisation_index"] == pytest.approx(100)
    assert out["reported_index"] == pytest.approx(100)
    assert out["long_waits"] == pytest.approx(100 * float(no_diversion))
    assert out["profiling_burden"] == 0 and out["local_cost"] == 0
    assert out["court_extra_wait"] == pytest.approx(0)


def test_cooperation_without_safeguards_reproduces_the_chapter_models():
    out = policy.evaluate(DEFAULT)  # jail screening, chapter defaults, no task force
    found = screening.screen(screening.PARAMS.defaults())
    assert out["priority_removals"] == pytest.approx(found["all_removals"][:2].sum())
    assert out["offences_averted"] == pytest.approx(float(found["crimes_averted"]))
    cap = capacity.PARAMS.defaults()
    hours = capacity.diverted_hours_per_day(capacity.detainers_per_day(),
                                            cap["hours_per_detainer"], 0)
    chapter_wait = capacity.queue(cap["calls_per_hour"], cap["minutes_per_call"],
                                  cap["officers_on_duty"],
                                  capacity.diverted_share(hours, cap["officers_on_duty"]))
    assert out["long_waits"] == pytest.approx(100 * float(chapter_wait["p_long_wait"]))
    chapter_court = backlog.summarise(backlog.MODEL.run())
    assert out["court_extra_wait"] == pytest.approx(chapter_court["extra_wait_months"])


def test_full_enforcement_trust_is_the_mean_field_long_run():
    full = policy.evaluate(policy.full_cooperation(SETTINGS))
    values = trust.PARAMS.defaults() | {"start_month": 0, "duration_months": 240,
                                        "horizon_months": 240}
    run = trust.mean_field(values)
    assert full["exposure"] == pytest.approx(1.0)
    assert full["victimisation_index"] == pytest.approx(
        100 * run["victimisation"][-1] / values["monthly_victimisation"], rel=1e-4)


@pytest.mark.parametrize(("lever", "value", "moves"), [
    ("scope", 2, {"priority_removals": 0, "offences_averted": -1, "victimisation_index": -1,
                  "court_extra_wait": -1, "local_cost": -1}),
    ("judicial_warrants", 1, {"priority_removals": -1, "victimisation_index": -1,
                              "local_cost": -1, "long_waits": -1}),
    ("victim_firewall", 1, {"victimisation_index": -1, "priority_removals": 0}),
    ("outreach", 0.5, {"victimisation_index": -1, "priority_removals": 0}),
    ("task_force", 1, {"priority_removals": 1, "long_waits": 1, "profiling_burden": 1}),
])
def test_each_safeguard_moves_outcomes_in_the_documented_direction(lever, value, moves):
    before, after = policy.evaluate(DEFAULT), policy.evaluate(DEFAULT | {lever: value})
    for key, sign in moves.items():
        change = after[key] - before[key]
        if sign == 0:
            assert change == pytest.approx(0, abs=1e-9), key
        else:
            assert np.sign(change) == sign, (key, change)


def test_ice_reimbursement_lowers_the_county_cost_and_backfill_buys_back_police_time():
    task_force = DEFAULT | {"task_force": 1}
    unpaid = policy.evaluate(task_force | {"officer_reimbursed_share": 0.0})
    paid = policy.evaluate(task_force | {"officer_reimbursed_share": 1.0})
    backfilled = policy.evaluate(task_force | {"officer_reimbursed_share": 1.0,
                                               "backfill_share": 1.0})
    cap = capacity.PARAMS.defaults()
    pay = capacity.task_force_costs(policy.ASSUMPTIONS["task_force_officers"].default,
                                    cap["relief_factor"], cap["officer_cost_per_year"], 0.0, 0.0)
    assert unpaid["local_cost"] - paid["local_cost"] == pytest.approx(pay["pay_gross"])
    assert backfilled["local_cost"] - paid["local_cost"] == pytest.approx(pay["pay_gross"])
    assert backfilled["diverted_hours"] < paid["diverted_hours"]
    assert backfilled["priority_removals"] == paid["priority_removals"]


def test_judicial_warrants_hold_only_the_detainers_a_judge_signs():
    lab = policy.ASSUMPTIONS.defaults()
    honour = screening.PARAMS["honour_rate"].default
    values = policy.screening_values(policy.LEVERS.validate(DEFAULT | {"judicial_warrants": 1}),
                                     SETTINGS)
    assert values["honour_rate"] == pytest.approx(honour * lab["warrant_share"])


def test_guidelines_lower_the_burden_on_lawful_members_of_group_a():
    with_task_force = DEFAULT | {"task_force": 1}
    without = policy.evaluate(with_task_force)["profiling_burden"]
    guided = policy.evaluate(with_task_force | {"group_guidelines": 1})["profiling_burden"]
    assert guided < without


def test_effect_shares_are_zero_without_and_a_hundred_with_full_cooperation():
    assert all(v == pytest.approx(0) for v in policy.effect_shares(OFF).values())
    full = policy.effect_shares(policy.full_cooperation(SETTINGS))
    assert all(v == pytest.approx(100) for v in full.values())


def test_sweep_gives_the_same_table_on_any_executor():
    designs = policy.design_grid(scope=[2, 4], judicial_warrants=[0, 1])
    serial = pd.DataFrame([d | policy.evaluate(d) for d in designs])
    with ThreadPoolExecutor(max_workers=2) as threads:
        threaded = policy.sweep(designs, executor=threads)
    processes = policy.sweep(designs)  # default: local processes
    for table in (threaded, processes):
        pd.testing.assert_frame_equal(table[serial.columns], serial, check_dtype=False)


def test_sweep_runs_unchanged_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed")
    designs = policy.design_grid(scope=[1, 3], victim_firewall=[0, 1])
    expected = policy.sweep(designs, executor=ThreadPoolExecutor(max_workers=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_cluster = policy.sweep(designs, executor=client)
    pd.testing.assert_frame_equal(on_cluster, expected)


def test_outcome_table_rounds_each_outcome_as_declared():
    results = {"Off": policy.evaluate(OFF, SETTINGS), "On": policy.evaluate(DEFAULT, SETTINGS)}
    table = policy.outcome_table(results)
    assert list(table.columns) == ["Off", "On"]
    assert len(table) == len(policy.OUTCOMES)
    cost = table.loc["Cost to the county (thousand dollars per year)", "On"]
    assert cost == f"{results['On']['local_cost'] / 1000:,.0f}" and "." not in cost
    assert table.loc["Calls waiting over 10 minutes (% of calls)", "Off"] == (
        f"{results['Off']['long_waits']:.1f}")
    assert not table.map(lambda text: text.startswith("-0")).to_numpy().any()


def test_pareto_front_on_a_table_checked_by_hand():
    table = pd.DataFrame({"good": [3, 2, 3, 1, 3], "bad": [1, 1, 2, 0, 1]})
    front = policy.pareto_front(table, {"good": 1, "bad": -1})
    # row 1 is beaten by row 0 (less good, same bad), row 2 by row 0 (same good, more
    # bad); row 3 has the least bad; rows 0 and 4 tie, and a tie beats no one
    assert front.tolist() == [True, False, False, True, True]


def test_frontier_keeps_no_cooperation_and_drops_dominated_designs():
    designs = [OFF, *policy.design_grid(scope=[1, 2, 3, 4], officer_reimbursed_share=[0.0, 1.0])]
    table = policy.sweep(designs, executor=ThreadPoolExecutor(max_workers=1))
    front = policy.pareto_front(table, policy.objectives())
    assert front[0]  # nothing beats doing nothing on every cost
    unpaid = (table["officer_reimbursed_share"] == 0) & (table["cooperation"] == 1)
    assert not front[unpaid.to_numpy()].any()  # same design, higher cost


def test_sensitivity_one_at_a_time_and_morris():
    oat = sensitivity.one_at_a_time("victimisation_index", policy.full_cooperation(SETTINGS))
    baseline = policy.evaluate(policy.full_cooperation(SETTINGS))["victimisation_index"]
    assert np.allclose(oat["baseline"], baseline)
    drop = oat.set_index("name").loc["reporting_drop"]
    assert drop["low"] < baseline < drop["high"]
    untouched = oat.set_index("name").loc["completions_per_judge"]
    assert untouched["low"] == pytest.approx(untouched["high"])
    indices, samples = sensitivity.morris(
        ("victimisation_index", "long_waits"), policy.full_cooperation(SETTINGS),
        trajectories=4, executor=ThreadPoolExecutor(max_workers=2))
    ranked = indices[indices["outcome"] == "victimisation_index"].sort_values(
        "mu_star", ascending=False)
    assert ranked["name"].iloc[0] in {"reporting_drop", "elasticity"}
    assert (indices["mu_star"] >= 0).all()
    assert len(samples) == 4 * (len(sensitivity.UNCERTAIN) + 1)


def test_unknown_settings_are_rejected():
    with pytest.raises(ValueError, match="unknown parameter"):
        policy.Settings.defaults({"no_such_parameter": 1})
