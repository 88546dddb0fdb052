"""The explorer in Jupyter: controls that re-run the model, a chart drawn in the browser.

Displayed in a notebook, an explorer is

* **controls** built from each parameter's declaration (:func:`control`): a checkbox for
  a yes/no lever, a drop-down or labelled positions for a coded lever, whole-number
  readouts for integer parameters; the label and unit sit above each track (the unit
  once, and only when the label does not already say it), so the tracks line up;
* a **chart** (:class:`LiveChart`, an anywidget): the kernel runs the model on every
  move (``continuous_update``: while the slider is dragged, not only when it is released)
  and sends the chart's data; ``live_chart.js`` (next to this file) redraws it with Vega
  in the browser. Vega comes from the kernel (:class:`VegaBundle`, sent once per kernel),
  never from the network;
* side by side when the notebook is wide enough, the chart below the controls if not.

What a saved notebook carries (:func:`mimebundle`): the widget view and a PNG of the
chart at the explorer's starting values. JupyterLab shows the PNG wherever it cannot show
the widget — a notebook received from someone else is untrusted, and untrusted HTML
would lose its SVG chart. Only while the book is built (:data:`BUILD_VARIABLE` set, see
the Makefile) does the explorer carry the kernel-free HTML view
(:mod:`coopmodels.frontends.page`) instead, which is what the book shows.

Imported only when a notebook displays an explorer; the built book never needs it.
"""

from __future__ import annotations

import base64
import functools
import html
import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import altair as alt
import anywidget
import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets
import vl_convert

from coopmodels import charts, embed
from coopmodels.explore import DISCRETE_POSITIONS, Explorer
from coopmodels.model import SERIES
from coopmodels.params import Param

BUILD_VARIABLE = "COOPBOOK_BUILD"
"""Set (to ``1``) while the book is built: explorers then carry the book's HTML view."""

DATA_NAME = "coop_live"
"""Name of the dataset the live chart's spec reads and the kernel replaces."""

CONTROLS_WIDTH = "320px"
"""Width of the controls' column; the chart sits beside it if the notebook is wide enough."""
PNG_SCALE = 1.0
"""PNG fallback resolution, device pixels per CSS pixel."""


def building_the_book() -> bool:
    """True while ``make build`` (or ``make student``) builds the book."""
    return os.environ.get(BUILD_VARIABLE, "") not in ("", "0")


# -- the chart -------------------------------------------------------------------------


class VegaBundle(widgets.Widget):
    """Vega, Vega-Lite and Vega-Embed (vl-convert's bundle) for the live charts.

    One per kernel (:func:`vega_bundle`); every :class:`LiveChart` refers to it, so the
    0.9 MB bundle reaches the page once, however many explorers a chapter has.
    """

    _model_name = traitlets.Unicode("WidgetModel").tag(sync=True)
    _model_module = traitlets.Unicode("@jupyter-widgets/base").tag(sync=True)
    _model_module_version = traitlets.Unicode(widgets.__jupyter_widgets_base_version__
                                              ).tag(sync=True)
    source = traitlets.Bytes().tag(sync=True)


def bundle_source() -> str:
    """vl-convert's Vega bundle for Altair's Vega-Lite version. Making it takes seconds,
    so it is kept in the user's cache folder, named by both versions (when writable)."""
    from importlib.metadata import version

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopmodels"
    path = cache / f"vega-bundle-{version('vl-convert-python')}-{embed.VEGA_LITE_VERSION}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    source = vl_convert.javascript_bundle(vl_version=embed.VEGA_LITE_VERSION)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(source, encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass
    return source


@functools.cache
def vega_bundle() -> VegaBundle:
    """The kernel's one :class:`VegaBundle` (the Vega-Lite version Altair writes)."""
    return VegaBundle(source=bundle_source().encode())


class LiveChart(anywidget.AnyWidget):
    """A Vega-Lite chart drawn in the browser; set ``values`` (and ``spec``) to redraw.

    ``drawn`` says what the data show (the explorer's control values); the browser
    reports it with each repaint (a ``coop-paint`` event), for tests and benchmarks.
    """

    _esm = Path(__file__).with_name("live_chart.js")
    _bundle = traitlets.Instance(VegaBundle).tag(sync=True, **widgets.widget_serialization)
    spec = traitlets.Dict().tag(sync=True)
    data_name = traitlets.Unicode(DATA_NAME).tag(sync=True)
    values = traitlets.List().tag(sync=True)
    drawn = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_bundle=vega_bundle(), **kwargs)


def _columns(explorer: Explorer) -> list[str]:
    views = explorer.model.views
    return list(dict.fromkeys([SERIES, *(f.name for view in views for f in (view.x, view.y))]))


def live_frame(explorer: Explorer, **values: object) -> pd.DataFrame:
    """The model's output for these slider values, in display units (the chart's data)."""
    frame = explorer.model.run(**(explorer.fixed | values))
    return charts.display_frame(frame, explorer.model.views)[_columns(explorer)]


def live_chart(explorer: Explorer, **values: object) -> alt.VConcatChart:
    """The chart for one set of slider values (the others fixed), with the starting
    point (every slider at its default) drawn faintly once the sliders have moved."""
    model = explorer.model
    settings = model.params.validate(explorer.fixed | values)
    moved = settings != explorer.fixed
    return charts.model_chart(model.run(**settings), model.views, explorer.description,
                              reference=model.run(**explorer.fixed) if moved else None,
                              values=settings, params=model.params)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts; missing and infinite numbers become ``None``."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            numbers = column.to_numpy(dtype=float)
            columns[name] = [float(v) if math.isfinite(v) else None for v in numbers]
        else:
            columns[name] = [None if pd.isna(v) else v for v in column.tolist()]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _rename_data(node: Any, old: str) -> Any:
    if isinstance(node, dict):
        if node.get("name") == old and set(node) == {"name"}:
            return {"name": DATA_NAME}
        return {key: _rename_data(value, old) for key, value in node.items()}
    if isinstance(node, list):
        return [_rename_data(value, old) for value in node]
    return node


def chart_spec(explorer: Explorer, frame: pd.DataFrame,
               values: Mapping[str, object]) -> dict[str, Any]:
    """The Vega-Lite spec of the live chart for ``frame`` (the model run at the slider
    ``values``), reading the dataset :data:`DATA_NAME` (the data themselves are sent
    separately, as ``values``)."""
    chart = charts.model_chart(frame, explorer.model.views, explorer.description,
                               values=_settings(explorer, values),
                               params=explorer.model.params)
    spec = chart.to_dict(validate=False)
    for name in spec.pop("datasets", {}):
        spec = _rename_data(spec, name)
    return spec


def _settings(explorer: Explorer, values: Mapping[str, object]) -> dict[str, Any]:
    """Every parameter's value: the fixed ones and the sliders' ``values``."""
    return explorer.model.params.validate(explorer.fixed | dict(values))


def _spec_key(explorer: Explorer, frame: pd.DataFrame,
              values: Mapping[str, object]) -> tuple:
    """What decides the spec besides the data: the series, in order, which panels
    mark the current setting, and the shaded ranges. Same key, same spec."""
    order = tuple(dict.fromkeys(frame[SERIES]))
    views = explorer.model.views
    marks = tuple(charts.shows_current(charts.panel_rows(frame, view)) for view in views)
    settings = _settings(explorer, values)
    shades = tuple(view.shade.at(settings) if view.shade else None for view in views)
    return order, marks, shades


# -- the controls ----------------------------------------------------------------------


def codes(param: Param) -> dict[float, str]:
    """What coded values mean: from the unit (``"0 = no, 1 = yes"``) or from a label
    ending in a list of them (``"Outcome (1 victimisation, 2 offences averted)"``)."""
    found = {float(value): meaning.strip()
             for value, meaning in re.findall(r"(-?[\d.]+) = ([^,.…]+)", param.unit)}
    listed = re.search(r"\(((?:\d+ [^,()]+, )+\d+ [^,()]+)\)\s*$", param.label)
    if listed:
        found |= {float(value): meaning.strip()
                  for value, meaning in re.findall(r"(\d+) ([^,]+)", listed.group(1))}
    return found


def plain_label(param: Param) -> str:
    """The label without a trailing list of codes (those are shown by the control)."""
    return re.sub(r"\s*\((?:\d+ [^,()]+, )+\d+ [^,()]+\)\s*$", "", param.label)


def _words(text: str) -> set[str]:
    return {word.rstrip("s") for word in re.findall(r"[a-z]+", text.lower())}


def unit_text(param: Param) -> str:
    """The unit to show beside the label, or ``""`` when the label already says it or
    the control shows what the values mean."""
    unit = param.unit.strip()
    if not unit or _words(unit) <= _words(param.label) or unit.lower() == "outcome":
        return ""
    return unit


def decimals(step: float) -> int:
    """Decimal places that show every value of a grid with this step (0.25 -> 2)."""
    for places in range(7):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 6


def positions(param: Param) -> np.ndarray:
    return param.grid(param.positions)


def control(param: Param, value: float | None = None
            ) -> tuple[widgets.ValueWidget, Callable[[Any], float | int]]:
    """The widget for one parameter and a function from its value to the model's value.

    * two coded positions (a yes/no lever): a checkbox, ticked = the higher value;
    * a few positions, each coded (a choice): a drop-down of their meanings;
    * a few positions, some coded: a slider over the positions, its readout the meaning;
    * otherwise a slider: whole-number readouts for integer parameters, as many decimals
      as the step needs for the others.
    """
    value = param.default if value is None else value
    meaning = codes(param)
    grid = positions(param) if param.positions <= DISCRETE_POSITIONS else None
    common = {"layout": widgets.Layout(width="100%")}
    if grid is not None and len(grid) == 2 and all(float(v) in meaning for v in grid):
        low, high = (v.item() for v in grid)
        box = widgets.Checkbox(value=value == high, description=plain_label(param),
                               indent=False, layout=widgets.Layout(width="auto"))
        return box, lambda ticked: high if ticked else low
    if grid is not None and meaning and {float(grid[0]), float(grid[-1])} <= set(meaning):
        value = param.validate(value)
        if all(float(v) in meaning for v in grid):  # every position has a name: a choice
            options = [(meaning[float(v)], v.item()) for v in grid]
            return widgets.Dropdown(options=options, value=value, **common), lambda v: v
        options = [(f"{format_value(param, v)} · {meaning[float(v)]}" if float(v) in meaning
                    else format_value(param, v), v.item()) for v in grid]
        slider = widgets.SelectionSlider(options=options, value=value, continuous_update=True,
                                         **common)
        return slider, lambda v: v
    if param.integer:
        slider = widgets.IntSlider(value=int(value), min=int(param.min), max=int(param.max),
                                   step=int(param.step), readout_format=",d",
                                   continuous_update=True, **common)
        return slider, int
    places = decimals(param.step)
    slider = widgets.FloatSlider(value=value, min=param.min, max=param.max, step=param.step,
                                 readout_format=f",.{places}f", continuous_update=True,
                                 **common)
    return slider, lambda number: round(float(number), places)


def format_value(param: Param, value: float) -> str:
    places = 0 if param.integer else decimals(param.step)
    return f"{value:,.{places}f}"


def _labelled(param: Param, widget: widgets.Widget) -> widgets.Widget:
    """A control with its label (and unit, once) on a line above its track; its class
    ``coop-lab-control-<name>`` lets tests and benchmarks find it."""
    if isinstance(widget, widgets.Checkbox):
        widget.add_class(f"coop-lab-control-{param.name}")
        return widget
    unit = unit_text(param)
    text = html.escape(plain_label(param))
    if unit:
        text += f' <span class="coop-lab-unit">({html.escape(unit)})</span>'
    label = widgets.HTML(f'<div class="coop-lab-label" style="line-height: 1.3">{text}</div>',
                         layout=widgets.Layout(margin="8px 0 0 0"))
    box = widgets.VBox([label, widget], layout=widgets.Layout(width="100%"))
    box.add_class(f"coop-lab-control-{param.name}")
    return box


# -- the explorer ----------------------------------------------------------------------


class LiveExplorer:
    """Controls, the chart, and the wiring between them (see the module docstring)."""

    def __init__(self, explorer: Explorer) -> None:
        self.explorer = explorer
        params = explorer.model.params
        self.controls: dict[str, widgets.ValueWidget] = {}
        self._convert: dict[str, Callable[[Any], float | int]] = {}
        for name in explorer.sliders:
            self.controls[name], self._convert[name] = control(params[name])
        self.message = widgets.HTML(layout=widgets.Layout(width="100%"))
        frame = live_frame(explorer, **self.values())
        self._key = _spec_key(explorer, frame, self.values())
        self.chart = LiveChart(spec=chart_spec(explorer, frame, self.values()),
                               values=records(frame),
                               drawn=self.values(),
                               layout=widgets.Layout(flex="1 1 auto", overflow="auto"))
        column = widgets.VBox(
            [*(_labelled(params[name], box) for name, box in self.controls.items()),
             self.message],
            layout=widgets.Layout(flex=f"0 0 {CONTROLS_WIDTH}", width=CONTROLS_WIDTH,
                                  margin="0 24px 12px 0"))
        column.add_class("coop-lab-controls")
        self.box = widgets.Box([column, self.chart], layout=widgets.Layout(
            display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"))
        self.box.add_class("coop-lab-explorer")
        self.box.add_class(f"coop-lab-model-{explorer.model.name}")
        for box in self.controls.values():
            box.observe(self.redraw, names="value")

    def values(self) -> dict[str, float | int]:
        """The model's values for the controls' current positions."""
        return {name: self._convert[name](box.value) for name, box in self.controls.items()}

    def redraw(self, _change: object = None) -> None:
        """Run the model for the controls' values and send the chart its new data."""
        values = self.values()
        try:
            frame = live_frame(self.explorer, **values)
        except ValueError as error:  # a combination the model rejects
            self.message.value = (f'<span class="coop-lab-error">These settings cannot be '
                                  f"combined: {html.escape(str(error))}</span>")
            return
        self.message.value = ""
        key = _spec_key(self.explorer, frame, values)
        with self.chart.hold_sync():
            if key != self._key:
                self.chart.spec = chart_spec(self.explorer, frame, values)
                self._key = key
            self.chart.values = records(frame)
            self.chart.drawn = values


def widget(explorer: Explorer) -> widgets.Box:
    """The explorer's controls and live chart, as one widget (see the module docstring)."""
    return LiveExplorer(explorer).box


def png(explorer: Explorer) -> bytes:
    """The chart at the explorer's starting values as a PNG, drawn offline by vl-convert."""
    spec = live_chart(explorer).to_dict(validate=False)
    return vl_convert.vegalite_to_png(spec, vl_version=embed.VEGA_LITE_VERSION,
                                      scale=PNG_SCALE)


def mimebundle(explorer: Explorer, include: Any = None, exclude: Any = None
               ) -> dict[str, Any]:
    """What a notebook stores for an explorer: the widget view and a PNG of its chart."""
    bundle = widget(explorer)._repr_mimebundle_(include=include, exclude=exclude) or {}
    return bundle | {"image/png": base64.b64encode(png(explorer)).decode("ascii")}
