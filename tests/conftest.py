"""Shared fixtures: where the book's pages, chapters and models are.

Everything is discovered (from _toc.yml and the model registry), so a new chapter or
model is tested without new test code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.site import BUILD, ROOT, toc_pages

__all__ = ["BUILD", "ROOT", "chapter_notebooks", "source_of", "toc_pages"]


def source_of(page: str) -> Path:
    """The source file of a table-of-contents page (``.ipynb`` or ``.md``)."""
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{page}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no source for {page} in _toc.yml")


def chapter_notebooks() -> list[Path]:
    """Every notebook page of the table of contents."""
    return [p for p in map(source_of, toc_pages()) if p.suffix == ".ipynb"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
