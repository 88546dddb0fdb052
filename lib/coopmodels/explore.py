"""One explorer for every model: live sliders in Jupyter, kernel-free sliders in the book.

``explore(model)`` returns an :class:`Explorer`. Displayed in a notebook it offers two
representations of itself, and each medium picks the richest one it can show:

* **Jupyter** (a kernel is running): widgets built from the model's
  :class:`~coopmodels.params.ParamSet`; each move re-runs the model and redraws the
  chart (:mod:`coopmodels.frontends.jupyter`).
* **The built book** (no kernel, no network): a Vega-Lite chart whose sliders are HTML
  range inputs bound to Vega parameters. The model is run beforehand on a grid of
  slider values; the sliders pick one precomputed scenario with a Vega expression
  (:mod:`coopmodels.frontends.page`). The book's configuration tells myst-nb to prefer
  this HTML over the widget view.

This module decides *what* an explorer offers (its sliders, their positions, the
precomputed scenarios); the frontends decide *how* each medium shows it.

Grid data are packed to keep pages light (:class:`PackedGrid`): each distinct series is
stored once, as an array, and scenarios refer to it; x values shared by every scenario
are written once, into the Vega expression that unpacks the arrays.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from coopmodels import charts
from coopmodels.model import CURRENT, SERIES, Model
from coopmodels.params import Param

MAX_SCENARIOS = 2_401
"""Upper bound on precomputed scenarios per explorer (page weight, see design budgets):
seven positions on each of four continuous sliders."""

MIN_CONTINUOUS_POSITIONS = 7
"""Positions a continuous slider should offer (design budget), where page weight allows."""

DISCRETE_POSITIONS = 8
"""A slider with at most this many values (a switch, a coded choice) offers all of them."""

SIGNIFICANT_DIGITS = 3
"""Precision of precomputed values: 0.5% at worst, below a pixel on a 200-pixel axis."""


def _compact(value: float) -> float | int | None:
    """A number rounded to :data:`SIGNIFICANT_DIGITS`, as short as JSON allows."""
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


POOL = "coop_pool"
"""Name of the dataset holding each distinct precomputed series once."""


@dataclass(frozen=True)
class PackedGrid:
    """Precomputed results, packed small for the page.

    ``scenarios``: one row per scenario ``{k, r}``, ``k`` its grid index and ``r`` the
    pool references of its series, view by view (``r[v * n_series + s]``);
    ``pool``: each distinct series once, ``{r, y[, x]}``; ``series``: series names;
    ``shared_x``: per view, the x values every series shares (``None`` if they differ,
    in which case each pool entry carries its own ``x``); ``marks_current``: per view,
    whether any scenario draws the reader's current setting there;
    ``series_by_view``: per view, the series any scenario draws there; ``x_values``:
    per view, every x value any scenario draws, in order of appearance (a bar panel's
    categories); ``empty_views``: per view, whether some scenario draws nothing there
    (those scenarios list the view's index under ``e``); ``shades``: per view with a
    :class:`~coopmodels.model.Shade`, its span if every scenario shades the same one,
    else ``"varies"`` (each scenario then carries its span as ``h<view>``, or none).
    """

    scenarios: list[dict[str, Any]]
    pool: list[dict[str, Any]]
    series: list[str]
    shared_x: list[list | None]
    marks_current: list[bool]
    series_by_view: list[list[str]] = dataclass_field(default_factory=list)
    x_values: list[list] = dataclass_field(default_factory=list)
    empty_views: list[bool] = dataclass_field(default_factory=list)
    shades: list[tuple[float, float] | str | None] = dataclass_field(default_factory=list)


def slider_grids(params: Mapping[str, Param], sliders: Sequence[str], max_scenarios: int,
                 text_settings: Mapping[str, Sequence[float]] | None = None
                 ) -> dict[str, np.ndarray]:
    """The positions of each kernel-free slider, within ``max_scenarios`` in all.

    A slider with few values (at most :data:`DISCRETE_POSITIONS`: a switch, a coded
    choice) offers every value. The continuous ones share what is left of the scenario
    budget evenly, then each in turn takes finer grids while the budget allows. Every
    grid holds the default and the ``text_settings`` for that slider (values the text
    asks a reader to set); a setting off the slider's grid raises ``ValueError``.
    """
    text_settings = dict(text_settings or {})
    unknown = sorted(set(text_settings) - set(sliders))
    if unknown:
        raise ValueError(f"text settings name parameters that are not sliders: {unknown}")
    discrete = [name for name in sliders if params[name].positions <= DISCRETE_POSITIONS]
    grids = {name: params[name].grid(params[name].positions, text_settings.get(name, ()))
             for name in discrete}
    continuous = [name for name in sliders if name not in grids]
    left = max_scenarios / max(1, math.prod(len(g) for g in grids.values()))
    per_slider = max(2, math.floor(left ** (1 / max(1, len(continuous))) + 1e-9))
    for name in continuous:
        grids[name] = params[name].grid(per_slider, text_settings.get(name, ()))
    for name in continuous:  # spend what rounding left over, one slider at a time
        others = math.prod(len(g) for key, g in grids.items() if key != name)
        while (finer := _next_finer(params[name], grids[name], text_settings.get(name, ()))
               ) is not None and others * len(finer) <= max_scenarios:
            grids[name] = finer
    return {name: grids[name] for name in sliders}


def _next_finer(param: Param, grid: np.ndarray, include: Sequence[float]) -> np.ndarray | None:
    """The next grid finer than ``grid`` that still holds ``include`` (None if none is).

    Finer grids do not come one position at a time (a grid through 0, 0.4 and 1 has 6 or
    11 positions, nothing between), so this tries every size up to the full slider.
    """
    for max_points in range(len(grid) + 1, param.positions + 1):
        finer = param.grid(max_points, include)
        if len(finer) > len(grid):
            return finer
    return None


class Explorer:
    """A model made interactive; see the module docstring.

    Args:
        model: the model to explore.
        sliders: parameters the reader moves (default: ``model.sliders``).
        fixed: values for other parameters (default: their defaults).
        max_scenarios: cap on precomputed scenarios for the kernel-free view.
        text_settings: per slider, the values the chapter's text and exercises ask the
            reader to set; the kernel-free sliders are built to offer each of them.
    """

    def __init__(self, model: Model, sliders: Sequence[str] | None = None,
                 fixed: Mapping[str, object] | None = None,
                 max_scenarios: int = MAX_SCENARIOS,
                 text_settings: Mapping[str, Sequence[float]] | None = None) -> None:
        self.model = model
        self.sliders = tuple(sliders if sliders is not None else model.sliders)
        if not self.sliders:
            raise ValueError(f"{model.name}: name at least one slider to explore")
        self.fixed = model.params.validate(fixed)
        moved = set(self.sliders) & set(fixed or {})
        if moved:
            raise ValueError(f"parameters cannot be both sliders and fixed: {sorted(moved)}")
        self.text_settings = {name: tuple(values)
                              for name, values in (text_settings or {}).items()}
        self.grids = slider_grids(model.params, self.sliders, max_scenarios,
                                  self.text_settings)
        self.description = (
            f"Interactive chart of the {model.title.lower()} model. Sliders: "
            + "; ".join(model.params[name].label for name in self.sliders) + ". "
            + " ".join(view.description for view in model.views)
        )

    # -- kernel-free view ----------------------------------------------------------------

    def scenarios(self) -> list[dict[str, Any]]:
        """Parameter values of every precomputed scenario, in row-major grid order."""
        axes = [self.grids[name] for name in self.sliders]
        return [self.fixed | dict(zip(self.sliders, (v.item() for v in combo), strict=True))
                for combo in itertools.product(*axes)]

    @functools.cached_property
    def packed(self) -> PackedGrid:
        """Every scenario run once and packed (see :class:`PackedGrid`); computed once."""
        views = self.model.views
        columns = {SERIES} | {f.name for view in views for f in (view.x, view.y)}
        tables = []  # per scenario: column -> numpy array, y in display units
        for values in self.scenarios():
            frame = charts.display_frame(self.model.run(**values), views)
            tables.append({name: frame[name].to_numpy() for name in columns})
        series = list(dict.fromkeys(s for table in tables for s in table[SERIES]))
        # parts[k][v][s]: (x, y) that scenario k draws in panel v for series s.
        parts = []
        for table in tables:
            row = []
            for view in views:
                x, y = table[view.x.name], table[view.y.name]
                drawn = pd.notna(x) & np.isfinite(pd.to_numeric(y, errors="coerce")
                                                  .astype(float))
                row.append([(x[mask], y[mask]) for mask in
                            (drawn & (table[SERIES] == name) for name in series)])
            parts.append(row)
        shared_x: list[list | None] = []
        for v in range(len(views)):
            xs = {json.dumps(x.tolist()) for row in parts for x, _ in row[v] if len(x)}
            shared_x.append(json.loads(xs.pop()) if len(xs) == 1 else None)
        spans = [[view.shade.at(values) if view.shade else None
                  for values in self.scenarios()] for view in views]
        shades: list[tuple[float, float] | str | None] = [
            (spans[v][0] if len(set(spans[v])) == 1 else "varies") if view.shade else None
            for v, view in enumerate(views)]
        pool: dict[str, dict[str, Any]] = {}
        scenarios = []
        for k, row in enumerate(parts):
            refs = []
            for v in range(len(views)):
                for x, y in row[v]:
                    entry: dict[str, Any] = {"y": [_compact(value) for value in y.tolist()]}
                    if shared_x[v] is None:
                        entry["x"] = x.tolist()
                    key = json.dumps(entry)
                    if key not in pool:
                        pool[key] = {"r": len(pool), **entry}
                    refs.append(pool[key]["r"])
            scenario: dict[str, Any] = {"k": k, "r": refs}
            empty = [v for v in range(len(views)) if not any(len(y) for _, y in row[v])]
            if empty:
                scenario["e"] = empty
            for v in range(len(views)):
                if shades[v] == "varies" and spans[v][k] is not None:
                    scenario[f"h{v}"] = [_compact(end) for end in spans[v][k]]
            scenarios.append(scenario)
        marks_current = [CURRENT in series and any(len(row[v][series.index(CURRENT)][1])
                                                   for row in parts)
                         for v in range(len(views))]
        series_by_view = [[name for s, name in enumerate(series)
                           if any(len(row[v][s][1]) for row in parts)]
                          for v in range(len(views))]
        x_values = [list(dict.fromkeys(value for row in parts for x, _ in row[v]
                                       for value in x.tolist()))
                    for v in range(len(views))]
        empty_views = [any(v in scenario.get("e", ()) for scenario in scenarios)
                       for v in range(len(views))]
        return PackedGrid(scenarios, list(pool.values()), series, shared_x, marks_current,
                          series_by_view, x_values, empty_views, shades)

    @property
    def default_index(self) -> int:
        """Grid index ``k`` of the starting point: every slider at its default."""
        k = 0
        for name in self.sliders:
            grid = self.grids[name]
            position = int(np.argmin(np.abs(grid - self.model.params[name].default)))
            k = k * len(grid) + position
        return k

    # -- how each medium shows it (coopmodels.frontends) -----------------------------

    def _scenario_index_expr(self) -> str:
        from coopmodels.frontends import page

        return page.scenario_index_expr(self)

    def static_chart(self) -> alt.VConcatChart:
        """The kernel-free chart (see :mod:`coopmodels.frontends.page`)."""
        from coopmodels.frontends import page

        return page.static_chart(self)

    def static_spec(self) -> dict:
        """The kernel-free chart as a Vega-Lite spec, data included."""
        from coopmodels.frontends import page

        return page.static_spec(self)

    def static_html(self) -> str:
        """HTML of the kernel-free chart, for the built book."""
        from coopmodels.frontends import page

        return page.static_html(self)

    def live_chart(self, **values: object) -> alt.VConcatChart:
        """The chart for one set of slider values (the others fixed)."""
        from coopmodels.frontends import jupyter

        return jupyter.live_chart(self, **values)

    def widget(self):  # -> ipywidgets.Widget
        """Controls that re-run the model and redraw the chart while they move (Jupyter)."""
        from coopmodels.frontends import jupyter

        return jupyter.widget(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the live widget view, and a PNG of the chart for wherever the widget
        cannot be shown (an untrusted notebook, a viewer without a kernel). While the book
        is built: the kernel-free HTML view (see :mod:`coopmodels.frontends.jupyter`)."""
        from coopmodels.frontends import jupyter

        plain = {"text/plain": f"<Explorer of {self.model.name}: {', '.join(self.sliders)}>"}
        if jupyter.building_the_book():
            return {"text/html": self.static_html()} | plain
        return jupyter.mimebundle(self, include=include, exclude=exclude) | plain


def explore(model: Model | str, sliders: Sequence[str] | None = None,
            fixed: Mapping[str, object] | None = None,
            max_scenarios: int | None = None,
            text_settings: Mapping[str, Sequence[float]] | None = None) -> Explorer:
    """Make ``model`` (a :class:`Model` or a registered name) interactive.

    ``max_scenarios`` defaults to the model's own cap, else :data:`MAX_SCENARIOS`.
    ``text_settings`` names, per slider, every value the chapter's text or exercises
    ask a reader to set (``{"calls_per_hour": [36, 48]}``): the kernel-free sliders
    offer each of them, or the build fails naming the value.
    """
    if isinstance(model, str):
        from coopmodels.registry import get_model
        model = get_model(model)
    cap = max_scenarios or model.max_scenarios or MAX_SCENARIOS
    return Explorer(model, sliders, fixed, cap, text_settings)
