"""A chapter's exercises, solutions and checks, read from its notebook.

Chapters mark exercises with sphinx-exercise's gated directives (CONTRIBUTING, *Add a
chapter*, item 7)::

    ```{exercise-start} Code · 15 min
    :label: backlog-hiring
    ```
    The statement ... *Uses:* `backlog.simulate`.
    ```{exercise-end}
    ```

    ```{solution-start} backlog-hiring
    :class: dropdown
    ```
    (Markdown and code cells: the solution; a code cell tagged ``exercise-check``
    asserts on the stored result)
    ```{solution-end}
    ```

The directives may share a Markdown cell with other text, so a chapter is read as a
sequence of :class:`Piece` s: Markdown text, code cells and directive markers, each
knowing whether it belongs to the running text, an exercise statement or a solution.
Everything else in this package (student notebooks, assignments, the leak test, the
track test, the API page) is built on this one reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools.site import ROOT, toc_pages

TRACKS = ("Slider", "Paper", "Code")
TRACK_TITLE = re.compile(r"^(?P<track>Slider|Paper|Code) · (?P<minutes>\d+) min$")
"""An exercise's title: its track and an estimated time, e.g. ``Code · 15 min``."""

CHECK_TAG = "exercise-check"

GATED = ("exercise-start", "exercise-end", "solution-start", "solution-end")
DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>" + "|".join(GATED) + r")\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*(?:\n|\Z)", re.MULTILINE | re.DOTALL)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$", re.MULTILINE)
USES = re.compile(r"\*Uses:\*(?P<names>.*?)(?:\n[ \t]*\n|\Z)", re.DOTALL)
USED_NAME = re.compile(r"`([A-Za-z_]\w*\.[A-Za-z_]\w*)`")  # `module.function`
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
STORE = re.compile(r"\b[Ss]tore\b")
IDENTIFIER = re.compile(r"`([A-Za-z_]\w*)`")


@dataclass
class Piece:
    """One piece of a chapter: Markdown text, a code cell, or a gated directive marker.

    ``region`` is ``"text"`` (the running text), ``"exercise"`` (an exercise statement)
    or ``"solution"``; ``label`` is the exercise's label in the last two. ``cell_index``
    is the notebook cell the piece comes from, so Markdown pieces of one cell stay
    together when a notebook is written again.
    """

    kind: str  # "markdown", "code" or "directive"
    source: str
    cell_index: int
    region: str = "text"
    label: str | None = None
    cell: nbformat.NotebookNode | None = None
    directive: str | None = None  # for kind == "directive": "exercise-start", ...
    argument: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def tags(self) -> list[str]:
        return list(self.cell.metadata.get("tags", [])) if self.cell is not None else []


@dataclass(repr=False)
class Exercise:
    """An exercise of a chapter: title, statement, solution and checks."""

    docname: str
    label: str
    index: int  # 1, 2, ... in the chapter: the book numbers it <chapter>.<index>
    title: str
    statement: str  # MyST Markdown
    solution: list[Piece] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Exercise({self.docname}:{self.label})"

    @property
    def track(self) -> str | None:
        match = TRACK_TITLE.match(self.title)
        return match["track"] if match else None

    @property
    def minutes(self) -> int | None:
        match = TRACK_TITLE.match(self.title)
        return int(match["minutes"]) if match else None

    @property
    def uses(self) -> list[str]:
        """The functions named on the statement's ``*Uses:*`` line, as ``module.name``
        (``backlog.simulate``); other words in backticks there are prose."""
        match = USES.search(self.statement)
        return USED_NAME.findall(match["names"]) if match else []

    @property
    def stored_results(self) -> list[str]:
        """Names the statement asks the student to store a result in: in each sentence
        that says "store", the last name in backticks ("Store the answer in `x`")."""
        names = []
        for sentence in SENTENCE_END.split(self.statement):
            found = IDENTIFIER.findall(sentence) if STORE.search(sentence) else []
            if found and found[-1] not in names:
                names.append(found[-1])
        return names

    @property
    def checks(self) -> list[nbformat.NotebookNode]:
        """The solution's hidden check cells (tag ``exercise-check``)."""
        return [p.cell for p in self.solution if p.kind == "code" and CHECK_TAG in p.tags]

    @property
    def solution_code(self) -> list[nbformat.NotebookNode]:
        """The solution's code cells other than checks (what a student would write)."""
        return [p.cell for p in self.solution if p.kind == "code" and CHECK_TAG not in p.tags]


@dataclass(repr=False)
class Chapter:
    """A notebook page of the book, read into pieces and exercises."""

    docname: str  # "book/07_court_backlog"
    path: Path
    notebook: nbformat.NotebookNode
    pieces: list[Piece]
    exercises: list[Exercise]

    def __repr__(self) -> str:
        return f"Chapter({self.docname})"

    @property
    def name(self) -> str:
        return self.path.stem

    def exercise(self, label: str) -> Exercise:
        return next(e for e in self.exercises if e.label == label)


def split_markdown(text: str, cell_index: int) -> list[Piece]:
    """Markdown text and gated directive markers, in order."""
    pieces, position = [], 0
    for match in DIRECTIVE.finditer(text):
        if text[position:match.start()].strip():
            pieces.append(Piece("markdown", text[position:match.start()], cell_index))
        options = {m["key"]: m["value"].strip() for m in OPTION.finditer(match["body"])}
        pieces.append(Piece("directive", match.group(0), cell_index, directive=match["name"],
                            argument=match["arg"].strip(), options=options))
        position = match.end()
    if text[position:].strip():
        pieces.append(Piece("markdown", text[position:], cell_index))
    return pieces


def read_chapter(path: Path, docname: str | None = None) -> Chapter:
    """Read a chapter notebook into pieces and exercises (see the module docstring)."""
    notebook = nbformat.read(path, as_version=4)
    docname = docname or path.relative_to(ROOT).with_suffix("").as_posix()
    pieces: list[Piece] = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            pieces += split_markdown(cell.source, index)
        elif cell.cell_type == "code":
            pieces.append(Piece("code", cell.source, index, cell=cell))

    exercises: dict[str, Exercise] = {}
    region, label = "text", None
    for piece in pieces:
        if piece.kind == "directive":
            if piece.directive == "exercise-start":
                label = piece.options.get("label") or f"exercise-{len(exercises) + 1}"
                exercises[label] = Exercise(docname, label, len(exercises) + 1,
                                            piece.argument, "")
                region = "exercise"
            elif piece.directive == "solution-start":
                label, region = piece.argument, "solution"
                if label not in exercises:
                    raise ValueError(f"{path.name}: solution to unknown exercise {label!r}")
            piece.region, piece.label = region, label
            if piece.directive in ("exercise-end", "solution-end"):
                region, label = "text", None
            continue
        piece.region, piece.label = region, label
        if region == "exercise":
            exercises[label].statement += piece.source
        elif region == "solution":
            exercises[label].solution.append(piece)
    if region != "text":
        raise ValueError(f"{path.name}: {region} {label!r} is not closed")
    return Chapter(docname, path, notebook, pieces, list(exercises.values()))


def question_name(number: str) -> str:
    """The autograded question of a code exercise: Exercise 7.2 is ``q7_2``."""
    return "q" + number.replace(".", "_")


def notebook_pages() -> list[str]:
    """Every notebook page of the table of contents (docnames, ``book/07_court_backlog``)."""
    return [page for page in toc_pages() if (ROOT / f"{page}.ipynb").exists()]


def chapters() -> list[Chapter]:
    """Every notebook page of the table of contents, read."""
    return [read_chapter(ROOT / f"{page}.ipynb", page) for page in notebook_pages()]


def chapters_with_exercises() -> list[Chapter]:
    return [chapter for chapter in chapters() if chapter.exercises]
