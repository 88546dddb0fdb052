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

from collections.abc import Sequence

import altair as alt
import pandas as pd

from coopmodels.model import SERIES, Field, View

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
                       "labelLimit": 320},
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


def _x_encoding(view: View) -> alt.X:
    if view.kind == "bar":
        return alt.X(f"{view.x.name}:N", title=view.x.axis_title, sort=None,
                     axis=alt.Axis(labelAngle=0, labelLimit=120))
    return alt.X(f"{view.x.name}:Q", title=view.x.axis_title,
                 axis=alt.Axis(format=view.x.format, tickMinStep=1),
                 scale=alt.Scale(zero=False, nice=False))


def panel(view: View, series: Sequence[str], transforms: Sequence[dict] = (),
          data: pd.DataFrame | alt.Data = alt.Undefined) -> alt.Chart:
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
    chart = alt.Chart(data, title=view.title or alt.Undefined,
                      transform=list(transforms) or alt.Undefined)
    if view.kind == "bar":
        chart = chart.mark_bar().encode(
            x=_x_encoding(view), y=y, color=colour, tooltip=tooltip,
            xOffset=alt.XOffset(f"{SERIES}:N", sort=list(series)))
    else:
        dash = alt.StrokeDash(f"{SERIES}:N", title=None,
                              scale=alt.Scale(domain=list(series), range=list(DASHES)))
        chart = chart.mark_line(point=alt.OverlayMarkDef(size=25)).encode(
            x=_x_encoding(view), y=y, color=colour, strokeDash=dash, tooltip=tooltip)
    return chart.properties(width=PANEL_WIDTH, height=PANEL_HEIGHT,
                            description=view.description)


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
    return stack([panel(view, order) for view in views], description,
                 data=display_frame(frame, views))
