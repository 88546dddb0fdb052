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
import numpy as np
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
                 axis=alt.Axis(format=view.x.format, labelFlush=False,  # centred on ticks
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
    line_key = alt.Legend(symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)
    colour = alt.Color(f"{SERIES}:N", title=None,
                       scale=alt.Scale(domain=list(series), range=list(PALETTE)),
                       legend=line_key if view.kind == "line" else alt.Undefined)
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


def stack(panels: Sequence[alt.Chart], description: str, data: pd.DataFrame | alt.Data,
          *, share_x: bool = False) -> alt.VConcatChart:
    """Panels one above the other, sharing ``data`` (embedded once) and one description.

    With ``share_x`` the panels also share one x axis range, so that points above one
    another are the same x (use it when every panel has the same x field: see
    :func:`same_x`).
    """
    chart = alt.vconcat(*panels, data=data, spacing=24).properties(description=description)
    return chart.resolve_scale(x="shared") if share_x else chart


def same_x(views: Sequence[View]) -> bool:
    """True if all ``views`` draw lines against the same x field (so may share an axis)."""
    return len(views) > 1 and all(v.kind == "line" and v.x.name == views[0].x.name
                                  for v in views)


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
    return stack(panels, description, data=display_frame(frame, views),
                 share_x=same_x(views))


MAP_X, MAP_Y = (-1.85, 7.0), (-0.5, 6.1)
"""Data ranges of :func:`network_map` (node positions are set in ``argument_map``)."""


def network_map(nodes: pd.DataFrame, edges: pd.DataFrame, description: str,
                link_suffix: str = ".html") -> alt.LayerChart:
    """A hand-placed cause-and-effect graph: arrows between nodes that link to chapters.

    ``nodes`` has ``key, label, x, y, chapter, kind``; ``edges`` has ``x, y, x2, y2,
    sign, text``. Each node links to its chapter (``chapter + link_suffix``). Arrows stop
    short of the target node with a head pointing along the edge; labels sit above their
    node (policies: to its left, outcomes: to its right) on a white halo, so lines
    passing behind them stay readable.
    """
    width, height = PANEL_WIDTH + 140, 420
    arrows = _arrow_geometry(edges, px_x=width / (MAP_X[1] - MAP_X[0]),
                             px_y=height / (MAP_Y[1] - MAP_Y[0]), gap_px=11)
    nodes = nodes.assign(href=nodes["chapter"] + link_suffix)
    return alt.layer(*_arrow_layers(arrows), *_node_layers(nodes)).properties(
        width=width, height=height, description=description).resolve_scale(
        color="independent")


def _map_position(x: str = "x", y: str = "y") -> dict:
    return {"x": alt.X(f"{x}:Q", scale=alt.Scale(domain=list(MAP_X)), axis=None),
            "y": alt.Y(f"{y}:Q", scale=alt.Scale(domain=list(MAP_Y)), axis=None)}


def _arrow_layers(arrows: pd.DataFrame) -> list[alt.Chart]:
    """Edges as lines (solid: more → more; dashed: more → less) with rotated heads."""
    signs = alt.Scale(domain=["+", "-"], range=[PALETTE[0], PALETTE[1]])
    legend = alt.Legend(labelExpr="datum.label == '+' ? 'more → more' : 'more → less'")
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
        halo = shown.mark_text(**place, fontSize=12, color="white", stroke="white",
                               strokeWidth=4, strokeJoin="round", aria=False)
        text = shown.mark_text(**place, fontSize=12, color="#222")
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
