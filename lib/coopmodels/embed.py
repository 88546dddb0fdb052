"""Put a chart on a page so it works everywhere, with no network.

:func:`chart_html` writes a chart as HTML in two layers:

1. an SVG of the chart, drawn now by vl-convert (no JavaScript, readable by screen
   readers through its ``aria-label``; this is what a reader without JavaScript, and
   JupyterLab showing an untrusted notebook, sees);
2. the Vega-Lite spec in a JSON script tag, which the book's page script hands to
   ``vegaEmbed`` (served from the book's own ``_static``; see ``book/_ext``) to replace
   the SVG with the live chart, sliders included.

The ``coopbook`` Altair renderer, enabled on import, sends every displayed Altair chart
through :func:`chart_html`, so chapters just display charts.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

import altair as alt
import vl_convert

VEGA_LITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
"""Vega-Lite minor version that Altair writes, e.g. ``'6.4'``; vendored to match."""

EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def to_json(spec: dict[str, Any]) -> str:
    """Compact JSON of a spec, safe inside a ``<script>`` element."""
    text = json.dumps(spec, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/")


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart drawn as SVG, offline, by vl-convert."""
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)


def chart_html(spec: dict[str, Any], *, css_class: str = "coop-chart") -> str:
    """HTML for a chart: an SVG now, upgraded to the live Vega view by the page script."""
    spec_json = to_json(spec)
    chart_id = "coop-" + hashlib.sha1(spec_json.encode()).hexdigest()[:12]
    description = html.escape(str(spec.get("description", "")), quote=True)
    return (
        f'<div class="{css_class}" id="{chart_id}" data-description="{description}">'
        f'<div class="coop-chart-view">{chart_svg(spec)}</div></div>\n'
        f'<script type="application/json" class="coop-chart-spec" data-target="{chart_id}">'
        f"{spec_json}</script>\n"
    )


def _coopbook_renderer(spec: dict[str, Any], **_metadata: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec), "text/plain": "<Altair chart>"}


alt.renderers.register("coopbook", _coopbook_renderer)
alt.renderers.enable("coopbook")
