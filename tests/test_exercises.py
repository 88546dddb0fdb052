"""Exercises of every chapter: tracks, a path without code, code exercises a student can do.

Chapters and exercises are discovered from ``_toc.yml`` and the chapter sources
(``tools/classroom/source.py``), so a new chapter is checked without new test code.
Also unit tests of the pieces the classroom pack is built from (reading a chapter,
MyST to plain Markdown), each with a case that must fail.
"""

from __future__ import annotations

import importlib

import nbformat
import pytest

from coopmodels.params import ParamSet
from tools.classroom.markdown import PlainMarkdown, UnknownMarkupError
from tools.classroom.source import TRACK_TITLE, TRACKS, chapters_with_exercises, split_markdown

CHAPTERS = chapters_with_exercises()
IDS = [chapter.name for chapter in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_exercise_has_a_track_and_a_time(chapter):
    untitled = [f"{e.label} ({e.title!r})" for e in chapter.exercises
                if not TRACK_TITLE.match(e.title)]
    assert not untitled, (f"exercises without a 'Slider|Paper|Code · N min' title: "
                          f"{', '.join(untitled)}")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_chapter_has_a_path_without_code(chapter):
    """The introduction promises that no programming is needed: every chapter has slider
    or paper exercises."""
    tracks = {exercise.track for exercise in chapter.exercises}
    assert tracks & {"Slider", "Paper"}, f"only {tracks or 'untitled'} exercises"


def uses_of_code_exercises(chapter):
    return [(e, e.uses) for e in chapter.exercises if e.track == "Code"]


def is_documented(module_name: str, attribute: str, value: object) -> bool:
    """A function with a docstring, a parameter set (the API page tabulates it), or data
    with an attribute docstring (what autodoc shows)."""
    if isinstance(value, ParamSet):
        return True
    if callable(value):
        return bool(value.__doc__)
    from sphinx.pycode import ModuleAnalyzer

    docs = ModuleAnalyzer.for_module(f"coopmodels.{module_name}").find_attr_docs()
    return bool(docs.get(("", attribute)))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_code_exercises_name_functions_that_exist(chapter):
    """A code exercise names what it uses (``*Uses:* `backlog.simulate```): each name is a
    documented function (or parameter set, or constant) of the model library."""
    for exercise, uses in uses_of_code_exercises(chapter):
        assert uses, f"{exercise.label}: no *Uses:* line naming the functions it uses"
        for name in uses:
            module_name, _, attribute = name.rpartition(".")
            assert module_name, f"{exercise.label}: name {name!r} as module.function"
            module = importlib.import_module(f"coopmodels.{module_name}")
            value = getattr(module, attribute, None)
            assert value is not None, f"{exercise.label}: coopmodels.{name} does not exist"
            assert is_documented(module_name, attribute, value), (
                f"{exercise.label}: {name} has no docstring for the API page")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_code_exercises_store_a_result_that_a_check_tests(chapter):
    """The autograder reuses the check cell: it must assert on the stored result."""
    for exercise in chapter.exercises:
        if exercise.track != "Code":
            continue
        assert exercise.stored_results, (f"{exercise.label}: say where to store the answer "
                                         "(`Store the answer in `name``)")
        assert exercise.checks, (f"{exercise.label}: no check cell after the solution "
                                 "(tags remove-cell, exercise-check)")
        checked = "\n".join(cell.source for cell in exercise.checks)
        for name in exercise.stored_results:
            assert name in checked, f"{exercise.label}: the check never tests {name}"
        assert exercise.solution_code, f"{exercise.label}: the solution has no code"


def test_tracks_are_the_three_the_book_explains():
    assert TRACKS == ("Slider", "Paper", "Code")
    assert TRACK_TITLE.match("Code · 15 min") and TRACK_TITLE.match("Paper · 5 min")
    for wrong in ("Code 15 min", "code · 15 min", "Code · 15 minutes", ""):
        assert not TRACK_TITLE.match(wrong)


# --- reading a chapter ---------------------------------------------------------------------

GATED_SOURCE = """Text before.

```{exercise-start} Code · 15 min
:label: demo-one
```
Store the answer in `answer`.

*Uses:* `backlog.simulate`,
`backlog.wait_years`.
```{exercise-end}
```

```{solution-start} demo-one
:class: dropdown
```
"""


def test_a_chapter_is_read_into_exercises_and_solutions(tmp_path):
    from tools.classroom.source import read_chapter

    cells = [nbformat.v4.new_markdown_cell(GATED_SOURCE),
             nbformat.v4.new_code_cell("answer = 42"),
             nbformat.v4.new_code_cell("assert answer == 42"),
             nbformat.v4.new_markdown_cell("The answer is 42.\n```{solution-end}\n```\n"
                                           "After the solution.")]
    cells[2].metadata["tags"] = ["remove-cell", "exercise-check"]
    path = tmp_path / "demo.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    chapter = read_chapter(path, "book/demo")
    (exercise,) = chapter.exercises
    assert (exercise.label, exercise.track, exercise.minutes) == ("demo-one", "Code", 15)
    assert exercise.uses == ["backlog.simulate", "backlog.wait_years"]
    assert exercise.stored_results == ["answer"]
    assert [c.source for c in exercise.solution_code] == ["answer = 42"]
    assert [c.source for c in exercise.checks] == ["assert answer == 42"]
    solution_text = "".join(p.source for p in exercise.solution if p.kind == "markdown")
    assert "The answer is 42." in solution_text and "After the solution" not in solution_text
    regions = {p.source.strip(): p.region for p in chapter.pieces if p.kind == "markdown"}
    assert regions["After the solution."] == "text"
    assert regions["Text before."] == "text"


def test_an_unclosed_solution_is_an_error(tmp_path):
    from tools.classroom.source import read_chapter

    path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        GATED_SOURCE)]), path)
    with pytest.raises(ValueError, match="not closed"):
        read_chapter(path, "book/broken")


def test_directives_are_split_out_of_markdown():
    kinds = [(p.kind, p.directive) for p in split_markdown(GATED_SOURCE, 0)]
    assert kinds == [("markdown", None), ("directive", "exercise-start"), ("markdown", None),
                     ("directive", "exercise-end"), ("directive", "solution-start")]


# --- MyST to plain Markdown ----------------------------------------------------------------

RESOLVED = {
    "baseurl": "",
    "numfig_format": {"exercise": "Exercise %s", "section": "Section %s"},
    "docs": {"book/07_court_backlog": {"title": "Courts that cannot keep up", "number": "7"},
             "book/references": {"title": "References", "number": ""}},
    "labels": {"ch-backlog": {"docname": "book/07_court_backlog", "anchor": "ch-backlog",
                              "title": "Courts", "kind": "section", "number": "7"},
               "backlog-hiring": {"docname": "book/07_court_backlog", "anchor": "backlog-hiring",
                                  "title": "Exercise", "kind": "exercise", "number": "7.2"}},
    "citations": {"p:eoir2025,crs_in12492": "[EOIR, 2025, CRS, 2025]", "t:ice2024": "ICE [2024]"},
}


def converter(baseurl: str = "") -> PlainMarkdown:
    return PlainMarkdown(RESOLVED | {"baseurl": baseurl}, {"txt.judges": "734"},
                         "book/07_court_backlog")


def test_roles_become_text():
    text = ("{eval}`txt.judges` judges {cite:p}`eoir2025,crs_in12492`; {cite:t}`ice2024`; "
            "{numref}`Chapter %s\n<ch-backlog>` and {numref}`backlog-hiring`; see the "
            "{doc}`references`, the {term}`backlog <Backlog>` and {math}`x^2`.")
    assert converter().convert(text) == (
        "734 judges [EOIR, 2025, CRS, 2025]; ICE [2024]; Chapter 7 and Exercise 7.2; see "
        "the References, the backlog and $x^2$.")


def test_links_go_to_the_hosted_book_when_it_has_an_address():
    shown = converter("https://example.org/book/").convert("{numref}`backlog-hiring`")
    assert shown == ("[Exercise 7.2](https://example.org/book/book/07_court_backlog.html"
                     "#backlog-hiring)")


def test_admonitions_become_quotes_and_dropdowns_details():
    text = ("(a-label)=\n````{admonition} What you should see\n:class: dropdown\n"
            "It is {eval}`txt.judges`.\n\n```{note}\nInner.\n```\n````\n"
            "```{admonition} Predict first\n:class: note\nWrite it down.\n```")
    shown = converter().convert(text)
    assert "(a-label)=" not in shown
    assert "<details>\n<summary><b>What you should see</b></summary>" in shown
    assert "It is 734." in shown and "> **Note**\n>\n> Inner." in shown
    assert "> **Predict first**\n>\n> Write it down." in shown


def test_code_blocks_are_left_alone():
    text = "```python\nx = {eval}`not a role here`\n```"
    assert converter().convert(text) == text


@pytest.mark.parametrize("text", ["{unknownrole}`x`", "```{figure} a.png\n```",
                                  "{eval}`txt.missing`", "{numref}`no-such-label`"])
def test_markup_it_cannot_show_is_an_error(text):
    with pytest.raises(UnknownMarkupError):
        converter().convert(text)
