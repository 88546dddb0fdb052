"""Model parameters: one declaration gives the slider, the validation and the citation.

Every model declares its inputs as a :class:`ParamSet` of :class:`Param`. The same
declaration drives

* validation (:meth:`ParamSet.validate`): a bad value raises ``ValueError`` naming the
  parameter, its allowed range with unit, and the value given;
* the sliders of the explorer (label, range, step, unit);
* the assumptions register in the back matter (default, range, unit, source).

``source`` is either citation keys from ``book/references.bib`` (comma-separated) or
the word ``"assumption"``; ``note`` says how the default follows from the source, or
why the assumption is reasonable. A test checks every key against the bibliography.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

ASSUMPTION = "assumption"


def format_number(value: float) -> str:
    """Readable number for messages: 1500000 -> '1,500,000', 0.05 -> '0.05'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


@dataclass(frozen=True)
class Param:
    """One model input.

    Attributes:
        name: Python identifier used as keyword argument, e.g. ``"completions_per_judge"``.
        label: short human label for a slider, e.g. ``"Completions per judge"``.
        default: value used unless the reader changes it.
        min, max: allowed closed range ``[min, max]``.
        step: slider step; the default must sit on the grid ``min + k * step``.
        unit: unit of the value, e.g. ``"cases per judge per year"``.
        source: citation key(s) in ``references.bib``, comma-separated, or ``"assumption"``.
        note: how the default follows from the source, or why the assumption is made.
        integer: if true, the value must be a whole number.
    """

    name: str
    label: str
    default: float
    min: float
    max: float
    step: float
    unit: str
    source: str
    note: str = ""
    integer: bool = False

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"Param name must be a Python identifier; got {self.name!r}")
        if not (self.min < self.max and self.step > 0):
            raise ValueError(f"{self.name}: need min < max and step > 0")
        if not self.source.strip():
            raise ValueError(f"{self.name}: every parameter needs a source")
        if self.source == ASSUMPTION and not self.note.strip():
            raise ValueError(f"{self.name}: an assumption needs a one-line note saying why")
        self.validate(self.default)
        if not self.on_grid(self.default):
            raise ValueError(
                f"{self.name}: default {self.default} is not on the slider grid "
                f"min + k * step (min={self.min}, step={self.step})"
            )

    @property
    def citation_keys(self) -> tuple[str, ...]:
        """Bibliography keys named in ``source`` (empty for a pure assumption)."""
        if self.source == ASSUMPTION:
            return ()
        return tuple(key.strip() for key in self.source.split(",") if key.strip())

    def range_text(self) -> str:
        """The allowed range with unit, e.g. ``'[0, 300,000] (cases per year)'``."""
        return f"[{format_number(self.min)}, {format_number(self.max)}] ({self.unit})"

    def value_text(self, value: float | None = None) -> str:
        """``value`` (default: the default) with its unit, for tables and prose.

        A coded unit such as ``"0 = off, 1 = on"`` is read rather than appended: a value
        with a code gives ``"1 = on"``, any other value ``"0.5 (0 = off, 1 = on)"``.
        """
        value = self.default if value is None else value
        number = format_number(value)
        codes = dict(re.findall(r"([\d.]+) = ([^,.…]+)", self.unit))
        if not codes:
            return f"{number} {self.unit}"
        meaning = codes.get(number)
        return f"{number} = {meaning.strip()}" if meaning else f"{number} ({self.unit})"

    def _reject(self, value: object, why: str) -> ValueError:
        kind = "a whole number" if self.integer else "a number"
        return ValueError(
            f"{self.name} must be {kind} in {self.range_text()}; got {value!r}{why}"
        )

    def validate(self, value: object) -> float | int:
        """Return ``value`` as ``float`` (or ``int``) or raise ``ValueError`` naming the range."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self._reject(value, f" of type {type(value).__name__}")
        number = float(value)
        if math.isnan(number):
            raise self._reject(value, " (not a number)")
        if not self.min <= number <= self.max:
            raise self._reject(value, " (outside the allowed range)")
        if self.integer:
            if not number.is_integer():
                raise self._reject(value, " (not a whole number)")
            return int(number)
        return number

    def on_grid(self, value: float) -> bool:
        """True if ``value`` is ``min + k * step`` for a whole ``k`` (to rounding)."""
        k = (value - self.min) / self.step
        return abs(k - round(k)) < 1e-9 * max(1.0, abs(k))

    def grid(self, max_points: int) -> np.ndarray:
        """Evenly spaced values for a precomputed (kernel-free) slider.

        The grid always contains the default, is spaced by a whole multiple of ``step``,
        stays inside ``[min, max]`` and has at most ``max_points`` values. It prefers a
        grid that starts at ``min`` (round values); failing that, one centred on the default.
        """
        if max_points < 2:
            return self._typed(np.array([self.default], dtype=float))
        n_steps = round((self.max - self.min) / self.step)
        default_steps = round((self.default - self.min) / self.step)
        for stride in range(1, n_steps + 1):
            if default_steps % stride == 0 and n_steps // stride + 1 <= max_points:
                return self._typed(self.min + self.step * stride * np.arange(n_steps // stride + 1))
        stride = math.ceil(n_steps / (max_points - 1))
        below, above = default_steps // stride, (n_steps - default_steps) // stride
        while below + above + 1 > max_points:
            below, above = (below - 1, above) if below >= above else (below, above - 1)
        return self._typed(self.default + self.step * stride * np.arange(-below, above + 1))

    def _typed(self, values: np.ndarray) -> np.ndarray:
        values = np.clip(np.round(values, 10), self.min, self.max)
        return values.astype(int) if self.integer else values


class ParamSet(Mapping[str, Param]):
    """An ordered, read-only collection of :class:`Param`, keyed by name."""

    def __init__(self, *params: Param) -> None:
        self._params = {p.name: p for p in params}
        if len(self._params) != len(params):
            raise ValueError("ParamSet: parameter names must be unique")

    def __getitem__(self, name: str) -> Param:
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __repr__(self) -> str:
        return f"ParamSet({', '.join(self._params)})"

    def defaults(self) -> dict[str, float | int]:
        """Default value of every parameter, by name."""
        return {name: p.default for name, p in self._params.items()}

    def validate(self, values: Mapping[str, object] | None = None) -> dict[str, float | int]:
        """Defaults overridden by ``values``, each checked; unknown names are rejected."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(self._params))
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {', '.join(unknown)}; "
                f"expected some of: {', '.join(self._params)}"
            )
        merged = self.defaults() | values
        return {name: self._params[name].validate(merged[name]) for name in self._params}
