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
