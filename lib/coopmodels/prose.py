"""Text that chapters generate from the code: glued numbers and parameter tables.

Chapters call :func:`glue_numbers` in a hidden cell and refer to the values in text with
``{glue:text}`name:,.0f``` (myst-nb). Values are converted to plain Python numbers first,
because myst-nb formats the text form of a value and ``np.float64(3.5)`` is not a number
to it.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from coopmodels.params import Param, ParamSet, format_number

ALL_PARAMETER_COLUMNS = ("Parameter", "Name", "Default", "Range", "Source",
                         "How the default was chosen")
PARAMETER_COLUMNS = ("Parameter", "Default", "Source", "How the default was chosen")


def plain_number(value: object) -> int | float:
    """``value`` as a Python ``int`` or ``float`` (numpy scalars and 0-d arrays included)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"glue needs a number; got {value!r} of type {type(value).__name__}")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def glue_numbers(**values: object) -> None:
    """Glue each keyword as a number under its name, without displaying it."""
    from myst_nb import glue

    for name, value in values.items():
        glue(name, plain_number(value), display=False)


def parameter_table(params: ParamSet, *, columns: tuple[str, ...] = PARAMETER_COLUMNS) -> str:
    """A MyST Markdown table of ``params`` (columns from :data:`ALL_PARAMETER_COLUMNS`).

    Sources become citations (``{cite:p}``), so the rendered book links them to the
    bibliography. Display it with ``IPython.display.Markdown``.
    """
    return _markdown_table(columns, [_parameter_cells(param) for param in params.values()])


def _parameter_cells(param: Param) -> dict[str, str]:
    """One parameter's cells, by column name (see :data:`ALL_PARAMETER_COLUMNS`)."""
    return {
        "Parameter": param.label,
        "Name": f"`{param.name}`",
        "Default": param.value_text(),
        "Range": f"{format_number(param.min)} to {format_number(param.max)}",
        "Source": (f"{{cite:p}}`{','.join(param.citation_keys)}`" if param.citation_keys
                   else "assumption"),
        "How the default was chosen": param.note.replace("|", "\\|"),
    }


def _markdown_table(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row[c] for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def assumptions_register() -> list[dict[str, object]]:
    """Every parameter of every model module, once, with the chapters that use it.

    Found by scanning the package: each module-level :class:`ParamSet` belongs to the
    chapters of the models its module registers (the reference county's figures belong to
    every chapter). A parameter shared between modules (the same object) appears once.
    """
    import importlib
    import pkgutil

    import coopmodels
    from coopmodels.model import Model

    rows: dict[int, dict[str, object]] = {}
    for info in sorted(pkgutil.iter_modules(coopmodels.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"coopmodels.{info.name}")
        models = [m for m in (getattr(module, "MODEL", None), *getattr(module, "MODELS", ()))
                  if isinstance(m, Model)]
        for value in vars(module).values():
            if not isinstance(value, ParamSet):
                continue
            owners = {m.chapter for m in models if set(m.params) & set(value)} or {
                m.chapter for m in models}
            for param in value.values():
                row = rows.setdefault(id(param), {"param": param, "chapters": set()})
                row["chapters"] |= owners
    return sorted(rows.values(), key=lambda r: (sorted(r["chapters"]) or ["~"], r["param"].name))


def register_table() -> str:
    """The assumptions register as a MyST table (see :func:`assumptions_register`)."""
    def cells(row: dict[str, object]) -> dict[str, str]:
        used = ", ".join(f"{{doc}}`{c.removeprefix('book/').removesuffix('.ipynb')}`"
                         for c in sorted(row["chapters"])) or "every chapter (reference county)"
        return _parameter_cells(row["param"]) | {"Used in": used}

    return _markdown_table((*ALL_PARAMETER_COLUMNS, "Used in"),
                           [cells(row) for row in assumptions_register()])
