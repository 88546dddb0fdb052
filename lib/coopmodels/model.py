"""What a model is, to the rest of the book: parameters, a run function and its views.

A model module (``backlog.py``, ...) defines its equations as plain numpy functions and
exposes one :class:`Model` named ``MODEL``. The explorer, the benchmarks, the tests and
the assumptions register all work from that object, so they need no model-specific code.

A :class:`View` says what one chart panel shows (y against x, one line or bar per
series); it is plain data, drawn by :mod:`coopmodels.charts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from coopmodels.params import ParamSet

SERIES = "series"
"""Name of the tidy-frame column that says which line (or bar colour) a row belongs to."""

CURRENT = "Current setting"
"""Series name for the reader's current setting on a curve; charts draw it as big points."""


BETTER = {"higher": "↑ higher is better", "lower": "↓ lower is better"}
"""How a chart says which direction of a quantity is better (see :attr:`Field.better`)."""


@dataclass(frozen=True)
class Field:
    """A column of a model's output frame, with the words and unit a reader needs.

    ``scale`` divides the values for display (``1e6`` with unit ``"millions of cases"``)
    so axes stay readable; ``format`` is a d3 format string for tooltips and data tables
    (axis ticks take its type and grouping, with as many decimals as the visible range
    needs, so two ticks never read the same).

    Optional, each off by default (today's charts):

    * ``zero``: ``True`` if the axis must start at zero because zero matters (a count, a
      wait); ``False`` if it must not; ``None`` (default): y axes include zero, x axes
      fit the data.
    * ``domain``: ``(low, high)`` that the axis always shows, widened (never clipped)
      if the data go beyond it; for a share of a whole, ``(0, 100)`` keeps a bar of 23%
      from filling the axis as if it were 100%.
    * ``better``: which direction is better for the reader, ``"higher"`` or
      ``"lower"``; the axis title says so (``"… (%) ↓ lower is better"``). For a
      categorical field whose categories are different outcomes (the safeguards lab's
      bars), a mapping from category to direction; each category's label says so, and
      categories left out (or mapped to ``None``) say nothing.
    """

    name: str
    title: str
    unit: str = ""
    scale: float = 1.0
    format: str = ",.3~f"
    zero: bool | None = None
    domain: tuple[float, float] | None = None
    better: str | Mapping[str, str | None] | None = None

    def __post_init__(self) -> None:
        directions = (self.better.values() if isinstance(self.better, Mapping)
                      else [self.better])
        for direction in directions:
            if direction is not None and direction not in BETTER:
                raise ValueError(f"Field {self.name}: better must be 'higher' or 'lower' "
                                 f"(or a mapping of category to one); got {direction!r}")
        if self.domain is not None and not self.domain[0] < self.domain[1]:
            raise ValueError(f"Field {self.name}: domain must be (low, high); "
                             f"got {self.domain!r}")

    @property
    def axis_title(self) -> str:
        """Axis title with its unit, e.g. ``'Pending cases (millions)'``."""
        return f"{self.title} ({self.unit})" if self.unit else self.title

    @property
    def better_text(self) -> str:
        """``"↓ lower is better"`` (or higher) for a one-direction field, else ``""``."""
        return BETTER[self.better] if isinstance(self.better, str) else ""

    def category_better(self, category: str) -> str:
        """Which direction is better for one category of a categorical field, or ``""``."""
        if not isinstance(self.better, Mapping):
            return ""
        direction = self.better.get(category)
        return BETTER[direction] if direction else ""


EMPTY_MESSAGE = "Nothing to draw at this setting"
"""What a panel says when it has nothing to draw and its view gives no reason."""


@dataclass(frozen=True)
class Shade:
    """An x-range a panel shades and labels, e.g. the years cooperation is on.

    ``span`` is ``(start, end)`` in x units, or a function of the model's parameter
    values (every parameter, as ``Model.run`` receives them) returning ``(start, end)``,
    or ``None`` for nothing to shade at that setting. The explorer evaluates it for
    every precomputed scenario, so the band follows the sliders.
    """

    label: str
    span: tuple[float, float] | Callable[[Mapping[str, float]], tuple[float, float] | None]

    def at(self, values: Mapping[str, float] | None = None) -> tuple[float, float] | None:
        """The shaded range at these parameter values (``None``: nothing shaded)."""
        if callable(self.span):
            if values is None:
                raise ValueError(f"shade {self.label!r} depends on parameter values")
            span = self.span(values)
        else:
            span = self.span
        if span is None:
            return None
        start, end = (float(v) for v in span)
        return (start, end) if end > start else None


@dataclass(frozen=True)
class View:
    """One chart panel: ``y`` against ``x``, one mark per value of the ``series`` column.

    ``kind`` is ``"line"`` (x quantitative or temporal) or ``"bar"`` (x categorical).
    ``description`` is read by screen readers; say what the chart shows, not how it looks.

    Optional:

    * ``empty_message``: what the panel says when it has nothing to draw at a setting,
      in place of a blank panel; say why (``"No detainers honoured: no removals, so no
      precision to show"``). ``{name}`` is replaced by a parameter's value with its unit
      (``"At {calls_per_hour} the queue never empties"``). Default:
      :data:`EMPTY_MESSAGE`.
    * ``shade``: a :class:`Shade`, an x-range to shade and label (line panels).
    """

    x: Field
    y: Field
    description: str
    kind: str = "line"
    title: str = ""
    empty_message: str = EMPTY_MESSAGE
    shade: Shade | None = None

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
