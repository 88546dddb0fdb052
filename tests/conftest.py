"""Shared fixtures: where the book's pages, chapters and models are.

Everything is discovered (from _toc.yml and the model registry), so a new chapter or
model is tested without new test code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tools.site import BUILD, CHROMIUM, CHROMIUM_ARGS, ROOT, serve, toc_pages

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


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The built book (``_build/html``) served on a free localhost port."""
    if not (BUILD / "index.html").exists():
        pytest.fail("no built book in _build/html: run `make build` first")
    with serve(BUILD) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, shared by every browser test (Playwright allows one)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Property tests check invariants, not speed: no per-example deadline, which a loaded
# 2-core CI machine can exceed (timing is measured by `make bench`).
settings.register_profile("coopbook", deadline=None)
settings.load_profile("coopbook")
