"""Re-run chapter notebooks and keep only the outputs nbval checks.

Usage: python tools/refresh_outputs.py [book/NN_chapter.ipynb ...]  (default: every chapter)

Notebooks are committed without outputs, except cells marked ``# NBVAL_CHECK_OUTPUT``:
their stored output is the number the text relies on, and nbval fails when a model
change moves it. Run this after changing a model on purpose, then review the diff.
It also collapses, for JupyterLab, what the book hides (``tools/jupyter_view.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.jupyter_view import prepare  # noqa: E402

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"


def strip_unchecked(notebook: nbformat.NotebookNode) -> None:
    """Drop outputs and counts of every cell not marked for checking, and widget state."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECK_MARKER not in cell.source:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata.pop("jupytext", None)  # left by editing the chapter as text


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    strip_unchecked(notebook)
    prepare(notebook)
    nbformat.write(notebook, path)
    print(f"refreshed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "book").glob("*.ipynb"))
    for notebook_path in paths:
        refresh(notebook_path)
