"""The ``make dist`` zip, unzipped and opened from ``file://`` with no network.

One pass over every page of ``_toc.yml`` in headless Chromium, as a teacher's copy on a
USB stick is used: no console error, nothing requested but files of the copy, every
chart goes live and every slider moves its chart, and every link of the page leads to a
file of the copy. Then search: the search page finds a word of a chapter and its result
opens that chapter; and the theme's "next" link walks to the next page.

Needs the zip (``make dist``) and Chromium (see ``tests/test_site.py``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools.dist import dist_paths
from tools.site import toc_pages

from .test_site import MARKS_JS, SET_VALUE_JS, WAIT_FOR_CHANGE_JS

pytestmark = pytest.mark.browser

# Every link of the page that stays in the copy, as an absolute file:// URL.
LOCAL_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href], link[href], script[src]'))
    .map(e => e.href || e.src).filter(u => u.startsWith('file:'))"""


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> Path:
    """The zip unpacked into a fresh folder; the book's folder inside it."""
    _, archive = dist_paths()
    if not archive.exists():
        pytest.fail(f"no {archive.name}: run `make dist` first")
    where = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(where)
    (folder,) = where.iterdir()
    return folder


@pytest.fixture(scope="module")
def offline_page(browser, unzipped) -> Iterator[tuple[object, dict]]:
    """A page in a browser context with the network off; records errors and requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    report = {"errors": [], "outside": []}
    page.on("console", lambda m: m.type == "error" and report["errors"].append(m.text))
    page.on("pageerror", lambda e: report["errors"].append(str(e)))
    page.on("request", lambda r: urlsplit(r.url).scheme not in ("file", "data", "blob")
            and report["outside"].append(r.url))
    yield page, report
    context.close()


def file_url(folder: Path, doc: str) -> str:
    return (folder / f"{doc}.html").as_uri()


def test_readme_and_index_open_the_book(unzipped):
    assert "open index.html" in (unzipped / "README.txt").read_text()
    assert (unzipped / "index.html").exists()
    assert not list(unzipped.rglob("*.map")), "source maps are left out"


def test_every_page_works_from_file_urls_with_no_network(unzipped, offline_page):
    page, report = offline_page
    problems = []
    for doc in toc_pages():
        report["errors"].clear()
        report["outside"].clear()
        page.goto(file_url(unzipped, doc), wait_until="load")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.coop-chart'))"
            ".every(c => c.classList.contains('coop-live'))", timeout=20_000)
        for chart in page.locator(".coop-chart").all():
            if not chart.evaluate(MARKS_JS):
                problems.append(f"{doc}: a chart drew no marks")
            for slider in chart.locator(".vega-bindings input[type=range]").all():
                before = chart.evaluate(MARKS_JS)
                original = slider.evaluate("(input) => input.value")
                slider.evaluate(SET_VALUE_JS, "far")
                chart.evaluate(WAIT_FOR_CHANGE_JS, before)
                moved = chart.evaluate(MARKS_JS)
                if moved == before:
                    problems.append(f"{doc}: slider {slider.evaluate('(i) => i.name')} "
                                    "did not move its chart")
                slider.evaluate(SET_VALUE_JS, original)
                chart.evaluate(WAIT_FOR_CHANGE_JS, moved)
        for link in page.evaluate(LOCAL_LINKS_JS):
            path = Path(unquote(urlsplit(link).path))
            if not path.is_file():
                problems.append(f"{doc}: link to missing file {path}")
        problems += [f"{doc}: console error {e}" for e in report["errors"]]
        problems += [f"{doc}: request outside the copy {u}" for u in report["outside"]]
    assert problems == []


def test_search_finds_a_chapter_word_and_opens_the_chapter(unzipped, offline_page):
    page, report = offline_page
    report["errors"].clear()
    page.goto(file_url(unzipped, "search") + "?q=backlog", wait_until="load")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert any("07_court_backlog" in h for h in hrefs), hrefs
    page.locator("#search-results a[href*='07_court_backlog']").first.click()
    page.wait_for_load_state("load")
    assert page.url.split("?")[0].endswith("book/07_court_backlog.html")
    assert report["errors"] == []


def test_next_links_walk_through_the_book(unzipped, offline_page):
    page, _ = offline_page
    pages = toc_pages()
    page.goto(file_url(unzipped, pages[0]), wait_until="load")
    for doc in pages[1:]:
        page.locator("a.right-next").first.click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path.endswith(f"{doc}.html"), page.url
