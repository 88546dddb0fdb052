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

``kind`` says what sort of number a parameter is (:data:`KINDS`): an ``"empirical"``
quantity of the real world, a ``"policy"`` lever, a ``"teaching"`` knob of a stylised
model, or a ``"display"`` setting. An empirical default that cites a source records the
published ``figure`` it follows from (in the parameter's unit, after the conversion the
note states); a test checks that the note quotes the figure and the default matches it.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

ASSUMPTION = "assumption"

KINDS = {
    "empirical": "a quantity of the real world, which a study could measure",
    "policy": "a lever a county or agency sets",
    "teaching": "a knob of a stylised model, to see how the mechanism works",
    "display": "a setting of the picture, not of the world (horizon, sample size)",
}
"""The kinds of parameter, and what each means (shown in the assumptions register)."""


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
        kind: one of :data:`KINDS`.
        figure: for a sourced empirical default, the published figure it follows from,
            in ``unit`` (after the conversion the note states); ``None`` otherwise.
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
    kind: str = ""
    figure: float | None = None

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"Param name must be a Python identifier; got {self.name!r}")
        if not (self.min < self.max and self.step > 0):
            raise ValueError(f"{self.name}: need min < max and step > 0")
        if not self.source.strip():
            raise ValueError(f"{self.name}: every parameter needs a source")
        if self.source == ASSUMPTION and not self.note.strip():
            raise ValueError(f"{self.name}: an assumption needs a one-line note saying why")
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {', '.join(KINDS)}; "
                             f"got {self.kind!r}")
        if self.figure is not None and self.source == ASSUMPTION:
            raise ValueError(f"{self.name}: an assumption has no published figure")
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

    @property
    def positions(self) -> int:
        """Number of values on the full slider grid ``min, min + step, ..., max``."""
        return round((self.max - self.min) / self.step) + 1

    def grid(self, max_points: int, include: Iterable[float] = ()) -> np.ndarray:
        """Evenly spaced values for a precomputed (kernel-free) slider.

        The grid contains the default and every value of ``include`` (settings the text
        asks a reader to make), is spaced by a whole multiple of ``step``, stays inside
        ``[min, max]`` and has at most ``max_points`` values (but never fewer than the
        required values need). It takes the finest such grid, which starts at ``min``
        unless the required values lie between its positions.

        Raises ``ValueError`` naming the value if a required value is off the slider
        grid, or if the required values cannot share one evenly spaced grid.
        """
        required = [self.default, *include]
        offsets = []
        for value in required:
            self.validate(value)
            if not self.on_grid(value):
                raise ValueError(
                    f"{self.name}: {format_number(value)} is not a slider position "
                    f"(min {format_number(self.min)} + k × step {format_number(self.step)})")
            offsets.append(round((value - self.min) / self.step))
        n_steps = self.positions - 1
        for stride in range(1, n_steps + 1):
            residues = {offset % stride for offset in offsets}
            if len(residues) != 1:
                continue
            lowest = residues.pop()
            count = (n_steps - lowest) // stride + 1
            values = self.min + self.step * (lowest + stride * np.arange(count))
            if count <= max(max_points, 1):
                return self._typed(values)
        raise ValueError(
            f"{self.name}: the settings {', '.join(map(format_number, sorted(set(required))))} "
            f"cannot share one evenly spaced grid of at most {max_points} positions")

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
