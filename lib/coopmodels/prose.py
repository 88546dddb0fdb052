"""Text that chapters generate from the code: numbers, words, claims, parameter tables.

**Numbers and words in the prose.** A chapter keeps what its text states about the
models in one :class:`Text` object, ``txt``, filled in a hidden code cell *before* the
Markdown that uses it::

    txt = Text()
    txt.numbers(",.0f", capacity_start=capacity, judges_needed=needed)
    txt.words(top_assumption=ranking.index[0].lower())

and the Markdown shows them with the ``{eval}`` role: ``{eval}`txt.capacity_start```.
The same source reads the same in both places a chapter is read:

* in the built book, the ``coopbook`` Sphinx extension resolves ``{eval}`txt.name``` from
  the value glued (myst-nb) under the key ``"txt.name"``, so cached execution still works;
* in JupyterLab with jupyterlab-myst, ``{eval}`` evaluates ``txt.name`` in the kernel.

Either way the reader sees the formatted text (``704,640``), never quotes or markup.

**Claims.** A sentence that states a computed result in words — a ranking ("dominates"),
a direction ("falls", "never"), a size ("a little", "doubles") — is checked where it is
computed, with :func:`claim`. When the computation stops supporting the sentence the
cell raises :class:`ClaimError` quoting it, and the strict build (and nbval) fail there.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from coopmodels.params import Param, ParamSet, format_number

ALL_PARAMETER_COLUMNS = ("Parameter", "Name", "Kind", "Default", "Range", "Source",
                         "How the default was chosen")
PARAMETER_COLUMNS = ("Parameter", "Default", "Source", "How the default was chosen")


class ClaimError(AssertionError):
    """A sentence of the book no longer matches what the models compute."""


def claim(sentence: str, holds: object, *, because: str = "") -> None:
    """Check that ``sentence`` of the text still holds; raise :class:`ClaimError` if not.

    ``sentence`` quotes the words of the text (so a failure names them), ``holds`` is the
    computed condition behind them, and ``because`` the numbers that decided it, for the
    error message. Use it for every computed comparative statement: rankings, directions,
    sizes, "never", "always".
    """
    if not bool(holds):
        detail = f" ({because})" if because else ""
        raise ClaimError(f"The text says {sentence!r}, but the models no longer support "
                         f"it{detail}. Change the text, or find what changed.")


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter in lower case, unless the
    first word is an acronym ("Detainers that end in ICE custody" -> "detainers that end
    in ICE custody"; "ICE reimbursement" stays)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


class Shown(str):
    """Text as a reader should see it: its ``repr`` is itself, without quotes.

    Jupyter shows a value by its ``repr``; a plain ``str`` would appear in quotes.
    """

    def __repr__(self) -> str:
        return str(self)


class Text:
    """The numbers and words one chapter's prose shows, each formatted once.

    Set values with :meth:`numbers` and :meth:`words`; read them as attributes
    (``txt.capacity_start``). Each value is also glued under ``"txt.<name>"``, from
    which the book's ``{eval}`` role reads it (see the module docstring). Setting a name
    twice is an error: one name, one value, so the text cannot show two versions of it.
    """

    PREFIX = "txt"

    def __init__(self, *, glue: bool = True) -> None:
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_glue", glue)

    def numbers(self, format_spec: str, **values: object) -> None:
        """Format each number with ``format_spec`` (e.g. ``",.0f"``, ``".1f"``, ``"d"``) and
        keep it. An integer format (``"d"``) takes a whole number stored as a float."""
        for name, value in values.items():
            number = plain_number(value)
            if format_spec.endswith("d") and isinstance(number, float):
                if not number.is_integer():
                    raise ValueError(f"numbers: {name} = {number} is not a whole number "
                                     f"for the format {format_spec!r}")
                number = int(number)
            self._keep(name, format(number, format_spec))

    def words(self, **values: str) -> None:
        """Keep words computed by the code (a ranked name, a direction) as they are."""
        for name, value in values.items():
            if not isinstance(value, str):
                raise ValueError(f"words: {name} must be text; got {value!r}")
            self._keep(name, value)

    def _keep(self, name: str, text: str) -> None:
        if not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"Text: {name!r} is not a usable name")
        if name in self._values:
            raise ValueError(f"Text: {name!r} is already set to {self._values[name]!r}")
        shown = Shown(text)
        self._values[name] = shown
        if self._glue:
            from myst_nb import glue

            glue(f"{self.PREFIX}.{name}", shown, display=False)

    def __getattr__(self, name: str) -> Shown:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(f"txt has no value {name!r}; set it with txt.numbers or txt.words "
                             "in a code cell above the text that uses it")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("set values with txt.numbers(...) or txt.words(...)")

    def __iter__(self):
        return iter(self._values.items())

    def __repr__(self) -> str:
        return f"Text({', '.join(self._values)})"


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
        "Kind": param.kind,
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


def is_sourced(param: Param) -> bool:
    """An empirical default that follows from a published figure (cited and recorded)."""
    return param.kind == "empirical" and bool(param.citation_keys) and param.figure is not None


def sourcing_by_chapter() -> pd.DataFrame:
    """How many empirical defaults cite a published figure, chapter by chapter and in all.

    One row per chapter (the reference county's parameters are counted once, under
    ``"Reference county (all chapters)"``) and a final ``"Whole book"`` row; columns:
    ``parameters``, ``empirical``, ``sourced`` (empirical with a published figure),
    ``sourced_percent`` (of empirical), and the counts of ``policy``, ``teaching`` and
    ``display`` parameters. A parameter used by several chapters counts in each, and once
    in the whole book.
    """
    register = assumptions_register()

    def counts(params: list[Param]) -> dict[str, float]:
        empirical = [p for p in params if p.kind == "empirical"]
        sourced = sum(is_sourced(p) for p in empirical)
        return {"parameters": len(params), "empirical": len(empirical), "sourced": sourced,
                "sourced_percent": 100 * sourced / len(empirical) if empirical else np.nan,
                **{kind: sum(p.kind == kind for p in params)
                   for kind in ("policy", "teaching", "display")}}

    by_chapter: dict[str, list[Param]] = {}
    for row in register:
        for chapter in sorted(row["chapters"]) or ["Reference county (all chapters)"]:
            by_chapter.setdefault(chapter, []).append(row["param"])
    rows = {chapter.removeprefix("book/").removesuffix(".ipynb"): counts(params)
            for chapter, params in sorted(by_chapter.items())}
    rows["Whole book"] = counts([row["param"] for row in register])
    return pd.DataFrame.from_dict(rows, orient="index")


def register_table() -> str:
    """The assumptions register as a MyST table (see :func:`assumptions_register`)."""
    def cells(row: dict[str, object]) -> dict[str, str]:
        used = ", ".join(f"{{doc}}`{c.removeprefix('book/').removesuffix('.ipynb')}`"
                         for c in sorted(row["chapters"])) or "every chapter (reference county)"
        return _parameter_cells(row["param"]) | {"Used in": used}

    return _markdown_table((*ALL_PARAMETER_COLUMNS, "Used in"),
                           [cells(row) for row in assumptions_register()])
