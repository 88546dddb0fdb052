"""Make JupyterLab show a chapter more as the book does: collapse the code the book hides.

Usage: python tools/jupyter_view.py [--check] [book/NN_chapter.ipynb ...]  (default: every
chapter). ``make outputs`` runs it too (``tools/refresh_outputs.py``). ``--check`` changes
nothing and exits 1 naming the chapters that need it.

The book hides cells by their tags (myst-nb) and folds each exercise's solution into a
dropdown (sphinx-exercise). JupyterLab reads neither, but collapses a code cell's source
(to its first line) or outputs when its metadata says ``"jupyter": {"source_hidden":
true}`` or ``{"outputs_hidden": true}``. This sets that metadata from what the book does:

* ``remove-cell``: source and outputs collapsed; ``remove-input``, ``hide-input``: the
  source; ``remove-output``, ``hide-output``: the outputs;
* the code cells of a gated solution (after the Markdown cell with ``{solution-start}``,
  up to the one with ``{solution-end}``): source and outputs collapsed. jupyterlab-myst
  already folds the solution's first text into a "Solution to Exercise N" dropdown.

Limits (JupyterLab 4.6): running a cell shows its outputs again (``CodeCell.execute``
resets ``outputHidden``), so after Run All a solution's outputs are in view; and a
Markdown cell cannot be collapsed this way, so solution text *after* the solution's code
stays in view. Nothing else of the notebook changes; running this twice changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

SOURCE, OUTPUTS = "source_hidden", "outputs_hidden"
HIDDEN_BY_TAG = {
    "remove-cell": (SOURCE, OUTPUTS),
    "remove-input": (SOURCE,),
    "hide-input": (SOURCE,),
    "remove-output": (OUTPUTS,),
    "hide-output": (OUTPUTS,),
}

START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}", re.MULTILINE)
END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}", re.MULTILINE)


def hidden_parts(notebook: nbformat.NotebookNode) -> list[set[str]]:
    """Per cell, what to collapse: ``{"source_hidden", "outputs_hidden"}`` or part of it
    (for code cells; Markdown cells are never collapsed)."""
    parts: list[set[str]] = []
    in_solution = False
    for cell in notebook.cells:
        hidden = {part for tag in cell.metadata.get("tags", [])
                  for part in HIDDEN_BY_TAG.get(tag, ())}
        starts = cell.cell_type == "markdown" and bool(START.search(cell.source))
        ends = cell.cell_type == "markdown" and bool(END.search(cell.source))
        if in_solution and cell.cell_type == "code":
            hidden |= {SOURCE, OUTPUTS}
        if starts:
            in_solution = not ends or START.search(cell.source).start() > END.search(
                cell.source).start()
        elif ends:
            in_solution = False
        parts.append(hidden)
    return parts


def prepare(notebook: nbformat.NotebookNode) -> bool:
    """Set the collapse metadata the book's tags and solutions call for (module docstring).
    Returns whether the notebook changed."""
    changed = False
    for cell, hidden in zip(notebook.cells, hidden_parts(notebook), strict=True):
        if cell.cell_type != "code":
            continue
        wanted = dict.fromkeys(sorted(hidden), True)
        current = dict(cell.metadata.get("jupyter", {}))
        kept = {key: value for key, value in current.items() if key not in (SOURCE, OUTPUTS)}
        if kept | wanted != current:
            if kept | wanted:
                cell.metadata["jupyter"] = kept | wanted
            else:
                cell.metadata.pop("jupyter", None)
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a chapter needs this")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or sorted((ROOT / "book").glob("*.ipynb"))
    stale = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if prepare(notebook):
            stale.append(path)
            if not args.check:
                nbformat.write(notebook, path)
    for path in stale:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"needs python tools/jupyter_view.py: {shown}" if args.check
              else f"collapsed what the book hides: {shown}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
