"""Live model latency: the model evaluation behind one slider move, for every model.

Each sample draws fresh values for the parameters the explorer offers as sliders,
uniformly inside each range (whole numbers for integer parameters; other parameters stay
at their defaults, as in the explorer), and times ``model.run`` (validation included),
which is what the Jupyter explorer calls on a slider move. Draws that a model rejects as
inconsistent (for example shares that add up to more than one) are drawn again. A second,
smaller sample times the kernel's whole share of a live redraw in Jupyter (run, display
units, the chart's rows as JSON-ready records; the browser then draws them), reported for
information.
"""

from __future__ import annotations

import numpy as np

from bench.measure import percentiles, time_calls
from coopmodels.explore import explore
from coopmodels.model import Model
from coopmodels.registry import all_models

REPEATS = 400
WARMUP = 20
REDRAW_REPEATS = 30


def random_values(model: Model, rng: np.random.Generator,
                  names: tuple[str, ...] | None = None) -> dict[str, float | int]:
    """A random setting of the named parameters (default: all) inside their ranges."""
    values = {}
    for name in names if names is not None else tuple(model.params):
        param = model.params[name]
        value = rng.uniform(param.min, param.max)
        values[name] = round(value) if param.integer else float(value)
    return values


def valid_slider_values(model: Model, rng: np.random.Generator) -> dict[str, float | int]:
    """Random slider values the model accepts (redrawn until it does)."""
    while True:
        values = random_values(model, rng, model.sliders)
        try:
            model.params.validate(values)
            model.run(**values)
        except ValueError:
            continue
        return values


def model_latency(model: Model, seed: int = 0) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    draws = [valid_slider_values(model, rng) for _ in range(REPEATS + WARMUP)]
    moves = iter(draws)
    run = percentiles(time_calls(lambda: model.run(**next(moves)),
                                 repeats=REPEATS, warmup=WARMUP))
    explorer = explore(model)

    def redraw() -> None:
        from coopmodels.frontends import jupyter

        jupyter.records(jupyter.live_frame(explorer, **valid_slider_values(model, rng)))

    redraw_stats = percentiles(time_calls(redraw, repeats=REDRAW_REPEATS, warmup=3))
    return {"model": model.name, "run": run, "live_redraw": redraw_stats}


def run_all() -> list[dict[str, object]]:
    return [model_latency(model) for model in all_models().values()]
