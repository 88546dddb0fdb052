"""Shared fixtures: where the book's pages, chapters and models are.

Everything is discovered (from _toc.yml and the model registry), so a new chapter or
model is tested without new test code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build" / "html"


def _toc_files(entries: list[dict]) -> list[str]:
    files = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        for key in ("chapters", "sections", "parts"):
            files.extend(_toc_files(entry.get(key, [])))
    return files


def toc_pages() -> list[str]:
    """Every page of the table of contents, as paths without suffix (``book/intro``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"], *_toc_files(toc.get("parts", []) + toc.get("chapters", []))]


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
