"""Text that chapters generate from the code: glued numbers and parameter tables.

Chapters call :func:`glue_numbers` in a hidden cell and refer to the values in text with
``{glue:text}`name:,.0f``` (myst-nb). Values are converted to plain Python numbers first,
because myst-nb formats the text form of a value and ``np.float64(3.5)`` is not a number
to it.
"""

from __future__ import annotations

import numbers

import numpy as np

from coopmodels.params import ParamSet, format_number

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
    header = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    rows = []
    for param in params.values():
        source = (f"{{cite:p}}`{','.join(param.citation_keys)}`" if param.citation_keys
                  else "assumption")
        cells = {
            "Parameter": param.label,
            "Name": f"`{param.name}`",
            "Default": f"{format_number(param.default)} {param.unit}",
            "Range": f"{format_number(param.min)} to {format_number(param.max)}",
            "Source": source,
            "How the default was chosen": param.note.replace("|", "\\|"),
        }
        rows.append("| " + " | ".join(cells[c] for c in columns) + " |")
    return header + "\n".join(rows) + "\n"
