"""Student notebooks: a clean ``.ipynb`` for every chapter, generated from the chapter.

Usage: ``python -m tools.classroom.notebooks OUTPUT_DIR`` (``make student`` writes them
into the student site, ``notebooks/<chapter>.student.ipynb``, where each page's download
button offers them, with ``student-notebooks.zip`` holding all of them).

A student notebook is the chapter (:mod:`tools.classroom.source`) with:

* every solution removed (Markdown and code between ``solution-start`` and
  ``solution-end``, with its checks);
* a visible first cell with the setup a student needs (the imports, and what to do if
  the model library is missing);
* of the hidden plumbing cells (tag ``remove-cell``), only those that define what the
  visible cells and the exercises need (names the visible code, the solutions or the
  checks use), without the lines that only feed the book's text (``txt.numbers``,
  ``txt.words``, ``claim``, ``glue``); they are kept in place, collapsed;
* MyST-only markup turned into plain Markdown (:mod:`tools.classroom.markdown`), with
  the numbers the book computed filled in from the executed chapter;
* each exercise headed as in the book ("**Exercise 7.2 (Code · 15 min)**") and followed
  by a cell for the answer: for a code exercise, a code cell that assigns ``...`` to
  each result the exercise asks to store (so the notebook runs top to bottom as given).

Inputs are the main build's outputs (``make build``): ``_build/classroom.json`` (numbers,
labels, citations as the book resolved them) and ``_build/jupyter_execute`` (the
executed chapters). The same reading feeds the otter-grader assignments
(:mod:`tools.classroom.assignments`).
"""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat

from tools.classroom.markdown import PlainMarkdown, glued_values
from tools.classroom.source import Chapter, Exercise, chapters
from tools.site import ROOT

BUILD = ROOT / "_build"
STUDENT_FOLDER = "notebooks"
"""Folder of the student site that holds the student notebooks."""
RESOLVED = BUILD / "classroom.json"
EXECUTED = BUILD / "jupyter_execute"
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
HIDDEN_TAGS = {"remove-input", "hide-input", "remove-cell", "hide-cell"}
PLUMBING = "classroom_plumbing"  # marks a hidden cell while the notebook is assembled
TEXT_ONLY_CALLS = {("txt", "numbers"), ("txt", "words"), (None, "claim"), (None, "glue"),
                   (None, "glue_numbers")}

SETUP_CELL = '''\
# Setup: run this cell first (Shift+Enter).
# This notebook uses the book's model library, coopmodels. If the import fails, install
# it with the line your teacher gives you (in a copy of the book's repository,
# `make install` does it), then restart the kernel and run this cell again.
try:
    import coopmodels  # noqa: F401
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        "This notebook needs the book's model library, coopmodels: "
        "install it, restart the kernel and run this cell again.") from missing

'''


def student_notebook_file(docname: str) -> str:
    """The student notebook's file name: ``07_court_backlog.student.ipynb``."""
    return f"{Path(docname).name}.student.ipynb"


def load_resolved(path: Path = RESOLVED) -> dict:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: build the book first (make build)")
    return json.loads(path.read_text(encoding="utf-8"))


def executed_notebook(chapter: Chapter, folder: Path = EXECUTED) -> nbformat.NotebookNode:
    """The chapter as the book executed it (``make build``)."""
    path = folder / f"{chapter.docname}.ipynb"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: build the book first (make build)")
    return nbformat.read(path, as_version=4)


def computed_values(chapter: Chapter, folder: Path = EXECUTED) -> dict[str, str]:
    """The values the chapter glued when the book executed it (``txt.name`` -> text)."""
    return glued_values(executed_notebook(chapter, folder),
                        folder / f"{chapter.docname}.glue.json")


# --- code cells ------------------------------------------------------------------------------

def is_text_only(statement: ast.stmt) -> bool:
    """A statement that only feeds the book's text: ``txt.numbers(...)``, ``claim(...)``,
    ``txt = Text()``, or a loop made of such statements."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        if isinstance(func, ast.Attribute):
            return (getattr(func.value, "id", None), func.attr) in TEXT_ONLY_CALLS
        return isinstance(func, ast.Name) and (None, func.id) in TEXT_ONLY_CALLS
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
        return getattr(statement.value.func, "id", None) == "Text"
    if isinstance(statement, ast.For | ast.If | ast.With):
        return all(is_text_only(s) for s in statement.body + getattr(statement, "orelse", []))
    return False


def without_text_only(source: str) -> str:
    """``source`` without its text-only statements (comments and layout kept)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.split("\n")
    drop = set()
    for statement in tree.body:
        if is_text_only(statement):
            drop |= set(range(statement.lineno - 1, statement.end_lineno))
    kept = [line for number, line in enumerate(lines) if number not in drop]
    return "\n".join(kept).strip("\n")


def names(source: str) -> tuple[set[str], set[str]]:
    """Names a cell defines (assigns, imports, defines) and names it reads."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return defined, used


def split_imports(source: str) -> tuple[list[str], str]:
    """Top-level import statements of ``source``, and the rest of it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], source
    lines = source.split("\n")
    imports, drop = [], set()
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            imports.append("\n".join(lines[statement.lineno - 1:statement.end_lineno]))
            drop |= set(range(statement.lineno - 1, statement.end_lineno))
    rest = "\n".join(line for n, line in enumerate(lines) if n not in drop).strip("\n")
    return imports, rest


def clean_code_cell(source: str, tags: list[str]) -> nbformat.NotebookNode:
    """A visible chapter cell as a student sees it: no nbval marker, no book tags."""
    lines = [line for line in source.split("\n") if line.strip() != CHECK_MARKER]
    cell = nbformat.v4.new_code_cell("\n".join(lines).strip("\n"))
    if HIDDEN_TAGS & set(tags):
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


# --- the walk through a chapter ----------------------------------------------------------------

ExerciseCells = Callable[[Exercise, str, str], list[nbformat.NotebookNode]]


def exercise_header(exercise: Exercise, number: str) -> str:
    """``**Exercise 7.2 (Code · 15 min)**``, numbered as in the book."""
    title = f" ({exercise.title})" if exercise.title else ""
    return f'<a id="{exercise.label}"></a>\n**Exercise {number}{title}**\n\n'


def answer_cells(exercise: Exercise, number: str, statement: str
                 ) -> list[nbformat.NotebookNode]:
    """The exercise, and where the student answers it."""
    cells = [nbformat.v4.new_markdown_cell(exercise_header(exercise, number) + statement)]
    if exercise.track == "Code":
        results = "".join(f"{name} = ...\n" for name in exercise.stored_results)
        cells.append(nbformat.v4.new_code_cell(
            f"# Exercise {number}: your code here.\n{results}".strip("\n")))
    else:
        cells.append(nbformat.v4.new_markdown_cell(f"*Your answer to Exercise {number}:*"))
    return cells


def exercise_number(resolved: dict, exercise: Exercise) -> str:
    return resolved["labels"][exercise.label]["number"]


def chapter_cells(chapter: Chapter, resolved: dict, values: dict[str, str],
                  exercise_cells: ExerciseCells = answer_cells, *,
                  text: bool = True) -> list[nbformat.NotebookNode]:
    """The chapter as notebook cells, solutions left out; each exercise as
    ``exercise_cells(exercise, number, statement_markdown)`` makes it.

    With ``text=False`` only the title, the set-up and the exercises are kept (an
    assignment): every code cell of the running text is then set-up, kept only if an
    exercise's solution or check needs what it defines.
    """
    markdown = PlainMarkdown(resolved, values, chapter.docname)
    cells: list[nbformat.NotebookNode] = []
    paragraphs, paragraph_cell = [], None

    def flush() -> None:
        source = "".join(paragraphs).strip("\n")
        if not any(c.cell_type == "markdown" for c in cells):  # the title cell replaces it
            source = re.sub(r"\A\s*# .*\n?", "", source)
        if source.strip():
            cells.append(nbformat.v4.new_markdown_cell(source.strip("\n")))
        paragraphs.clear()

    for piece in chapter.pieces:
        if piece.region == "solution":
            continue
        if piece.kind == "directive":
            if piece.directive == "exercise-end":
                flush()
                exercise = chapter.exercise(piece.label)
                statement = markdown.convert(exercise.statement).strip("\n")
                cells += exercise_cells(exercise, exercise_number(resolved, exercise),
                                        statement)
            continue
        if piece.region == "exercise":
            continue  # the statement is written at exercise-end
        if piece.kind == "markdown":
            if text:
                if paragraph_cell is not None and piece.cell_index != paragraph_cell:
                    flush()
                paragraph_cell = piece.cell_index
                paragraphs.append(markdown.convert(piece.source))
            continue
        flush()
        if "remove-cell" in piece.tags or not text:
            source = without_text_only(piece.source)
            if source.strip():
                cell = clean_code_cell(source, [*piece.tags, "remove-cell"])
                cell.metadata[PLUMBING] = True
                cells.append(cell)
        else:
            cells.append(clean_code_cell(piece.source, piece.tags))
    flush()

    solutions_need = set()  # what a student solving the exercises needs, as the book did
    for exercise in chapter.exercises:
        for cell in exercise.solution_code + exercise.checks:
            solutions_need |= names(cell.source)[1]
    cells = setup_first(prune_plumbing(cells, solutions_need))
    return [title_cell(chapter, resolved, text), *cells]


def title_cell(chapter: Chapter, resolved: dict, text: bool) -> nbformat.NotebookNode:
    """The chapter's title, numbered as in the book, over what this notebook is."""
    doc = resolved["docs"][chapter.docname]
    title = f"Chapter {doc['number']}: {doc['title']}" if doc["number"] else doc["title"]
    link = PlainMarkdown(resolved, {}, chapter.docname).link("the book", chapter.docname)
    if text:
        about = (f"*Student notebook of this chapter of {link}: the text, the models and "
                 "the exercises, without solutions. Run the set-up cell first; exercises "
                 "are numbered as in the book.*")
    else:
        title += ": exercises"
        about = (f"*The exercises of this chapter of {link}. Read the chapter first, then "
                 "run the set-up cell. Code exercises are checked with "
                 "`grader.check(...)` below each answer.*")
    return nbformat.v4.new_markdown_cell(f"# {title}\n\n{about}")


def prune_plumbing(cells: list, extra_needs: set[str]) -> list:
    """Drop hidden cells whose names nothing later needs (visible code, answers, checks,
    and ``extra_needs``, the names the chapter's solutions use)."""
    needed = set(extra_needs)
    kept = []
    for cell in reversed(cells):
        if cell.cell_type == "code":
            defined, used = names(cell.source)
            if cell.metadata.get(PLUMBING) and not defined & needed:
                continue
            needed |= used
        kept.append(cell)
    return kept[::-1]


def setup_first(cells: list) -> list:
    """A visible setup cell before the first code cell: what to do if the library is
    missing, and the hidden cells' imports (moved out of them). The hidden cells that
    remain say what they are."""
    imports: list[str] = []
    result = []
    for cell in cells:
        if cell.metadata.pop(PLUMBING, False):
            found, rest = split_imports(cell.source)
            imports += [i for i in found if i not in imports]
            if not rest.strip():
                continue
            cell.source = "# Set-up for the cells below (hidden in the book)\n" + rest
        result.append(cell)
    setup = nbformat.v4.new_code_cell(SETUP_CELL + "\n".join(imports))
    first_code = next((i for i, c in enumerate(result) if c.cell_type == "code"),
                      len(result))
    return [*result[:first_code], setup, *result[first_code:]]


def student_notebook(chapter: Chapter, resolved: dict,
                     values: dict[str, str]) -> nbformat.NotebookNode:
    """The student notebook of ``chapter`` (see the module docstring), with the values
    the chapter computed (:func:`computed_values`)."""
    cells = chapter_cells(chapter, resolved, values)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = copy.deepcopy(chapter.notebook.metadata)
    for key in ("widgets", "jupytext", "mystnb"):
        notebook.metadata.pop(key, None)
    notebook.metadata["coopbook"] = {"student_notebook_of": chapter.docname}
    nbformat.validate(notebook)
    return notebook


def write_student_notebooks(folder: Path, resolved: dict | None = None,
                            executed: Path = EXECUTED) -> list[Path]:
    """Write every chapter's student notebook into ``folder``, and a zip of them all."""
    resolved = resolved or load_resolved()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters():
        notebook = student_notebook(chapter, resolved, computed_values(chapter, executed))
        path = folder / student_notebook_file(chapter.docname)
        nbformat.write(notebook, path)
        written.append(path)
    with zipfile.ZipFile(folder / "student-notebooks.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for path in written:
            zf.write(path, path.name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else BUILD / "student-notebooks"
    for path in write_student_notebooks(target):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
