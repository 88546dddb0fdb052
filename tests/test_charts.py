"""The visual language (coopmodels.charts) and the kernel-free explorer's page spec.

Each option of ``Field`` and ``View`` is checked on the Vega-Lite it produces, and where
it matters on the Vega that Vega-Lite compiles it to, or on the SVG drawn offline.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re

import numpy as np
import pandas as pd
import pytest
import vl_convert

from coopmodels import charts, embed
from coopmodels.explore import explore
from coopmodels.frontends import page
from coopmodels.model import CURRENT, SERIES, Field, Model, Shade, View
from coopmodels.params import ASSUMPTION, Param, ParamSet
from coopmodels.registry import all_models

MODELS = all_models()


@functools.cache
def explorer_of(name: str):
    """One explorer per registered model for the whole module (packing runs the model)."""
    return explore(MODELS[name])

X = Field("hours", "Hours diverted", "hours per day", format=".0f")
Y = Field("wait", "Mean wait", "minutes", format=".1f")


def walk(node, key: str):
    """Every value stored under ``key`` anywhere in a nested spec."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                yield value
            yield from walk(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, key)


def encodings(spec: dict, channel: str) -> list[dict]:
    return [e[channel] for e in walk(spec, "encoding") if channel in e]


def vega(spec: dict) -> dict:
    return vl_convert.vegalite_to_vega(spec, vl_version=embed.VEGA_LITE_VERSION)


def relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def frame(waits=(1.0, 2.0, 4.0)) -> pd.DataFrame:
    return pd.DataFrame({SERIES: "Mean wait", "hours": [0, 10, 20], "wait": list(waits)})


# -- a toy model for the explorer options ------------------------------------------------

TOY_PARAMS = ParamSet(
    Param("load", "Load", 2, 0, 4, 1, "calls per hour", ASSUMPTION, note="toy"),
    Param("switch", "Switch", 1, 0, 1, 1, "0 = off, 1 = on", ASSUMPTION, note="toy",
          integer=True),
    Param("start", "Start", 1, 0, 2, 1, "years", ASSUMPTION, note="toy", integer=True),
)


def toy_simulate(load: float, switch: int, start: int) -> pd.DataFrame:
    """Waits that vanish (NaN) at load 4: nothing to draw there."""
    hours = np.arange(4.0)
    wait = np.full(4, np.nan) if load >= 4 else (1 + load) * (1 + hours) * (1 + switch)
    return pd.DataFrame({SERIES: "Mean wait", "hours": hours, "wait": wait})


def toy_model(**view_options) -> Model:
    view = View(x=X, y=Y, description="Toy line chart of waits against hours.", **view_options)
    return Model("toy", "Toy", "book/05_police_capacity.ipynb", TOY_PARAMS, toy_simulate,
                 (view,), sliders=("load", "switch"))


# -- axes ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("number_format", "ticks"), [
    (",.1f", ",f"), (".0f", "f"), (",.3~f", ",f"), ("d", "d"), (".1%", "%")])
def test_tick_formats_drop_fixed_precision(number_format, ticks):
    assert charts.tick_format(number_format) == ticks


def test_ticks_on_a_tiny_range_never_repeat_a_label():
    """Chapter 5 at 5 calls an hour: waits of a few hundredths of a minute."""
    chart = charts.line_chart(frame((0.001, 0.012, 0.037)), X, Y, description="d" * 40)
    svg = embed.chart_svg(chart.to_dict())
    labels = re.findall(r'role-axis-label.*?</g></g>', svg, re.S)
    y_labels = re.findall(r">([^<]+)</text>", labels[-1] if labels else svg)
    assert len(y_labels) >= 3 and len(set(y_labels)) == len(y_labels), y_labels


def test_zero_follows_the_field_and_defaults_to_todays_behaviour():
    spec = charts.line_chart(frame(), X, Y, description="d").to_dict()
    assert encodings(spec, "x")[0]["scale"]["zero"] is False
    assert encodings(spec, "y")[0]["scale"]["zero"] is True
    x0, y_free = dataclasses.replace(X, zero=True), dataclasses.replace(Y, zero=False)
    spec = charts.line_chart(frame(), x0, y_free, description="d").to_dict()
    assert encodings(spec, "x")[0]["scale"]["zero"] is True
    assert encodings(spec, "y")[0]["scale"]["zero"] is False


def test_a_domain_is_always_shown_and_widened_by_the_data():
    share = Field("share", "Share of full effect", "%", format=".0f", domain=(0, 100))
    view = View(x=Field("outcome", "Outcome"), y=share, kind="bar", description="d" * 40)
    rows = pd.DataFrame({SERIES: "This design", "outcome": ["a", "b"], "share": [23.0, 5.0]})
    spec = charts.model_chart(rows, [view], "d").to_dict()
    (x,) = encodings(spec, "x")[:1]
    assert x["scale"]["domain"] == {"unionWith": [0, 100]}
    compiled = json.dumps(vega(spec)["scales"])
    assert "100" in compiled
    with pytest.raises(ValueError, match="domain"):
        Field("share", "Share", domain=(100, 0))


def test_better_direction_in_axis_title_table_header_and_category_labels():
    lower = dataclasses.replace(Y, better="lower")
    spec = charts.line_chart(frame(), X, lower, description="d").to_dict()
    assert encodings(spec, "y")[0]["title"] == [Y.axis_title, "↓ lower is better"]
    (table,) = spec["usermeta"]["coopbook"]["tables"]
    assert table["columns"][-1]["title"].endswith("lower is better")
    outcome = Field("outcome", "Outcome", better={"Removals": "higher", "Waits": "lower"})
    view = View(x=outcome, y=Field("share", "Share", "%"), kind="bar", description="d" * 40)
    rows = pd.DataFrame({SERIES: "This design", "outcome": ["Removals", "Waits", "Cost"],
                         "share": [80.0, 20.0, 50.0]})
    spec = charts.model_chart(rows, [view], "d").to_dict()
    label_expr = encodings(spec, "y")[0]["axis"]["labelExpr"]
    assert "↑ higher is better" in label_expr and "↓ lower is better" in label_expr
    assert "Cost" not in label_expr
    panel = spec["vconcat"][0]
    assert panel["height"] >= 3 * 40, "two-line labels need a taller band"
    assert spec["usermeta"]["coopbook"]["tables"][0]["better"]["labels"] == {
        "Removals": "↑ higher is better", "Waits": "↓ lower is better"}
    with pytest.raises(ValueError, match="better"):
        Field("x", "X", better="up")


def test_bar_panels_are_horizontal_with_every_category_in_order():
    view = MODELS["screening"].views[0]
    spec = charts.model_chart(MODELS["screening"].run(), [view], "d").to_dict()
    y = encodings(spec, "y")[0]
    assert y["field"] == view.x.name and y["type"] == "nominal"
    assert y["scale"]["domain"][0] == "Violent felony"
    assert encodings(spec, "x")[0]["field"] == view.y.name


# -- legends -------------------------------------------------------------------------------

def test_one_legend_whose_symbols_match_the_marks():
    explorer = explorer_of("screening")
    spec = explorer.static_chart().to_dict()
    legends = list(walk(vega(spec), "legends"))
    (legend,) = [entry for group in legends for entry in group]
    key = charts.Key.of(explorer.model.views, explorer.packed.series,
                        explorer.packed.series_by_view, reference=True)
    shape = legend["symbolType"]["signal"]
    assert "'circle'" in shape and json.dumps(CURRENT) in shape  # the current setting: a dot
    assert "'square'" in shape and all(s in shape for s in key.bars)  # bars: swatches
    assert "scale('strokeDash', datum.value)" in legend["symbolDash"]["signal"]  # lines: dashes
    assert json.dumps(charts.REFERENCE) in legend["labelOpacity"]["signal"]
    assert charts.COMPARE in legend["symbolStrokeColor"]["signal"]


def test_legend_entries_cover_every_series_and_the_starting_point():
    explorer = explorer_of("police_capacity")
    spec = explorer.static_chart().to_dict()
    (opacity,) = {json.dumps(e["scale"]["domain"]) for e in encodings(spec, "opacity")}
    assert json.loads(opacity) == [*explorer.packed.series, charts.REFERENCE]


# -- the starting point, empty panels, shading ------------------------------------------

def test_explorer_draws_the_default_scenario_faintly_behind_a_toggle():
    explorer = explore(toy_model())
    defaults = {name: TOY_PARAMS[name].default for name in explorer.sliders}
    k = explorer.default_index
    assert {name: explorer.scenarios()[k][name] for name in explorer.sliders} == defaults
    spec = explorer.static_chart().to_dict()
    filters = [t["filter"] for t in walk(spec, "transform") for t in t if "filter" in t]
    (reference,) = {f for f in filters if f.endswith(f"datum.k == {k}")}
    # drawn while the reader compares and has moved away from the starting point
    assert reference.startswith(f"({charts.COMPARE} && (")
    flagged = [t for t in walk(spec, "transform") for t in t
               if t.get("as") == charts.REFERENCE_FLAG]
    assert flagged, "the starting point's rows are flagged, so tables leave them out"


def test_live_chart_in_jupyter_also_shows_the_starting_point_once_moved():
    explorer = explore(toy_model())
    for values, shown in (({"load": 3}, True), ({}, False)):
        spec = explorer.live_chart(**values).to_dict()
        domains = [e["scale"]["domain"] for e in encodings(spec, "opacity")]
        assert domains and all((charts.REFERENCE in d) == shown for d in domains), values
        assert any(t.get("filter") for t in walk(spec, "transform") for t in t)


def test_an_empty_panel_says_why_with_the_setting_filled_in():
    model = toy_model(empty_message="At {load} nothing waits: the queue never empties")
    explorer = explore(model)
    assert explorer.packed.empty_views == [True]
    empty = [s for s in explorer.packed.scenarios if s.get("e") == [0]]
    assert len(empty) == 2  # load 4, switch off and on
    note = page.note_expr(explorer, model.views[0])
    # The Vega expression (lists, strings, +, indexing, round) reads as Python too.
    lines = eval(note, {"__builtins__": {}, "round": round}, {"s_load": 4})
    assert " ".join(lines) == "At 4 calls per hour nothing waits: the queue never empties"
    assert len(lines) >= 2 and max(map(len, lines)) <= charts.NOTE_WIDTH
    spec = explorer.static_chart().to_dict()
    assert any(t.get("as") == charts.NOTE for t in walk(spec, "transform") for t in t)
    with pytest.raises(ValueError, match="unknown"):
        page.note_expr(explorer, dataclasses.replace(model.views[0],
                                                     empty_message="{nothing} here"))


def test_a_static_empty_panel_draws_its_note():
    view = toy_model(empty_message="No detainers honoured: no transfers to show").views[0]
    rows = toy_simulate(load=4, switch=0, start=1)
    svg = embed.chart_svg(charts.model_chart(rows, [view], "d").to_dict())
    assert "No detainers honoured" in svg
    default = charts.model_chart(rows, [toy_model().views[0]], "d")
    assert "Nothing to draw at this setting" in embed.chart_svg(default.to_dict())


def test_shading_follows_the_parameters_or_stays_fixed():
    fixed = charts.line_chart(frame(), X, Y, description="d",
                              shade=Shade("Cooperation on", (5, 15)))
    spec = fixed.to_dict()
    assert {"coop_x0": 5, "coop_x1": 15, "coop_shade": "Cooperation on"} in \
        [row for values in walk(spec, "values") if isinstance(values, list) for row in values]
    assert "Cooperation on" in embed.chart_svg(spec)
    moving = Shade("Cooperation on",
                   lambda p: (p["start"], p["start"] + 2) if p["switch"] else None)
    explorer = explore(toy_model(shade=moving))
    assert explorer.packed.shades == ["varies"]
    spans = [s.get("h0") for s in explorer.packed.scenarios]
    assert [1, 3] in spans and None in spans  # switched off: nothing shaded
    constant = explore(toy_model(shade=Shade("On", (0, 1))))
    assert constant.packed.shades == [(0.0, 1.0)]
    assert all("h0" not in s for s in constant.packed.scenarios)
    assert Shade("x", (3, 3)).at() is None
    with pytest.raises(ValueError, match="parameter values"):
        moving.at()


# -- controls ---------------------------------------------------------------------------

def test_levers_become_checkboxes_and_labelled_choices():
    switch, values = TOY_PARAMS["switch"], np.array([0, 1])
    bind, value = page.control(switch, values)
    assert bind.to_dict()["input"] == "checkbox" and value is True
    scope = MODELS["screening"].params["scope"]
    bind, value = page.control(scope, np.array([1, 2, 3, 4]))
    spec = bind.to_dict()
    assert spec["input"] == "radio" and spec["options"] == [1, 2, 3, 4]
    assert spec["labels"] == ["1 = violent felonies", "2 = all felonies",
                              "3 = felonies and misdemeanours", "4 = all bookings"]
    bind, _ = page.control(TOY_PARAMS["load"], np.arange(5))
    assert bind.to_dict()["input"] == "range"
    level = Param("level", "Cooperation level", 1, 0, 1, 0.05, "0 = none, 1 = full",
                  ASSUMPTION, note="a coded scale, not a lever")
    bind, _ = page.control(level, np.linspace(0, 1, 7))
    assert bind.to_dict()["input"] == "range"


def test_explorer_metadata_names_its_key_and_controls():
    explorer = explorer_of("safeguards_lab")
    meta = explorer.static_chart().to_dict()["usermeta"]["coopbook"]["explorer"]
    assert meta["key"] == "safeguards_lab"
    assert [c["param"] for c in meta["controls"]] == list(explorer.sliders)
    firewall = next(c for c in meta["controls"] if c["param"] == "victim_firewall")
    assert firewall["choices"] == {"0": "0 = no", "1": "1 = yes"}


# -- data tables, dark mode, overlapping points ----------------------------------------

def test_dark_colours_are_readable_on_the_dark_page():
    background = charts.DARK_BACKGROUND
    texts = [charts.DARK["axis"]["labelColor"], charts.DARK["axis"]["titleColor"],
             charts.DARK["legend"]["labelColor"], charts.DARK["title"]["color"],
             charts.DARK["text"]["color"]]
    assert min(contrast(text, background) for text in texts) >= 7
    on_dark = [charts.DARK_COLOURS.get(c, c) for c in charts.PALETTE]
    assert min(contrast(c, background) for c in on_dark) >= 3  # graphics, black swapped
    assert contrast(charts.REFERENCE_COLOUR, background) >= 3
    assert contrast(charts.REFERENCE_COLOUR, "#ffffff") >= 3


def test_overlapping_points_are_all_visible():
    designs = pd.DataFrame({"design": ["a", "b", "c", "d"], "removals": [10.0, 10.0, 10.0, 50.0],
                            "harm": [100.0, 100.0, 100.0, 120.0],
                            "frontier": ["On", "Off", "On", "On"]})
    x, y = Field("removals", "Removals", "per year"), Field("harm", "Harm", "index")
    spec = charts.point_chart(designs, x, y, "frontier", description="d").to_dict()
    (rows,) = list(spec["datasets"].values())
    positions = {(round(r[charts.PLOT_X], 6), round(r[charts.PLOT_Y], 6)) for r in rows}
    assert len(positions) == 4, "three designs at one position are drawn apart"
    assert [r["removals"] for r in rows] == [10.0, 10.0, 10.0, 50.0], "true values kept"
    lone = next(r for r in rows if r["design"] == "d")
    assert (lone[charts.PLOT_X], lone[charts.PLOT_Y]) == (50.0, 120.0)
    assert encodings(spec, "x")[0]["field"] == charts.PLOT_X
    table_fields = [c["field"] for c in spec["usermeta"]["coopbook"]["tables"][0]["columns"]]
    assert table_fields == list(designs.columns)
