"""What a model is, to the rest of the book: parameters, a run function and its views.

A model module (``backlog.py``, ...) defines its equations as plain numpy functions and
exposes one :class:`Model` named ``MODEL``. The explorer, the benchmarks, the tests and
the assumptions register all work from that object, so they need no model-specific code.

A :class:`View` says what one chart panel shows (y against x, one line or bar per
series); it is plain data, drawn by :mod:`coopmodels.charts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from coopmodels.params import ParamSet

SERIES = "series"
"""Name of the tidy-frame column that says which line (or bar colour) a row belongs to."""

CURRENT = "Current setting"
"""Series name for the reader's current setting on a curve; charts draw it as big points."""


@dataclass(frozen=True)
class Field:
    """A column of a model's output frame, with the words and unit a reader needs.

    ``scale`` divides the values for display (``1e6`` with unit ``"millions of cases"``)
    so axes stay readable; ``format`` is a d3 format string for axis labels and tooltips.
    """

    name: str
    title: str
    unit: str = ""
    scale: float = 1.0
    format: str = ",.3~f"

    @property
    def axis_title(self) -> str:
        """Axis title with its unit, e.g. ``'Pending cases (millions)'``."""
        return f"{self.title} ({self.unit})" if self.unit else self.title


@dataclass(frozen=True)
class View:
    """One chart panel: ``y`` against ``x``, one mark per value of the ``series`` column.

    ``kind`` is ``"line"`` (x quantitative or temporal) or ``"bar"`` (x categorical).
    ``description`` is read by screen readers; say what the chart shows, not how it looks.
    """

    x: Field
    y: Field
    description: str
    kind: str = "line"
    title: str = ""

    def __post_init__(self) -> None:
        if self.kind not in {"line", "bar"}:
            raise ValueError(f"View.kind must be 'line' or 'bar'; got {self.kind!r}")


@dataclass(frozen=True)
class Model:
    """A model the explorer can drive.

    ``simulate`` takes every parameter of ``params`` as a keyword argument (already
    validated) and returns a tidy frame: one row per x value and series, with the
    :data:`SERIES` column and every ``view.x`` / ``view.y`` column. ``sliders`` names
    the parameters a reader moves by default; the rest stay at their defaults.
    ``max_scenarios`` caps the precomputed grid of the kernel-free explorer for models
    whose every run is costly or whose output is large (``None``: the explorer's default).
    """

    name: str
    title: str
    chapter: str
    params: ParamSet
    simulate: Callable[..., pd.DataFrame]
    views: tuple[View, ...]
    sliders: tuple[str, ...] = field(default=())
    max_scenarios: int | None = None

    def __post_init__(self) -> None:
        unknown = set(self.sliders) - set(self.params)
        if unknown:
            raise ValueError(f"{self.name}: sliders name unknown parameters {sorted(unknown)}")

    def run(self, **values: object) -> pd.DataFrame:
        """Validate ``values`` (defaults for the rest) and simulate."""
        return self.simulate(**self.params.validate(values))
