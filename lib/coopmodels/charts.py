"""The book's one visual language: Altair charts built from :class:`~coopmodels.model.View`.

Every chart in the book comes from here, so they share

* one colour-blind-safe palette (Okabe & Ito), assigned to series in a fixed order;
* axis titles that carry their unit (``Field.axis_title``);
* a text ``description`` (read by screen readers as the chart's label) on every chart.

Charts know nothing of widgets or of any one model: they draw a tidy frame whose
columns are named by the view's fields (values already in display units, see
:func:`display_frame`), optionally after Vega-Lite ``transforms`` that the kernel-free
explorer uses to pick one precomputed scenario.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from coopmodels import embed  # noqa: F401  (enables the offline "coopbook" renderer)
from coopmodels.model import CURRENT, SERIES, Field, View

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe & Ito (2008) colours, distinguishable with the common colour-vision deficiencies."""

DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3])
"""Line dash patterns, paired with colours so series differ by more than hue."""

PANEL_WIDTH = 520
PANEL_HEIGHT = 200
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@alt.theme.register("coopbook", enable=True)
def coopbook_theme() -> alt.theme.ThemeConfig:
    """Shared look: system fonts (nothing fetched), light grid, legend on top."""
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6",
                     "titleFontWeight": "normal", "titleColor": "#222", "labelColor": "#333"},
            "legend": {"orient": "top", "labelFontSize": 12, "titleFontSize": 12,
                       "labelLimit": 300, "columns": 2, "columnPadding": 16},
            "title": {"fontSize": 14, "anchor": "start", "fontWeight": "bold",
                      "color": "#222"},
            "range": {"category": list(PALETTE)},
            "line": {"strokeWidth": 2.5},
        }
    })


def display_frame(frame: pd.DataFrame, views: Sequence[View]) -> pd.DataFrame:
    """Copy of ``frame`` with every view's y column divided by its display ``scale``."""
    shown = frame.copy()
    for view in views:
        shown[view.y.name] = frame[view.y.name] / view.y.scale
    return shown


def panel_rows(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a model frame that ``view`` draws: those with both its x and y."""
    return frame[frame[view.x.name].notna() & frame[view.y.name].notna()]


def shows_current(rows: pd.DataFrame) -> bool:
    """True if these rows include the reader's current setting (series ``CURRENT``)."""
    return bool((rows[SERIES] == CURRENT).any())


def _x_encoding(view: View) -> alt.X:
    if view.kind == "bar":
        return alt.X(f"{view.x.name}:N", title=view.x.axis_title, sort=None,
                     axis=alt.Axis(labelAngle=-25, labelAlign="right", labelLimit=160))
    whole_numbers = view.x.format == "d"  # e.g. fiscal years: no tick between two years
    return alt.X(f"{view.x.name}:Q", title=view.x.axis_title,
                 axis=alt.Axis(format=view.x.format,
                               tickMinStep=1 if whole_numbers else alt.Undefined),
                 scale=alt.Scale(zero=False, nice=False))


def panel(view: View, series: Sequence[str], transforms: Sequence[dict] = (),
          data: pd.DataFrame | alt.Data = alt.Undefined, *, marks_current: bool = False
          ) -> alt.Chart | alt.LayerChart:
    """One chart panel for ``view``.

    The data (here, or inherited from :func:`stack`) have columns ``view.x.name``,
    ``view.y.name`` (display units) and ``series``; ``series`` fixes the order (and so
    the colour) of the series; ``transforms`` are Vega-Lite transforms applied first.
    """
    colour = alt.Color(f"{SERIES}:N", title=None,
                       scale=alt.Scale(domain=list(series), range=list(PALETTE)))
    y = alt.Y(f"{view.y.name}:Q", title=view.y.axis_title,
              axis=alt.Axis(format=view.y.format), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip(f"{SERIES}:N", title="Series"),
               alt.Tooltip(f"{view.x.name}:N", title=view.x.title) if view.kind == "bar"
               else alt.Tooltip(f"{view.x.name}:Q", title=view.x.title, format=view.x.format),
               alt.Tooltip(f"{view.y.name}:Q", title=view.y.axis_title, format=view.y.format)]
    drawable = {"filter": f"isValid(datum['{view.x.name}']) && isFinite(datum['{view.y.name}'])"
                          if view.kind == "line" else f"isValid(datum['{view.x.name}'])"}
    size = {"width": PANEL_WIDTH, "height": PANEL_HEIGHT, "description": view.description}
    title = view.title or alt.Undefined
    if view.kind == "bar":
        return alt.Chart(data, title=title, transform=[*transforms, drawable]).mark_bar().encode(
            x=_x_encoding(view), y=y, color=colour, tooltip=tooltip,
            xOffset=alt.XOffset(f"{SERIES}:N", sort=list(series))).properties(**size)
    dash = alt.StrokeDash(f"{SERIES}:N", title=None,
                          scale=alt.Scale(domain=list(series), range=list(DASHES)))
    base = alt.Chart().encode(x=_x_encoding(view), y=y, color=colour, tooltip=tooltip)
    lines = base.mark_line(point=alt.OverlayMarkDef(size=25)).encode(strokeDash=dash)
    if not marks_current:
        return lines.properties(data=data, title=title, transform=[*transforms, drawable],
                                **size)
    is_current = f"datum['{SERIES}'] === {json.dumps(CURRENT)}"
    current = base.mark_point(filled=True, size=150, opacity=1, stroke="white",
                              strokeWidth=1.5, description=CURRENT)
    return alt.layer(lines.transform_filter(f"!({is_current})"),
                     current.transform_filter(is_current),
                     data=data, title=title, transform=[*transforms, drawable]
                     ).properties(**size)


def stack(panels: Sequence[alt.Chart], description: str,
          data: pd.DataFrame | alt.Data) -> alt.VConcatChart:
    """Panels one above the other, sharing ``data`` (embedded once) and one description."""
    return alt.vconcat(*panels, data=data, spacing=24).properties(description=description)


def line_chart(frame: pd.DataFrame, x: Field, y: Field, *, description: str,
               title: str = "", series: Sequence[str] | None = None) -> alt.Chart:
    """A line chart of a tidy frame (columns ``x.name``, ``y.name``, ``series``)."""
    view = View(x=x, y=y, description=description, title=title)
    order = list(series) if series is not None else list(dict.fromkeys(frame[SERIES]))
    return panel(view, order, data=display_frame(frame, [view]))


def model_chart(frame: pd.DataFrame, views: Sequence[View],
                description: str) -> alt.VConcatChart:
    """All panels of a model's output frame, drawn as the live explorer shows them."""
    order = list(dict.fromkeys(frame[SERIES]))
    panels = [panel(view, order, marks_current=shows_current(panel_rows(frame, view)))
              for view in views]
    return stack(panels, description, data=display_frame(frame, views))


def network_map(nodes: pd.DataFrame, edges: pd.DataFrame, description: str,
                link_suffix: str = ".html") -> alt.LayerChart:
    """A hand-placed cause-and-effect graph: edges as lines, nodes as labelled links.

    ``nodes`` has ``key, label, x, y, chapter, kind``; ``edges`` has ``x, y, x2, y2,
    sign, text``. Each node links to its chapter (``chapter + link_suffix``).
    """
    nodes = nodes.assign(href=nodes["chapter"] + link_suffix)
    axis_off = {"axis": None}
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.6, 4.9]), **axis_off)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.8, 6.1]), **axis_off)
    sign_colour = alt.Color("sign:N", title="Effect claimed",
                            scale=alt.Scale(domain=["+", "-"], range=[PALETTE[0], PALETTE[1]]),
                            legend=alt.Legend(labelExpr="datum.label == '+' ? 'more → more' : "
                                              "'more → less'"))
    lines = alt.Chart(edges).mark_rule(strokeWidth=1.5, opacity=0.7).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=sign_colour, strokeDash=alt.StrokeDash(
            "sign:N", scale=alt.Scale(domain=["+", "-"], range=[[1, 0], [5, 3]]), legend=None),
        tooltip=alt.Tooltip("text:N", title="Link"))
    kind_colour = alt.Color("kind:N", title="Node", scale=alt.Scale(
        domain=["policy", "mechanism", "outcome"], range=[PALETTE[4], PALETTE[2], PALETTE[3]]))
    points = alt.Chart(nodes).mark_point(filled=True, size=260, opacity=1).encode(
        x=x, y=y, color=kind_colour, href="href:N",
        tooltip=[alt.Tooltip("label:N", title="Node"), alt.Tooltip("chapter:N", title="Chapter")])
    labels = alt.Chart(nodes).mark_text(align="left", dx=12, fontSize=12, color="#222").encode(
        x=x, y=y, text="label:N", href="href:N")
    return alt.layer(lines, points, labels).properties(
        width=PANEL_WIDTH + 60, height=360, description=description).resolve_scale(
        color="independent")


def point_chart(frame: pd.DataFrame, x: Field, y: Field, colour: str, *, description: str,
                title: str = "", order: Sequence[str] | None = None) -> alt.Chart:
    """Points of a tidy frame, coloured (and shaped) by the ``colour`` column."""
    domain = list(order) if order is not None else list(dict.fromkeys(frame[colour]))
    shown = frame.assign(**{y.name: frame[y.name] / y.scale, x.name: frame[x.name] / x.scale})
    encoding = {"scale": alt.Scale(domain=domain, range=list(PALETTE)), "title": None}
    return alt.Chart(shown, title=title or alt.Undefined).mark_point(
        filled=True, size=70, opacity=0.85).encode(
        x=alt.X(f"{x.name}:Q", title=x.axis_title, axis=alt.Axis(format=x.format),
                scale=alt.Scale(zero=False)),
        y=alt.Y(f"{y.name}:Q", title=y.axis_title, axis=alt.Axis(format=y.format),
                scale=alt.Scale(zero=False)),
        color=alt.Color(f"{colour}:N", **encoding),
        shape=alt.Shape(f"{colour}:N", scale=alt.Scale(domain=domain), title=None),
        tooltip=[alt.Tooltip(f"{c}:N" if frame[c].dtype == object else f"{c}:Q")
                 for c in frame.columns],
    ).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT + 60, description=description)


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
        x=alt.X("low:Q", title=outcome.axis_title, axis=alt.Axis(format=outcome.format),
                scale=alt.Scale(zero=False)),
        x2="high:Q",
        tooltip=[alt.Tooltip("parameter:N", title="Parameter"),
                 alt.Tooltip("low:Q", format=outcome.format, title="At the low end"),
                 alt.Tooltip("high:Q", format=outcome.format, title="At the high end")])
    centre = alt.Chart(frame).mark_rule(color=PALETTE[1], strokeDash=[4, 3]).encode(
        x="mean(baseline):Q")
    return alt.layer(bars, centre).properties(width=PANEL_WIDTH - 220,
                                              height=24 * len(frame),
                                              description=description)
