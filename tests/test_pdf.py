"""The printed edition (``make pdf``): read back with pypdf and compared with the built site.

Every chapter title of ``_toc.yml`` and every chart's caption must be in the PDF's text,
as many captions as the built pages have charts; chapters start on their own pages, in
order, on the page the contents gives; no page is wider than the paper and nothing in the
text was laid out wider than the page; the book has exercises but no solutions, and the
answer key has every solution of the built pages.

Needs ``make pdf`` (which needs ``make build``).
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

from tools.pdf import OUT
from tools.site import BUILD, toc_pages

pytestmark = pytest.mark.browser

A4_POINTS = (595.3, 841.9)


def squeeze(text: str) -> str:
    """Text without whitespace or ligatures (PDF text extraction splits and joins lines
    freely, and gives the font's ligatures, e.g. "ﬁ", as one character)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def manifest() -> dict:
    path = OUT / "manifest.json"
    if not path.exists():
        pytest.fail("no printed edition: run `make pdf` first")
    return json.loads(path.read_text())


def read(name: str) -> tuple[list[str], list[tuple[float, float]]]:
    """Each page's text (without the page number of its footer) and size (points)."""
    from pypdf import PdfReader

    reader = PdfReader(OUT / name)
    texts = [page.extract_text() or "" for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert text.rstrip().endswith(str(number)), f"page {number} has no page number"
    return ([text.rstrip().removesuffix(str(number))
             for number, text in enumerate(texts, start=1)],
            [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages])


@pytest.fixture(scope="module")
def book(manifest):
    return read(manifest["book"]["pdf"])


@pytest.fixture(scope="module")
def key(manifest):
    return read(manifest["answer_key"]["pdf"])


@pytest.fixture(scope="module")
def site() -> dict[str, BeautifulSoup]:
    return {doc: BeautifulSoup((BUILD / f"{doc}.html").read_text(), "html.parser")
            for doc in toc_pages()}


def test_every_page_is_a4_and_nothing_is_wider_than_the_page(manifest, book, key):
    for _, sizes in (book, key):
        for width, height in sizes:
            assert width == pytest.approx(A4_POINTS[0], abs=1)
            assert height == pytest.approx(A4_POINTS[1], abs=1)
    assert manifest["book"]["overflow"] == []
    assert manifest["answer_key"]["overflow"] == []


def test_every_chapter_starts_on_the_page_the_contents_gives(manifest, book, site):
    texts, _ = book
    chapters = manifest["book"]["chapters"]
    assert [c["doc"] for c in chapters] == toc_pages()
    pages = [c["page"] for c in chapters]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), pages
    assert 2 + len(chapters) <= len(texts) <= 400
    contents = squeeze(texts[1])
    for chapter in chapters:
        title = site[chapter["doc"]].select_one("article h1").get_text(" ", strip=True)
        title = title.removesuffix("#").strip()
        first_page = squeeze(texts[chapter["page"] - 1])
        assert squeeze(title) in first_page, f"{title!r} not on page {chapter['page']}"
        assert squeeze(f"{title}") in contents and str(chapter["page"]) in contents
        if chapter["number"] is not None:
            assert f"CHAPTER{chapter['number']}" in first_page.upper()


def test_the_pdf_outline_names_every_chapter_once(manifest):
    from pypdf import PdfReader

    reader = PdfReader(OUT / manifest["book"]["pdf"])
    top_level = [squeeze(str(item.title)) for item in reader.outline
                 if not isinstance(item, list)]
    for chapter in manifest["book"]["chapters"]:
        assert squeeze(chapter["title"]) in top_level, chapter["title"]


def test_every_chart_is_printed_with_its_caption(manifest, book, site):
    charts = sum(len(page.select(".coop-chart")) for page in site.values())
    explorers = sum(len(page.select(".coop-explorer")) for page in site.values())
    captions = manifest["figures"]
    assert len(captions) == charts > 0
    assert sum("default settings" in c for c in captions) == explorers > 0
    text = squeeze("".join(book[0]))
    for caption in captions:
        assert squeeze(caption) in text, caption[:80]


def test_exercises_without_solutions_and_an_answer_key_with_all(manifest, book, key, site):
    solutions = sum(len(page.select(".solution")) for page in site.values())
    exercises = sum(len(page.select(".exercise")) for page in site.values())
    book_text, key_text = "".join(book[0]), "".join(key[0])
    assert solutions > 0 and manifest["solutions"] == solutions
    assert "Solution to" not in book_text
    assert len(re.findall(r"Exercise \d+", book_text)) >= exercises
    assert len(re.findall(r"Solution\s*to\s*Exercise\s*\d+", key_text)) == solutions


def test_citations_and_the_reference_list_are_printed(book, site):
    text = squeeze("".join(book[0]))
    entries = site["book/references"].select(".citation")
    assert entries
    for entry in (entries[0], entries[-1]):
        assert squeeze(entry.get_text(" ", strip=True))[:40] in text
