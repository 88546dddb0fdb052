"""The explorer in Jupyter: ipywidgets sliders that re-run the model on every move.

Imported only when a notebook displays an explorer; the built book never needs it.
"""

from __future__ import annotations

import altair as alt

from coopmodels import charts, embed
from coopmodels.explore import Explorer


def live_chart(explorer: Explorer, **values: object) -> alt.VConcatChart:
    """The chart for one set of slider values (the others fixed), with the starting
    point (every slider at its default) drawn faintly once the sliders have moved."""
    model = explorer.model
    settings = model.params.validate(explorer.fixed | values)
    moved = settings != explorer.fixed
    return charts.model_chart(model.run(**settings), model.views, explorer.description,
                              reference=model.run(**explorer.fixed) if moved else None,
                              values=settings, params=model.params)

def widget(explorer: Explorer):  # -> ipywidgets.Widget
    """ipywidgets sliders that re-run the model and redraw the chart on every move."""
    import ipywidgets as widgets

    controls = {}
    for name in explorer.sliders:
        param = explorer.model.params[name]
        slider_type = widgets.IntSlider if param.integer else widgets.FloatSlider
        controls[name] = slider_type(
            value=param.default, min=param.min, max=param.max, step=param.step,
            description=f"{param.label} ({param.unit})", continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 640px)"),
        )
    picture = widgets.HTML()

    def redraw(_change: object = None) -> None:
        values = {name: control.value for name, control in controls.items()}
        picture.value = embed.chart_svg(live_chart(explorer, **values).to_dict(validate=False))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([*controls.values(), picture])

