"""The kernel-free explorer in the built book: a Vega-Lite chart with bound controls.

The model has been run beforehand on a grid of slider values
(:attr:`Explorer.packed <coopmodels.explore.Explorer.packed>`); here each slider becomes
an HTML input bound to a Vega parameter, and a Vega expression picks the precomputed
scenario that matches them. Nothing runs in Python when a reader moves a slider.

Controls follow the parameter (:func:`control`): an on/off lever whose unit codes its
two values (``"0 = off, 1 = on"``) is a checkbox, another coded lever with few values
(``"1 = violent felonies ... 4 = all bookings"``) a set of labelled radio buttons, and
any other parameter a range slider. A checkbox "Compare with the starting point"
(:data:`~coopmodels.charts.COMPARE`, on at first) shows the default scenario faintly in
every panel once the reader has moved away from it.

The spec's ``usermeta.coopbook.explorer`` tells the page scripts what they need for
scenario links, the Reset button and the chart's description: the explorer's key (the
model's name), and each control's parameter, label, unit, default and coded values.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import altair as alt
import numpy as np

from coopmodels import charts, embed
from coopmodels.explore import DISCRETE_POSITIONS, POOL, Explorer, _compact
from coopmodels.model import SERIES, View
from coopmodels.params import Param, format_number

SCENARIOS = "coop_scenarios"
"""Name of the dataset holding one row per precomputed scenario (``k``, ``r``, ...)."""


def choices(param: Param, values: np.ndarray) -> dict[float, str]:
    """The coded values of a slider and what each means, read from its unit.

    ``{0: "0 = off", 1: "1 = on"}`` for the unit ``"0 = off, 1 = on"``; empty if the unit
    codes none of ``values`` (a quantity, not a lever).
    """
    coded = {}
    for value in values.tolist():
        text = param.value_text(value)
        if text.startswith(f"{format_number(value)} = "):
            coded[value] = text
    return coded


def control(param: Param, values: np.ndarray) -> tuple[Any, Any]:
    """The input a reader uses for a slider parameter, and its initial value.

    A coded on/off lever is a checkbox; another coded lever with at most
    :data:`~coopmodels.explore.DISCRETE_POSITIONS` values is a set of radio buttons
    labelled with their meaning (values the unit does not name show their number); any
    other parameter is a range slider over its precomputed grid, even if its unit names
    its ends (``"0 = none, 1 = full"`` describes a scale, not a choice).
    """
    coded = choices(param, values)
    listed = [_compact(v) for v in values.tolist()]
    if coded and listed == [0, 1] and param.positions == 2:
        return alt.binding_checkbox(name=param.label), bool(param.default)
    if coded and param.positions <= DISCRETE_POSITIONS:  # a lever, not a coded scale
        labels = [coded.get(v, format_number(v)) for v in values.tolist()]
        return (alt.binding_radio(options=listed, labels=labels, name=param.label),
                _compact(param.default))
    stride = float(values[1] - values[0]) if len(values) > 1 else param.step
    return (alt.binding_range(min=_compact(values[0]), max=_compact(values[-1]),
                              step=_compact(stride), name=f"{param.label} ({param.unit})"),
            _compact(param.default))


def _slider_param(param: Param, values: np.ndarray) -> alt.Parameter:
    bind, value = control(param, values)
    return alt.param(name=f"s_{param.name}", value=value, bind=bind)


def _compare_param() -> alt.Parameter:
    return alt.param(name=charts.COMPARE, value=True,
                     bind=alt.binding_checkbox(name="Compare with the starting point"))


def scenario_index_expr(explorer: Explorer) -> str:
    """Vega expression giving the grid index ``k`` of the current slider values.

    A checkbox's value is ``true``/``false``, which the arithmetic reads as 1 and 0.
    """
    terms, stride = [], 1
    for name in reversed(explorer.sliders):
        grid = explorer.grids[name]
        step = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
        terms.append(f"round((s_{name} - ({float(grid[0])!r})) / {step!r}) * {stride}")
        stride *= len(grid)
    return " + ".join(reversed(terms))


def _unpack(explorer: Explorer, v: int, which: str) -> list[dict]:
    """Transforms from the scenario rows to the rows view ``v`` draws in scenario ``which``."""
    packed = explorer.packed
    n_series = len(packed.series)
    view = explorer.model.views[v]
    fields = ["y"] if packed.shared_x[v] is not None else ["y", "x"]
    transforms = [
        {"filter": which},
        {"flatten": ["r"]},
        {"window": [{"op": "row_number", "as": "j"}]},
        {"filter": f"datum.j > {v * n_series} && datum.j <= {(v + 1) * n_series}"},
        {"calculate": f"datum.j - {v * n_series + 1}", "as": "s"},
        {"lookup": "r", "from": {"data": {"name": POOL}, "key": "r", "fields": fields}},
        {"flatten": fields},
    ]
    if packed.shared_x[v] is None:
        transforms.append({"calculate": "datum.x", "as": view.x.name})
    else:
        transforms += [
            {"window": [{"op": "row_number", "as": "i"}], "groupby": ["s"]},
            {"calculate": f"{json.dumps(packed.shared_x[v])}[datum.i - 1]",
             "as": view.x.name},
        ]
    return [*transforms, {"calculate": "datum.y", "as": view.y.name},
            {"calculate": f"{json.dumps(packed.series)}[datum.s]", "as": SERIES}]


def _value_text_expr(explorer: Explorer, name: str) -> str:
    """Vega expression: a parameter's current value with its unit (as ``value_text``)."""
    param = explorer.model.params[name]
    if name not in explorer.sliders:
        return json.dumps(param.value_text(explorer.fixed[name]))
    grid = explorer.grids[name]
    texts = [param.value_text(v) for v in grid.tolist()]
    step = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
    return f"{json.dumps(texts)}[round((s_{name} - ({float(grid[0])!r})) / {step!r})]"


def note_expr(explorer: Explorer, view: View) -> str:
    """Vega expression for an empty panel's note: lines of text, placeholders filled.

    Lines are broken as for the longest value each placeholder can take, so no line
    grows past :data:`~coopmodels.charts.NOTE_WIDTH` characters.
    """
    message = view.empty_message
    names = charts.PLACEHOLDER.findall(message)
    unknown = sorted(set(names) - set(explorer.model.params))
    if unknown:
        raise ValueError(f"{explorer.model.name}: empty_message {message!r} names "
                         f"unknown parameters {unknown}")
    widths = {}
    for name in names:
        param = explorer.model.params[name]
        values = explorer.grids.get(name, [explorer.fixed[name]])
        widths[name] = max(len(param.value_text(v)) for v in np.asarray(values).tolist())
    sentinel = {name: f"\x00{i}".ljust(widths[name], "\x01") for i, name in enumerate(names)}
    wrapped = textwrap.wrap(charts.PLACEHOLDER.sub(lambda m: sentinel[m.group(1)], message),
                            charts.NOTE_WIDTH) or [""]
    pattern = re.compile("|".join(re.escape(s) for s in sentinel.values()) or "(?!)")
    by_sentinel = {s: name for name, s in sentinel.items()}
    lines = []
    for line in wrapped:
        parts, last = [], 0
        for match in pattern.finditer(line):
            parts.append(json.dumps(line[last:match.start()]))
            parts.append(_value_text_expr(explorer, by_sentinel[match.group(0)]))
            last = match.end()
        parts.append(json.dumps(line[last:]))
        lines.append(" + ".join(p for p in parts if p != '""') or '""')
    return "[" + ", ".join(lines) + "]"


def _shade(explorer: Explorer, v: int, index: str) -> charts.Rows | None:
    view = explorer.model.views[v]
    span = explorer.packed.shades[v] if explorer.packed.shades else None
    if view.shade is None or span is None:
        return None
    if span != "varies":
        return charts.Rows(alt.Data(values=[{charts.SHADE_START: span[0],
                                             charts.SHADE_END: span[1],
                                             charts.SHADE_LABEL: view.shade.label}]))
    return charts.Rows(alt.NamedData(SCENARIOS), (
        {"filter": f"datum.k == {index} && isArray(datum.h{v})"},
        {"calculate": f"datum.h{v}[0]", "as": charts.SHADE_START},
        {"calculate": f"datum.h{v}[1]", "as": charts.SHADE_END},
        {"calculate": json.dumps(view.shade.label), "as": charts.SHADE_LABEL}))


def static_chart(explorer: Explorer) -> alt.VConcatChart:
    """The kernel-free chart: precomputed scenarios picked by bound controls."""
    packed = explorer.packed
    views = explorer.model.views
    index = scenario_index_expr(explorer)
    scenarios = alt.NamedData(SCENARIOS)
    # The starting point is drawn while the reader compares and has moved away from it.
    compared = f"{charts.COMPARE} && ({index}) != {explorer.default_index}"
    key = charts.Key.of(views, packed.series, packed.series_by_view, reference=True,
                        shown=compared)
    panels = []
    for v, view in enumerate(views):
        rows = charts.Rows(scenarios, tuple(_unpack(explorer, v, f"datum.k == {index}")))
        # Filtered out, not hidden, when not shown: the axes then fit the current setting.
        reference = charts.Rows(scenarios, (
            *_unpack(explorer, v, f"({compared}) && datum.k == {explorer.default_index}"),
            {"calculate": "true", "as": charts.REFERENCE_FLAG}))
        note = None
        if packed.empty_views[v]:
            note = charts.Rows(scenarios, (
                {"filter": f"datum.k == {index} && isArray(datum.e) && "
                           f"indexof(datum.e, {v}) >= 0"},
                {"calculate": note_expr(explorer, view), "as": charts.NOTE}))
        extra: dict[str, Any]
        if view.kind == "bar":
            extra = {"categories": packed.x_values[v],
                     "bar_series": packed.series_by_view[v] or packed.series[:1]}
        else:
            extra = {"marks_current": packed.marks_current[v],
                     "shade": _shade(explorer, v, index)}
        panels.append(charts.panel(view, key, rows, reference=reference, note=note,
                                   **extra))
    description = (f"{explorer.description} Once the settings move away from the "
                   "starting point (the default setting), faint marks show the starting "
                   "point for comparison.")
    chart = charts.stack(panels, description, share_x=charts.same_x(views),
                         tables=[charts.view_table(view) for view in views])
    params = [_slider_param(explorer.model.params[name], explorer.grids[name])
              for name in explorer.sliders]
    chart = chart.add_params(*params, _compare_param())
    return charts.with_meta(chart, explorer=explorer_meta(explorer))


def static_spec(explorer: Explorer) -> dict:
    """The kernel-free chart as a Vega-Lite spec, with its precomputed data.

    The chart's structure is validated against the Vega-Lite schema; the data (thousands
    of scenarios) are added afterwards as named datasets, because validating every
    number against the schema would take far longer than computing it.
    """
    packed = explorer.packed
    spec = static_chart(explorer).to_dict()
    spec["datasets"] = {POOL: packed.pool, SCENARIOS: packed.scenarios}
    return spec


def explorer_meta(explorer: Explorer) -> dict[str, Any]:
    """What the page scripts need to know of an explorer (see the module docstring)."""
    controls = []
    for name in explorer.sliders:
        param = explorer.model.params[name]
        entry = {"signal": f"s_{name}", "param": name, "label": param.label,
                 "unit": param.unit, "default": _compact(param.default)}
        coded = choices(param, explorer.grids[name])
        if coded:
            entry["choices"] = {format_number(v): text for v, text in coded.items()}
        controls.append(entry)
    return {"key": explorer.model.name, "controls": controls, "compare": charts.COMPARE}


def static_html(explorer: Explorer) -> str:
    """HTML of the kernel-free chart (see :mod:`coopmodels.embed`)."""
    return embed.chart_html(static_spec(explorer), css_class="coop-chart coop-explorer")
