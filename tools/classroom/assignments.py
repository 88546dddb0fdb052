"""Autograded assignments with otter-grader, one per chapter with code exercises.

Usage: ``python -m tools.classroom.assignments [chapter ...]`` (``make assignments``;
default: every chapter that has a *Code* exercise). For each chapter this writes, into
``_build/assignments/<chapter>/``:

* ``master/<chapter>.ipynb``: an otter-assign master notebook generated from the
  chapter (as its student notebook, :mod:`tools.classroom.notebooks`), in which each
  code exercise is a question named by its number in the book (Exercise 7.2 is
  ``q7_2``): the statement is the prompt, the solution's code is the solution
  (``# BEGIN SOLUTION``), with a prompt assigning ``...`` to each result the exercise
  asks for, and each assertion of the exercise's check cell (``exercise-check``) is a
  public test case worth one point;
* ``dist/``: what ``otter assign`` makes of it: ``dist/student/`` (the notebook to hand
  out, with ``grader.check("q7_2")`` cells, and its public tests) and
  ``dist/autograder/`` (the solution notebook and ``<chapter>-autograder_*.zip``, the
  autograder for Gradescope or ``otter run``).

The model library goes with both (``coopmodels/``, copied next to the notebook), so the
notebook runs wherever its ``requirements.txt`` is installed; grading locally needs no
Docker: ``otter run -a dist/autograder/<zip> submission.ipynb``.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import yaml

from tools.classroom.notebooks import (
    answer_cells,
    chapter_cells,
    computed_values,
    exercise_header,
    load_resolved,
)
from tools.classroom.source import Chapter, Exercise, chapters, question_name
from tools.site import ROOT

OUTPUT = ROOT / "_build" / "assignments"
LIBRARY = ROOT / "lib" / "coopmodels"
# What the notebooks import, pinned as the book is (requirements.txt, constraints.txt).
RUNTIME_PACKAGES = ("numpy", "pandas", "scipy", "simpy", "networkx", "salib", "altair",
                    "vl-convert-python", "ipywidgets", "myst-nb")


def has_code_exercises(chapter: Chapter) -> bool:
    return any(exercise.track == "Code" for exercise in chapter.exercises)


def test_cells(exercise: Exercise) -> list[nbformat.NotebookNode]:
    """One test case per assertion of the check cells (a check cell that does more than
    assert is one test case). Each case first checks that the results the exercise asks
    for were stored, so a blank answer (``...``) passes none of them."""
    given = "".join(f"assert {name} is not ..., 'store your answer in {name}'\n"
                    for name in exercise.stored_results)
    cases = []
    for check in exercise.checks:
        tree = ast.parse(check.source)
        if all(isinstance(statement, ast.Assert) for statement in tree.body):
            cases += [ast.get_source_segment(check.source, s) for s in tree.body]
        else:
            cases.append(check.source)
    return [nbformat.v4.new_code_cell(given + case) for case in cases]


def solution_cell(exercise: Exercise, number: str) -> nbformat.NotebookNode:
    """The student's prompt and the book's solution, in otter's markers."""
    from tools.classroom.notebooks import without_text_only

    prompt = "".join(f"{name} = ...\n" for name in exercise.stored_results)
    solution = "\n\n".join(without_text_only(cell.source) for cell in exercise.solution_code
                           if "remove-cell" not in cell.metadata.get("tags", []))
    return nbformat.v4.new_code_cell(
        f'""" # BEGIN PROMPT\n# Exercise {number}: your code here.\n{prompt}""" # END PROMPT\n'
        f"# BEGIN SOLUTION NO PROMPT\n{solution}\n# END SOLUTION")


def question_cells(exercise: Exercise, number: str, statement: str
                   ) -> list[nbformat.NotebookNode]:
    """A code exercise as an otter question; other exercises as in the student notebook."""
    if exercise.track != "Code":
        return answer_cells(exercise, number, statement)
    tests = test_cells(exercise)
    if not tests:
        raise ValueError(f"{exercise.label}: a code exercise needs a check cell "
                         f"(tags remove-cell, exercise-check) to be autograded")
    raw = nbformat.v4.new_raw_cell
    config = yaml.safe_dump({"name": question_name(number), "points": len(tests)},
                            sort_keys=False)
    return [raw(f"# BEGIN QUESTION\n{config}"),
            nbformat.v4.new_markdown_cell(exercise_header(exercise, number) + statement),
            raw("# BEGIN SOLUTION"), solution_cell(exercise, number), raw("# END SOLUTION"),
            raw("# BEGIN TESTS"), *tests, raw("# END TESTS"),
            raw("# END QUESTION")]


def assignment_config(chapter: Chapter) -> dict:
    return {
        "name": chapter.name,
        "requirements": "requirements.txt",
        "files": ["coopmodels"],
        "init_cell": True,
        "check_all_cell": True,
        "export_cell": {"pdf": False, "instructions": "Save the notebook, then run this cell "
                        "and hand in the zip file it makes."},
        "generate": {"pdf": False, "filtering": False},
        "solutions_pdf": False,
        "run_tests": False,
        "python_version": "3.11",
    }


def master_notebook(chapter: Chapter, resolved: dict,
                    values: dict[str, str]) -> nbformat.NotebookNode:
    """The otter-assign master notebook of ``chapter`` (see the module docstring), with
    the values the chapter computed."""
    cells = chapter_cells(chapter, resolved, values, question_cells, text=False)
    config = yaml.safe_dump(assignment_config(chapter), sort_keys=False)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_raw_cell(f"# ASSIGNMENT CONFIG\n{config}"), *cells])
    notebook.metadata["kernelspec"] = chapter.notebook.metadata.get("kernelspec", {
        "name": "python3", "display_name": "Python 3", "language": "python"})
    return notebook


def runtime_requirements() -> str:
    """The pinned versions of what the notebooks import (from constraints.txt)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower()] = version.strip()
    return "".join(f"{name}=={pins[name]}\n" for name in RUNTIME_PACKAGES)


def write_assignment(chapter: Chapter, resolved: dict, output: Path = OUTPUT) -> Path:
    """Write the master notebook of ``chapter`` and run ``otter assign``; return the
    chapter's folder."""
    folder = output / chapter.name
    shutil.rmtree(folder, ignore_errors=True)
    master = folder / "master"
    master.mkdir(parents=True)
    nbformat.write(master_notebook(chapter, resolved, computed_values(chapter)),
                   master / f"{chapter.name}.ipynb")
    (master / "requirements.txt").write_text(runtime_requirements())
    shutil.copytree(LIBRARY, master / "coopmodels",
                    ignore=shutil.ignore_patterns("__pycache__"))
    from otter.assign import main as otter_assign

    with working_directory(master):  # otter assign resolves files from where it runs
        otter_assign(f"{chapter.name}.ipynb", "../dist", no_run_tests=True, no_pdfs=True)
    return folder


@contextlib.contextmanager
def working_directory(path: Path):
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def autograder_zip(folder: Path) -> Path:
    """The autograder zip ``otter assign`` wrote into a chapter's folder."""
    found = sorted((folder / "dist" / "autograder").glob("*-autograder_*.zip"))
    if not found:
        raise FileNotFoundError(f"no autograder zip in {folder}: run make assignments")
    return found[-1]


def questions(folder: Path) -> list[str]:
    """The question names of an assignment (from its autograder's tests)."""
    with zipfile.ZipFile(autograder_zip(folder)) as archive:
        return sorted(Path(name).stem for name in archive.namelist()
                      if name.startswith("tests/q") and name.endswith(".py"))


def grade(autograder: Path, notebook: Path) -> dict[str, float]:
    """Run the autograder on ``notebook`` here, as ``otter run`` does (no Docker); return
    the share of its tests each question passes (0 to 1)."""
    import otter.api

    results = otter.api.grade_submission(str(notebook), str(autograder), quiet=True)
    return {name: result.score / result.possible if result.possible else 0.0
            for name, result in results.results.items()}


def main(names: list[str]) -> None:
    resolved = load_resolved()
    selected = [c for c in chapters() if has_code_exercises(c)
                and (not names or c.name in names or c.docname in names)]
    for chapter in selected:
        folder = write_assignment(chapter, resolved)
        print(f"{chapter.name}: {', '.join(questions(folder))} -> "
              f"{autograder_zip(folder).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
