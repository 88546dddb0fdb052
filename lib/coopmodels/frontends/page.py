"""The kernel-free explorer in the built book: a Vega-Lite chart with bound sliders.

The model has been run beforehand on a grid of slider values
(:attr:`Explorer.packed <coopmodels.explore.Explorer.packed>`); here the sliders become
HTML range inputs bound to Vega parameters, and a Vega expression picks the precomputed
scenario that matches them. Nothing runs in Python when a reader moves a slider.
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np

from coopmodels import charts, embed
from coopmodels.explore import POOL, Explorer, _compact
from coopmodels.model import SERIES
from coopmodels.params import Param

SCENARIOS = "coop_scenarios"
"""Name of the dataset listing every precomputed scenario and its pool references."""


def _slider_param(param: Param, values: np.ndarray) -> alt.Parameter:
    stride = float(values[1] - values[0]) if len(values) > 1 else param.step
    label = f"{param.label} ({param.unit})"
    return alt.param(
        name=f"s_{param.name}",
        value=_compact(param.default),
        bind=alt.binding_range(min=_compact(values[0]), max=_compact(values[-1]),
                               step=_compact(stride), name=label),
    )



def scenario_index_expr(explorer: Explorer) -> str:
    """Vega expression giving the grid index ``k`` of the current slider values."""
    terms, stride = [], 1
    for name in reversed(explorer.sliders):
        grid = explorer.grids[name]
        step = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
        terms.append(f"round((s_{name} - ({float(grid[0])!r})) / {step!r}) * {stride}")
        stride *= len(grid)
    return " + ".join(reversed(terms))


def static_chart(explorer: Explorer) -> alt.VConcatChart:
    """The kernel-free chart: precomputed scenarios picked by bound sliders."""
    packed = explorer.packed
    n_series = len(packed.series)
    index = scenario_index_expr(explorer)
    panels = []
    for v, view in enumerate(explorer.model.views):
        fields = ["y"] if packed.shared_x[v] is not None else ["y", "x"]
        transforms = [
            {"filter": f"datum.k == {index}"},
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
        transforms += [{"calculate": "datum.y", "as": view.y.name},
                       {"calculate": f"{json.dumps(packed.series)}[datum.s]", "as": SERIES}]
        panels.append(charts.panel(view, packed.series, transforms,
                                   marks_current=packed.marks_current[v]))
    chart = charts.stack(panels, explorer.description, alt.NamedData(SCENARIOS),
                         share_x=charts.same_x(explorer.model.views))
    params = [_slider_param(explorer.model.params[name], explorer.grids[name])
              for name in explorer.sliders]
    return chart.add_params(*params)


def static_spec(explorer: Explorer) -> dict:
    """The kernel-free chart as a Vega-Lite spec, with its precomputed data.

    The chart's structure is validated against the Vega-Lite schema; the data (thousands
    of scenarios) are added afterwards as named datasets, because validating every
    number against the schema would take far longer than computing it.
    """
    packed = explorer.packed
    spec = static_chart(explorer).to_dict()
    spec["datasets"] = {SCENARIOS: packed.scenarios, POOL: packed.pool}
    return spec


def static_html(explorer: Explorer) -> str:
    """HTML of the kernel-free chart (see :mod:`coopmodels.embed`)."""
    return embed.chart_html(static_spec(explorer), css_class="coop-chart coop-explorer")

