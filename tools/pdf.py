"""``make pdf``: the printed edition of the book, and its answer key, printed by Chromium.

    python -m tools.pdf        # after `make build`; writes into _build/pdf/

Reads the built pages of ``_toc.yml`` (``_build/html``) and assembles one print document:
a title page (title, authors, edition and date from ``CITATION.cff``), a contents page
with page numbers, then every page of the table of contents in order, each starting on
a new page; chapters whose file starts with a number (``book/05_…``) are numbered by it.
Each chart prints as the SVG drawn at build time, which shows the explorer's default
settings; under it a caption gives the figure number, the chart's description, the
settings it shows and where to find the live version. Exercises keep their statements;
their solutions go into a separate answer key. Hidden code cells, buttons, sliders and
the "cite this" box are left out; code wraps and tables fit the page (``tools/pdf.css``).

Chromium prints each document twice: the first print tells on which page each chapter
starts (from the PDF's named destinations), the second fills those numbers into the
contents.
Before printing, every element of the text is measured at the page's width in print
layout; anything wider than the page is listed in ``_build/pdf/manifest.json`` and fails
the command. The manifest also lists the chapters and every figure caption, for
``tests/test_pdf.py``.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from tools.dist import edition
from tools.site import BUILD, CHROMIUM, CHROMIUM_ARGS, ROOT, toc_pages

OUT = ROOT / "_build" / "pdf"
CSS = Path(__file__).with_name("pdf.css")
PAGE = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm",
                                   "right": "16mm"}}
CONTENT_WIDTH_PX = round((210 - 32) / 25.4 * 96)   # A4 less the side margins, CSS pixels
FOOTER = ('<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
          'font-family:sans-serif"><span class="pageNumber"></span></div>')
# Stylesheets of the built site that the printed text uses (theme, code, cells, exercises).
SITE_CSS = ["styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css", "pygments.css",
            "exercise.css", "sphinx-design.min.css", "coopbook.css"]
LEFT_OUT = ["script", "noscript", "button", "a.headerlink", ".coop-cite",
            "details.above-input", "details.hide", ".vega-bindings", "[class*=thebe]"]


@dataclass
class Chapter:
    """One page of the table of contents, ready to print."""

    doc: str
    number: int | None
    title: str
    body: Tag
    figures: list[str] = field(default_factory=list)
    solutions: list[Tag] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Chapter {self.number}" if self.number is not None else ""

    @property
    def anchor(self) -> str:
        return anchor_prefix(self.doc) + "top"


def anchor_prefix(doc: str) -> str:
    """Ids of one page are prefixed so that pages never clash in one document."""
    return re.sub(r"[^a-z0-9]+", "-", doc.lower()) + "--"


def chapter_number(doc: str) -> int | None:
    """``book/05_police_capacity`` → 5; pages without a number prefix are unnumbered."""
    match = re.match(r"(\d+)_", posixpath.basename(doc))
    return int(match.group(1)) if match else None


def live_address(soup: BeautifulSoup, doc: str, chart_id: str) -> str:
    """Where the live chart is: the published address, or the page in the HTML edition."""
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        return f"{canonical['href']}#{chart_id}"
    return f"{doc}.html in the HTML edition (the website, or index.html of the zip)"


def settings_text(spec: dict) -> str:
    """The explorer's slider settings the printed chart shows, e.g.
    ``Calls for service (calls per hour): 45``."""
    shown = []
    for param in spec.get("params", []):
        bind = param.get("bind")
        if not isinstance(bind, dict) or "input" not in bind:
            continue
        name = str(bind.get("name") or param["name"]).strip()
        value = param.get("value")
        if isinstance(value, bool):
            value = "on" if value else "off"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        shown.append(f"{name}: {value}")
    return "; ".join(shown)


def caption_for(chart: Tag, spec: dict | None, label: str, where: str, address: str) -> str:
    """A figure caption: number, description, settings shown and the live version."""
    text = f"{label}. {chart.get('data-description', '').strip()}"
    if "coop-explorer" in chart.get("class", []):
        settings = settings_text(spec or {})
        text += (f" Printed at the explorer's default settings ({settings})."
                 f" The live version, with sliders: {where}, {address}.")
    return text


def rewrite_links(body: Tag, doc: str, docs: set[str]) -> None:
    """Prefix every id with the page's prefix and point links at the printed pages."""
    prefix = anchor_prefix(doc)
    for element in body.find_all(id=True):
        element["id"] = prefix + element["id"]
    for link in body.find_all("a", href=True):
        href = link["href"]
        if re.match(r"^[a-z]+:", href):
            continue                                  # external: printed as it is
        path, _, fragment = href.partition("#")
        if not path:
            link["href"] = f"#{prefix}{fragment}"
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), path))
        target = target.removesuffix(".html")
        if target in docs:
            link["href"] = f"#{anchor_prefix(target)}{fragment or 'top'}"
        else:
            link.unwrap()                             # index pages, sources: not printed


def load_chapter(doc: str, docs: set[str], site: Path) -> Chapter:
    """One built page: its article, cleaned for print, with captions under every chart."""
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    specs = {s["data-target"]: json.loads(s.string)
             for s in article.select("script.coop-chart-spec")}
    number = chapter_number(doc)
    heading = article.find("h1")
    title = heading.get_text(" ", strip=True).removesuffix("#").strip()
    chapter = Chapter(doc, number, title, article)
    where = f"{chapter.label}, “{title}”" if number is not None else f"“{title}”"
    for index, chart in enumerate(article.select(".coop-chart"), start=1):
        label = f"Figure {number}.{index}" if number is not None else f"Figure {index}"
        caption = caption_for(chart, specs.get(chart["id"]), label, where,
                              live_address(soup, doc, chart["id"]))
        chapter.figures.append(caption)
        figure = soup.new_tag("figure", attrs={"class": "pdf-figure"})
        chart.wrap(figure)
        figcaption = soup.new_tag("figcaption", attrs={"class": "pdf-caption"})
        figcaption.string = caption
        figure.append(figcaption)
    for selector in LEFT_OUT:
        for element in article.select(selector):
            element.decompose()
    for solution in article.select(".solution"):
        solution.extract()
        rewrite_links(solution, doc, docs)
        chapter.solutions.append(solution)
    rewrite_links(article, doc, docs)
    if number is not None:
        label = soup.new_tag("p", attrs={"class": "pdf-chapter-number"})
        label.string = chapter.label
        heading.insert_before(label)
    return chapter


def exercise_for(solution: Tag, chapter: Chapter) -> Tag | None:
    """The exercise a solution answers (its title links to it)."""
    link = solution.select_one(".admonition-title a[href^='#']")
    if link is None:
        return None
    return chapter.body.find(id=link["href"][1:])


def key_heading(chapter: Chapter) -> str:
    return f"{chapter.label}: {chapter.title}" if chapter.label else chapter.title


def answer_key(chapters: list[Chapter]) -> str:
    """HTML of the answer key: per chapter, each exercise followed by its solution."""
    parts = []
    for chapter in chapters:
        if not chapter.solutions:
            continue
        parts.append(f'<section class="pdf-chapter" id="{chapter.anchor}">'
                     f"<h1>{html.escape(key_heading(chapter))}</h1>")
        for solution in chapter.solutions:
            exercise = exercise_for(solution, chapter)
            if exercise is not None:
                parts.append(str(exercise))
            solution["class"] = [c for c in solution.get("class", []) if c != "dropdown"]
            parts.append(str(solution))
        parts.append("</section>")
    return "\n".join(parts)


def title_page(book: dict, subtitle: str) -> str:
    return (f'<section class="pdf-title"><h1>{html.escape(book["title"])}</h1>'
            f'<p class="pdf-subtitle">{html.escape(subtitle)}</p>'
            f'<p class="pdf-authors">{html.escape(book["authors"])}</p>'
            f'<p class="pdf-edition">Edition {html.escape(book["edition"])}, '
            f'{book["date"].day} {book["date"]:%B %Y}</p>'
            '<p class="pdf-note">The charts are printed at the default settings of their '
            "explorers; the HTML edition has the same charts with working sliders, offline "
            "too. Exercise solutions are in the separate answer key.</p></section>")


def contents_page(chapters: list[Chapter], pages: dict[str, int]) -> str:
    rows = []
    for chapter in chapters:
        number = f"{chapter.number}" if chapter.number is not None else ""
        page = pages.get(chapter.anchor, "")
        rows.append(f'<li><a href="#{chapter.anchor}"><span class="pdf-toc-number">{number}'
                    f'</span><span class="pdf-toc-title">{html.escape(chapter.title)}</span>'
                    f'<span class="pdf-toc-dots"></span><span class="pdf-toc-page">{page}'
                    "</span></a></li>")
    return (f'<nav class="pdf-contents"><h1>Contents</h1><ol>{"".join(rows)}</ol></nav>')


def document(head: str, sections: str) -> str:
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
            f"{head}</head><body>{sections}</body></html>")


def head_html(site: Path, title: str) -> str:
    links = "".join(f'<link rel="stylesheet" href="{(site / "_static" / name).as_uri()}">'
                    for name in SITE_CSS)
    return (f"<title>{html.escape(title)}</title>{links}"
            f'<link rel="stylesheet" href="{CSS.as_uri()}">')


def chapter_pages(pdf_bytes: bytes, anchors: list[str]) -> dict[str, int]:
    """Page (1-based) on which each chapter starts: Chromium writes a named destination
    for every element a link points at, and the contents page links to every chapter."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    destinations = reader.named_destinations
    return {anchor: reader.get_destination_page_number(destinations[f"/{anchor}"]) + 1
            for anchor in anchors if f"/{anchor}" in destinations}


def measure_overflow(page) -> list[str]:
    """Elements wider than the printed page (in print layout at the page's width)."""
    return page.evaluate("""(width) => {
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 1) {
                const where = e.closest('[id]');
                out.push(`${e.tagName.toLowerCase()}.${String(e.className.baseVal ?? e.className)
                    .split(' ')[0]} ${Math.round(r.right - width)}px too wide`
                    + ` in #${where ? where.id : '?'}`);
            }
        }
        return out.slice(0, 50);
    }""", CONTENT_WIDTH_PX)


def print_pdf(browser, source: Path, anchors: list[str], build_contents) -> tuple:
    """Print ``source`` twice (contents page numbers from the first print); return the PDF
    bytes, the chapters' start pages and what overflows the page."""
    page = browser.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": 1100})
    page.emulate_media(media="print")
    options = {**PAGE, "print_background": True, "display_header_footer": True,
               "header_template": "<span></span>", "footer_template": FOOTER,
               "outline": True, "tagged": True}
    source.write_text(build_contents({}), encoding="utf-8")
    page.goto(source.as_uri(), wait_until="load")
    first = page.pdf(**options)
    pages = chapter_pages(first, anchors)
    source.write_text(build_contents(pages), encoding="utf-8")
    page.goto(source.as_uri(), wait_until="load")
    overflow = measure_overflow(page)
    final = page.pdf(**options)
    page.close()
    return final, chapter_pages(final, anchors), overflow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=BUILD)
    args = parser.parse_args()
    site = args.site
    if not (site / "index.html").exists():
        sys.exit(f"no built book in {site}: run `make build` first")
    from playwright.sync_api import sync_playwright

    book = edition()
    docs = toc_pages()
    chapters = [load_chapter(doc, set(docs), site) for doc in docs]
    OUT.mkdir(parents=True, exist_ok=True)
    name = f"working-together-{book['edition']}"

    def book_html(pages: dict[str, int]) -> str:
        body = "\n".join(f'<section class="pdf-chapter" id="{c.anchor}">{c.body.decode_contents()}'
                         "</section>" for c in chapters)
        return document(head_html(site, book["title"]),
                        title_page(book, "Printed edition") + contents_page(chapters, pages)
                        + body)

    key_chapters = [c for c in chapters if c.solutions]

    def key_html(pages: dict[str, int]) -> str:
        return document(head_html(site, f"{book['title']}: answer key"),
                        title_page(book, "Answer key: solutions to the exercises")
                        + contents_page(key_chapters, pages) + answer_key(chapters))

    manifest: dict[str, object] = {"edition": book["edition"]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, build_html, listed in (("book", book_html, chapters),
                                         ("answer_key", key_html, key_chapters)):
            target = OUT / (f"{name}.pdf" if kind == "book" else f"{name}-answer-key.pdf")
            source = OUT / f"{target.stem}.html"
            pdf, pages, overflow = print_pdf(browser, source, [c.anchor for c in listed],
                                             build_html)
            target.write_bytes(pdf)
            manifest[kind] = {
                "pdf": target.name, "overflow": overflow,
                "chapters": [{"doc": c.doc, "title": c.title, "number": c.number,
                              "page": pages.get(c.anchor)} for c in listed]}
            print(f"{target} ({len(pdf) / 1e6:.1f} MB)")
        browser.close()
    manifest["figures"] = [caption for c in chapters for caption in c.figures]
    manifest["solutions"] = sum(len(c.solutions) for c in chapters)
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    problems = manifest["book"]["overflow"] + manifest["answer_key"]["overflow"]
    if problems:
        sys.exit("Wider than the page:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
