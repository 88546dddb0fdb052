"""The book's one visual language: Altair charts built from :class:`~coopmodels.model.View`.

Every chart in the book comes from here, so they share

* one colour-blind-safe palette (Okabe & Ito), assigned to series in a fixed order, and
  one legend per chart whose symbols match the marks (:class:`Key`): a swatch for a
  bar, the line's own dash for a line, a dot for the reader's current setting, a faint
  line (or an outlined bar) for the starting point;
* axis titles that carry their unit (``Field.axis_title``) and, where a field says so,
  which direction is better; tick labels with as many decimals as the visible range
  needs (so two ticks never read the same); zero on the axis unless a field says not;
* a text ``description`` (read by screen readers as the chart's label) on every chart,
  and a description of its data tables (``usermeta``; the page script draws them);
* colours for light and dark pages (:data:`DARK`: the same hues, light text and grid),
  with every colour that depends on the page set through the Vega-Lite config, so the
  page script can switch them.

Charts know nothing of widgets or of any one model: they draw rows whose columns are
named by the view's fields (values already in display units, see :func:`display_frame`),
taken from inline data and/or Vega-Lite ``transforms`` (:class:`Rows`), which the
kernel-free explorer uses to pick one precomputed scenario.

What a panel draws, bottom to top: the shaded x-range of its view (``View.shade``), the
starting point (faint, explorers only), the rows, the reader's current setting, and a
note saying why when there is nothing to draw (``View.empty_message``).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from coopmodels import embed  # noqa: F401  (enables the offline "coopbook" renderer)
from coopmodels.model import CURRENT, SERIES, Field, Shade, View

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe & Ito (2008) colours, distinguishable with the common colour-vision deficiencies.

The first six read on light and on dark pages; a chart has at most six series (the
seventh, black, would vanish on a dark page: ``tests/test_charts.py`` checks)."""

DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3])
"""Line dash patterns, paired with colours so series differ by more than hue."""

SOLID = [1, 0]

PANEL_WIDTH = 520
PANEL_HEIGHT = 200
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

REFERENCE = "Starting point (default setting)"
"""Legend entry of the faint layer showing the explorer's default scenario."""

REFERENCE_COLOUR = "#8a8a8a"
"""Grey of the starting point's legend entry; reads on light and dark pages."""

REFERENCE_OPACITY = 0.4

COMPARE = "coop_compare"
"""Name of the explorer parameter "Compare with the starting point" (a checkbox)."""

NOTE = "coop_note"
"""Column holding the text a panel shows when it has nothing to draw."""

SHADE_START, SHADE_END, SHADE_LABEL = "coop_x0", "coop_x1", "coop_shade"
"""Columns of a shaded x-range: where it starts and ends (x units), and its label."""

REFERENCE_FLAG = "coop_ref"
"""Set on the starting point's rows, so data tables can leave them out."""

BAR_BAND = 16
"""Thickness of one bar, in pixels; a category is one bar per series plus a gap."""

NOTE_WIDTH = 44
"""Characters per line of a panel's note (fits a phone-width panel at 13 px)."""


# -- colours for light and dark pages ---------------------------------------------------

LIGHT_TEXT, LIGHT_MUTED, LIGHT_GRID = "#222222", "#333333", "#e6e6e6"

STYLES = {
    "coop-note": {"fontSize": 13, "fontStyle": "italic", "lineHeight": 17},
    "coop-shade": {"fill": "#8a8a8a", "opacity": 0.16},
    "coop-shade-label": {"fontSize": 12},
    "coop-halo": {"stroke": "white"},
    "coop-current": {"stroke": "white"},
}
"""Named mark styles, some with colours that depend on the page (Vega-Lite
``config.style``). Text takes its colour from ``config.text`` (Vega-Lite writes that
into every text mark, above any style); a halo is a text outline with no fill."""

DARK_BACKGROUND = "#14181e"
"""The dark theme's page background (pydata-sphinx-theme ``--pst-color-background``)."""

DARK_COLOURS = {PALETTE[6]: "#e8eaed"}
"""Palette colours swapped on a dark page: black, the seventh, becomes near-white (the
page script replaces them wherever the spec names them)."""

DARK: dict[str, Any] = {
    "axis": {"gridColor": "#3a424e", "domainColor": "#9aa3ad", "tickColor": "#9aa3ad",
             "labelColor": "#d6dce2", "titleColor": "#eef1f4"},
    "legend": {"labelColor": "#d6dce2", "titleColor": "#eef1f4"},
    "title": {"color": "#eef1f4", "subtitleColor": "#d6dce2"},
    "text": {"color": "#d6dce2"},
    "style": {
        "coop-shade": {"fill": "#aab2bc", "opacity": 0.18},
        "coop-halo": {"stroke": DARK_BACKGROUND},
        "coop-current": {"stroke": DARK_BACKGROUND},
    },
}
"""Config merged over the chart's own on a dark page: light text and grid, dark halos.

The hues stay the same (:data:`PALETTE`); the page script merges this when the theme's
``data-theme`` is ``dark`` (every spec carries it in ``usermeta``)."""


@alt.theme.register("coopbook", enable=True)
def coopbook_theme() -> alt.theme.ThemeConfig:
    """Shared look: system fonts (nothing fetched), light grid, legend on top."""
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "background": None,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": LIGHT_GRID,
                     "titleFontWeight": "normal", "titleColor": LIGHT_TEXT,
                     "labelColor": LIGHT_MUTED},
            "legend": {"orient": "top", "labelFontSize": 12, "titleFontSize": 12,
                       "labelLimit": 300, "columns": 2, "columnPadding": 16,
                       "labelColor": LIGHT_MUTED},
            "title": {"fontSize": 14, "anchor": "start", "fontWeight": "bold",
                      "color": LIGHT_TEXT},
            "range": {"category": list(PALETTE)},
            "line": {"strokeWidth": 2.5},
            "text": {"color": LIGHT_TEXT},
            "style": STYLES,
        }
    })


# -- data ---------------------------------------------------------------------------------

def display_frame(frame: pd.DataFrame, views: Sequence[View]) -> pd.DataFrame:
    """Copy of ``frame`` with every view's y column divided by its display ``scale``."""
    shown = frame.copy()
    for view in views:
        shown[view.y.name] = frame[view.y.name] / view.y.scale
    return shown


def panel_rows(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a model frame that ``view`` draws: those with both its x and y."""
    return frame[frame[view.x.name].notna() & frame[view.y.name].notna()]


def drawable(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows a panel actually draws: an x, and a finite y (NaN and inf are gaps)."""
    y = pd.to_numeric(frame[view.y.name], errors="coerce").to_numpy(float)
    return frame[frame[view.x.name].notna().to_numpy() & np.isfinite(y)]


def shows_current(rows: pd.DataFrame) -> bool:
    """True if these rows include the reader's current setting (series ``CURRENT``)."""
    return bool((rows[SERIES] == CURRENT).any())


@dataclass(frozen=True)
class Rows:
    """Where a layer's rows come from: ``data`` (inline or named) and ``transform``.

    With no ``data`` the layer inherits its chart's data (the explorer's scenarios).
    """

    data: Any = alt.Undefined
    transform: tuple[dict, ...] = ()

    def chart(self) -> alt.Chart:
        """An empty chart on these rows, to give a mark and encodings."""
        return alt.Chart(self.data, transform=list(self.transform))


def note_lines(text: str, width: int = NOTE_WIDTH) -> list[str]:
    """A panel note broken into lines short enough for a phone-width panel."""
    return textwrap.wrap(text, width) or [""]


def note_rows(view: View, values: Mapping[str, float] | None = None,
              params: Mapping[str, Any] | None = None) -> Rows:
    """Inline rows with the note of an empty panel, placeholders filled from ``values``."""
    return Rows(alt.Data(values=[{NOTE: note_lines(fill_message(view.empty_message,
                                                                 values, params))}]))


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_message(message: str, values: Mapping[str, float] | None,
                 params: Mapping[str, Any] | None) -> str:
    """``{name}`` in a view's message replaced by that parameter's value and unit."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if params is None or values is None or name not in params:
            raise ValueError(f"empty_message {message!r}: {{{name}}} is not a parameter")
        return params[name].value_text(values[name])
    return PLACEHOLDER.sub(value, message)


def shade_rows(shade: Shade, values: Mapping[str, float] | None = None) -> Rows | None:
    """Inline rows with the shaded range at ``values`` (``None`` if nothing is shaded)."""
    span = shade.at(values)
    if span is None:
        return None
    return Rows(alt.Data(values=[{SHADE_START: span[0], SHADE_END: span[1],
                                  SHADE_LABEL: shade.label}]))


# -- the legend ----------------------------------------------------------------------

def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _is_one_of(values: Iterable[str]) -> str:
    values = list(values)
    return f"indexof({_js(values)}, datum.value) >= 0" if values else "false"


@dataclass(frozen=True)
class Key:
    """The one legend of a chart: every series, each with the symbol of its mark.

    ``series`` fixes each series' colour (its index in :data:`PALETTE`) and dash;
    ``bars`` are the series drawn as bars (a swatch), the others lines (their dash),
    :data:`~coopmodels.model.CURRENT` a dot. ``reference`` adds the starting point's
    entry, shown only while the Vega expression ``shown`` (if any) is true.
    """

    series: tuple[str, ...]
    bars: frozenset[str] = frozenset()
    reference: bool = False
    shown: str | None = None

    @property
    def lines(self) -> list[str]:
        return [s for s in self.series if s not in self.bars and s != CURRENT]

    @property
    def domain(self) -> list[str]:
        return [*self.series, REFERENCE] if self.reference else list(self.series)

    # The colour and dash scales list their domain in reverse: Vega-Lite merges legends
    # whose scales have the same domain, and these two have none (the key hangs on the
    # opacity channel), so a merge would hide it.

    def colour_scale(self) -> alt.Scale:
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(self.series))]
        colours += [REFERENCE_COLOUR] * self.reference
        return alt.Scale(domain=self.domain[::-1], range=colours[::-1])

    def dash_scale(self) -> alt.Scale:
        dashes = [DASHES[i % len(DASHES)] if name in self.lines else SOLID
                  for i, name in enumerate(self.series)]
        dashes += [SOLID] * self.reference
        return alt.Scale(domain=self.domain[::-1], range=dashes[::-1])

    def legend(self) -> alt.Legend:
        """One legend whose symbols are drawn like the marks (see the class docstring).

        The legend hangs on the :meth:`opacity` channel (every series at full opacity),
        so that each entry's shape, fill, stroke and dash can follow its own mark; the
        colours come from the colour scale, the dashes from the dash scale.
        """
        current, reference = _js(CURRENT), _js(REFERENCE)
        bars = _is_one_of(self.bars)
        colour = "scale('color', datum.value)"
        ref_as_bar = self.reference and not self.lines
        shown = f"({self.shown})" if self.shown else "true"
        is_ref = f"datum.value === {reference}"
        is_current = f"datum.value === {current}"
        ref_shape = _js("square" if ref_as_bar else "stroke")
        dash = "scale('strokeDash', datum.value)" if self.lines else "[]"
        expr = {
            "symbolType": f"{is_current} ? 'circle' : {bars} ? 'square' : {is_ref} ? "
                          f"{ref_shape} : 'stroke'",
            "symbolSize": f"{is_current} ? 80 : {bars} ? 160 : {is_ref} ? "
                          f"{160 if ref_as_bar else 300} : 300",
            "symbolFillColor": f"{is_current} || {bars} ? {colour} : 'transparent'",
            "symbolStrokeColor": f"{is_ref} ? ({shown} ? {colour} : 'transparent') : "
                                 f"{bars} ? 'transparent' : {colour}",
            "symbolStrokeWidth": f"{is_current} ? 1 : {bars} ? 0 : "
                                 f"{is_ref} ? {1.5 if ref_as_bar else 2} : 2.5",
            "symbolDash": f"{is_ref} ? {'[3, 2]' if ref_as_bar else '[]'} : "
                          f"{is_current} || {bars} ? [] : {dash}",
            "labelOpacity": f"{is_ref} ? ({shown} ? 1 : 0) : 1",
        }
        return alt.Legend(title=None, **{name: alt.ExprRef(expr=e) for name, e in expr.items()})

    def opacity(self) -> alt.Opacity:
        """The channel the legend hangs on: full opacity for every series."""
        return alt.Opacity(f"{SERIES}:O", title=None, legend=self.legend(), scale=alt.Scale(
            domain=self.domain, range=[1.0] * len(self.series) + [0.6] * self.reference))

    def colour(self) -> alt.Color:
        return alt.Color(f"{SERIES}:N", title=None, scale=self.colour_scale(), legend=None)

    def dash(self) -> alt.StrokeDash:
        return alt.StrokeDash(f"{SERIES}:N", title=None, scale=self.dash_scale(),
                              legend=None)

    @classmethod
    def of(cls, views: Sequence[View], series: Sequence[str],
           series_by_view: Sequence[Iterable[str]], *, reference: bool = False,
           shown: str | None = None) -> Key:
        """The key of a chart whose view ``v`` draws the series ``series_by_view[v]``."""
        bars = {s for view, drawn in zip(views, series_by_view, strict=True)
                if view.kind == "bar" for s in drawn}
        return cls(tuple(series), frozenset(bars), reference, shown)


# -- axes ------------------------------------------------------------------------------

def tick_format(number_format: str) -> str:
    """The axis version of a d3 format: same type and grouping, no fixed precision.

    Vega then takes as many decimals as the tick step needs (``",.1f"`` gives 0.00,
    0.01, 0.02 on a range of 0 to 0.04, where ``",.1f"`` itself would repeat "0.0").
    Whole-number formats (``"d"``) are kept.
    """
    return re.sub(r"\.\d+|~", "", number_format)


def _title(field_: Field, width: int | None = None) -> str | list[str]:
    """An axis title with its unit (lines of at most ``width`` characters, if given),
    and which direction is better on a line of its own."""
    lines = textwrap.wrap(field_.axis_title, width) if width else [field_.axis_title]
    lines += [field_.better_text] if field_.better_text else []
    return lines if len(lines) > 1 else lines[0]


Y_TITLE_WIDTH = 36
"""Characters of a y axis title that fit along a panel's height (longer ones wrap)."""


def _value_scale(field_: Field, *, zero: bool, nice: bool = True) -> alt.Scale:
    zero = zero if field_.zero is None else field_.zero
    domain = {"unionWith": list(field_.domain)} if field_.domain else alt.Undefined
    return alt.Scale(zero=zero, nice=nice, domain=domain)


def _quantitative_axis(field_: Field, **extra: Any) -> alt.Axis:
    whole_numbers = field_.format == "d"  # e.g. fiscal years: no tick between two years
    return alt.Axis(format=tick_format(field_.format),
                    tickMinStep=1 if whole_numbers else alt.Undefined, **extra)


def _category_labels(field_: Field) -> str | Any:
    """``labelExpr`` adding each category's better direction as a second line."""
    if not isinstance(field_.better, Mapping):
        return alt.Undefined
    cases = [(category, field_.category_better(category)) for category in field_.better]
    expression = "datum.label"
    for category, text in cases:
        if text:
            expression = (f"datum.label === {_js(category)} ? [datum.label, {_js(text)}] : "
                          f"({expression})")
    return expression


def _x_line(view: View, name: str | None = None) -> alt.X:
    """x of a line panel: quantitative, fitted to the data unless the field says zero."""
    return alt.X(f"{name or view.x.name}:Q", title=_title(view.x),
                 axis=_quantitative_axis(view.x, labelFlush=False),  # centred on ticks
                 scale=_value_scale(view.x, zero=False, nice=False))


def _y_value(view: View) -> alt.Y:
    return alt.Y(f"{view.y.name}:Q", title=_title(view.y, Y_TITLE_WIDTH),
                 axis=_quantitative_axis(view.y),
                 scale=_value_scale(view.y, zero=True))


def _tooltip(view: View) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{SERIES}:N", title="Series"),
            alt.Tooltip(f"{view.x.name}:N", title=view.x.title) if view.kind == "bar"
            else alt.Tooltip(f"{view.x.name}:Q", title=view.x.title, format=view.x.format),
            alt.Tooltip(f"{view.y.name}:Q", title=view.y.axis_title, format=view.y.format)]


def _drawable_filter(view: View) -> dict:
    return {"filter": f"isValid(datum[{_js(view.x.name)}]) && "
                      f"isFinite(datum[{_js(view.y.name)}])"}


def _is_current() -> str:
    return f"datum[{_js(SERIES)}] === {_js(CURRENT)}"


# -- panels ------------------------------------------------------------------------------

def bar_band(view: View, bar_series: int) -> int:
    """Height of one category's band: a bar per series and a gap, or room for a
    two-line label (a category that says which way is better)."""
    bars = BAR_BAND * max(1, bar_series) + 10
    return max(bars, 40) if isinstance(view.x.better, Mapping) else bars


def panel(view: View, key: Key, rows: Rows, *, reference: Rows | None = None,
          note: Rows | None = None, shade: Rows | None = None,
          marks_current: bool = False, categories: Sequence[str] | None = None,
          bar_series: Sequence[str] | None = None) -> alt.LayerChart:
    """One chart panel for ``view`` (see the module docstring for its layers).

    ``rows`` have columns ``view.x.name``, ``view.y.name`` (display units) and
    ``series``; ``reference`` the same for the starting point; ``note`` one row with
    :data:`NOTE` if the panel has nothing to draw; ``shade`` one row with the shaded
    range. Bar panels are horizontal: ``categories`` fixes the order and number of
    bands, ``bar_series`` the bars in each band.
    """
    if view.kind == "bar":
        layers = _bar_layers(view, key, rows, reference, categories, bar_series)
        band = bar_band(view, len(bar_series or key.series))
        size = {"width": PANEL_WIDTH, "height": max(1, len(categories)) * band
                if categories is not None else alt.Step(band)}
    else:
        layers = _line_layers(view, key, rows, reference, shade, marks_current)
        size = {"width": PANEL_WIDTH, "height": PANEL_HEIGHT}
    if note is not None:
        layers.append(note.chart().mark_text(style="coop-note", align="left",
                                             baseline="top", x=8, y=8).encode(
            text=alt.Text(f"{NOTE}:N")))
    return alt.layer(*layers, title=view.title or alt.Undefined,
                     description=view.description).properties(**size)


def _line_layers(view: View, key: Key, rows: Rows, reference: Rows | None,
                 shade: Rows | None, marks_current: bool) -> list:
    x, y, colour, dash = _x_line(view), _y_value(view), key.colour(), key.dash()
    layers = []
    if shade is not None:
        band = shade.chart().encode(x=_x_line(view, SHADE_START), x2=f"{SHADE_END}:Q")
        layers += [band.mark_rect(style="coop-shade", aria=False),
                   band.mark_text(style="coop-shade-label", align="left",
                                  baseline="bottom", dx=4, dy=-4, y="height"
                                  ).encode(text=f"{SHADE_LABEL}:N")]
    if reference is not None:
        # Decorative for screen readers (aria off): the chart's description says what
        # the faint marks are, and the data table gives the current setting's numbers.
        faint = reference.chart().transform_filter(_drawable_filter(view)["filter"]).encode(
            x=x, y=y, color=colour)
        layers += [
            faint.mark_line(opacity=REFERENCE_OPACITY, strokeWidth=2, aria=False).encode(
                strokeDash=dash).transform_filter(f"!({_is_current()})"),
            faint.mark_point(filled=False, size=150, opacity=0.7, strokeWidth=2, aria=False
                             ).transform_filter(_is_current()),
        ]
    base = alt.Chart().encode(x=x, y=y, color=colour, opacity=key.opacity(),
                              tooltip=_tooltip(view))
    lines = base.mark_line(point=alt.OverlayMarkDef(size=25)).encode(strokeDash=dash)
    if marks_current:
        current = base.mark_point(filled=True, size=150, opacity=1, strokeWidth=1.5,
                                  style="coop-current", description=CURRENT)
        drawn = alt.layer(lines.transform_filter(f"!({_is_current()})"),
                          current.transform_filter(_is_current()))
    else:
        drawn = alt.layer(lines)
    layers.append(drawn.properties(data=rows.data,
                                   transform=[*rows.transform, _drawable_filter(view)]))
    return layers


def _bar_layers(view: View, key: Key, rows: Rows, reference: Rows | None,
                categories: Sequence[str] | None,
                bar_series: Sequence[str] | None) -> list:
    labels = _category_labels(view.x)
    y = alt.Y(f"{view.x.name}:N", title=_title(view.x), sort=None,
              scale=alt.Scale(domain=list(categories)) if categories is not None
              else alt.Undefined,
              axis=alt.Axis(labelLimit=220, labelExpr=labels,
                            labelLineHeight=15 if labels is not alt.Undefined
                            else alt.Undefined))
    x = alt.X(f"{view.y.name}:Q", title=_title(view.y), axis=_quantitative_axis(view.y),
              scale=_value_scale(view.y, zero=True), stack=None)  # side by side (yOffset)
    offset = alt.YOffset(f"{SERIES}:N", scale=alt.Scale(
        domain=list(bar_series if bar_series is not None else key.series)))
    encoding = {"x": x, "y": y, "yOffset": offset, "color": key.colour()}
    layers = [rows.chart().mark_bar().encode(**encoding, opacity=key.opacity(),
                                             tooltip=_tooltip(view))
              .transform_filter(_drawable_filter(view)["filter"])]
    if reference is not None:
        layers.append(reference.chart().mark_bar(filled=False, strokeWidth=1.5,
                                                 strokeDash=[3, 2], opacity=0.9, aria=False)
                      .encode(**encoding).transform_filter(_drawable_filter(view)["filter"]))
    return layers


def stack(panels: Sequence[alt.LayerChart], description: str,
          data: pd.DataFrame | alt.Data = alt.Undefined, *, share_x: bool = False,
          tables: Sequence[dict] = ()) -> alt.VConcatChart:
    """Panels one above the other, sharing ``data`` (embedded once) and one description.

    With ``share_x`` the panels also share one x axis range, so that points above one
    another are the same x (use it when every panel has the same x field: see
    :func:`same_x`). ``tables`` describe each panel's data table (:func:`view_table`).
    """
    chart = alt.vconcat(*panels, data=data, spacing=24).properties(description=description)
    chart = chart.resolve_scale(x="shared") if share_x else chart
    return with_meta(chart, tables=list(tables))


def same_x(views: Sequence[View]) -> bool:
    """True if all ``views`` draw lines against the same x field (so may share an axis)."""
    return len(views) > 1 and all(v.kind == "line" and v.x.name == views[0].x.name
                                  for v in views)


# -- data tables and page metadata ---------------------------------------------------

def column(field_: Field | str, title: str | None = None, *, text: bool = False,
           number_format: str | None = None, labels: Mapping[str, str] | None = None
           ) -> dict[str, Any]:
    """One column of a chart's data table: the data field, its header, how to show it."""
    if isinstance(field_, Field):
        header = field_.axis_title + (f", {field_.better.split()[0]} is better"
                                      if isinstance(field_.better, str) else "")
        entry = {"field": field_.name, "title": title or header,
                 "format": number_format or field_.format, "kind": "text" if text
                 else "number"}
    else:
        entry = {"field": field_, "title": title or field_,
                 "kind": "text" if text else "number"}
        if number_format:
            entry["format"] = number_format
    if labels:
        entry["labels"] = dict(labels)
    return entry


def view_table(view: View) -> dict[str, Any]:
    """How the page script tabulates what a panel draws (series, x, y; units in headers).

    For a categorical field whose categories have a better direction, a column says
    which way is better.
    """
    columns = [column(SERIES, "Series", text=True),
               column(view.x, text=view.kind == "bar"), column(view.y)]
    table = {"title": view.title or view.y.title, "columns": columns,
             "empty": view.empty_message}
    if isinstance(view.x.better, Mapping):
        table["better"] = {"field": view.x.name, "title": "Which way is better",
                           "labels": {c: view.x.category_better(c) for c in view.x.better
                                      if view.x.category_better(c)}}
    return table


def with_meta(chart: alt.TopLevelMixin, **meta: Any) -> alt.TopLevelMixin:
    """Attach the book's page metadata (``usermeta.coopbook``): data tables, dark config
    and dark colours."""
    existing = chart.usermeta if chart.usermeta is not alt.Undefined else {}
    book = (dict(existing.get("coopbook", {})) | {"dark": DARK, "dark_colours": DARK_COLOURS}
            | meta)
    return chart.properties(usermeta={**existing, "coopbook": book})


# -- charts drawn from a frame (static pages, Jupyter) ----------------------------------

def model_chart(frame: pd.DataFrame, views: Sequence[View], description: str, *,
                reference: pd.DataFrame | None = None,
                values: Mapping[str, float] | None = None,
                params: Mapping[str, Any] | None = None) -> alt.VConcatChart:
    """All panels of a model's output frame, drawn as the live explorer shows them.

    ``reference`` (a frame of the model at its defaults) adds the starting point;
    ``values`` and ``params`` fill placeholders of notes and shaded ranges.
    """
    shown = display_frame(frame, views)
    order = list(dict.fromkeys(frame[SERIES]))
    by_view = [list(dict.fromkeys(drawable(shown, view)[SERIES])) for view in views]
    if reference is not None:
        order += [s for s in dict.fromkeys(reference[SERIES]) if s not in order]
    key = Key.of(views, order, by_view, reference=reference is not None)
    panels = []
    for v, view in enumerate(views):
        rows = drawable(shown, view)
        extra: dict[str, Any] = {}
        if view.kind == "bar":
            extra = {"categories": list(dict.fromkeys(shown[view.x.name].dropna())),
                     "bar_series": by_view[v] or [order[0]]}
        else:
            extra = {"marks_current": shows_current(rows),
                     "shade": shade_rows(view.shade, values) if view.shade else None}
        ref = None
        if reference is not None:
            ref = Rows(drawable(display_frame(reference, views), view)
                       [[SERIES, view.x.name, view.y.name]])
        panels.append(panel(view, key, Rows(rows[[SERIES, view.x.name, view.y.name]]),
                            reference=ref, note=None if len(rows) else
                            note_rows(view, values, params), **extra))
    return stack(panels, description, share_x=same_x(views),
                 tables=[view_table(view) for view in views])


def line_chart(frame: pd.DataFrame, x: Field, y: Field, *, description: str,
               title: str = "", series: Sequence[str] | None = None,
               shade: Shade | None = None,
               empty_message: str | None = None) -> alt.LayerChart:
    """A line chart of a tidy frame (columns ``x.name``, ``y.name``, ``series``).

    ``shade`` (a :class:`~coopmodels.model.Shade` with a fixed span) shades an x-range.
    """
    view = View(x=x, y=y, description=description, title=title, shade=shade,
                **({"empty_message": empty_message} if empty_message else {}))
    order = list(series) if series is not None else list(dict.fromkeys(frame[SERIES]))
    shown = drawable(display_frame(frame, [view]), view)
    key = Key.of([view], order, [order])
    chart = panel(view, key, Rows(shown[[SERIES, x.name, y.name]]),
                  note=None if len(shown) else note_rows(view),
                  shade=shade_rows(shade) if shade else None,
                  marks_current=shows_current(shown))
    return with_meta(chart, tables=[view_table(view)])


MAP_X, MAP_Y = (-1.85, 7.0), (-0.5, 6.1)
"""Data ranges of :func:`network_map` (node positions are set in ``argument_map``)."""

SIGN_WORDS = {"+": "more → more", "-": "more → less"}


def network_map(nodes: pd.DataFrame, edges: pd.DataFrame, description: str,
                link_suffix: str = ".html") -> alt.LayerChart:
    """A hand-placed cause-and-effect graph: arrows between nodes that link to chapters.

    ``nodes`` has ``key, label, x, y, chapter, kind``; ``edges`` has ``x, y, x2, y2,
    sign, text``. Each node links to its chapter (``chapter + link_suffix``). Arrows stop
    short of the target node with a head pointing along the edge; labels sit above their
    node (policies: to its left, outcomes: to its right) on a halo of the page colour,
    so lines passing behind them stay readable. Its positions are placed by hand, so on
    a narrow screen the map keeps its size and scrolls sideways in its own box.
    """
    width, height = PANEL_WIDTH + 140, 420
    arrows = _arrow_geometry(edges, px_x=width / (MAP_X[1] - MAP_X[0]),
                             px_y=height / (MAP_Y[1] - MAP_Y[0]), gap_px=11)
    nodes = nodes.assign(href=nodes["chapter"] + link_suffix)
    chart = alt.layer(*_arrow_layers(arrows), *_node_layers(nodes)).properties(
        width=width, height=height, description=description).resolve_scale(
        color="independent")
    tables = [{"title": "Links", "columns": [
                  column("text", "Link", text=True),
                  column("sign", "Effect claimed", text=True, labels=SIGN_WORDS)]},
              {"title": "Nodes", "columns": [
                  column("label", "Node", text=True), column("kind", "Kind", text=True),
                  column("chapter", "Chapter", text=True)]}]
    return with_meta(chart, tables=tables, fit=False)


def _map_position(x: str = "x", y: str = "y") -> dict:
    return {"x": alt.X(f"{x}:Q", scale=alt.Scale(domain=list(MAP_X)), axis=None),
            "y": alt.Y(f"{y}:Q", scale=alt.Scale(domain=list(MAP_Y)), axis=None)}


def _arrow_layers(arrows: pd.DataFrame) -> list[alt.Chart]:
    """Edges as lines (solid: more → more; dashed: more → less) with rotated heads."""
    signs = alt.Scale(domain=["+", "-"], range=[PALETTE[0], PALETTE[1]])
    # The colour legend also shows each sign's dash (the dash channel has no legend of its
    # own: the map's colour scales are independent, so the two would not merge).
    legend = alt.Legend(labelExpr="datum.label == '+' ? 'more → more' : 'more → less'",
                        symbolType="stroke", symbolStrokeWidth=2.5,
                        symbolDash=alt.ExprRef(expr=f"datum.value === '-' ? {DASHES[1]} : []"))
    link = alt.Tooltip("text:N", title="Link")
    lines = alt.Chart(arrows).mark_rule(strokeWidth=1.5, opacity=0.8).encode(
        **_map_position(), x2="head_x:Q", y2="head_y:Q", tooltip=link,
        color=alt.Color("sign:N", title="Effect claimed", scale=signs, legend=legend),
        strokeDash=alt.StrokeDash("sign:N", legend=None, scale=alt.Scale(
            domain=["+", "-"], range=list(DASHES[:2]))))
    heads = alt.Chart(arrows).mark_point(shape="triangle-right", filled=True, size=70,
                                         opacity=1).encode(
        **_map_position("head_x", "head_y"), angle=alt.Angle("angle:Q", scale=None),
        color=alt.Color("sign:N", scale=signs, legend=None), tooltip=link)
    return [lines, heads]


def _node_layers(nodes: pd.DataFrame) -> list[alt.Chart]:
    """Nodes coloured by kind, and their labels (each a link to the node's chapter)."""
    kind_colour = alt.Color("kind:N", title="Node", legend=alt.Legend(columns=3), scale=alt.Scale(
        domain=["policy", "mechanism", "outcome"], range=[PALETTE[4], PALETTE[2], PALETTE[3]]))
    layers = [alt.Chart(nodes).mark_point(filled=True, size=220, opacity=1).encode(
        **_map_position(), color=kind_colour, href="href:N",
        tooltip=[alt.Tooltip("label:N", title="Node"), alt.Tooltip("chapter:N", title="Chapter")])]
    for kind, place in (("policy", {"align": "right", "dx": -12}),
                        ("mechanism", {"align": "center", "dy": -16}),
                        ("outcome", {"align": "left", "dx": 12})):
        shown = alt.Chart(nodes).transform_filter(alt.datum.kind == kind)
        halo = shown.mark_text(**place, fontSize=12, style="coop-halo", strokeWidth=4,
                               strokeJoin="round", fillOpacity=0, aria=False)
        text = shown.mark_text(**place, fontSize=12)
        layers += [halo.encode(**_map_position(), text="label:N"),
                   text.encode(**_map_position(), text="label:N", href="href:N")]
    return layers


def _arrow_geometry(edges: pd.DataFrame, px_x: float, px_y: float,
                    gap_px: float) -> pd.DataFrame:
    """Add where each arrow's head sits (``gap_px`` before the target) and its angle.

    The angle is in degrees clockwise on screen (y grows downwards there), which is how
    Vega rotates a ``triangle-right`` symbol to point along the edge.
    """
    dx_px = (edges["x2"] - edges["x"]) * px_x
    dy_px = -(edges["y2"] - edges["y"]) * px_y
    length = np.hypot(dx_px, dy_px)
    back = gap_px / length
    return edges.assign(head_x=edges["x2"] - back * dx_px / px_x,
                        head_y=edges["y2"] + back * dy_px / px_y,
                        angle=np.degrees(np.arctan2(dy_px, dx_px)))


PLOT_X, PLOT_Y = "coop_plot_x", "coop_plot_y"
"""Where :func:`point_chart` draws a point (its value, moved aside if it shares it)."""

DODGE_PX = 8
"""Distance, in pixels, at which points that share a position are drawn around it."""


def dodge(x: np.ndarray, y: np.ndarray, *, width: float, height: float,
          radius_px: float = DODGE_PX) -> tuple[np.ndarray, np.ndarray]:
    """Positions that keep every point visible: points that would land on the same
    pixel (within a point's size) are drawn on a small circle around their shared
    position, evenly spaced, so none hides another. Others stay where they are.

    ``width`` and ``height`` are the plot's size in pixels; returns new x and y in data
    units (the values themselves are unchanged in the data and its table).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    span_x = (np.nanmax(x) - np.nanmin(x)) or 1.0
    span_y = (np.nanmax(y) - np.nanmin(y)) or 1.0
    cell = radius_px / 2
    keys = np.round(x / span_x * width / cell).astype(int), \
        np.round(y / span_y * height / cell).astype(int)
    plot_x, plot_y = x.copy(), y.copy()
    groups: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(zip(*keys, strict=True)):
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        angles = np.pi / 2 + 2 * np.pi * np.arange(len(members)) / len(members)
        radius = radius_px * max(1.0, len(members) / 6)
        centre_x, centre_y = x[members].mean(), y[members].mean()
        plot_x[members] = centre_x + radius * np.cos(angles) * span_x / width
        plot_y[members] = centre_y + radius * np.sin(angles) * span_y / height
    return plot_x, plot_y


def point_chart(frame: pd.DataFrame, x: Field, y: Field, colour: str, *, description: str,
                title: str = "", order: Sequence[str] | None = None) -> alt.Chart:
    """Points of a tidy frame, coloured (and shaped) by the ``colour`` column.

    No point hides another: points that share a position (two designs with the same
    two outcomes) are drawn side by side around it (:func:`dodge`); tooltips and the
    data table give the true values.
    """
    domain = list(order) if order is not None else list(dict.fromkeys(frame[colour]))
    shown = frame.assign(**{y.name: frame[y.name] / y.scale, x.name: frame[x.name] / x.scale})
    height = PANEL_HEIGHT + 60
    plot_x, plot_y = dodge(shown[x.name].to_numpy(), shown[y.name].to_numpy(),
                           width=PANEL_WIDTH, height=height)
    shown = shown.assign(**{PLOT_X: plot_x, PLOT_Y: plot_y})
    encoding = {"scale": alt.Scale(domain=domain, range=list(PALETTE)), "title": None}
    columns = list(frame.columns)
    chart = alt.Chart(shown, title=title or alt.Undefined).mark_point(
        filled=True, size=70, opacity=0.85).encode(
        x=alt.X(f"{PLOT_X}:Q", title=_title(x), axis=_quantitative_axis(x),
                scale=_value_scale(x, zero=False)),
        y=alt.Y(f"{PLOT_Y}:Q", title=_title(y, Y_TITLE_WIDTH), axis=_quantitative_axis(y),
                scale=_value_scale(y, zero=False)),
        color=alt.Color(f"{colour}:N", **encoding),
        shape=alt.Shape(f"{colour}:N", scale=alt.Scale(domain=domain), title=None),
        tooltip=[alt.Tooltip(f"{c}:N" if frame[c].dtype == object else f"{c}:Q")
                 for c in columns],
    ).properties(width=PANEL_WIDTH, height=height, description=description)
    known = {x.name: x, y.name: y}
    table_columns = [column(known[c]) if c in known else
                     column(c, text=frame[c].dtype == object) for c in columns]
    return with_meta(chart, tables=[{"title": title or description, "columns": table_columns}])


def tornado_chart(frame: pd.DataFrame, outcome: Field, *, description: str,
                  title: str = "") -> alt.LayerChart:
    """One-at-a-time sensitivity: a bar per parameter from its low to its high result.

    ``frame`` has ``parameter``, ``low``, ``high`` (outcome values, display units already
    applied by the caller) and ``baseline``; parameters are drawn widest first.
    """
    order = list(frame.assign(width=(frame["high"] - frame["low"]).abs())
                 .sort_values("width", ascending=False)["parameter"])
    base = alt.Chart(frame, title=title or alt.Undefined).encode(
        y=alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=340)))
    bars = base.mark_bar(color=PALETTE[0], height=14).encode(
        x=alt.X("low:Q", title=_title(outcome), axis=_quantitative_axis(outcome),
                scale=_value_scale(outcome, zero=False)),
        x2="high:Q",
        tooltip=[alt.Tooltip("parameter:N", title="Parameter"),
                 alt.Tooltip("low:Q", format=outcome.format, title="At the low end"),
                 alt.Tooltip("high:Q", format=outcome.format, title="At the high end")])
    centre = alt.Chart(frame).mark_rule(color=PALETTE[1], strokeDash=[4, 3]).encode(
        x="mean(baseline):Q")
    chart = alt.layer(bars, centre).properties(width=PANEL_WIDTH - 220,
                                               height=24 * len(frame),
                                               description=description)
    unit = f" ({outcome.unit})" if outcome.unit else ""
    tables = [{"title": title or description, "columns": [
        column("parameter", "Parameter", text=True),
        column("low", f"{outcome.title} at the low end{unit}", number_format=outcome.format),
        column("high", f"{outcome.title} at the high end{unit}",
               number_format=outcome.format)]}]
    return with_meta(chart, tables=tables)
