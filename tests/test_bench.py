"""The benchmark harness itself (not timings): interleaving, accuracy, the budget table."""

from __future__ import annotations

import numpy as np

from bench import models, peers, run
from coopmodels.registry import all_models


def test_peer_pairs_run_interleaved_and_report_accuracy():
    calls = []
    truth = np.array([1.0, 2.0, 4.0])

    def ours():
        calls.append("ours")
        return truth

    def reference():
        calls.append("reference")
        return truth * (1 + 1e-3)

    pair = peers.Peer("toy", "toy", ours, reference, lambda: truth, "none", rounds=3)
    result = peers.compare(pair)
    assert calls == ["ours", "reference"] * 3
    assert result["ours_max_rel_error"] == 0
    assert np.isclose(result["reference_max_rel_error"], 1e-3)
    assert np.isclose(result["speedup"],
                      result["reference_median_ms"] / result["ours_median_ms"])


def test_every_peer_module_is_found_or_reported_as_skipped():
    found, skipped = peers.all_peers()
    names = {p.name for p in found} | {s["module"] for s in skipped}
    assert "court_backlog_grid" in names or "peer_backlog" in names


def test_random_slider_values_stay_inside_every_range_and_are_accepted():
    rng = np.random.default_rng(1)
    for model in all_models().values():
        for _ in range(5):
            values = models.valid_slider_values(model, rng)
            assert set(values) == set(model.sliders)
            model.params.validate(values)
        for _ in range(20):
            model.params.validate(models.random_values(model, rng))


def test_budget_rows_mark_misses():
    assert run.budget_row("x", "model_p95_ms", 19.9, "19.9 ms", "ms").endswith("✅ |")
    assert run.budget_row("x", "model_p95_ms", 20.1, "20.1 ms", "ms").endswith("❌ |")
    assert "≤ 1,500 kB" in run.budget_row("x", "page_data_bytes", 1, "1 B", "kB")
