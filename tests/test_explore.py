"""The generic explorer: precomputed grids, packing, and the two representations."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from coopmodels import charts, embed
from coopmodels.explore import (
    DISCRETE_POSITIONS,
    MAX_SCENARIOS,
    MIN_CONTINUOUS_POSITIONS,
    POOL,
    SIGNIFICANT_DIGITS,
    Explorer,
    explore,
)
from coopmodels.frontends import page
from coopmodels.model import SERIES
from coopmodels.registry import all_models

MODELS = all_models()
PAGE_DATA_BUDGET = 1_500_000  # bytes of embedded data per page (design budgets)


@pytest.fixture(scope="module", params=list(MODELS))
def explorer(request) -> Explorer:
    return explore(MODELS[request.param])


@pytest.fixture(scope="module")
def spec(explorer):
    return explorer.static_spec()


def transforms_in(node) -> list[dict]:
    """Every Vega-Lite transform in a (possibly layered) chart spec."""
    if isinstance(node, list):
        return [t for child in node for t in transforms_in(child)]
    if not isinstance(node, dict):
        return []
    return list(node.get("transform", [])) + transforms_in(node.get("layer", []))


def vega_index(expression: str, values: dict) -> int:
    """Evaluate the explorer's Vega expression for slider values (it uses + - * / round)."""
    names = {f"s_{name}": value for name, value in values.items()}
    return int(eval(expression, {"__builtins__": {}, "round": round}, names))


def test_grid_respects_the_scenario_cap(explorer):
    cap = explorer.model.max_scenarios or MAX_SCENARIOS
    assert math.prod(len(g) for g in explorer.grids.values()) <= cap
    for name, grid in explorer.grids.items():
        assert explorer.model.params[name].default in grid


def test_every_slider_setting_shows_the_numbers_the_model_computes(explorer, spec):
    """Decode the packed data as the page does and compare with a fresh model run."""
    rows = spec["datasets"][page.SCENARIOS]
    pool = {entry["r"]: entry for entry in spec["datasets"][POOL]}
    naming = {t["calculate"] for t in transforms_in(spec["vconcat"][0]) if t.get("as") == SERIES}
    (series,) = [json.loads(text.removesuffix("[datum.s]")) for text in naming]
    expression = explorer._scenario_index_expr()
    scenarios = explorer.scenarios()
    tolerance = 0.5 * 10 ** (1 - SIGNIFICANT_DIGITS)
    rng = np.random.default_rng(7)
    for k in [0, len(scenarios) - 1, *rng.integers(0, len(scenarios), 5)]:
        index = vega_index(expression, {name: scenarios[k][name] for name in explorer.sliders})
        assert index == k
        (row,) = [r for r in rows if r["k"] == index]
        frame = charts.display_frame(explorer.model.run(**scenarios[k]), explorer.model.views)
        for v, view in enumerate(explorer.model.views):
            drawn = charts.drawable(frame, view)
            for s, name in enumerate(series):
                entry = pool[row["r"][v * len(series) + s]]
                expected = drawn[drawn[SERIES] == name]
                assert len(entry["y"]) == len(expected)
                assert np.allclose(entry["y"], expected[view.y.name], rtol=tolerance, atol=1e-12)
                if "x" in entry:
                    assert entry["x"] == expected[view.x.name].tolist()


def test_controls_are_labelled_inputs_chosen_by_the_parameter(explorer, spec):
    """Coded on/off levers are checkboxes, other coded levers labelled choices, the rest
    range sliders whose label carries the unit; each starts at the default."""
    params = {p["name"]: p for p in spec["params"]}
    for name in explorer.sliders:
        param = explorer.model.params[name]
        bind, value = params[f"s_{name}"]["bind"], params[f"s_{name}"]["value"]
        assert param.label in bind["name"]
        coded = page.choices(param, explorer.grids[name])
        if coded and param.positions == 2:
            assert bind["input"] == "checkbox" and value == bool(param.default)
        elif coded and param.positions <= DISCRETE_POSITIONS:
            assert bind["input"] == "radio" and bind["options"] == list(explorer.grids[name])
            assert [label for label in bind["labels"] if "=" in label] == list(coded.values())
            assert value == param.default
        else:
            assert bind["input"] == "range" and param.unit in bind["name"]
            assert bind["min"] <= value <= bind["max"]
    compare = params[charts.COMPARE]
    assert compare["bind"]["input"] == "checkbox" and compare["value"] is True


def test_every_panel_has_a_data_table_with_units_and_the_dark_colours(explorer, spec):
    meta = spec["usermeta"]["coopbook"]
    assert len(meta["tables"]) == len(explorer.model.views)
    for table, view in zip(meta["tables"], explorer.model.views, strict=True):
        assert [c["field"] for c in table["columns"]] == [SERIES, view.x.name, view.y.name]
        assert view.y.axis_title in table["columns"][-1]["title"]
    assert meta["dark"] == charts.DARK
    assert meta["explorer"]["key"] == explorer.model.name


def test_every_explorer_carries_the_dark_colours(spec):
    """Black, the palette's seventh colour, is swapped on a dark page by the page script."""
    assert spec["usermeta"]["coopbook"]["dark_colours"] == charts.DARK_COLOURS


def test_panels_share_the_x_axis_exactly_when_they_plot_the_same_x(explorer, spec):
    views = explorer.model.views
    shares = len(views) > 1 and all(v.kind == "line" and v.x == views[0].x for v in views)
    live = explorer.live_chart().to_dict()
    for chart in (spec, live):
        assert (chart.get("resolve", {}).get("scale", {}).get("x") == "shared") == shares


def test_embedded_data_within_page_budget(explorer):
    html = explorer.static_html()
    assert len(html.encode()) < PAGE_DATA_BUDGET
    assert "<script src=" not in html and "https://cdn" not in html


def test_mimebundle_in_jupyter_carries_widget_view_and_png_not_html(explorer, monkeypatch):
    """An untrusted notebook shows sanitised HTML (no SVG) before a PNG: so no HTML."""
    import base64

    from coopmodels.frontends import jupyter

    monkeypatch.delenv(jupyter.BUILD_VARIABLE, raising=False)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/html" not in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_mimebundle_while_the_book_is_built_carries_the_kernel_free_html(explorer,
                                                                          monkeypatch):
    from coopmodels.frontends import jupyter

    monkeypatch.setenv(jupyter.BUILD_VARIABLE, "1")
    bundle = explorer._repr_mimebundle_()
    assert 'class="coop-chart coop-explorer"' in bundle["text/html"]
    assert "<svg" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" not in bundle


def _named_data(node: object) -> set[str]:
    """The names of every named dataset a Vega-Lite spec reads."""
    if isinstance(node, dict):
        found = {node["name"]} if set(node) == {"name"} else set()
        return found.union(*(_named_data(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_named_data(value) for value in node))
    return set()


def test_live_widget_sends_new_data_when_a_control_moves(explorer):
    from coopmodels.frontends import jupyter

    live = jupyter.LiveExplorer(explorer)
    assert live.chart.values and "datasets" not in live.chart.spec
    assert _named_data(live.chart.spec) == {jupyter.DATA_NAME}  # every panel reads the data
    for name, control in live.controls.items():  # each moved from the defaults, then back
        before, original = live.chart.values, control.value
        if hasattr(control, "options"):
            values = [value for _, value in control.options]
            control.value = values[-1] if control.value != values[-1] else values[0]
        elif isinstance(control.value, bool):
            control.value = not control.value
        else:
            control.value = control.max if control.value != control.max else control.min
        assert live.chart.drawn[name] == live.values()[name]
        assert live.chart.values != before or live.message.value, f"{name} changed nothing"
        control.value = original
        assert live.chart.values == before


def test_fixed_and_slider_parameters_cannot_overlap():
    model = MODELS["court_backlog"]
    with pytest.raises(ValueError, match="both sliders and fixed"):
        explore(model, sliders=["initial_judges"], fixed={"initial_judges": 800})
    with pytest.raises(ValueError, match="initial_judges must be"):
        explore(model, fixed={"initial_judges": 5})
    with pytest.raises(ValueError, match="no model named"):
        explore("no_such_model")


def test_chart_html_is_deterministic_and_script_safe():
    spec = {"description": "a </script> test", "data": {"values": [{"a": 1}]},
            "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    first, second = embed.chart_html(spec), embed.chart_html(spec)
    assert first == second
    payload = first.split('class="coop-chart-spec"')[1]
    assert "</script> test" not in payload
    assert json.loads(payload.split(">", 1)[1].rsplit("</script>", 1)[0])["description"] \
        == spec["description"]


def test_any_altair_chart_displays_offline_once_charts_is_imported():
    """Chapters that draw charts without an explorer must not fall back to CDN scripts."""
    import subprocess
    import sys

    code = ("import altair as alt, pandas as pd; from coopmodels import charts; "
            "c = alt.Chart(pd.DataFrame({'a': [1]})).mark_point().encode(x='a:Q'); "
            "b = c._repr_mimebundle_(); b = b[0] if isinstance(b, tuple) else b; "
            "h = b['text/html']; print('coop-chart-spec' in h, 'cdn.jsdelivr' in h)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False"]


def test_discrete_sliders_offer_every_value_and_continuous_ones_at_least_seven():
    from coopmodels import policy

    grids = explore(policy.MODEL).grids
    assert list(grids["scope"]) == [1, 2, 3, 4]
    assert len(grids["outreach"]) >= MIN_CONTINUOUS_POSITIONS


def test_text_settings_are_on_the_kernel_free_sliders():
    from coopmodels import capacity

    default = capacity.PARAMS["calls_per_hour"].default
    explorer = explore(capacity.MODEL, text_settings={"calls_per_hour": [45, 375]})
    assert {45, 375} <= set(explorer.grids["calls_per_hour"].tolist())
    with pytest.raises(ValueError, match=f"{default}, {default + 5}, {default + 10} cannot"):
        explore(capacity.MODEL, text_settings={"calls_per_hour": [default + 5, default + 10]})
    assert math.prod(map(len, explorer.grids.values())) <= MAX_SCENARIOS


def test_a_text_setting_off_the_slider_fails_naming_it():
    from coopmodels import capacity

    with pytest.raises(ValueError, match=r"calls_per_hour: 36\.5 is not a slider position"):
        explore(capacity.MODEL, text_settings={"calls_per_hour": [36.5]})
    with pytest.raises(ValueError, match="not sliders"):
        explore(capacity.MODEL, text_settings={"jail_cost_per_day": [100]})


def test_spare_budget_buys_the_next_finer_grid_even_when_it_is_much_finer():
    from coopmodels.explore import slider_grids
    from coopmodels.params import ASSUMPTION, Param, ParamSet

    share = Param("share", "A share", 0.4, 0, 1, 0.05, "share", ASSUMPTION, note="test")
    params = ParamSet(share)
    # Holding 0, 0.4 and 1 leaves grids of 6 (stride 0.2), 11 (0.1) or 21 positions.
    assert len(slider_grids(params, ["share"], 10, {"share": [0.0, 1.0]})["share"]) == 6
    assert len(slider_grids(params, ["share"], 11, {"share": [0.0, 1.0]})["share"]) == 11
