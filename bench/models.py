"""Live model latency: the model evaluation behind one slider move, for every model.

Each sample draws fresh values for every parameter, uniformly inside its range (whole
numbers for integer parameters), and times ``model.run`` (validation included), which is
what the Jupyter explorer calls on a slider move. A second, smaller sample times the whole
live redraw (run + SVG drawn by vl-convert), reported for information.
"""

from __future__ import annotations

import numpy as np

from bench.measure import percentiles, time_calls
from coopmodels import embed
from coopmodels.explore import explore
from coopmodels.model import Model
from coopmodels.registry import all_models

REPEATS = 400
WARMUP = 20
REDRAW_REPEATS = 30


def random_values(model: Model, rng: np.random.Generator) -> dict[str, float | int]:
    """One random setting of every parameter inside its declared range."""
    values = {}
    for name, param in model.params.items():
        value = rng.uniform(param.min, param.max)
        values[name] = round(value) if param.integer else float(value)
    return values


def model_latency(model: Model, seed: int = 0) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    run = percentiles(time_calls(lambda: model.run(**random_values(model, rng)),
                                 repeats=REPEATS, warmup=WARMUP))
    explorer = explore(model)
    sliders = explorer.sliders

    def redraw() -> None:
        values = random_values(model, rng)
        chart = explorer.live_chart(**{name: values[name] for name in sliders})
        embed.chart_svg(chart.to_dict(validate=False))

    redraw_stats = percentiles(time_calls(redraw, repeats=REDRAW_REPEATS, warmup=3))
    return {"model": model.name, "run": run, "live_redraw": redraw_stats}


def run_all() -> list[dict[str, object]]:
    return [model_latency(model) for model in all_models().values()]
