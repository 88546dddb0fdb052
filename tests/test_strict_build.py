"""The build is the first test: a chapter that raises, or a Sphinx warning, fails it.

Builds a two-page book with the project's own configuration, extension and build flags
(read from the Makefile), once with a notebook that raises and once with a broken
reference, and checks that each build fails for that reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

BIN = Path(sys.executable).parent


def build_flags() -> list[str]:
    match = re.search(r"^JB_FLAGS\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)
    return match.group(1).split()


def make_book(where: Path, chapter_code: str, intro_text: str) -> Path:
    shutil.copy(ROOT / "_config.yml", where / "_config.yml")
    shutil.copytree(ROOT / "book" / "_ext", where / "book" / "_ext")
    shutil.copytree(ROOT / "book" / "_static", where / "book" / "_static",
                    ignore=shutil.ignore_patterns("vendor"))
    shutil.copy(ROOT / "book" / "references.bib", where / "book" / "references.bib")
    (where / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/chapter\n")
    (where / "book" / "intro.md").write_text(f"# Intro\n\n{intro_text}\n")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Chapter"), nbformat.v4.new_code_cell(chapter_code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, where / "book" / "chapter.ipynb")
    return where


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "jupyter-book"), "build", str(book), *build_flags()],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("chapter_code", "intro_text", "reason"),
    [
        ("1 / 0", "Fine.", "ZeroDivisionError"),
        ("1 + 1", "See {doc}`no_such_page`.", "unknown document"),
    ],
    ids=["notebook-raises", "sphinx-warning"],
)
def test_build_fails(tmp_path, chapter_code, intro_text, reason):
    (tmp_path / "book").mkdir()
    result = build(make_book(tmp_path, chapter_code, intro_text))
    assert result.returncode != 0
    assert reason in result.stdout + result.stderr
